using Verification.Cms.Modules;

namespace Verification.Cases;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.Cases";

    public override string Id => "Verification.Cases";

    public override string Name => "Verification cases";

    public override string Description => "The verification pipeline (R-3 to R-8, R-12.1, R-21): entrustments by API, Excel roster or counter, intake review, authorizations, the case lifecycle with configurable review levels and segregation of duties, the provider exchange behind one authorization gate, findings and differences, numbered reports with PDF and QR check, notices, batches.";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Verification cases", "Verification", typeof(Startup), ["Verification.Exchange", "Verification.Calendar", "Verification.Forms", "Verification.PublicSite"]),
    ];
}
