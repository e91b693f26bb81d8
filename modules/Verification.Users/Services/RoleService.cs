using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Users;

namespace Verification.Users.Services;

public sealed record RoleSummary(string Name, string Description, IReadOnlyList<string> Permissions, int UserCount);

/// <summary>Roles are the posts of; their permissions are role claims.</summary>
public sealed class RoleService(RoleManager<CmsRole> roles, TenantDbContext db, IAuditTrail audit)
{
    public async Task<IReadOnlyList<RoleSummary>> AllAsync(CancellationToken cancellationToken)
    {
        var all = await db.Roles.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        var claims = await db.RoleClaims.AsNoTracking().Where(c => c.ClaimType == CmsClaimTypes.Permission).ToListAsync(cancellationToken);
        var counts = await db.UserRoles.GroupBy(ur => ur.RoleId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return all.Select(r => new RoleSummary(
                r.Name!,
                r.Description,
                claims.Where(c => c.RoleId == r.Id).Select(c => c.ClaimValue!).Order(StringComparer.Ordinal).ToList(),
                counts.FirstOrDefault(c => c.Key == r.Id)?.Count ?? 0))
            .ToList();
    }

    public async Task<RoleSummary?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).FirstOrDefault(r => r.Name == name);

    /// <summary>Creates the role or sets its description and exactly these permissions. Audited with before and after.</summary>
    public async Task UpsertAsync(string name, string description, IReadOnlyCollection<string> permissions, CancellationToken cancellationToken)
    {
        var role = await roles.FindByNameAsync(name);
        var created = role is null;
        if (role is null)
        {
            role = new CmsRole(name) { Description = description };
            Check(await roles.CreateAsync(role));
        }
        else if (role.Description != description)
        {
            role.Description = description;
            Check(await roles.UpdateAsync(role));
        }

        var current = (await roles.GetClaimsAsync(role)).Where(c => c.Type == CmsClaimTypes.Permission).ToList();
        var wanted = permissions.ToHashSet(StringComparer.Ordinal);
        var removed = current.Where(c => !wanted.Contains(c.Value)).ToList();
        var added = wanted.Where(p => current.All(c => c.Value != p)).Order(StringComparer.Ordinal).ToList();
        foreach (var claim in removed)
        {
            Check(await roles.RemoveClaimAsync(role, claim));
        }

        foreach (var permission in added)
        {
            Check(await roles.AddClaimAsync(role, new Claim(CmsClaimTypes.Permission, permission)));
        }

        if (created || removed.Count > 0 || added.Count > 0)
        {
            await audit.RecordAsync(
                new AuditEntry(AuditCategories.Security, created ? "role.created" : "role.permissions.changed", "role", name, new Dictionary<string, string?>
                {
                    ["added"] = string.Join(",", added),
                    ["removed"] = string.Join(",", removed.Select(c => c.Value)),
                }),
                cancellationToken);
        }
    }

    internal static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
