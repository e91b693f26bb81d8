using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Organisation;
using Verification.Cms.Users;

namespace Verification.Users.Services;

public sealed record UserSummary(string Id, string UserName, string DisplayName, string? Email, string? OrgUnitCode, bool IsDisabled, bool IsLockedOut, IReadOnlyList<string> Roles);

public sealed record NewUser(string UserName, string DisplayName, string? Email, string? OrgUnitCode, IReadOnlyList<string> Roles);

/// <summary>Creates and changes accounts. Callers outside recipes go through <see cref="SecurityChangeService"/> (R-2.4).</summary>
public sealed class UserAccountService(UserManager<CmsUser> users, TenantDbContext db, IAuditTrail audit)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(OrgScopeResult scope, string? search, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking();
        if (!scope.Unrestricted)
        {
            var codes = scope.UnitCodes.ToList();
            query = query.Where(u => u.OrgUnitCode != null && codes.Contains(u.OrgUnitCode));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            query = query.Where(u => u.UserName!.Contains(search) || u.DisplayName.Contains(search));
        }

        var list = await query.OrderBy(u => u.OrgUnitCode).ThenBy(u => u.UserName).Take(500).ToListAsync(cancellationToken);
        var ids = list.Select(u => u.Id).ToList();
        var roleNames = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               where ids.Contains(ur.UserId)
                               select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return list.Select(u => new UserSummary(
                u.Id, u.UserName!, u.DisplayName, u.Email, u.OrgUnitCode, u.IsDisabled, u.LockoutEnd > now,
                roleNames.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    public async Task<UserSummary?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return null;
        }

        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        return new UserSummary(user.Id, user.UserName!, user.DisplayName, user.Email, user.OrgUnitCode, user.IsDisabled, user.LockoutEnd > DateTimeOffset.UtcNow, roles);
    }

    /// <summary>Creates the account with a generated password, returned once to be handed over.</summary>
    public async Task<string> CreateAsync(NewUser request, bool isDemo, CancellationToken cancellationToken)
    {
        var password = PasswordGenerator.Generate();
        var user = new CmsUser
        {
            UserName = request.UserName,
            DisplayName = request.DisplayName,
            Email = request.Email,
            OrgUnitCode = request.OrgUnitCode,
            IsDemo = isDemo,
            LockoutEnabled = true,
        };
        RoleService.Check(await users.CreateAsync(user, password));
        if (request.Roles.Count > 0)
        {
            RoleService.Check(await users.AddToRolesAsync(user, request.Roles));
        }

        await audit.RecordAsync(
            new AuditEntry(AuditCategories.Security, "user.created", "user", request.UserName, new Dictionary<string, string?>
            {
                ["orgUnit"] = request.OrgUnitCode,
                ["roles"] = string.Join(",", request.Roles),
            }),
            cancellationToken);
        return password;
    }

    /// <summary>Updates profile fields and sets exactly these roles (recipe re-runs, approved requests).</summary>
    public async Task UpdateAsync(NewUser request, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(request.UserName) ?? throw new InvalidOperationException($"No user '{request.UserName}'.");
        if (user.DisplayName != request.DisplayName || user.Email != request.Email || user.OrgUnitCode != request.OrgUnitCode)
        {
            user.DisplayName = request.DisplayName;
            user.Email = request.Email;
            user.OrgUnitCode = request.OrgUnitCode;
            RoleService.Check(await users.UpdateAsync(user));
            await audit.RecordAsync(new AuditEntry(AuditCategories.Users, "user.updated", "user", user.UserName, new Dictionary<string, string?> { ["orgUnit"] = user.OrgUnitCode }), cancellationToken);
        }

        await SetRolesAsync(user, request.Roles, cancellationToken);
    }

    /// <summary>Display name and e-mail only: nothing that changes what the account may do or see.</summary>
    public async Task UpdateProfileAsync(string userName, string displayName, string? email, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user '{userName}'.");
        if (user.DisplayName != displayName || user.Email != email)
        {
            user.DisplayName = displayName;
            user.Email = email;
            RoleService.Check(await users.UpdateAsync(user));
            await audit.RecordAsync(new AuditEntry(AuditCategories.Users, "user.updated", "user", user.UserName), cancellationToken);
        }
    }

    /// <summary>Moves the account to another org unit, which changes whose records it sees: an approved request only.</summary>
    public async Task SetOrgUnitAsync(string userName, string? orgUnitCode, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user '{userName}'.");
        var before = user.OrgUnitCode;
        user.OrgUnitCode = orgUnitCode;
        RoleService.Check(await users.UpdateAsync(user));
        RoleService.Check(await users.UpdateSecurityStampAsync(user));
        await audit.RecordAsync(new AuditEntry(AuditCategories.Security, "user.orgunit.changed", "user", userName, new Dictionary<string, string?> { ["from"] = before, ["to"] = orgUnitCode }), cancellationToken);
    }

    public async Task SetRolesAsync(string userName, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user '{userName}'.");
        await SetRolesAsync(user, roles, cancellationToken);
    }

    public async Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user '{userName}'.");
        user.IsDisabled = disabled;
        RoleService.Check(await users.UpdateAsync(user));
        RoleService.Check(await users.UpdateSecurityStampAsync(user));
        await audit.RecordAsync(new AuditEntry(AuditCategories.Security, disabled ? "user.disabled" : "user.enabled", "user", userName), cancellationToken);
    }

    private async Task SetRolesAsync(CmsUser user, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var current = await users.GetRolesAsync(user);
        var remove = current.Except(roles, StringComparer.Ordinal).ToList();
        var add = roles.Except(current, StringComparer.Ordinal).ToList();
        if (remove.Count == 0 && add.Count == 0)
        {
            return;
        }

        if (remove.Count > 0)
        {
            RoleService.Check(await users.RemoveFromRolesAsync(user, remove));
        }

        if (add.Count > 0)
        {
            RoleService.Check(await users.AddToRolesAsync(user, add));
        }

        await audit.RecordAsync(
            new AuditEntry(AuditCategories.Security, "user.roles.changed", "user", user.UserName, new Dictionary<string, string?>
            {
                ["added"] = string.Join(",", add),
                ["removed"] = string.Join(",", remove),
            }),
            cancellationToken);
    }
}
