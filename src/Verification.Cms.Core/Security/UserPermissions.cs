using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Users;

namespace Verification.Cms.Security;

/// <summary>
/// Reads the user's roles and their permission claims from the database on each request, so a
/// role change or a disabled account takes effect at once, not at the next sign-in.
/// </summary>
public sealed class UserPermissions(TenantDbContext db) : IUserPermissions
{
    private readonly Dictionary<string, IReadOnlySet<string>> _cache = new(StringComparer.Ordinal);

    public async Task<IReadOnlySet<string>> GetAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (user.Identity?.IsAuthenticated != true || userId is null)
        {
            return new HashSet<string>();
        }

        if (_cache.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        var active = await db.Users.AnyAsync(u => u.Id == userId && !u.IsDisabled, cancellationToken);
        var permissions = active
            ? await (from ur in db.UserRoles
                     join rc in db.RoleClaims on ur.RoleId equals rc.RoleId
                     where ur.UserId == userId && rc.ClaimType == CmsClaimTypes.Permission
                     select rc.ClaimValue!).Distinct().ToListAsync(cancellationToken)
            : [];
        var set = permissions.ToHashSet(StringComparer.Ordinal);
        _cache[userId] = set;
        return set;
    }

    public async Task<bool> HasAsync(ClaimsPrincipal user, string permission, CancellationToken cancellationToken = default) =>
        (await GetAsync(user, cancellationToken)).Contains(permission);
}
