using Verification.Cms.Modules;

namespace Verification.Tenants;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Tenants";

    public override string Id => "Verification.Tenants";

    public override string Name => "Tenants";

    public override string Description => "The host manages the verification centres: create from a recipe, disable, enable, archive (R-1.1).";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Tenants", "Platform", typeof(Startup), []) { HostOnly = true },
    ];
}
