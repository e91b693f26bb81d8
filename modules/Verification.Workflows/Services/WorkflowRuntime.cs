using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verification.Cms.Data;
using Verification.Cms.Workflows;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>
/// Executes workflow instances. Each activity runs in its own database transaction together
/// with everything it changes (its step on the timeline, the variables, the activities scheduled
/// next, bookmarks, tasks, a case moved), so a crash resumes after the last completed activity
/// and never repeats it. An instance is executed by one node at a time (a lease on its row);
/// a fault stops the instance with an incident that staff retry.
/// </summary>
public sealed class WorkflowRuntime(TenantDbContext db, IServiceProvider services, WorkflowCatalog catalog, WorkflowNode node, WorkflowOutboxCounter events, TimeProvider time, ILogger<WorkflowRuntime> logger)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>A runaway graph (a loop without a wait) stops after this many activities in one run.</summary>
    public const int MaxActivitiesPerRun = 500;

    private Dictionary<string, IWorkflowActivity>? _activities;

    public IReadOnlyDictionary<string, IWorkflowActivity> Activities =>
        _activities ??= services.GetServices<IWorkflowActivity>().ToDictionary(a => a.Type, StringComparer.Ordinal);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Creates an instance of a published version at one of its start activities and runs it until it waits or ends.</summary>
    public async Task<string> StartAsync(StartPoint start, string? correlationId, JsonObject input, CancellationToken cancellationToken)
    {
        var graph = await catalog.GraphAsync(db, start.VersionId, cancellationToken);
        var now = Now;
        var instance = new WorkflowInstance
        {
            Id = RowIds.New(),
            DefinitionName = start.DefinitionName,
            VersionId = start.VersionId,
            Version = start.Version,
            CorrelationId = correlationId,
            Status = InstanceStatus.Running,
            VariablesJson = new JsonObject { ["input"] = input.DeepClone() }.ToJsonString(),
            ReadyJson = JsonSerializer.Serialize(graph.Next(start.Node.Id, "Done").Select(to => new ReadyActivity(to, start.Node.Id, "Done")).ToList(), WorkflowGraph.Json),
            LeaseOwner = node.Id,
            LeaseUntilUtc = now + Lease,
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.Add(instance);
        db.Add(new WorkflowStep { InstanceId = instance.Id, ActivityId = start.Node.Id, ActivityType = start.Node.Type, Outcome = "Done", InputJson = input.ToJsonString(), StartedUtc = now, FinishedUtc = now });
        await db.SaveChangesAsync(cancellationToken);
        DetachAll();
        await RunAsync(instance.Id, leased: true, cancellationToken);
        return instance.Id;
    }

    /// <summary>
    /// Takes a bookmark (once: deleting it is the claim, so two nodes never both resume it), schedules
    /// what follows its outcome and runs the instance. False when someone else took it first.
    /// </summary>
    public async Task<bool> ResumeAsync(string bookmarkId, string? outcome, JsonObject? input, string? leaseOwner, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string? instanceId;
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                var bookmark = await db.Set<WorkflowBookmark>().AsNoTracking().FirstOrDefaultAsync(b => b.Id == bookmarkId, cancellationToken);
                if (bookmark?.InstanceId is null)
                {
                    return false;
                }

                var claimed = await db.Set<WorkflowBookmark>().Where(b => b.Id == bookmarkId && (leaseOwner == null || b.LeaseOwner == leaseOwner)).ExecuteDeleteAsync(cancellationToken);
                if (claimed == 0)
                {
                    return false;
                }

                // An event wait with a deadline has two bookmarks; whichever fires first cancels the other.
                await db.Set<WorkflowBookmark>().Where(b => b.InstanceId == bookmark.InstanceId && b.ActivityId == bookmark.ActivityId).ExecuteDeleteAsync(cancellationToken);
                var instance = await db.Set<WorkflowInstance>().FirstAsync(i => i.Id == bookmark.InstanceId, cancellationToken);
                if (instance.Status is InstanceStatus.Finished or InstanceStatus.Cancelled)
                {
                    await transaction.CommitAsync(cancellationToken);
                    return false;
                }

                var graph = await catalog.GraphAsync(db, instance.VersionId, cancellationToken);
                var taken = outcome ?? bookmark.Outcome;
                var variables = JsonNode.Parse(instance.VariablesJson)!.AsObject();
                if (input is not null)
                {
                    variables["event"] = input.DeepClone();
                }

                var ready = ReadyOf(instance);
                ready.AddRange(graph.Next(bookmark.ActivityId, taken).Select(to => new ReadyActivity(to, bookmark.ActivityId, taken)));
                var now = Now;
                instance.ReadyJson = JsonSerializer.Serialize(ready, WorkflowGraph.Json);
                instance.VariablesJson = variables.ToJsonString();
                instance.Status = InstanceStatus.Running;
                instance.UpdatedUtc = now;
                instance.ConcurrencyStamp = Guid.NewGuid().ToString("N");
                db.Add(new WorkflowStep { InstanceId = instance.Id, ActivityId = bookmark.ActivityId, ActivityType = graph.Find(bookmark.ActivityId)?.Type ?? "?", Outcome = taken, InputJson = input?.ToJsonString(), OutputJson = new JsonObject { ["resumedBy"] = bookmark.Kind }.ToJsonString(), StartedUtc = bookmark.CreatedUtc, FinishedUtc = now });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    instanceId = instance.Id;
                }
                catch (DbUpdateConcurrencyException) when (attempt < 5)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    DetachAll();
                    continue;
                }
                finally
                {
                    DetachAll();
                }
            }

            await RunAsync(instanceId, cancellationToken);
            return true;
        }
    }

    /// <summary>Runs the instance's scheduled activities until it waits, ends or faults (no-op when another node holds it).</summary>
    public async Task RunAsync(string instanceId, CancellationToken cancellationToken) => await RunAsync(instanceId, leased: false, cancellationToken);

    private async Task RunAsync(string instanceId, bool leased, CancellationToken cancellationToken)
    {
        if (!leased && !await AcquireAsync(instanceId, cancellationToken))
        {
            return;
        }

        try
        {
            var instance = await db.Set<WorkflowInstance>().AsNoTracking().FirstAsync(i => i.Id == instanceId, cancellationToken);
            var waits = false;
            for (var executed = 0; ; executed++)
            {
                if (instance.Status is not InstanceStatus.Running)
                {
                    return;
                }

                var ready = ReadyOf(instance);
                if (ready.Count == 0)
                {
                    if (await SettleAsync(instance, waits, cancellationToken))
                    {
                        return;
                    }

                    // Someone scheduled more meanwhile (an event resumed a wait): go on with it.
                    instance = await db.Set<WorkflowInstance>().AsNoTracking().FirstAsync(i => i.Id == instanceId, cancellationToken);
                    continue;
                }

                if (executed >= MaxActivitiesPerRun)
                {
                    await FaultAsync(instance, ready[0].ActivityId, $"一次运行执行了 {MaxActivitiesPerRun} 个活动仍未停下（流程可能有无等待的循环）。", cancellationToken);
                    return;
                }

                var outbox = events.Written;
                var next = await ExecuteNextAsync(instance, ready, cancellationToken);
                if (next is null)
                {
                    return;
                }

                instance = next.Value.Instance;
                waits |= next.Value.Waits;
                if (events.Written != outbox)
                {
                    await DrainPendingEventsAsync(cancellationToken);
                }
            }
        }
        finally
        {
            await db.Set<WorkflowInstance>().Where(i => i.Id == instanceId && i.LeaseOwner == node.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, (string?)null).SetProperty(i => i.LeaseUntilUtc, (DateTime?)null), CancellationToken.None);
        }
    }

    /// <summary>Events raised inside a transaction (a workflow moved a case) wait in the outbox; handle them now that it committed.</summary>
    public async Task<int> DrainPendingEventsAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        while (true)
        {
            var pending = await db.Set<PendingWorkflowEvent>().AsNoTracking().OrderBy(e => e.Id).Take(200).ToListAsync(cancellationToken);
            if (pending.Count == 0)
            {
                return handled;
            }

            // Deleting is the claim: with several nodes each event is handled by the one whose DELETE returned it.
            var ids = string.Join(",", pending.Select(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            // The ids are numbers read from the table itself, never outside input.
            var sql = "DELETE FROM \"PendingWorkflowEvents\" WHERE \"Id\" IN (" + ids + ") RETURNING \"Id\" AS \"Value\"";
            var claimed = (await db.Database.SqlQueryRaw<long>(sql).ToListAsync(cancellationToken)).ToHashSet();
            var mine = pending.Where(row => claimed.Contains(row.Id))
                .Select(row => new WorkflowEvent(row.Name, row.CorrelationId, JsonSerializer.Deserialize<Dictionary<string, string?>>(row.DataJson) ?? [])).ToList();

            handled += mine.Count;
            await services.GetRequiredService<WorkflowEventHandler>().HandleAsync(mine, cancellationToken);
        }
    }

    private async Task<bool> AcquireAsync(string instanceId, CancellationToken cancellationToken)
    {
        var now = Now;
        var until = now + Lease;
        var me = node.Id;
        return await db.Set<WorkflowInstance>()
            .Where(i => i.Id == instanceId && (i.LeaseOwner == null || i.LeaseOwner == me || i.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LeaseOwner, me).SetProperty(i => i.LeaseUntilUtc, until), cancellationToken) == 1;
    }

    /// <summary>Executes the first scheduled activity and saves its effects in one transaction; the instance as saved (and whether it now waits), or null when it stopped (fault).</summary>
    private async Task<(WorkflowInstance Instance, bool Waits)?> ExecuteNextAsync(WorkflowInstance snapshot, List<ReadyActivity> ready, CancellationToken cancellationToken)
    {
        var graph = await catalog.GraphAsync(db, snapshot.VersionId, cancellationToken);
        var item = ready[0];
        var activityNode = graph.Find(item.ActivityId);
        if (activityNode is null || !Activities.TryGetValue(activityNode.Type, out var activity))
        {
            await FaultAsync(snapshot, item.ActivityId, $"版本 {snapshot.Version} 中没有活动「{item.ActivityId}」或其类型未启用。", cancellationToken);
            return null;
        }

        var started = Now;
        var variables = JsonNode.Parse(snapshot.VariablesJson)!.AsObject();
        var joins = JsonNode.Parse(snapshot.JoinsJson)!.AsObject();
        var before = db.ChangeTracker.Entries().Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // The snapshot is what this node holds the lease on; the concurrency stamp catches anyone who changed it since.
            var instance = snapshot;
            db.Attach(instance);
            var context = new ActivityContext(instance, graph, activityNode, variables, joins, variables["event"] as JsonObject, item, services, started);
            var result = await activity.ExecuteAsync(context, cancellationToken);
            if (db.Entry(instance).State == EntityState.Detached)
            {
                // An activity that cleared the change tracker (a refused case step discards its changes) must not
                // lose the instance's progress: untracked, the step would be saved but the instance not moved on,
                // and the same activity would run again and again.
                db.Attach(instance);
            }

            var now = Now;
            ready.RemoveAt(0);
            foreach (var outcome in result.Outcomes)
            {
                ready.AddRange(graph.Next(activityNode.Id, outcome).Select(to => new ReadyActivity(to, activityNode.Id, outcome)));
            }

            foreach (var request in result.Bookmarks)
            {
                db.Add(new WorkflowBookmark
                {
                    Id = request.Id,
                    InstanceId = instance.Id,
                    DefinitionName = instance.DefinitionName,
                    VersionId = instance.VersionId,
                    ActivityId = activityNode.Id,
                    Kind = request.Kind,
                    EventName = request.EventName,
                    CorrelationId = request.CorrelationId ?? instance.CorrelationId,
                    DueUtc = request.DueUtc,
                    DateField = request.DateField,
                    OffsetWorkingDays = request.OffsetWorkingDays,
                    Outcome = request.Outcome,
                    CreatedUtc = now,
                });
            }

            db.Add(new WorkflowStep
            {
                InstanceId = instance.Id,
                ActivityId = activityNode.Id,
                ActivityType = activityNode.Type,
                Outcome = result.Halted ? "(等待)" : string.Join(",", result.Outcomes),
                InputJson = new JsonObject { ["from"] = item.FromActivity, ["outcome"] = item.Outcome, ["props"] = activityNode.Props.DeepClone() }.ToJsonString(),
                OutputJson = result.Output?.ToJsonString(),
                StartedUtc = started,
                FinishedUtc = now,
            });
            instance.ReadyJson = JsonSerializer.Serialize(ready, WorkflowGraph.Json);
            instance.VariablesJson = variables.ToJsonString();
            instance.JoinsJson = joins.ToJsonString();
            instance.UpdatedUtc = now;
            instance.LeaseUntilUtc = now + Lease;
            instance.ConcurrencyStamp = Guid.NewGuid().ToString("N");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (instance, result.Halted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            Discard(before);
            var message = ex switch
            {
                WorkflowFaultException or Scripting.ScriptFaultException => ex.Message,
                DbUpdateConcurrencyException => "实例在执行时被其他节点修改，稍后重试。",
                _ => $"活动执行出错：{ex.GetType().Name}: {ex.Message}",
            };
            if (ex is not (WorkflowFaultException or Scripting.ScriptFaultException))
            {
                logger.LogWarning(ex, "Workflow instance {Instance} faulted at {Activity}.", snapshot.Id, activityNode.Id);
            }

            await FaultAsync(snapshot, activityNode.Id, message, CancellationToken.None);
            return null;
        }
        finally
        {
            await transaction.DisposeAsync();
            DetachAll();
        }
    }

    /// <summary>After the last scheduled activity: halted while anything waits, otherwise finished; false when the instance changed meanwhile.</summary>
    private async Task<bool> SettleAsync(WorkflowInstance snapshot, bool waitsNow, CancellationToken cancellationToken)
    {
        var waiting = waitsNow || await db.Set<WorkflowBookmark>().AnyAsync(b => b.InstanceId == snapshot.Id, cancellationToken);
        var status = waiting ? InstanceStatus.Halted : InstanceStatus.Finished;
        var now = Now;
        DateTime? finished = waiting ? null : now;
        var stamp = snapshot.ConcurrencyStamp;
        return await db.Set<WorkflowInstance>().Where(i => i.Id == snapshot.Id && i.ConcurrencyStamp == stamp && i.ReadyJson == "[]")
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, status).SetProperty(i => i.UpdatedUtc, now).SetProperty(i => i.FinishedUtc, finished), cancellationToken) == 1;
    }

    private async Task FaultAsync(WorkflowInstance snapshot, string activityId, string message, CancellationToken cancellationToken)
    {
        var now = Now;
        db.Add(new WorkflowIncident { InstanceId = snapshot.Id, ActivityId = activityId, Message = message, CreatedUtc = now });
        db.Add(new WorkflowStep { InstanceId = snapshot.Id, ActivityId = activityId, ActivityType = "fault", Error = message, StartedUtc = now, FinishedUtc = now });
        await db.SaveChangesAsync(cancellationToken);
        DetachAll();
        await db.Set<WorkflowInstance>().Where(i => i.Id == snapshot.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InstanceStatus.Faulted).SetProperty(i => i.UpdatedUtc, now), cancellationToken);
    }

    /// <summary>Retries a faulted instance from the activity that failed (the incident is resolved by <paramref name="user"/>).</summary>
    public async Task<bool> RetryAsync(string instanceId, string? user, CancellationToken cancellationToken)
    {
        var now = Now;
        var changed = await db.Set<WorkflowInstance>().Where(i => i.Id == instanceId && i.Status == InstanceStatus.Faulted)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InstanceStatus.Running).SetProperty(i => i.UpdatedUtc, now), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        await db.Set<WorkflowIncident>().Where(i => i.InstanceId == instanceId && i.ResolvedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ResolvedUtc, now).SetProperty(i => i.ResolvedBy, user), cancellationToken);
        await RunAsync(instanceId, cancellationToken);
        return true;
    }

    /// <summary>Stops an instance: its waits and open tasks are removed.</summary>
    public async Task CancelAsync(string instanceId, string? user, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now;
        await db.Set<WorkflowBookmark>().Where(b => b.InstanceId == instanceId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<WorkflowTask>().Where(t => t.InstanceId == instanceId && t.Status == Models.TaskStatus.Open).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, Models.TaskStatus.Cancelled), cancellationToken);
        await db.Set<WorkflowInstance>().Where(i => i.Id == instanceId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InstanceStatus.Cancelled).SetProperty(i => i.ReadyJson, "[]").SetProperty(i => i.FinishedUtc, now), cancellationToken);
        db.Add(new WorkflowStep { InstanceId = instanceId, ActivityId = "-", ActivityType = "cancelled", Outcome = user, StartedUtc = now, FinishedUtc = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        DetachAll();
    }

    public static List<ReadyActivity> ReadyOf(WorkflowInstance instance) =>
        JsonSerializer.Deserialize<List<ReadyActivity>>(instance.ReadyJson, WorkflowGraph.Json) ?? [];

    /// <summary>Forgets the runtime's own rows; entities the caller tracks stay tracked.</summary>
    private void DetachAll()
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is WorkflowInstance or WorkflowStep or WorkflowBookmark or WorkflowIncident or PendingWorkflowEvent).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>After a rolled-back activity: drops what it added and reloads what it changed, so nothing of it is saved later.</summary>
    private void Discard(HashSet<object> before)
    {
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (!before.Contains(entry.Entity) || entry.State == EntityState.Added)
            {
                entry.State = EntityState.Detached;
            }
            else if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                entry.Reload();
            }
        }
    }
}
