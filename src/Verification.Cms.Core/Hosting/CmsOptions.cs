using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

/// <summary>Configuration section "Cms".</summary>
public sealed class CmsOptions
{
    public const string Section = "Cms";

    /// <summary>Where tenants.json and each tenant's folder live. Default: {ContentRoot}/App_Data.</summary>
    public string? AppDataPath { get; set; }

    /// <summary>Where recipe files are read from. Default: {AppBase}/recipes.</summary>
    public string? RecipesPath { get; set; }

    /// <summary>Where the public theme's default templates are read from. Default: {AppBase}/themes/PublicTheme.</summary>
    public string? PublicThemePath { get; set; }

    /// <summary>Where the tenants' audit keys are kept (outside their databases). Default: {AppData}/Keys/audit.</summary>
    public string? AuditKeysPath { get; set; }

    /// <summary>Where signed checkpoints of the audit chains are written. Default: {AppData}/AuditCheckpoints.</summary>
    public string? AuditCheckpointsPath { get; set; }

    /// <summary>Where backups are written (put it on another disk or a mounted store). Default: {AppData}/Backups.</summary>
    public string? BackupsPath { get; set; }

    /// <summary>The backup key file (created on first backup). Default: {AppData}/Keys/backup.key.</summary>
    public string? BackupKeyPath { get; set; }

    /// <summary>Years a backup generation is kept after its newest backup (R-18.3: at least five).</summary>
    public int BackupRetentionYears { get; set; } = 5;

    /// <summary>Beijing time of the daily backup round ("HH:mm"); empty: no scheduled backups.</summary>
    public string? BackupDailyAt { get; set; } = "02:00";

    /// <summary>Database for newly created tenants.</summary>
    public DatabaseProvider DefaultDatabaseProvider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL connection string used when the provider is Postgres (each tenant gets its own schema).</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Set up the host from the "default" recipe (and the tenants it lists) when App_Data is empty.</summary>
    public bool AutoSetup { get; set; } = true;

    /// <summary>Print generated demo logins on the console at start-up.</summary>
    public bool PrintDemoLogins { get; set; } = true;

    /// <summary>Minutes of inactivity after which a signed-in session ends.</summary>
    public int IdleTimeoutMinutes { get; set; } = 20;

    /// <summary>Run the tenants' background work (provider outbox, timeouts, timers). Tests that drive it themselves turn it off.</summary>
    public bool BackgroundWork { get; set; } = true;

    /// <summary>How often the background service looks for due work.</summary>
    public int BackgroundTickMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Host names (comma-separated, no port) on which the host administration answers — and only it: no
    /// tenant is served on them, and the host administration on no other name (R-18.5: a tenant's page and
    /// the host's pages are different browser origins). Empty: the host administration answers wherever no
    /// tenant matches, on the tenants' origin — never for production.
    /// </summary>
    public string HostAdminHosts { get; set; } = "localhost";

    /// <summary>Proxies (IP addresses, comma-separated) whose X-Forwarded-For/-Proto/-Host are believed: TLS ends there.</summary>
    public string? TrustedProxies { get; set; }

    /// <summary>Base URL printed with the demo logins.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5000";

    /// <summary>
    /// The public address a tenant is reached at (callbacks from providers, the report check link): read from
    /// configuration each time, since a host on a port chosen at start-up learns its address only then.
    /// </summary>
    public static string PublicUrl(Microsoft.Extensions.Configuration.IConfiguration configuration, string pathBase) =>
        (configuration[Section + ":" + nameof(PublicBaseUrl)] ?? "http://127.0.0.1:5000").TrimEnd('/') + pathBase;
}
