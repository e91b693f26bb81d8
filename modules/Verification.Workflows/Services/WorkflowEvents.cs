using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Workflows;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>
/// The platform's <see cref="IWorkflowEvents"/> with workflows enabled. Raised outside a
/// transaction, events are handled at once; inside one (a roster received in one transaction, a
/// workflow moving a case) they are written to the outbox in that transaction and handled after
/// it commits, so an event is never lost and never seen for a change that was rolled back. Large
/// bursts (a batch step moving thousands of cases) also go through the outbox.
/// </summary>
public sealed class WorkflowEvents(TenantDbContext db, IServiceProvider services, WorkflowOutboxCounter outbox, TimeProvider time) : IWorkflowEvents
{
    /// <summary>More events than this at once (a batch step) go through the outbox to the background round, so the step is not held up.</summary>
    public const int InlineLimit = 50;

    public Task RaiseAsync(WorkflowEvent workflowEvent, CancellationToken cancellationToken) => RaiseManyAsync([workflowEvent], cancellationToken);

    public async Task RaiseManyAsync(IReadOnlyList<WorkflowEvent> workflowEvents, CancellationToken cancellationToken)
    {
        if (workflowEvents.Count == 0)
        {
            return;
        }

        var handler = services.GetRequiredService<WorkflowEventHandler>();
        if (!await handler.AnyListenerAsync(workflowEvents, cancellationToken))
        {
            return;
        }

        if (db.Database.CurrentTransaction is null && workflowEvents.Count <= InlineLimit)
        {
            await handler.HandleAsync(workflowEvents, cancellationToken);
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        outbox.Written += workflowEvents.Count;
        await BulkInsert.InsertAsync(db, workflowEvents.Select(e => new PendingWorkflowEvent { Name = e.Name, CorrelationId = e.CorrelationId, DataJson = JsonSerializer.Serialize(e.Data), CreatedUtc = now }).ToList(), cancellationToken);
    }
}

/// <summary>How many events this scope wrote to the outbox (the runtime drains it only after an activity that wrote some).</summary>
public sealed class WorkflowOutboxCounter
{
    public int Written { get; set; }
}
