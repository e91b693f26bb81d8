using Verification.Cms.Modules;

namespace Verification.Exchange;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Exchange";

    public override string Id => "Verification.Exchange";

    public override string Name => "Provider exchange";

    public override string Description => "The signed exchange with state data providers (R-5): resource catalogue, outbox with retries and dead letters, callbacks, simulators.";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Provider exchange", "Verification", typeof(Startup), []),
    ];
}
