using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verification.Cases.Models;

/// <summary>
/// Which org level performs a lifecycle step in this tenant, and what the step is called there (R-7.1:
/// Guangzhou street → district → city; Hubei county accept → confirm → issue; Jiangsu front desk →
/// back office → supervisor). The permission a step needs is fixed in code (<see cref="Services.StepPermissions"/>).
/// </summary>
public sealed record ReviewStage(CaseTrigger Trigger, string? Level, string Label);

/// <summary>A difference worth flagging for a findings category: found exceeds declared by more than these .</summary>
public sealed record Threshold(decimal? Amount = null, int? Count = null);

/// <summary>
/// The tenant's pipeline configuration, edited in the admin UI and set by the <c>pipeline</c> recipe
/// step: review stages, the data items each service item queries (J table 1), the difference
/// thresholds per service item, and the working days a department has to supplement.
/// </summary>
public sealed class PipelineProfile
{
    public string Flow { get; set; } = "default";

    public List<ReviewStage> Stages { get; set; } = [];

    /// <summary>Service item code → data items (overrides the shipped J table 1 for that item).</summary>
    public Dictionary<string, List<string>> ServiceItems { get; set; } = [];

    /// <summary>Service item code (or "*" for all) → category → threshold.</summary>
    public Dictionary<string, Dictionary<string, Threshold>> Thresholds { get; set; } = [];

    /// <summary>Working days a department has to supplement before the case is terminated .</summary>
    public int SupplementWorkingDays { get; set; } = 10;

    public ReviewStage? StageOf(CaseTrigger trigger) => Stages.FirstOrDefault(s => s.Trigger == trigger);

    /// <summary>The threshold for a category: the service item's own, else the tenant-wide one, else none.</summary>
    public Threshold? ThresholdFor(string serviceItem, string category) =>
        Thresholds.TryGetValue(serviceItem, out var own) && own.TryGetValue(category, out var t) ? t
        : Thresholds.TryGetValue("*", out var all) && all.TryGetValue(category, out var d) ? d
        : null;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static PipelineProfile Parse(string json) => JsonSerializer.Deserialize<PipelineProfile>(json, JsonOptions) ?? new PipelineProfile();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Without configuration: one level, every step at the centre itself, common thresholds.</summary>
    public static PipelineProfile Default() => new()
    {
        Stages =
        [
            new(CaseTrigger.Accept, null, "受理"),
            new(CaseTrigger.Confirm, null, "审核确认"),
            new(CaseTrigger.Review, null, "比对初审"),
            new(CaseTrigger.Approve, null, "审批"),
            new(CaseTrigger.IssueReport, null, "出具报告"),
        ],
        Thresholds = new() { ["*"] = new() { ["property.vehicle"] = new(Count: 0), ["property.realEstate"] = new(Count: 0), ["property.deposit"] = new(Amount: 10000m) } },
    };
}
