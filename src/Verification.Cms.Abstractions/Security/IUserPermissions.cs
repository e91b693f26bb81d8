using System.Security.Claims;

namespace Verification.Cms.Security;

/// <summary>The current permissions of a user, read fresh from their roles (cached per request).</summary>
public interface IUserPermissions
{
    Task<IReadOnlySet<string>> GetAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default);

    Task<bool> HasAsync(ClaimsPrincipal user, string permission, CancellationToken cancellationToken = default);
}
