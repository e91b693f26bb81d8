namespace Verification.Cms.Modules;

/// <summary>Ties a controller to a feature other than its module's first one; it is routed only when that feature is enabled.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class FeatureAttribute(string featureId) : Attribute
{
    public string FeatureId { get; } = featureId;
}
