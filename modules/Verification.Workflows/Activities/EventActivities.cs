using System.Text.Json.Nodes;
using Verification.Cms.Workflows;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Activities;

/// <summary>
/// Shared behaviour of event activities: as a start they create an instance when their event
/// matches; placed after other activities they make the instance wait for the event about the
/// same case (correlation), optionally with a deadline in working days ("TimedOut").
/// </summary>
public abstract class EventActivity(WorkflowTimers timers) : IEventActivity
{
    public abstract string Type { get; }

    public string Category => "events";

    public abstract string DisplayName { get; }

    public abstract JsonObject Sample { get; }

    public abstract string EventName(ActivityNode node);

    public IReadOnlyList<string> Outcomes(ActivityNode node) => HasDeadline(node) ? ["Done", "TimedOut"] : ["Done"];

    public virtual void Validate(ActivityNode node, ValidationResult result) => timers.ValidateRelative(node, "timeout", result, required: false);

    public abstract bool Matches(ActivityNode node, WorkflowEvent workflowEvent);

    public virtual async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var wait = new BookmarkRequest(BookmarkKinds.Event) { EventName = EventName(context.Activity), CorrelationId = WaitCorrelation(context) };
        if (!HasDeadline(context.Activity))
        {
            return ActivityResult.Halt(new JsonObject { ["waitingFor"] = wait.EventName }, wait);
        }

        var deadline = await timers.RelativeAsync(context, "timeout", "TimedOut", cancellationToken);
        return ActivityResult.Halt(new JsonObject { ["waitingFor"] = wait.EventName, ["deadline"] = deadline.DueUtc }, wait, deadline);
    }

    protected virtual string? WaitCorrelation(ActivityContext context) => context.Instance.CorrelationId;

    private static bool HasDeadline(ActivityNode node) => node.Props["timeout"] is JsonObject;

    protected static bool Is(ActivityNode node, string prop, WorkflowEvent e, string key) =>
        node.Text(prop) is not { Length: > 0 } wanted || wanted.Split([',', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(e.Data.GetValueOrDefault(key), StringComparer.Ordinal);
}

/// <summary>A case moved (to a state, optionally from one, for a service item).</summary>
public sealed class CaseStateChangedEvent(WorkflowTimers timers) : EventActivity(timers)
{
    public override string Type => "CaseStateChanged";

    public override string DisplayName => "案件状态变化";

    public override JsonObject Sample => new() { ["to"] = "Accepted", ["from"] = "", ["serviceItem"] = "" };

    public override string EventName(ActivityNode node) => WorkflowEventNames.CaseStateChanged;

    public override bool Matches(ActivityNode node, WorkflowEvent workflowEvent) => Is(node, "to", workflowEvent, "to") && Is(node, "from", workflowEvent, "from") && Is(node, "serviceItem", workflowEvent, "serviceItem");
}

public sealed class EntrustmentReceivedEvent(WorkflowTimers timers) : EventActivity(timers)
{
    public override string Type => "EntrustmentReceived";

    public override string DisplayName => "收到委托";

    public override JsonObject Sample => new() { ["serviceItem"] = "", ["department"] = "" };

    public override string EventName(ActivityNode node) => WorkflowEventNames.EntrustmentReceived;

    public override bool Matches(ActivityNode node, WorkflowEvent workflowEvent) => Is(node, "serviceItem", workflowEvent, "serviceItem") && Is(node, "department", workflowEvent, "department");
}

public sealed class FormSubmittedEvent(WorkflowTimers timers) : EventActivity(timers)
{
    public override string Type => "FormSubmitted";

    public override string DisplayName => "表单提交";

    public override JsonObject Sample => new() { ["form"] = "household-declaration" };

    public override string EventName(ActivityNode node) => WorkflowEventNames.FormSubmitted;

    public override bool Matches(ActivityNode node, WorkflowEvent workflowEvent) => Is(node, "form", workflowEvent, "form");
}

public sealed class ContentPublishedEvent(WorkflowTimers timers) : EventActivity(timers)
{
    public override string Type => "ContentPublished";

    public override string DisplayName => "内容发布";

    public override JsonObject Sample => new() { ["contentType"] = "" };

    public override string EventName(ActivityNode node) => WorkflowEventNames.ContentPublished;

    public override bool Matches(ActivityNode node, WorkflowEvent workflowEvent) => Is(node, "contentType", workflowEvent, "contentType");
}

/// <summary>A provider query ended unanswered or refused (R-5: staff follow up by hand).</summary>
public sealed class ProviderQueryFailedEvent(WorkflowTimers timers) : EventActivity(timers)
{
    public override string Type => "ProviderQueryFailed";

    public override string DisplayName => "数据查询失败";

    public override JsonObject Sample => new() { ["provider"] = "" };

    public override string EventName(ActivityNode node) => WorkflowEventNames.ProviderQueryFailed;

    public override bool Matches(ActivityNode node, WorkflowEvent workflowEvent) => Is(node, "provider", workflowEvent, "provider");
}

/// <summary>
/// A signal over HTTP: POST /api/workflows/signal/{signal} with the instance's token resumes a
/// waiting instance; as a start, a token of the definition starts one.
/// </summary>
public sealed class SignalEvent(WorkflowTimers timers) : EventActivity(timers)
{
    public const string Name = "signal";

    public override string Type => "Signal";

    public override string DisplayName => "外部信号";

    public override JsonObject Sample => new() { ["signal"] = "home-visit-done" };

    public override string EventName(ActivityNode node) => Name;

    public override void Validate(ActivityNode node, ValidationResult result)
    {
        base.Validate(node, result);
        if (node.Text("signal") is not { Length: > 0 } s || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            result.Error("需要信号名称（字母、数字、- 或 _）。");
        }
    }

    public override bool Matches(ActivityNode node, WorkflowEvent workflowEvent) => Is(node, "signal", workflowEvent, "signal");

    protected override string? WaitCorrelation(ActivityContext context) => context.Instance.Id;
}

/// <summary>Started by a person from the workflow page (optionally for a case).</summary>
public sealed class ManualStartEvent(WorkflowTimers timers) : EventActivity(timers)
{
    public const string Name = "manual";

    public override string Type => "ManualStart";

    public override string DisplayName => "手动启动";

    public override JsonObject Sample => [];

    public override string EventName(ActivityNode node) => Name;

    public override bool Matches(ActivityNode node, WorkflowEvent workflowEvent) => workflowEvent.Name == Name;
}
