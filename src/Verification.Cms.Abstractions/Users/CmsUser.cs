using Microsoft.AspNetCore.Identity;

namespace Verification.Cms.Users;

/// <summary>A member of a centre's staff. Belongs to one org unit, which scopes what they see .</summary>
public class CmsUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    public string? OrgUnitCode { get; set; }

    public bool IsDisabled { get; set; }

    /// <summary>Created by a recipe for the demo tenants; its generated password is printed at setup.</summary>
    public bool IsDemo { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
}

public class CmsRole : IdentityRole
{
    public CmsRole()
    {
    }

    public CmsRole(string name)
        : base(name)
    {
    }

    public string Description { get; set; } = string.Empty;
}

public static class CmsClaimTypes
{
    public const string Permission = "Permission";
    public const string OrgUnit = "OrgUnit";
    public const string DisplayName = "DisplayName";
}
