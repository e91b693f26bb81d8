using System.Globalization;
using System.Text.Json.Nodes;
using Verification.Workflows.Models;
using Verification.Workflows.Scripting;

namespace Verification.Workflows.Activities;

/// <summary>
/// A decision table edited as a grid: input columns (expressions over the case and variables),
/// rules whose cells test each input ("-" any, "&gt;= 100000", "&lt; 5", "[1..5]", "= aa", "!= aa",
/// "aa,ab"), and a result per rule. Hit policy "first" takes the first matching rule's result as
/// the outcome (or the default); "collect" gathers every matching result into a variable and goes
/// on by "Matched" or "NoMatch". The result is also stored in the variable named by "output".
/// </summary>
public sealed class DecisionTableActivity : IWorkflowActivity
{
    public string Type => "DecisionTable";

    public string Category => "control";

    public string DisplayName => "决策表";

    public JsonObject Sample => new()
    {
        ["hitPolicy"] = "first",
        ["inputs"] = new JsonArray(
            new JsonObject { ["label"] = "车辆价值", ["expression"] = "caseInfo.found['property.vehicle'] || 0" },
            new JsonObject { ["label"] = "存款", ["expression"] = "caseInfo.found['property.deposit'] || 0" }),
        ["rules"] = new JsonArray(
            new JsonObject { ["when"] = new JsonArray(">= 100000", "-"), ["result"] = "HomeVisit" },
            new JsonObject { ["when"] = new JsonArray("-", ">= 50000"), ["result"] = "HomeVisit" }),
        ["default"] = "NoVisit",
        ["output"] = "decision",
    };

    public IReadOnlyList<string> Outcomes(ActivityNode node)
    {
        if (Policy(node) == "collect")
        {
            return ["Matched", "NoMatch"];
        }

        var results = Rules(node).Select(r => r.Result).Append(node.Text("default") ?? "NoMatch").Where(r => r.Length > 0).Distinct().ToList();
        return results;
    }

    public void Validate(ActivityNode node, ValidationResult result)
    {
        if (Policy(node) is not ("first" or "collect"))
        {
            result.Error("命中策略只能是 first 或 collect。");
        }

        var inputs = Inputs(node);
        if (inputs.Count == 0)
        {
            result.Error("决策表至少需要一个输入列。");
        }

        var rules = Rules(node);
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].When.Count != inputs.Count)
            {
                result.Error($"第 {i + 1} 条规则有 {rules[i].When.Count} 个条件，应为 {inputs.Count} 个。");
            }

            foreach (var cell in rules[i].When.Where(c => !IsValidCell(c)))
            {
                result.Error($"第 {i + 1} 条规则的条件「{cell}」无法识别。");
            }

            if (Policy(node) == "first" && string.IsNullOrWhiteSpace(rules[i].Result))
            {
                result.Error($"第 {i + 1} 条规则没有结果。");
            }
        }
    }

    public async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var node = context.Activity;
        var scope = await context.ScopeAsync(cancellationToken);
        var values = Inputs(node).Select(i => ScriptSandbox.Evaluate(i.Expression, scope)).ToList();
        var matched = new List<int>();
        var rules = Rules(node);
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].When.Select((cell, c) => Test(cell, values[c])).All(ok => ok))
            {
                matched.Add(i);
                if (Policy(node) == "first")
                {
                    break;
                }
            }
        }

        var output = new JsonObject
        {
            ["inputs"] = new JsonArray(values.Select(v => v?.DeepClone()).ToArray()),
            ["matchedRules"] = new JsonArray(matched.Select(m => (JsonNode)(m + 1)).ToArray()),
        };
        var variable = node.Text("output");
        if (Policy(node) == "collect")
        {
            var results = new JsonArray(matched.Select(m => (JsonNode)rules[m].Result).ToArray());
            if (variable is { Length: > 0 })
            {
                context.Variables[variable] = results.DeepClone();
            }

            output["results"] = results;
            return ActivityResult.Outcome(matched.Count > 0 ? "Matched" : "NoMatch", output);
        }

        var outcome = matched.Count > 0 ? rules[matched[0]].Result : node.Text("default") ?? "NoMatch";
        if (variable is { Length: > 0 })
        {
            context.Variables[variable] = outcome;
        }

        output["result"] = outcome;
        return ActivityResult.Outcome(outcome, output);
    }

    private static string Policy(ActivityNode node) => node.Text("hitPolicy") ?? "first";

    private static List<(string Label, string Expression)> Inputs(ActivityNode node) =>
        (node.Props["inputs"] as JsonArray ?? []).OfType<JsonObject>().Select(i => (i["label"]?.GetValue<string>() ?? string.Empty, i["expression"]?.GetValue<string>() ?? "null")).ToList();

    private static List<(List<string> When, string Result)> Rules(ActivityNode node) =>
        (node.Props["rules"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(r => ((r["when"] as JsonArray ?? []).Select(c => c?.GetValue<string>() ?? "-").ToList(), r["result"]?.GetValue<string>() ?? string.Empty)).ToList();

    private static bool IsValidCell(string cell)
    {
        var c = cell.Trim();
        if (c is "" or "-")
        {
            return true;
        }

        foreach (var op in new[] { ">=", "<=", "!=", ">", "<" })
        {
            if (c.StartsWith(op, StringComparison.Ordinal))
            {
                return op == "!=" || Number(c[op.Length..]) is not null;
            }
        }

        return !c.StartsWith('[') || Range(c) is not null;
    }

    /// <summary>Whether a value passes a cell's test.</summary>
    public static bool Test(string cell, JsonNode? value)
    {
        var c = cell.Trim();
        if (c is "" or "-")
        {
            return true;
        }

        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? string.Empty;
        var number = value is JsonValue n && n.TryGetValue<double>(out var d) ? d : Number(text);
        foreach (var op in new[] { ">=", "<=", "!=", ">", "<", "=" })
        {
            if (!c.StartsWith(op, StringComparison.Ordinal))
            {
                continue;
            }

            var operand = c[op.Length..].Trim();
            if (op is "!=" or "=")
            {
                var equal = Number(operand) is { } o && number is { } x ? Math.Abs(o - x) < 1e-9 : string.Equals(operand, text, StringComparison.Ordinal);
                return op == "=" ? equal : !equal;
            }

            if (number is not { } val || Number(operand) is not { } limit)
            {
                return false;
            }

            return op switch { ">=" => val >= limit, "<=" => val <= limit, ">" => val > limit, _ => val < limit };
        }

        if (c.StartsWith('['))
        {
            return Range(c) is { } r && number is { } x && x >= r.Low && x <= r.High;
        }

        return c.Split([',', '，'], StringSplitOptions.TrimEntries).Contains(text, StringComparer.Ordinal);
    }

    private static double? Number(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static (double Low, double High)? Range(string cell)
    {
        var inner = cell.Trim().TrimStart('[').TrimEnd(']');
        var parts = inner.Split("..");
        return parts.Length == 2 && Number(parts[0]) is { } low && Number(parts[1]) is { } high ? (low, high) : null;
    }
}
