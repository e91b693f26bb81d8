namespace Verification.Cms.Security;

/// <summary>A named right a role may hold. Name is the stable key used in recipes and policies.</summary>
public sealed record Permission(string Name, string Description, string Category);

/// <summary>Which permissions a built-in role stereotype gets by default.</summary>
public sealed record PermissionStereotype(string RoleName, IReadOnlyList<Permission> Permissions);

/// <summary>Declared by modules: their permissions and the default stereotypes.</summary>
public interface IPermissionProvider
{
    IEnumerable<Permission> GetPermissions();

    IEnumerable<PermissionStereotype> GetDefaultStereotypes();
}

public static class PermissionPolicy
{
    public const string Prefix = "perm:";

    public static string For(string permissionName) => Prefix + permissionName;
}
