using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Verification.Cms.Hosting;

/// <summary>Resolved folders of the installation.</summary>
public sealed class CmsPaths
{
    public CmsPaths(IOptions<CmsOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        AppData = Path.GetFullPath(o.AppDataPath ?? Path.Combine(environment.ContentRootPath, "App_Data"));
        Recipes = Path.GetFullPath(o.RecipesPath ?? Path.Combine(AppContext.BaseDirectory, "recipes"));
        PublicTheme = Path.GetFullPath(o.PublicThemePath ?? Path.Combine(AppContext.BaseDirectory, "themes", "PublicTheme"));
        AuditKeys = Path.GetFullPath(o.AuditKeysPath ?? Path.Combine(AppData, "Keys", "audit"));
        AuditCheckpoints = Path.GetFullPath(o.AuditCheckpointsPath ?? Path.Combine(AppData, "AuditCheckpoints"));
        Backups = Path.GetFullPath(o.BackupsPath ?? Path.Combine(AppData, "Backups"));
        BackupKey = Path.GetFullPath(o.BackupKeyPath ?? Path.Combine(AppData, "Keys", "backup.key"));
        Directory.CreateDirectory(AppData);
    }

    public string AppData { get; }

    public string Recipes { get; }

    public string PublicTheme { get; }

    /// <summary>The tenants' audit keys, outside their databases .</summary>
    public string AuditKeys { get; }

    /// <summary>Signed checkpoints of each tenant's audit chain, outside its database.</summary>
    public string AuditCheckpoints { get; }

    /// <summary>Encrypted backups, a folder per tenant .</summary>
    public string Backups { get; }

    /// <summary>The key the backups are encrypted with; keep a copy apart from them.</summary>
    public string BackupKey { get; }

    public string Sites => Path.Combine(AppData, "Sites");

    public string Archive => Path.Combine(AppData, "Archive");

    public string TenantFolder(string tenantName) => Path.Combine(Sites, tenantName);
}
