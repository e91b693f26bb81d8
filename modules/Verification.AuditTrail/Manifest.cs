using Verification.Cms.Modules;

namespace Verification.AuditTrail;

public sealed class Manifest : ModuleManifest
{
    public const string FeatureId = "Verification.AuditTrail";

    public override string Id => "Verification.AuditTrail";

    public override string Name => "Audit trail";

    public override string Description => "Browse, filter, export and verify the hash-chained audit trail (R-18.1).";

    public override IEnumerable<FeatureInfo> Features =>
    [
        new(FeatureId, "Audit trail", "Security", typeof(Startup), []) { AlwaysEnabled = true },
    ];
}
