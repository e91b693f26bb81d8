using Verification.Cms.Modules;

namespace Verification.Contents;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Contents";

    public override string Id => "Verification.Contents";

    public override string Name => "Content";

    public override string Description => "Content types as data (parts, fields, settings, display templates) and content items with drafts, publishing and history (R-1.2); policy notices, standards and training material for the public and staff.";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Content", "Content", typeof(Startup), ["Verification.Forms"]),
    ];
}
