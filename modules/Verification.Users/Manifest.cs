using Verification.Cms.Modules;

namespace Verification.Users;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Users";

    public override string Id => "Verification.Users";

    public override string Name => "Users and roles";

    public override string Description => "Sign-in, users, roles as posts (R-2.2), permissions, and two-person approval of every security change (R-2.4, R-18.1).";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Users and roles", "Security", typeof(Startup), [OrgUnits.Manifest.FeatureId]) { AlwaysEnabled = true },
    ];
}
