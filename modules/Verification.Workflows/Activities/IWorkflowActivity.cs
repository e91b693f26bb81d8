using System.Text.Json.Nodes;
using Verification.Cms.Workflows;
using Verification.Workflows.Models;

namespace Verification.Workflows.Activities;

/// <summary>
/// One kind of step a workflow can take (Orchard's activity). Features register theirs as
/// singletons; the designer lists them by <see cref="Category"/>. Implementations keep no state:
/// everything they need is in the <see cref="ActivityContext"/>.
/// </summary>
public interface IWorkflowActivity
{
    string Type { get; }

    /// <summary>Designer group: events, control, case, people, integration.</summary>
    string Category { get; }

    /// <summary>Chinese name shown in the designer's palette.</summary>
    string DisplayName { get; }

    /// <summary>The properties this kind takes, as a sample the designer pre-fills.</summary>
    JsonObject Sample { get; }

    /// <summary>The outcomes this activity can take with these properties (transition names).</summary>
    IReadOnlyList<string> Outcomes(ActivityNode node);

    /// <summary>Problems with the properties, reported before publication.</summary>
    void Validate(ActivityNode node, ValidationResult result);

    Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken);
}

/// <summary>An activity that reacts to a <see cref="WorkflowEvent"/>: it starts a workflow or, placed after other activities, makes it wait.</summary>
public interface IEventActivity : IWorkflowActivity
{
    string EventName(ActivityNode node);

    bool Matches(ActivityNode node, WorkflowEvent workflowEvent);
}

public sealed class ValidationResult
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    public string? CurrentActivity { get; set; }

    public void Error(string message) => _errors.Add(CurrentActivity is null ? message : $"「{CurrentActivity}」{message}");
}

/// <summary>What an activity asks the runtime to keep: a wait for an event, a timer or a person's task.</summary>
public sealed record BookmarkRequest(string Kind, string Outcome = "Done")
{
    public string Id { get; init; } = Guid.NewGuid().ToString("N");

    public string? EventName { get; init; }

    public string? CorrelationId { get; init; }

    public DateTime? DueUtc { get; init; }

    public string? DateField { get; init; }

    public int? OffsetWorkingDays { get; init; }
}

/// <summary>The outcomes taken (none when halted), what to wait for, and what to show on the timeline.</summary>
public sealed record ActivityResult(IReadOnlyList<string> Outcomes, IReadOnlyList<BookmarkRequest> Bookmarks, JsonNode? Output)
{
    public static ActivityResult Done(JsonNode? output = null) => new(["Done"], [], output);

    public static ActivityResult Outcome(string outcome, JsonNode? output = null) => new([outcome], [], output);

    public static ActivityResult Many(IReadOnlyList<string> outcomes, JsonNode? output = null) => new(outcomes, [], output);

    public static ActivityResult Halt(JsonNode? output, params BookmarkRequest[] bookmarks) => new([], bookmarks, output);

    public bool Halted => Bookmarks.Count > 0;
}

/// <summary>An activity refused to run with its properties or data (shown on the incident in Chinese).</summary>
public sealed class WorkflowFaultException(string message) : Exception(message);
