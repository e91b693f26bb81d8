using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Verification.Cms.Tenants;

namespace Verification.Cms.Data;

/// <summary>Where one tenant's data lives: its own SQLite file, or its own PostgreSQL schema.</summary>
public sealed class TenantDatabase
{
    public TenantDatabase(ShellSettings settings, string tenantFolder)
    {
        Dialect = settings.DatabaseProvider == DatabaseProvider.Postgres ? DatabaseDialect.Postgres : DatabaseDialect.Sqlite;
        if (Dialect == DatabaseDialect.Sqlite)
        {
            Directory.CreateDirectory(tenantFolder);
            FilePath = Path.Combine(tenantFolder, "tenant.db");
            ConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = FilePath,
                Cache = SqliteCacheMode.Private,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(settings.ConnectionString) || string.IsNullOrWhiteSpace(settings.Schema))
            {
                throw new InvalidOperationException($"Tenant '{settings.Name}' uses PostgreSQL but has no connection string or schema.");
            }

            Schema = settings.Schema;
            AdminConnectionString = settings.ConnectionString;
            ConnectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { SearchPath = settings.Schema }.ToString();
        }
    }

    private static readonly SqlitePragmas Pragmas = new();

    public DatabaseDialect Dialect { get; }

    public string ConnectionString { get; }

    /// <summary>SQLite only: the database file.</summary>
    public string? FilePath { get; }

    /// <summary>PostgreSQL only: the tenant's schema.</summary>
    public string? Schema { get; }

    private string? AdminConnectionString { get; }

    public void Configure(DbContextOptionsBuilder builder)
    {
        if (Dialect == DatabaseDialect.Sqlite)
        {
            // "ids.Contains(x.Id)" as one JSON parameter (json_each), not one parameter per id: Microsoft.Data.Sqlite's
            // binding by name costs more per parameter the more a statement has (batches pass hundreds of ids).
            builder.UseSqlite(ConnectionString, sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .AddInterceptors(Pragmas, AfterCommit.Instance);
        }
        else
        {
            builder.UseNpgsql(ConnectionString).AddInterceptors(AfterCommit.Instance);
        }
    }

    public DbConnection CreateConnection() => Dialect == DatabaseDialect.Sqlite
        ? new SqliteConnection(ConnectionString)
        : new NpgsqlConnection(ConnectionString);

    /// <summary>Creates the schema (PostgreSQL) or enables WAL (SQLite). Safe to call repeatedly.</summary>
    public async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        if (Dialect == DatabaseDialect.Postgres)
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{Schema}\"";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Removes what a failed setup left behind, so the tenant stays uninitialized and retryable.
    /// </summary>
    public async Task DropAsync(CancellationToken cancellationToken)
    {
        if (Dialect == DatabaseDialect.Postgres)
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(FilePath + suffix);
            }
        }
    }

    /// <summary>Archives instead of destroying (tenant removal): the schema is renamed; SQLite files move with the folder.</summary>
    public async Task ArchiveSchemaAsync(string archivedSchema, CancellationToken cancellationToken)
    {
        if (Dialect == DatabaseDialect.Postgres)
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"ALTER SCHEMA \"{Schema}\" RENAME TO \"{archivedSchema}\"";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
