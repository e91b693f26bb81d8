using System.Text.Json.Nodes;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Activities;

/// <summary>Moves the correlated case by a lifecycle trigger through the case module (same rules and audit as a person).</summary>
public sealed class MoveCaseActivity : IWorkflowActivity
{
    public string Type => "MoveCase";

    public string Category => "case";

    public string DisplayName => "推进案件状态";

    public JsonObject Sample => new() { ["trigger"] = "SupplementOverdue", ["note"] = "补正期限届满，自动终止" };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["Done", "Refused"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (string.IsNullOrWhiteSpace(node.Text("trigger")))
        {
            result.Error("需要选择案件操作（trigger）。");
        }
        else if (!Verification.Cms.Workflows.WorkflowCaseSteps.Automatic.Contains(node.Text("trigger")!))
        {
            result.Error($"流程只能自动执行：{string.Join("、", Verification.Cms.Workflows.WorkflowCaseSteps.Automatic)}；「{node.Text("trigger")}」须由有相应岗位权限的工作人员办理。");
        }
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var cases = context.Cases ?? throw new WorkflowFaultException("未启用核对案件功能。");
        var caseId = context.CaseId ?? throw new WorkflowFaultException("流程实例没有关联案件。");
        var trigger = context.Activity.Text("trigger")!;

        var refusal = await cases.MoveAsync(caseId, trigger, context.Actor, context.Activity.Text("note"), cancellationToken);
        return refusal is null
            ? ActivityResult.Done(new JsonObject { ["trigger"] = trigger })
            : ActivityResult.Outcome("Refused", new JsonObject { ["trigger"] = trigger, ["refusal"] = refusal });
    }
}

/// <summary>Renders a letter from a Liquid template into the case's documents (kept with the case's notices).</summary>
public sealed class GenerateLetterActivity(WorkflowTemplates templates) : IWorkflowActivity
{
    public string Type => "GenerateLetter";

    public string Category => "case";

    public string DisplayName => "生成函件";

    public JsonObject Sample => new()
    {
        ["title"] = "入户调查通知",
        ["template"] = "<h1>入户调查通知</h1><p>案件 {{ caseInfo.number }}：经核对，需入户调查。</p>",
    };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["Done"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (string.IsNullOrWhiteSpace(node.Text("title")) || string.IsNullOrWhiteSpace(node.Text("template")))
        {
            result.Error("函件需要标题和 Liquid 模板。");
        }

        templates.Check(node, result, "title", "template");
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var cases = context.Cases ?? throw new WorkflowFaultException("未启用核对案件功能。");
        var caseId = context.CaseId ?? throw new WorkflowFaultException("流程实例没有关联案件。");
        var scope = await context.ScopeAsync(cancellationToken);
        var title = await templates.RenderTextAsync(context.Activity.Text("title")!, scope);
        var html = await templates.RenderHtmlAsync(context.Activity.Text("template")!, scope);
        var id = await cases.AddLetterAsync(caseId, title, html, context.Actor, cancellationToken);
        return ActivityResult.Done(new JsonObject { ["document"] = id, ["title"] = title });
    }
}
