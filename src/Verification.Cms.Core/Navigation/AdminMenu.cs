using System.Security.Claims;
using Verification.Cms.Security;

namespace Verification.Cms.Navigation;

/// <summary>The admin navigation: every enabled feature's items, filtered by the user's permissions.</summary>
public sealed class AdminMenu(IEnumerable<IAdminMenuProvider> providers)
{
    private readonly IReadOnlyList<AdminMenuItem> _items = providers.SelectMany(p => p.GetItems()).OrderBy(i => i.Position).ToList();

    public async Task<IReadOnlyList<IGrouping<string, AdminMenuItem>>> ForUserAsync(ClaimsPrincipal user, IUserPermissions permissions)
    {
        var held = await permissions.GetAsync(user);
        return _items
            .Where(i => i.Permission is null || held.Contains(i.Permission))
            .GroupBy(i => i.Group)
            .ToList();
    }
}
