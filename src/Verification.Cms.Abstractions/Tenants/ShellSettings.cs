namespace Verification.Cms.Tenants;

public enum TenantState
{
    Uninitialized,
    Initializing,
    Running,
    Disabled,
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// What the host knows of a tenant before opening its database: how requests reach it and
/// where its data lives. Stored in App_Data/tenants.json.
/// </summary>
public sealed class ShellSettings
{
    public const string DefaultName = "Default";

    public required string Name { get; init; }

    public string DisplayName { get; set; } = string.Empty;

    public TenantState State { get; set; } = TenantState.Uninitialized;

    /// <summary>First path segment that selects the tenant (e.g. "guangzhou"), or null.</summary>
    public string? RequestUrlPrefix { get; set; }

    /// <summary>Host names (comma separated) that select the tenant, or null.</summary>
    public string? RequestUrlHost { get; set; }

    public DatabaseProvider DatabaseProvider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL connection string; SQLite tenants use their own file under App_Data/Sites/{name}.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSQL schema holding the tenant's tables.</summary>
    public string? Schema { get; set; }

    public string? RecipeName { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;

    /// <summary>Last setup error (named step and field), kept so the operator can fix and retry.</summary>
    public string? SetupError { get; set; }

    public bool IsDefault => string.Equals(Name, DefaultName, StringComparison.Ordinal);
}
