using Microsoft.EntityFrameworkCore;
using Verification.Cms.Background;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Workflows.Models;
using TaskStatus = Verification.Workflows.Models.TaskStatus;

namespace Verification.Workflows.Services;

/// <summary>
/// The workflows' background round: fires due timers — once, even with several web
/// nodes on one database (a node leases due timers with a conditional UPDATE, then deleting the
/// bookmark is the claim) and catching up on everything that fell due while the process was
/// down; starts scheduled (cron) workflows; resumes instances a crashed node left mid-run; sends
/// task reminders and escalates overdue tasks; handles events left in the outbox.
/// </summary>
public sealed class WorkflowTimerWork(TenantDbContext db, WorkflowRuntime runtime, WorkflowCatalog catalog, WorkflowNode node, NotificationService notifications, TimeProvider time) : ITenantBackgroundWork
{
    public const int MaxTimersPerRound = 2000;

    public string Name => "workflows";

    public TimeSpan Interval => TimeSpan.FromSeconds(5);

    public Task RunAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    public async Task<SweepResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var events = await runtime.DrainPendingEventsAsync(cancellationToken);
        var fired = await FireDueTimersAsync(cancellationToken);
        var resumed = await ResumeAbandonedAsync(cancellationToken);
        var (reminded, escalated) = await RemindAndEscalateAsync(cancellationToken);
        return new SweepResult(fired, resumed, reminded, escalated, events);
    }

    private async Task<int> FireDueTimersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + WorkflowRuntime.Lease;
        var me = node.Id;
        var due = db.Set<WorkflowBookmark>().Where(b => (b.Kind == BookmarkKinds.Timer || b.Kind == BookmarkKinds.StartTimer) && b.DueUtc <= now && (b.LeaseUntilUtc == null || b.LeaseUntilUtc < now));
        var ids = await due.OrderBy(b => b.DueUtc).Select(b => b.Id).Take(MaxTimersPerRound).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        // The lease condition is repeated in the UPDATE: on PostgreSQL a second node waiting on the same rows re-checks it and takes none of them.
        await db.Set<WorkflowBookmark>().Where(b => ids.Contains(b.Id) && (b.LeaseUntilUtc == null || b.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.LeaseOwner, me).SetProperty(b => b.LeaseUntilUtc, until), cancellationToken);
        var leased = await db.Set<WorkflowBookmark>().AsNoTracking().Where(b => ids.Contains(b.Id) && b.LeaseOwner == me).OrderBy(b => b.DueUtc).ToListAsync(cancellationToken);
        var fired = 0;
        foreach (var bookmark in leased)
        {
            if (bookmark.Kind == BookmarkKinds.StartTimer)
            {
                fired += await StartScheduledAsync(bookmark, now, cancellationToken) ? 1 : 0;
            }
            else if (await runtime.ResumeAsync(bookmark.Id, null, null, me, cancellationToken))
            {
                fired++;
            }
        }

        return fired;
    }

    /// <summary>A cron start: moves the schedule to its next occurrence (the claim) and starts one instance.</summary>
    private async Task<bool> StartScheduledAsync(WorkflowBookmark bookmark, DateTime now, CancellationToken cancellationToken)
    {
        var graph = await catalog.GraphAsync(db, bookmark.VersionId, cancellationToken);
        var activityNode = graph.Find(bookmark.ActivityId);
        var next = activityNode?.Text("cron") is { } cron ? WorkflowTimers.NextCron(cron, now) : null;
        var me = node.Id;
        var claimed = await db.Set<WorkflowBookmark>().Where(b => b.Id == bookmark.Id && b.LeaseOwner == me && b.DueUtc == bookmark.DueUtc)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.DueUtc, next).SetProperty(b => b.LeaseOwner, (string?)null).SetProperty(b => b.LeaseUntilUtc, (DateTime?)null), cancellationToken);
        if (claimed == 0 || activityNode is null)
        {
            return false;
        }

        var input = new System.Text.Json.Nodes.JsonObject { ["event"] = "timer", ["scheduledUtc"] = bookmark.DueUtc };
        await runtime.StartAsync(new StartPoint(bookmark.DefinitionName, bookmark.VersionId, (await db.Set<WorkflowVersion>().AsNoTracking().FirstAsync(v => v.Id == bookmark.VersionId, cancellationToken)).Version, activityNode), null, input, cancellationToken);
        return true;
    }

    /// <summary>Instances a node left mid-run (it crashed; its lease ran out) continue from their last completed activity.</summary>
    private async Task<int> ResumeAbandonedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var abandoned = await db.Set<WorkflowInstance>().AsNoTracking()
            .Where(i => i.Status == InstanceStatus.Running && (i.LeaseUntilUtc == null || i.LeaseUntilUtc < now))
            .Select(i => i.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in abandoned)
        {
            await runtime.RunAsync(id, cancellationToken);
        }

        return abandoned.Count;
    }

    private async Task<(int Reminded, int Escalated)> RemindAndEscalateAsync(CancellationToken cancellationToken)
    {
        var today = CmsTime.Today(time);
        var reminded = 0;
        foreach (var task in await db.Set<WorkflowTask>().AsNoTracking().Where(t => t.Status == TaskStatus.Open && !t.Reminded && t.RemindOn != null && t.RemindOn <= today).Take(500).ToListAsync(cancellationToken))
        {
            if (await db.Set<WorkflowTask>().Where(t => t.Id == task.Id && !t.Reminded).ExecuteUpdateAsync(s => s.SetProperty(t => t.Reminded, true), cancellationToken) == 1)
            {
                await notifications.NotifyAsync(task.ClaimedBy ?? task.AssignedUser, task.ClaimedBy is null && task.AssignedUser is null ? task.AssignedRole : null, task.OrgUnit, "任务即将到期：" + task.Title, $"到期日 {task.DueOn:yyyy-MM-dd}", "tasks/" + task.Id, task.InstanceId, byEmail: false, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                reminded++;
            }
        }

        var escalated = 0;
        foreach (var task in await db.Set<WorkflowTask>().AsNoTracking().Where(t => t.Status == TaskStatus.Open && !t.Escalated && t.DueOn != null && t.DueOn < today && t.EscalateToRole != null).Take(500).ToListAsync(cancellationToken))
        {
            var stamp = Guid.NewGuid().ToString("N");
            if (await db.Set<WorkflowTask>().Where(t => t.Id == task.Id && !t.Escalated)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Escalated, true).SetProperty(t => t.AssignedRole, task.EscalateToRole).SetProperty(t => t.AssignedUser, (string?)null).SetProperty(t => t.ClaimedBy, (string?)null).SetProperty(t => t.ConcurrencyStamp, stamp), cancellationToken) == 1)
            {
                await notifications.NotifyAsync(null, task.EscalateToRole, task.OrgUnit, "任务已逾期，升级办理：" + task.Title, $"原定到期日 {task.DueOn:yyyy-MM-dd}，原办理人 {task.ClaimedBy ?? task.AssignedUser ?? task.AssignedRole}", "tasks/" + task.Id, task.InstanceId, byEmail: true, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                escalated++;
            }
        }

        return (reminded, escalated);
    }
}

public sealed record SweepResult(int TimersFired, int InstancesResumed, int Reminded, int Escalated, int Events);
