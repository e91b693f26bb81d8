using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>Where a published version starts: one of its start activities.</summary>
public sealed record StartPoint(string DefinitionName, string VersionId, int Version, ActivityNode Node);

/// <summary>What the tenant's workflows listen to, rebuilt every few seconds or when this node publishes.</summary>
public sealed record WorkflowCatalogSnapshot(IReadOnlyList<StartPoint> Starts, IReadOnlySet<string> WaitEvents, bool HasDateTimers);

/// <summary>
/// Published versions parsed once (they never change) and the index of start activities and
/// awaited events, so raising an event nobody listens to costs no database round trip.
/// One per tenant (singleton in the tenant's container).
/// </summary>
public sealed class WorkflowCatalog(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, WorkflowGraph> _graphs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private WorkflowCatalogSnapshot? _snapshot;
    private DateTimeOffset _loaded;

    public void Invalidate() => _snapshot = null;

    public void Dispose() => _lock.Dispose();

    public async Task<WorkflowGraph> GraphAsync(TenantDbContext db, string versionId, CancellationToken cancellationToken)
    {
        if (_graphs.TryGetValue(versionId, out var graph))
        {
            return graph;
        }

        var json = await db.Set<WorkflowVersion>().AsNoTracking().Where(v => v.Id == versionId).Select(v => v.GraphJson).FirstAsync(cancellationToken);
        return _graphs.GetOrAdd(versionId, WorkflowGraph.Parse(json));
    }

    public async Task<WorkflowCatalogSnapshot> SnapshotAsync(TenantDbContext db, IReadOnlyDictionary<string, IWorkflowActivity> activities, CancellationToken cancellationToken)
    {
        if (_snapshot is { } current && time.GetUtcNow() - _loaded < MaxAge)
        {
            return current;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } again && time.GetUtcNow() - _loaded < MaxAge)
            {
                return again;
            }

            var definitions = await db.Set<WorkflowDefinition>().AsNoTracking().Where(d => d.Enabled && d.PublishedVersion != null).Select(d => new { d.Name, d.PublishedVersion }).ToListAsync(cancellationToken);
            var versions = await db.Set<WorkflowVersion>().AsNoTracking().Select(v => new { v.Id, v.DefinitionName, v.Version }).ToListAsync(cancellationToken);
            var starts = new List<StartPoint>();
            var waits = new HashSet<string>(StringComparer.Ordinal);
            var dateTimers = false;
            foreach (var version in versions)
            {
                var graph = await GraphAsync(db, version.Id, cancellationToken);
                var published = definitions.Any(d => d.Name == version.DefinitionName && d.PublishedVersion == version.Version);
                foreach (var node in graph.Activities)
                {
                    dateTimers |= (node.Type == TimerActivity.TypeName && node.Props["field"] is not null) || node.Props["timeout"]?["field"] is not null;
                    if (!activities.TryGetValue(node.Type, out var activity) || activity is not IEventActivity events)
                    {
                        continue;
                    }

                    if (graph.IsStart(node))
                    {
                        if (published)
                        {
                            starts.Add(new StartPoint(version.DefinitionName, version.Id, version.Version, node));
                        }
                    }
                    else
                    {
                        waits.Add(events.EventName(node));
                    }
                }
            }

            _snapshot = new WorkflowCatalogSnapshot(starts, waits, dateTimers);
            _loaded = time.GetUtcNow();
            return _snapshot;
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>This process's name in leases (several web nodes share one PostgreSQL database).</summary>
public sealed class WorkflowNode
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
}
