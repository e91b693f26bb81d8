using Verification.Cms.Modules;

namespace Verification.Forms;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Forms";

    public override string Id => "Verification.Forms";

    public override string Name => "Forms";

    public override string Description => "Low-code forms (R-1.2). So far: the expression language shared by the server and the browser.";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Forms", "Content", typeof(Startup), []),
    ];
}
