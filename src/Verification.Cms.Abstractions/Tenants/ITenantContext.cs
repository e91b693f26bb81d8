namespace Verification.Cms.Tenants;

/// <summary>The tenant whose container is serving the current scope.</summary>
public interface ITenantContext
{
    ShellSettings Settings { get; }

    /// <summary>Enabled feature ids (dependencies included).</summary>
    IReadOnlySet<string> EnabledFeatures { get; }

    /// <summary>App_Data/Sites/{tenant}: the tenant's files (database, media, index, backups).</summary>
    string DataFolder { get; }

    /// <summary>"/guangzhou" or "" — prepend to links built outside MVC.</summary>
    string PathBase { get; }
}
