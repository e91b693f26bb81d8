using System.Text.Json.Nodes;
using Verification.Workflows.Models;
using Verification.Workflows.Scripting;

namespace Verification.Workflows.Activities;

/// <summary>If/else on a script condition (sandboxed JavaScript over variables, input, case, today).</summary>
public sealed class IfElseActivity : IWorkflowActivity
{
    public string Type => "IfElse";

    public string Category => "control";

    public string DisplayName => "条件判断";

    public JsonObject Sample => new() { ["condition"] = "caseInfo.serviceItem === 'aa'" };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["True", "False"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (string.IsNullOrWhiteSpace(node.Text("condition")))
        {
            result.Error("需要条件表达式。");
        }
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var value = ScriptSandbox.Evaluate(context.Activity.Text("condition")!, await context.ScopeAsync(cancellationToken));
        return ActivityResult.Outcome(ScriptSandbox.IsTruthy(value) ? "True" : "False", new JsonObject { ["value"] = value?.DeepClone() });
    }
}

/// <summary>
/// A script (function body) that may change <c>variables</c> and returns the name of the outcome
/// to take (one of "outcomes"); the same sandbox as conditions.
/// </summary>
public sealed class ScriptActivity : IWorkflowActivity
{
    public string Type => "Script";

    public string Category => "control";

    public string DisplayName => "脚本";

    public JsonObject Sample => new() { ["script"] = "variables.total = (caseInfo.found['property.deposit'] || 0);\nreturn variables.total > 50000 ? 'High' : 'Low';", ["outcomes"] = new JsonArray("High", "Low") };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => node.List("outcomes") is { Count: > 0 } o ? o : ["Done"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (string.IsNullOrWhiteSpace(node.Text("script")))
        {
            result.Error("需要脚本。");
        }
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var (value, variables) = ScriptSandbox.RunBody(context.Activity.Text("script")!, await context.ScopeAsync(cancellationToken));
        if (variables is not null)
        {
            foreach (var (name, node) in variables)
            {
                context.Variables[name] = node?.DeepClone();
            }

            context.ScopeChanged();
        }

        var outcomes = Outcomes(context.Activity);
        var outcome = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : "Done";
        if (!outcomes.Contains(outcome))
        {
            throw new WorkflowFaultException($"脚本返回了「{outcome}」，不是设定的结果之一（{string.Join("、", outcomes)}）。");
        }

        return ActivityResult.Outcome(outcome, new JsonObject { ["returned"] = value?.DeepClone() });
    }
}

/// <summary>Sets a variable of the instance to the value of an expression.</summary>
public sealed class SetVariableActivity : IWorkflowActivity
{
    public string Type => "SetVariable";

    public string Category => "control";

    public string DisplayName => "设置字段";

    public JsonObject Sample => new() { ["name"] = "reviewRound", ["value"] = "(variables.reviewRound || 0) + 1" };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["Done"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (node.Text("name") is not { Length: > 0 } name || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || name == "input")
        {
            result.Error("字段名只能用字母、数字和下划线（不能是 input）。");
        }

        if (string.IsNullOrWhiteSpace(node.Text("value")))
        {
            result.Error("需要取值表达式。");
        }
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var value = ScriptSandbox.Evaluate(context.Activity.Text("value")!, await context.ScopeAsync(cancellationToken));
        context.Variables[context.Activity.Text("name")!] = value?.DeepClone();
        context.ScopeChanged();
        return ActivityResult.Done(new JsonObject { [context.Activity.Text("name")!] = value?.DeepClone() });
    }
}

/// <summary>Runs several branches at once (each named outcome).</summary>
public sealed class ForkActivity : IWorkflowActivity
{
    public string Type => "Fork";

    public string Category => "control";

    public string DisplayName => "并行分支";

    public JsonObject Sample => new() { ["branches"] = new JsonArray("A", "B") };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => node.List("branches");

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (node.List("branches").Count < 2)
        {
            result.Error("并行分支至少需要两个分支名。");
        }
    }

    public Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ActivityResult.Many(Outcomes(context.Activity)));
}

/// <summary>Waits until every incoming branch has arrived ("all") or the first one ("any").</summary>
public sealed class JoinActivity : IWorkflowActivity
{
    public string Type => "Join";

    public string Category => "control";

    public string DisplayName => "汇合";

    public JsonObject Sample => new() { ["mode"] = "all" };

    public IReadOnlyList<string> Outcomes(ActivityNode node) => ["Done"];

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (node.Text("mode") is { } mode && mode is not ("all" or "any"))
        {
            result.Error("汇合方式只能是 all 或 any。");
        }
    }

    public Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var id = context.Activity.Id;
        var arrived = context.Joins[id] as JsonArray ?? [];
        if (arrived.Count == 1 && arrived[0]?.GetValue<string>() == "*done")
        {
            // "any" already went on; later branches end here.
            return Task.FromResult(ActivityResult.Many([], new JsonObject { ["late"] = context.Ready.FromActivity }));
        }

        if (context.Ready.FromActivity is { } from && !arrived.Any(a => a?.GetValue<string>() == from))
        {
            arrived.Add(from);
        }

        var expected = context.Graph.Incoming(id).Select(t => t.From).Distinct().ToList();
        var all = (context.Activity.Text("mode") ?? "all") == "all";
        var complete = all ? expected.All(e => arrived.Any(a => a?.GetValue<string>() == e)) : arrived.Count > 0;
        if (!complete)
        {
            context.Joins[id] = arrived;
            return Task.FromResult(ActivityResult.Many([], new JsonObject { ["arrived"] = arrived.DeepClone(), ["expected"] = new JsonArray(expected.Select(e => (JsonNode)e).ToArray()) }));
        }

        context.Joins[id] = all ? null : new JsonArray("*done");
        if (all)
        {
            context.Joins.Remove(id);
        }

        return Task.FromResult(ActivityResult.Done(new JsonObject { ["arrived"] = arrived.DeepClone() }));
    }
}
