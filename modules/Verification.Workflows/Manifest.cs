using Verification.Cms.Modules;

namespace Verification.Workflows;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Workflows";

    public override string Id => "Verification.Workflows";

    public override string Name => "Workflows";

    public override string Description => "Rules and multi-step processes staff configure without code (R-1.4, R-21): versioned definitions, events, decision tables, sandboxed scripts, human tasks with working-day deadlines, durable timers, a designer and a task inbox.";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Workflows", "Organisation", typeof(Startup), ["Verification.Calendar", "Verification.OrgUnits"]),
    ];
}
