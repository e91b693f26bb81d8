using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Verification.Cms.Data;

/// <summary>
/// Applies each module's forward-only schema steps that the tenant's database has not seen yet.
/// DDL comes from EF Core's provider SQL generators, so one step serves SQLite and PostgreSQL.
/// Versions are kept in SchemaVersions; a step and its version bump commit together.
/// </summary>
public sealed class SchemaMigrator(TenantDbContext db, IEnumerable<IDataMigration> migrations, ILogger<SchemaMigrator> logger)
{
    /// <param name="targetVersions">Stop a module at this many steps (tests build older schemas with it).</param>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken, IReadOnlyDictionary<string, int>? targetVersions = null)
    {
        await EnsureVersionTableAsync(cancellationToken);
        var versions = await ReadVersionsAsync(cancellationToken);
        var generator = db.GetService<IMigrationsSqlGenerator>();
        var applied = 0;
        foreach (var migration in migrations.DistinctBy(m => m.Module))
        {
            var current = versions.GetValueOrDefault(migration.Module);
            var target = targetVersions?.GetValueOrDefault(migration.Module, migration.Steps.Count) ?? migration.Steps.Count;
            for (var step = current; step < target; step++)
            {
                var builder = new MigrationBuilder(db.Database.ProviderName);
                migration.Steps[step](builder);
                var commands = generator.Generate(builder.Operations);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                foreach (var command in commands)
                {
                    // Generated SQL is not a format string: braces (e.g. a JSON default '{}') are escaped.
                    await db.Database.ExecuteSqlRawAsync(command.CommandText.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal), cancellationToken);
                }

                await SetVersionAsync(migration.Module, step + 1, current == 0 && step == 0, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Schema of {Module} upgraded to version {Version}", migration.Module, step + 1);
                applied++;
            }

            current = Math.Max(current, target);
            versions[migration.Module] = current;
        }

        return applied;
    }

    public async Task<Dictionary<string, int>> ReadVersionsAsync(CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        var opened = await OpenAsync(connection, cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = "SELECT \"Module\", \"Version\" FROM \"SchemaVersions\"";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                versions[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }

        return versions;
    }

    private Task EnsureVersionTableAsync(CancellationToken cancellationToken) => db.Database.ExecuteSqlRawAsync(
        "CREATE TABLE IF NOT EXISTS \"SchemaVersions\" (\"Module\" TEXT NOT NULL PRIMARY KEY, \"Version\" INTEGER NOT NULL)",
        cancellationToken);

    private Task SetVersionAsync(string module, int version, bool insert, CancellationToken cancellationToken) => insert
        ? db.Database.ExecuteSqlAsync($"INSERT INTO \"SchemaVersions\" (\"Module\", \"Version\") VALUES ({module}, {version})", cancellationToken)
        : db.Database.ExecuteSqlAsync($"UPDATE \"SchemaVersions\" SET \"Version\" = {version} WHERE \"Module\" = {module}", cancellationToken);

    private static async Task<bool> OpenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection.State == System.Data.ConnectionState.Open)
        {
            return false;
        }

        await connection.OpenAsync(cancellationToken);
        return true;
    }
}
