using Verification.Cms.Modules;

namespace Verification.Calendar;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Calendar";

    public override string Id => "Verification.Calendar";

    public override string Name => "Working-day calendar";

    public override string Description => "Official days off and adjusted working days per tenant; deadlines in working days (R-21).";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Working-day calendar", "Organisation", typeof(Startup), []),
    ];
}
