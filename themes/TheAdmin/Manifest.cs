using Verification.Cms.Modules;

namespace Verification.TheAdmin;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "TheAdmin";

    public override string Id => "TheAdmin";

    public override string Name => "Admin theme";

    public override string Description => "The admin shell: layout, navigation, language switch, dashboard.";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Admin theme", "Theme", typeof(Startup), []) { AlwaysEnabled = true },
    ];
}
