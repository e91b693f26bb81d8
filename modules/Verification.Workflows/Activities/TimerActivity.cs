using System.Text.Json.Nodes;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Activities;

/// <summary>
/// A timer. As a start: a cron schedule in Beijing time ({"cron": "0 9 1 3 *"}) that starts an
/// instance each time. Inside a workflow: waits N working days from now, or until N working days
/// before/after a date of the case ({"workingDays": -3, "field": "dueOn", "at": "09:00"}).
/// </summary>
public sealed class TimerActivity(WorkflowTimers timers) : IWorkflowActivity
{
    public const string TypeName = "Timer";

    public string Type => TypeName;

    public string Category => "events";

    public string DisplayName => "定时（工作日）";

    public JsonObject Sample => new() { ["workingDays"] = 3, ["field"] = "dueOn", ["at"] = "09:00" };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["Done"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (node.Props["cron"] is not null)
        {
            WorkflowTimers.ValidateCron(node.Text("cron"), result);
        }
        else
        {
            timers.ValidateRelative(node, null, result, required: true);
        }
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        if (context.Activity.Text("cron") is { Length: > 0 } cron)
        {
            var next = WorkflowTimers.NextCron(cron, context.NowUtc) ?? throw new WorkflowFaultException("cron 表达式没有下一次时间。");
            return ActivityResult.Halt(new JsonObject { ["dueUtc"] = next }, new BookmarkRequest(BookmarkKinds.Timer) { DueUtc = next });
        }

        var timer = await timers.RelativeAsync(context, null, "Done", cancellationToken);
        return ActivityResult.Halt(new JsonObject { ["dueUtc"] = timer.DueUtc, ["field"] = timer.DateField }, timer);
    }
}
