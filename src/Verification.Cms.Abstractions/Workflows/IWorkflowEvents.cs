namespace Verification.Cms.Workflows;

/// <summary>
/// Something happened that a workflow may start on or wait for. Modules raise events after
/// their change is saved; with the workflows feature off the platform's default ignores them.
/// </summary>
/// <param name="Name">One of <see cref="WorkflowEventNames"/>.</param>
/// <param name="CorrelationId">What the event is about (a case id, an entrustment id, a submission id); waiting instances match on it.</param>
/// <param name="Data">Facts of the event (state, service item, form …) that event activities filter on and workflows read as <c>input</c>.</param>
public sealed record WorkflowEvent(string Name, string? CorrelationId, IReadOnlyDictionary<string, string?> Data);

public interface IWorkflowEvents
{
    Task RaiseAsync(WorkflowEvent workflowEvent, CancellationToken cancellationToken);

    /// <summary>Raises several events (a batch step moved many cases) with one lookup of what listens.</summary>
    Task RaiseManyAsync(IReadOnlyList<WorkflowEvent> workflowEvents, CancellationToken cancellationToken);
}

public static class WorkflowEventNames
{
    public const string CaseStateChanged = "case.stateChanged";
    public const string CaseDatesChanged = "case.datesChanged";
    public const string EntrustmentReceived = "entrustment.received";
    public const string FormSubmitted = "form.submitted";
    public const string ContentPublished = "content.published";
    public const string ProviderQueryFailed = "exchange.queryFailed";
}

/// <summary>The default when no workflow feature is enabled: events go nowhere.</summary>
public sealed class NoWorkflowEvents : IWorkflowEvents
{
    public Task RaiseAsync(WorkflowEvent workflowEvent, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RaiseManyAsync(IReadOnlyList<WorkflowEvent> workflowEvents, CancellationToken cancellationToken) => Task.CompletedTask;
}
