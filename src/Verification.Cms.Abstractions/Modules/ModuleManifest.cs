namespace Verification.Cms.Modules;

/// <summary>
/// A module's manifest: names the module and its features. One per module assembly,
/// discovered at start-up (Orchard Core's Manifest.cs, as a class).
/// </summary>
public abstract class ModuleManifest
{
    public abstract string Id { get; }

    public abstract string Name { get; }

    public virtual string Description => string.Empty;

    public abstract IEnumerable<FeatureInfo> Features { get; }
}

/// <param name="Id">Feature id, unique across modules (e.g. "Verification.Users").</param>
/// <param name="Name">Display name (a localization key).</param>
/// <param name="Category">Category shown in the features admin.</param>
/// <param name="Startup">A <see cref="FeatureStartup"/> type registering the feature's services and routes.</param>
/// <param name="Dependencies">Feature ids enabled together with this one.</param>
public sealed record FeatureInfo(
    string Id,
    string Name,
    string Category,
    Type Startup,
    IReadOnlyList<string> Dependencies)
{
    /// <summary>Always enabled on every tenant (platform essentials); cannot be disabled.</summary>
    public bool AlwaysEnabled { get; init; }

    /// <summary>Only the host ("Default") tenant may enable it (tenant management).</summary>
    public bool HostOnly { get; init; }

    public string Description { get; init; } = string.Empty;
}
