using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Verification.Workflows.Models;

/// <summary>
/// A workflow's graph: activities placed on the designer's canvas, joined by outcome-named
/// transitions ("from" activity, its outcome, "to" activity). Event activities without an
/// incoming transition start the workflow; anywhere else they make the instance wait.
/// </summary>
public sealed class WorkflowGraph
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public List<ActivityNode> Activities { get; set; } = [];

    public List<Transition> Transitions { get; set; } = [];

    public static WorkflowGraph Parse(string json) =>
        JsonSerializer.Deserialize<WorkflowGraph>(json, Json) ?? throw new JsonException("The workflow is empty.");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public ActivityNode? Find(string id) => Activities.FirstOrDefault(a => a.Id == id);

    public IEnumerable<string> Next(string activityId, string outcome) =>
        Transitions.Where(t => t.From == activityId && string.Equals(t.Outcome, outcome, StringComparison.Ordinal)).Select(t => t.To);

    public IEnumerable<Transition> Incoming(string activityId) => Transitions.Where(t => t.To == activityId);

    public bool IsStart(ActivityNode node) => !Transitions.Any(t => t.To == node.Id);
}

public sealed class ActivityNode
{
    public string Id { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    /// <summary>The label staff gave it on the canvas.</summary>
    public string? Title { get; set; }

    public JsonObject Props { get; set; } = [];

    public int X { get; set; }

    public int Y { get; set; }

    public string? Text(string name) => Props[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Props[name]?.ToJsonString();

    public int? Number(string name) => Props[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : int.TryParse(Text(name), out var parsed) ? parsed : null;

    public IReadOnlyList<string> List(string name) => Props[name] switch
    {
        JsonArray a => a.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? string.Empty).Where(s => s.Length > 0).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Split([',', '|', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [],
    };
}

public sealed record Transition(string From, string Outcome, string To);
