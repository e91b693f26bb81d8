using System.Globalization;
using System.Text.Json.Nodes;
using Verification.Forms.Expressions;

namespace Verification.Cms.Tests.Expressions;

/// <summary>The shared test vectors of the expression language (docs/expressions.md), for both engines.</summary>
public static class ExpressionVectors
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Expressions", "vectors.json");

    public static JsonArray Load() => (JsonArray)JsonNode.Parse(File.ReadAllText(Path))!;

    /// <summary>Evaluates one vector with the C# engine; null when it gives what is expected, else a description.</summary>
    public static string? Check(JsonObject vector)
    {
        var expression = vector["expr"]!.GetValue<string>();
        var data = vector["data"] as JsonObject ?? [];
        var today = vector["today"] is { } t ? DateOnly.ParseExact(t.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture) : new DateOnly(2026, 11, 24);
        var calendar = vector["calendar"] as JsonObject;
        var context = new ExpressionContext(today, Dates(calendar?["dayOff"]), Dates(calendar?["workDay"]));
        string actual;
        try
        {
            actual = Canonical(ExpressionEvaluator.ToJson(ExpressionEvaluator.Evaluate(expression, data, context)));
        }
        catch (ExpressionException ex)
        {
            actual = "error:" + ex.Code;
        }

        var wanted = Expected(vector);
        return actual == wanted ? null : $"{Shorten(expression)} → {actual}, expected {wanted}";
    }

    /// <summary>The expected result as both harnesses compare it: "error:code", or canonical JSON text.</summary>
    public static string Expected(JsonObject vector) =>
        vector["expected"] is JsonObject o && o["error"] is { } code ? "error:" + code.GetValue<string>() : Canonical(vector["expected"]);

    /// <summary>Numbers by canonical decimal text, everything else by its JSON.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        JsonValue v when v.TryGetValue<string>(out var s) => "\"" + s + "\"",
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => Num.Parse(v.ToJsonString()).ToString(),
        _ => node.ToJsonString(),
    };

    private static HashSet<DateOnly>? Dates(JsonNode? node) => node is JsonArray a
        ? a.Select(d => DateOnly.ParseExact(d!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToHashSet()
        : null;

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
