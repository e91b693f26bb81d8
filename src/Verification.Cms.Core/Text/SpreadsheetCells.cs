using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Verification.Cms.Text;

/// <summary>Text and numbers crossing into and out of spreadsheets and JSON data, the same way everywhere.</summary>
public static class SpreadsheetCells
{
    /// <summary>Text a spreadsheet would run as a formula (=, +, -, @ first).</summary>
    public static bool IsFormulaLike(string? text) => text is { Length: > 0 } && text[0] is '=' or '+' or '-' or '@';

    /// <summary>Text for an exported cell: formula-like text gets a leading apostrophe so it stays text.</summary>
    public static string? Neutralize(string? text) => IsFormulaLike(text) ? "'" + text : text;

    /// <summary>A number from JSON data, whether stored as a number or as text; null otherwise.</summary>
    public static decimal? Number(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => decimal.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.String when decimal.TryParse(node.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
