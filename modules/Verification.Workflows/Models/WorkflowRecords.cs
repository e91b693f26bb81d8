namespace Verification.Workflows.Models;

/// <summary>A workflow by name: its editable draft and which published version new instances start on.</summary>
public sealed class WorkflowDefinition
{
    public required string Name { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>The graph being edited (JSON of <see cref="WorkflowGraph"/>); published versions are copies and never change.</summary>
    public required string DraftJson { get; set; }

    /// <summary>The version new instances start on; null until the first publication.</summary>
    public int? PublishedVersion { get; set; }

    /// <summary>Disabled definitions start nothing; running instances continue.</summary>
    public bool Enabled { get; set; } = true;

    public DateTime UpdatedUtc { get; set; }

    public string? UpdatedBy { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>A published, immutable version of a definition; instances are pinned to one .</summary>
public sealed class WorkflowVersion
{
    public required string Id { get; set; }

    public required string DefinitionName { get; set; }

    public int Version { get; set; }

    public required string GraphJson { get; set; }

    public DateTime PublishedUtc { get; set; }

    public string? PublishedBy { get; set; }

    public string? Note { get; set; }
}

public static class InstanceStatus
{
    public const string Running = "running";
    public const string Halted = "halted";
    public const string Finished = "finished";
    public const string Faulted = "faulted";
    public const string Cancelled = "cancelled";
}

/// <summary>One run of a workflow version, usually correlated to a case.</summary>
public sealed class WorkflowInstance
{
    public required string Id { get; set; }

    public required string DefinitionName { get; set; }

    public required string VersionId { get; set; }

    public int Version { get; set; }

    public string? CorrelationId { get; set; }

    public required string Status { get; set; }

    /// <summary>The instance's variables (JSON object); <c>input</c> holds the starting event's data.</summary>
    public string VariablesJson { get; set; } = "{}";

    /// <summary>Activities scheduled and not yet executed (JSON array of <see cref="ReadyActivity"/>), persisted so a crash resumes where it stopped.</summary>
    public string ReadyJson { get; set; } = "[]";

    /// <summary>For join activities: the incoming transitions that have arrived (JSON object activity → sources).</summary>
    public string JoinsJson { get; set; } = "{}";

    /// <summary>The node executing the instance and until when (several web nodes, R-1.4 durable runtime).</summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntilUtc { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    public DateTime? FinishedUtc { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>An activity waiting to run, with the outcome-named transition that led to it.</summary>
public sealed record ReadyActivity(string ActivityId, string? FromActivity = null, string? Outcome = null);

public static class BookmarkKinds
{
    public const string Event = "event";
    public const string Timer = "timer";
    public const string Task = "task";

    /// <summary>A cron schedule that starts instances of a published version (no instance yet).</summary>
    public const string StartTimer = "start-timer";
}

/// <summary>Where an instance is halted: waiting for an event, a timer or a person's task.</summary>
public sealed class WorkflowBookmark
{
    public required string Id { get; set; }

    /// <summary>Null for a start timer.</summary>
    public string? InstanceId { get; set; }

    public required string DefinitionName { get; set; }

    public required string VersionId { get; set; }

    public required string ActivityId { get; set; }

    public required string Kind { get; set; }

    public string? EventName { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>For timers: when it fires (UTC).</summary>
    public DateTime? DueUtc { get; set; }

    /// <summary>For timers relative to a case date ("3 working days before dueOn"): the date field, recomputed when that date changes.</summary>
    public string? DateField { get; set; }

    public int? OffsetWorkingDays { get; set; }

    /// <summary>The outcome taken when this bookmark fires (an event wait with a deadline has two: Done and TimedOut).</summary>
    public string Outcome { get; set; } = "Done";

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntilUtc { get; set; }

    public DateTime CreatedUtc { get; set; }
}

/// <summary>One executed activity on an instance's timeline: its inputs, the branch taken and its outputs.</summary>
public sealed class WorkflowStep
{
    public long Id { get; set; }

    public required string InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string ActivityType { get; set; }

    public string? Outcome { get; set; }

    public string? InputJson { get; set; }

    public string? OutputJson { get; set; }

    public string? Error { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime FinishedUtc { get; set; }
}

/// <summary>A fault of an activity: the instance stops there until someone retries it.</summary>
public sealed class WorkflowIncident
{
    public long Id { get; set; }

    public required string InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string Message { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime? ResolvedUtc { get; set; }

    public string? ResolvedBy { get; set; }
}

public static class TaskStatus
{
    public const string Open = "open";
    public const string Done = "done";
    public const string Cancelled = "cancelled";
}

/// <summary>A human task: a person (or anyone of a role or org unit) chooses an outcome by a due date in working days.</summary>
public sealed class WorkflowTask
{
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string BookmarkId { get; set; }

    public string? CaseId { get; set; }

    public required string Title { get; set; }

    public string? Instructions { get; set; }

    public string? AssignedUser { get; set; }

    public string? AssignedRole { get; set; }

    public string? OrgUnit { get; set; }

    /// <summary>Outcome buttons, separated by '|'.</summary>
    public required string Outcomes { get; set; }

    /// <summary>A published form the person fills in with the outcome (optional).</summary>
    public string? FormName { get; set; }

    public DateOnly? DueOn { get; set; }

    public DateOnly? RemindOn { get; set; }

    public bool Reminded { get; set; }

    /// <summary>Role that receives the task when it is overdue.</summary>
    public string? EscalateToRole { get; set; }

    public bool Escalated { get; set; }

    public string? ClaimedBy { get; set; }

    public required string Status { get; set; }

    public string? Outcome { get; set; }

    public string? Comment { get; set; }

    public string? CompletedBy { get; set; }

    public DateTime? CompletedUtc { get; set; }

    public DateTime CreatedUtc { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>An in-app message to a user, or to everyone holding a role (in an org unit).</summary>
public sealed class Notification
{
    public long Id { get; set; }

    public string? UserName { get; set; }

    public string? Role { get; set; }

    public string? OrgUnit { get; set; }

    public required string Title { get; set; }

    public string? Body { get; set; }

    public string? Link { get; set; }

    public string? InstanceId { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime? ReadUtc { get; set; }
}

/// <summary>
/// An event raised inside a database transaction, kept in the same transaction (an outbox) and
/// handled once it committed — by the runtime right after its own step, or by the background round.
/// </summary>
public sealed class PendingWorkflowEvent
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string? CorrelationId { get; set; }

    public required string DataJson { get; set; }

    public DateTime CreatedUtc { get; set; }
}
