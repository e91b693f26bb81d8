using Verification.Cms.Modules;

namespace Verification.Cases;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Cases";

    public override string Id => "Verification.Cases";

    public override string Name => "Verification cases";

    public override string Description => "Entrustments, households, members and their authorizations, and the case lifecycle (R-3, R-4, R-8, R-21). So far: the model, the state machine with segregation of duties, authorization numbers and the one gate every provider query passes.";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Verification cases", "Verification", typeof(Startup), ["Verification.Exchange", "Verification.Calendar"]),
    ];
}
