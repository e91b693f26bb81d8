namespace Verification.Cms.Security;

public static class StandardRoles
{
    /// <summary>The stereotype that receives every permission.</summary>
    public const string Administrator = "Administrator";
}
