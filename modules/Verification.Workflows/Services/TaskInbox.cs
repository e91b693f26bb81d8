using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Cms.Organisation;
using Verification.Cms.Users;
using Verification.Workflows.Models;
using TaskStatus = Verification.Workflows.Models.TaskStatus;

namespace Verification.Workflows.Services;

public sealed record TaskFilter(string View = "mine", string? Text = null, string? Status = TaskStatus.Open, bool OverdueOnly = false);

/// <summary>The people's side of workflows: my tasks, my unit's tasks, overdue tasks; claim, reassign, complete.</summary>
public sealed class TaskInbox(TenantDbContext db, WorkflowRuntime runtime, IOrgScope orgScope, UserManager<CmsUser> users, IAuditTrail audit, TimeProvider time)
{
    public async Task<List<WorkflowTask>> ListAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken)
    {
        var name = user.Identity?.Name ?? string.Empty;
        var (roles, unit) = await RolesAsync(user);
        var scope = await orgScope.ForUserAsync(user, cancellationToken);
        var query = db.Set<WorkflowTask>().AsNoTracking();
        if (filter.Status is { Length: > 0 } status)
        {
            query = query.Where(t => t.Status == status);
        }

        if (filter.Text is { Length: > 0 } text)
        {
            query = query.Where(t => t.Title.Contains(text));
        }

        var today = CmsTime.Today(time);
        if (filter.OverdueOnly || filter.View == "overdue")
        {
            query = query.Where(t => t.DueOn != null && t.DueOn < today);
        }

        var tasks = await query.OrderBy(t => t.DueOn).ThenBy(t => t.CreatedUtc).Take(1000).ToListAsync(cancellationToken);
        return filter.View switch
        {
            "unit" or "overdue" => tasks.Where(t => CanSee(t, name, roles, scope)).ToList(),
            _ => tasks.Where(t => IsMine(t, name, roles, unit, scope)).ToList(),
        };
    }

    /// <summary>Assigned to me, claimed by me, or open to my role in a unit I can see and not claimed by someone else.</summary>
    public static bool IsMine(WorkflowTask task, string user, IReadOnlyCollection<string> roles, string? myUnit, OrgScopeResult scope) =>
        task.ClaimedBy == user
        || (task.ClaimedBy is null && task.AssignedUser == user)
        || (task.ClaimedBy is null && task.AssignedUser is null && task.AssignedRole is not null && roles.Contains(task.AssignedRole) && (task.OrgUnit is null || task.OrgUnit == myUnit || scope.Includes(task.OrgUnit)));

    /// <summary>
    /// Whether the user may see the task at all: theirs, one of a unit they can see, or — without a unit —
    /// one addressed to them or their role. Another district's staff never see it.
    /// </summary>
    public static bool CanSee(WorkflowTask task, string user, IReadOnlyCollection<string> roles, OrgScopeResult scope) =>
        task.ClaimedBy == user || task.AssignedUser == user || task.CompletedBy == user
        || (task.OrgUnit is not null ? scope.Includes(task.OrgUnit) : scope.Unrestricted || (task.AssignedRole is not null && roles.Contains(task.AssignedRole)));

    public async Task<bool> CanSeeAsync(WorkflowTask task, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = await orgScope.ForUserAsync(user, cancellationToken);
        var (roles, _) = await RolesAsync(user);
        return CanSee(task, user.Identity?.Name ?? string.Empty, roles, scope);
    }

    public Task<WorkflowTask?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Set<WorkflowTask>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    public async Task<bool> CanActAsync(WorkflowTask task, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var scope = await orgScope.ForUserAsync(user, cancellationToken);
        var (roles, unit) = await RolesAsync(user);
        return task.Status == TaskStatus.Open && IsMine(task, user.Identity?.Name ?? string.Empty, roles, unit, scope);
    }

    /// <summary>The user's roles and org unit as stored now (a role granted today counts today).</summary>
    public async Task<(IReadOnlyList<string> Roles, string? OrgUnit)> RolesAsync(ClaimsPrincipal user)
    {
        var account = user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? await users.FindByIdAsync(id) : null;
        return account is null ? ([], null) : ((await users.GetRolesAsync(account)).ToList(), account.OrgUnitCode);
    }

    /// <summary>Takes an open task for oneself (only one person can: the claim is a conditional update).</summary>
    public async Task<bool> ClaimAsync(string id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var task = await FindAsync(id, cancellationToken);
        if (task is null || !await CanActAsync(task, user, cancellationToken))
        {
            return false;
        }

        var name = user.Identity!.Name!;
        var stamp = Guid.NewGuid().ToString("N");
        var claimed = await db.Set<WorkflowTask>().Where(t => t.Id == id && t.Status == TaskStatus.Open && (t.ClaimedBy == null || t.ClaimedBy == name))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ClaimedBy, name).SetProperty(t => t.ConcurrencyStamp, stamp), cancellationToken) == 1;
        if (claimed)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "task.claimed", "task", id, new Dictionary<string, string?> { ["case"] = task.CaseId }), cancellationToken);
        }

        return claimed;
    }

    /// <summary>Gives the task to another user (or back to a role).</summary>
    public async Task<bool> ReassignAsync(string id, string? toUser, string? toRole, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var task = await FindAsync(id, cancellationToken);
        if (task is null || (toUser is null && toRole is null) || !await CanActAsync(task, user, cancellationToken))
        {
            return false;
        }

        var stamp = Guid.NewGuid().ToString("N");
        var changed = await db.Set<WorkflowTask>().Where(t => t.Id == id && t.Status == TaskStatus.Open && t.ConcurrencyStamp == task.ConcurrencyStamp)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AssignedUser, toUser).SetProperty(t => t.AssignedRole, toUser == null ? toRole : task.AssignedRole).SetProperty(t => t.ClaimedBy, (string?)null).SetProperty(t => t.ConcurrencyStamp, stamp), cancellationToken) == 1;
        if (changed)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "task.reassigned", "task", id, new Dictionary<string, string?> { ["toUser"] = toUser, ["toRole"] = toRole, ["case"] = task.CaseId }), cancellationToken);
        }

        return changed;
    }

    /// <summary>Completes the task with one of its outcomes; the workflow goes on by that outcome.</summary>
    public async Task<string?> CompleteAsync(string id, string outcome, string? comment, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var task = await FindAsync(id, cancellationToken);
        if (task is null || !await CanActAsync(task, user, cancellationToken))
        {
            return "任务不存在、已办结，或不由您办理。";
        }

        if (!task.Outcomes.Split('|').Contains(outcome, StringComparer.Ordinal))
        {
            return $"「{outcome}」不是这个任务的结果。";
        }

        var name = user.Identity!.Name!;
        var now = time.GetUtcNow().UtcDateTime;
        var done = await db.Set<WorkflowTask>().Where(t => t.Id == id && t.Status == TaskStatus.Open && t.ConcurrencyStamp == task.ConcurrencyStamp)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TaskStatus.Done).SetProperty(t => t.Outcome, outcome).SetProperty(t => t.Comment, comment).SetProperty(t => t.CompletedBy, name).SetProperty(t => t.CompletedUtc, now), cancellationToken);
        if (done == 0)
        {
            return "任务刚被其他人修改，请刷新后重试。";
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "task.completed", "task", id, new Dictionary<string, string?> { ["outcome"] = outcome, ["case"] = task.CaseId }), cancellationToken);
        await runtime.ResumeAsync(task.BookmarkId, outcome, new System.Text.Json.Nodes.JsonObject { ["task"] = id, ["outcome"] = outcome, ["comment"] = comment, ["completedBy"] = name }, null, cancellationToken);
        return null;
    }
}
