using Verification.Cms.Modules;

namespace Verification.PublicSite;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.PublicSite";

    public override string Id => "Verification.PublicSite";

    public override string Name => "Public site";

    public override string Description => "Each centre's public pages, rendered from Liquid templates the centre edits (R-1.5, R-19.1).";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Public site", "Content", typeof(Startup), []),
    ];
}
