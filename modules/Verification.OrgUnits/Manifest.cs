using Verification.Cms.Modules;

namespace Verification.OrgUnits;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.OrgUnits";

    public override string Id => "Verification.OrgUnits";

    public override string Name => "Organisation units";

    public override string Description => "The centre's org tree (city → district → street; province → city → county), which scopes what each user sees (R-2.1).";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Organisation units", "Organisation", typeof(Startup), []) { AlwaysEnabled = true },
    ];
}
