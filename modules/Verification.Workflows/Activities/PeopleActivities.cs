using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Calendar;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Workflows.Models;
using Verification.Workflows.Services;
using TaskStatus = Verification.Workflows.Models.TaskStatus;

namespace Verification.Workflows.Activities;

/// <summary>
/// A human task: assigned to a user, or to anyone of a role (in the case's org unit or a named
/// one), due in working days, with a reminder before the due date and escalation to a role after
/// it; the person claims it, may reassign it, and picks an outcome button (optionally filling a
/// form). The workflow waits until then (R-21: deadlines in working days).
/// </summary>
public sealed class HumanTaskActivity(WorkflowTemplates templates, IWorkingDayCalendar calendar, TimeProvider time) : IWorkflowActivity
{
    public string Type => "HumanTask";

    public string Category => "people";

    public string DisplayName => "人工任务";

    public JsonObject Sample => new()
    {
        ["title"] = "入户调查：{{ caseInfo.number }}",
        ["instructions"] = "请在期限内完成入户调查并选择结果。",
        ["assignRole"] = "核对员",
        ["orgUnit"] = "case",
        ["dueWorkingDays"] = 5,
        ["remindWorkingDaysBefore"] = 1,
        ["escalateToRole"] = "核对机构负责人",
        ["outcomes"] = new JsonArray("已完成", "无法入户"),
    };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => node.List("outcomes");

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (string.IsNullOrWhiteSpace(node.Text("title")))
        {
            result.Error("任务需要标题。");
        }

        if (string.IsNullOrWhiteSpace(node.Text("assignUser")) && string.IsNullOrWhiteSpace(node.Text("assignRole")))
        {
            result.Error("任务需要指派给用户或角色。");
        }

        if (node.List("outcomes").Count == 0)
        {
            result.Error("任务至少需要一个结果按钮。");
        }

        if (node.Props["dueWorkingDays"] is not null && node.Number("dueWorkingDays") is not > 0)
        {
            result.Error("办理期限须为正的工作日数。");
        }

        templates.Check(node, result, "title", "instructions");
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var node = context.Activity;
        var scope = await context.ScopeAsync(cancellationToken);
        var today = CmsTime.Today(time);
        DateOnly? due = node.Number("dueWorkingDays") is { } days ? await calendar.AddWorkingDaysAsync(today, days, cancellationToken) : null;
        DateOnly? remind = due is { } d && node.Number("remindWorkingDaysBefore") is { } before and > 0 ? await calendar.AddWorkingDaysAsync(d, -before, cancellationToken) : null;
        var orgUnit = ActivityContext.OrgUnit(node, scope);
        var bookmark = new BookmarkRequest(BookmarkKinds.Task);
        var task = new WorkflowTask
        {
            Id = Guid.NewGuid().ToString("N"),
            InstanceId = context.Instance.Id,
            ActivityId = node.Id,
            BookmarkId = bookmark.Id,
            CaseId = context.CaseId,
            Title = await templates.RenderTextAsync(node.Text("title")!, scope),
            Instructions = node.Text("instructions") is { Length: > 0 } i ? await templates.RenderTextAsync(i, scope) : null,
            AssignedUser = node.Text("assignUser") is { Length: > 0 } u ? u : null,
            AssignedRole = node.Text("assignRole") is { Length: > 0 } r ? r : null,
            OrgUnit = orgUnit,
            Outcomes = string.Join('|', node.List("outcomes")),
            FormName = node.Text("form") is { Length: > 0 } f ? f : null,
            DueOn = due,
            RemindOn = remind,
            EscalateToRole = node.Text("escalateToRole") is { Length: > 0 } e ? e : null,
            Status = TaskStatus.Open,
            CreatedUtc = context.NowUtc,
        };
        context.Services.GetRequiredService<TenantDbContext>().Add(task);
        await context.Services.GetRequiredService<NotificationService>().NotifyAsync(task.AssignedUser, task.AssignedUser is null ? task.AssignedRole : null, task.AssignedUser is null ? orgUnit : null, "新任务：" + task.Title, task.Instructions, "tasks/" + task.Id, context.Instance.Id, byEmail: false, cancellationToken);
        return ActivityResult.Halt(new JsonObject { ["task"] = task.Id, ["title"] = task.Title, ["dueOn"] = due?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }, bookmark);
    }
}

/// <summary>Sends an in-app notification (and e-mail if asked) to a user or to a role, texts from Liquid.</summary>
public sealed class NotifyActivity(WorkflowTemplates templates) : IWorkflowActivity
{
    public string Type => "Notify";

    public string Category => "people";

    public string DisplayName => "发送通知";

    public JsonObject Sample => new() { ["toRole"] = "核对员", ["orgUnit"] = "case", ["title"] = "案件 {{ caseInfo.number }} 还有 3 个工作日到期", ["body"] = "到期日：{{ caseInfo.dueOn }}", ["email"] = false };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["Done"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (string.IsNullOrWhiteSpace(node.Text("toUser")) && string.IsNullOrWhiteSpace(node.Text("toRole")))
        {
            result.Error("通知需要接收用户或角色。");
        }

        if (string.IsNullOrWhiteSpace(node.Text("title")))
        {
            result.Error("通知需要标题。");
        }

        templates.Check(node, result, "title", "body");
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var node = context.Activity;
        var scope = await context.ScopeAsync(cancellationToken);
        var title = await templates.RenderTextAsync(node.Text("title")!, scope);
        var body = node.Text("body") is { Length: > 0 } b ? await templates.RenderTextAsync(b, scope) : null;
        var orgUnit = ActivityContext.OrgUnit(node, scope);
        var user = node.Text("toUser") is { Length: > 0 } u ? u : null;
        var role = node.Text("toRole") is { Length: > 0 } r ? r : null;
        var byEmail = node.Props["email"] is JsonValue e && e.TryGetValue<bool>(out var yes) && yes;
        var link = context.CaseId is { } caseId ? "cases/" + caseId : null;
        var mailed = await context.Services.GetRequiredService<NotificationService>().NotifyAsync(user, role, orgUnit, title, body, link, context.Instance.Id, byEmail, cancellationToken);
        return ActivityResult.Done(new JsonObject { ["title"] = title, ["toUser"] = user, ["toRole"] = role, ["orgUnit"] = orgUnit, ["emails"] = mailed });
    }
}
