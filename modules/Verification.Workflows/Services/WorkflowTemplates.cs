using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verification.Cms.Liquid;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>Liquid in workflow activities (notification texts, letters, HTTP bodies) over the activity's scope.</summary>
public sealed class WorkflowTemplates(LiquidRenderer liquid)
{
    /// <summary>HTML (every value encoded; the template's own markup kept) for letters.</summary>
    public async Task<string> RenderHtmlAsync(string source, JsonObject scope)
    {
        try
        {
            return await liquid.RenderSourceAsync(source, scope.ToDictionary(p => p.Key, p => ToModel(p.Value)));
        }
        catch (LiquidRenderException ex)
        {
            // Checked when the workflow was saved; checked again here, where it became an incident instead of a crash.
            throw new WorkflowFaultException("Liquid 模板有误：" + ex.Message);
        }
    }

    /// <summary>Reports each named property that holds Liquid which does not parse (within the renderer's bounds), when the workflow is saved.</summary>
    public void Check(ActivityNode node, ValidationResult result, params string[] properties)
    {
        foreach (var property in properties)
        {
            if (node.Text(property) is { Length: > 0 } source && !liquid.TryParse(source, out _, out var error))
            {
                result.Error($"属性「{property}」的 Liquid 模板有误：{error}");
            }
        }
    }

    /// <summary>Plain text (titles, message bodies, HTTP bodies).</summary>
    public async Task<string> RenderTextAsync(string source, JsonObject scope) => WebUtility.HtmlDecode(await RenderHtmlAsync(source, scope));

    /// <summary>JSON as plain dictionaries, lists and values, which Liquid reads by member name.</summary>
    public static object? ToModel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToModel(p.Value)),
        JsonArray a => a.Select(ToModel).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => Number(v),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        },
        _ => null,
    };

    /// <summary>Whole numbers as integers (so "{{ variables.y }}" prints 20, not 20.0), others as decimals.</summary>
    private static object? Number(JsonValue value) =>
        Verification.Cms.Text.SpreadsheetCells.Number(value) is { } d ? (d == decimal.Truncate(d) && Math.Abs(d) < long.MaxValue ? (long)d : d) : null;
}
