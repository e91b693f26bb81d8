using System.Text.RegularExpressions;

namespace Verification.Cms.Tenants;

/// <summary>What a tenant name and URL prefix may be: safe in paths, URLs and schema names.</summary>
public static partial class TenantNameRules
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "default", "admin", "api", "health", "login", "logout", "lang", "theme", "openapi", "verify", "_content", "app_data", "archive", "sites",
    };

    /// <summary>Returns a localization key describing the problem, or null when the name is acceptable.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Tenant name is required.";
        }

        if (!NamePattern().IsMatch(name))
        {
            return "Tenant name must be 2–40 lowercase letters, digits or hyphens, starting with a letter.";
        }

        return Reserved.Contains(name) ? "This tenant name is reserved." : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex NamePattern();
}
