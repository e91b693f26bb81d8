using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verification.Cms.Liquid;
using Verification.Workflows.Activities;

namespace Verification.Workflows.Services;

/// <summary>Liquid in workflow activities (notification texts, letters, HTTP bodies) over the activity's scope.</summary>
public sealed class WorkflowTemplates(LiquidRenderer liquid)
{
    /// <summary>HTML (every value encoded; the template's own markup kept) for letters.</summary>
    public async Task<string> RenderHtmlAsync(string source, JsonObject scope)
    {
        if (!liquid.TryParse(source, out var template, out var error))
        {
            throw new WorkflowFaultException("Liquid 模板有误：" + error);
        }

        return await liquid.RenderAsync(template!, scope.ToDictionary(p => p.Key, p => ToModel(p.Value)));
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
