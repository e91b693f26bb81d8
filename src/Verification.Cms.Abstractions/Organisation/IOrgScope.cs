using System.Security.Claims;

namespace Verification.Cms.Organisation;

/// <summary>
/// Which org units a user may see: their own unit and every unit below it.
/// Modules filter person and case data through it.
/// </summary>
public interface IOrgScope
{
    Task<OrgScopeResult> ForUserAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default);
}

/// <param name="Unrestricted">True only where the tenant has no org tree (the host).</param>
/// <param name="UnitCodes">The visible units when restricted.</param>
public sealed record OrgScopeResult(bool Unrestricted, IReadOnlySet<string> UnitCodes)
{
    public bool Includes(string? unitCode) => Unrestricted || (unitCode is not null && UnitCodes.Contains(unitCode));
}
