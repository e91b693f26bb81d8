using Verification.Cms.Security;

namespace Verification.Cms.Security;

/// <summary>The permissions declared by the tenant's enabled features.</summary>
public sealed class PermissionCatalog(IEnumerable<IPermissionProvider> providers)
{
    private readonly Lazy<IReadOnlyList<Permission>> _all = new(() => providers
        .SelectMany(p => p.GetPermissions())
        .DistinctBy(p => p.Name)
        .OrderBy(p => p.Category, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
        .ToList());

    public IReadOnlyList<Permission> All => _all.Value;

    public bool Exists(string name) => All.Any(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>Permissions a stereotype (e.g. Administrator) gets by default.</summary>
    public IReadOnlyList<string> ForStereotype(string stereotype) =>
        string.Equals(stereotype, StandardRoles.Administrator, StringComparison.Ordinal)
            ? All.Select(p => p.Name).ToList()
            : providers.SelectMany(p => p.GetDefaultStereotypes())
                .Where(s => string.Equals(s.RoleName, stereotype, StringComparison.Ordinal))
                .SelectMany(s => s.Permissions).Select(p => p.Name).Distinct().ToList();
}
