namespace Verification.Cms.Navigation;

/// <param name="Text">Localization key of the label.</param>
/// <param name="Url">Path relative to the tenant (e.g. "admin/users").</param>
/// <param name="Permission">Shown only to users holding it; null for every admin user.</param>
/// <param name="Group">Localization key of the menu group.</param>
public sealed record AdminMenuItem(string Text, string Url, string? Permission, string Group, int Position = 100);

public interface IAdminMenuProvider
{
    IEnumerable<AdminMenuItem> GetItems();
}
