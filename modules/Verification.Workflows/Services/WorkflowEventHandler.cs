using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Workflows;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>Starts the workflows an event starts, resumes the instances waiting for it, and moves timers tied to a case's dates.</summary>
public sealed class WorkflowEventHandler(TenantDbContext db, WorkflowCatalog catalog, WorkflowRuntime runtime, WorkflowTimers timers, IServiceProvider services)
{
    /// <summary>Events after which timers tied to a case's dates are recomputed (the case module raises it when a due date moves).</summary>
    private static readonly string[] CaseEvents = [WorkflowEventNames.CaseDatesChanged];

    public async Task<bool> AnyListenerAsync(IReadOnlyList<WorkflowEvent> events, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.SnapshotAsync(db, runtime.Activities, cancellationToken);
        return events.Any(e => snapshot.WaitEvents.Contains(e.Name) || (snapshot.HasDateTimers && CaseEvents.Contains(e.Name))
            || snapshot.Starts.Any(s => runtime.Activities[s.Node.Type] is IEventActivity a && a.EventName(s.Node) == e.Name));
    }

    public async Task HandleAsync(IReadOnlyList<WorkflowEvent> events, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.SnapshotAsync(db, runtime.Activities, cancellationToken);
        var names = events.Select(e => e.Name).Where(snapshot.WaitEvents.Contains).Distinct().ToList();
        var dated = snapshot.HasDateTimers ? events.Where(e => CaseEvents.Contains(e.Name) && e.CorrelationId is not null).Select(e => e.CorrelationId!).ToHashSet() : [];
        var correlations = events.Where(e => e.CorrelationId is not null && (names.Contains(e.Name) || dated.Contains(e.CorrelationId!))).Select(e => e.CorrelationId!).Distinct().ToList();
        foreach (var chunk in correlations.Chunk(500))
        {
            // One query per chunk finds both the waits for these events and the timers tied to these cases' dates.
            var bookmarks = await db.Set<WorkflowBookmark>().AsNoTracking()
                .Where(b => chunk.Contains(b.CorrelationId) && ((b.Kind == BookmarkKinds.Event && names.Contains(b.EventName!)) || (b.Kind == BookmarkKinds.Timer && b.DateField != null)))
                .ToListAsync(cancellationToken);
            await RecomputeDateTimersAsync(bookmarks.Where(b => b.Kind == BookmarkKinds.Timer && dated.Contains(b.CorrelationId!)).ToList(), cancellationToken);
            foreach (var bookmark in bookmarks.Where(b => b.Kind == BookmarkKinds.Event))
            {
                var graph = await catalog.GraphAsync(db, bookmark.VersionId, cancellationToken);
                var activityNode = graph.Find(bookmark.ActivityId);
                var match = events.FirstOrDefault(e => e.Name == bookmark.EventName && e.CorrelationId == bookmark.CorrelationId && activityNode is not null && runtime.Activities.TryGetValue(activityNode.Type, out var a) && a is IEventActivity ea && ea.Matches(activityNode, e));
                if (match is not null)
                {
                    await runtime.ResumeAsync(bookmark.Id, null, Data(match), null, cancellationToken);
                }
            }
        }

        foreach (var start in snapshot.Starts)
        {
            if (runtime.Activities[start.Node.Type] is not IEventActivity activity)
            {
                continue;
            }

            foreach (var e in events.Where(e => e.Name == activity.EventName(start.Node) && activity.Matches(start.Node, e)))
            {
                await runtime.StartAsync(start, e.CorrelationId, Data(e), cancellationToken);
            }
        }
    }

    /// <summary>Moves timers tied to a case's dates ("3 working days before dueOn") to the case's current dates.</summary>
    private async Task RecomputeDateTimersAsync(IReadOnlyList<WorkflowBookmark> timed, CancellationToken cancellationToken)
    {
        if (timed.Count == 0 || services.GetService<IWorkflowCaseOperations>() is not { } cases)
        {
            return;
        }

        foreach (var group in timed.GroupBy(b => b.CorrelationId!))
        {
            var facts = await cases.FactsAsync(group.Key, cancellationToken);
            foreach (var bookmark in group)
            {
                if (await timers.RecomputeAsync(bookmark, facts, cancellationToken) is { } due && due != bookmark.DueUtc)
                {
                    var id = bookmark.Id;
                    await db.Set<WorkflowBookmark>().Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.DueUtc, due), cancellationToken);
                }
            }
        }
    }

    private static JsonObject Data(WorkflowEvent e)
    {
        var data = new JsonObject { ["event"] = e.Name, ["correlationId"] = e.CorrelationId };
        foreach (var (key, value) in e.Data)
        {
            data[key] = value;
        }

        return data;
    }
}
