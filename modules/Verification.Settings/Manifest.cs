using Verification.Cms.Modules;

namespace Verification.Settings;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Settings";

    public override string Id => "Verification.Settings";

    public override string Name => "Settings and features";

    public override string Description => "The centre's settings, its features, and its configuration as a recipe (export and import).";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Settings and features", "Platform", typeof(Startup), []) { AlwaysEnabled = true },
    ];
}
