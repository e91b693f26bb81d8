using Microsoft.EntityFrameworkCore;

namespace Verification.Cms.Data;

/// <summary>A feature's entities in the tenant's DbContext. Registered by the feature startup.</summary>
public interface IEntityModelContributor
{
    void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect);
}

/// <summary>Forward-only schema steps of one module (Orchard's data migrations): step N upgrades from N-1.</summary>
public interface IDataMigration
{
    /// <summary>Key in the SchemaVersions table.</summary>
    string Module { get; }

    /// <summary>Ordered steps; index 0 creates the first version.</summary>
    IReadOnlyList<Action<Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder>> Steps { get; }
}

public enum DatabaseDialect
{
    Sqlite,
    Postgres,
}
