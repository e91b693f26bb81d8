using Microsoft.AspNetCore.Authorization;

namespace Verification.Cms.Security;

/// <summary>Allows the action only to a signed-in user whose roles hold the permission.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequirePermissionAttribute : AuthorizeAttribute
{
    public RequirePermissionAttribute(string permission)
        : base(PermissionPolicy.For(permission))
    {
        Permission = permission;
    }

    public string Permission { get; }
}
