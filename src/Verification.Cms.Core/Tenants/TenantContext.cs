namespace Verification.Cms.Tenants;

internal sealed class TenantContext(ShellSettings settings, IReadOnlySet<string> enabledFeatures, string dataFolder) : ITenantContext
{
    public ShellSettings Settings { get; } = settings;

    public IReadOnlySet<string> EnabledFeatures { get; } = enabledFeatures;

    public string DataFolder { get; } = dataFolder;

    public string PathBase => string.IsNullOrEmpty(Settings.RequestUrlPrefix) ? string.Empty : "/" + Settings.RequestUrlPrefix;
}
