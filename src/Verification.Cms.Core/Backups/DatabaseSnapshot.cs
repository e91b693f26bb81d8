using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Verification.Cms.Data;

namespace Verification.Cms.Backups;

/// <summary>
/// A consistent copy of a tenant's database and its way back: SQLite through its online backup API (the
/// tenant keeps working meanwhile), PostgreSQL through pg_dump of the tenant's schema and psql to restore.
/// </summary>
internal static partial class DatabaseSnapshot
{
    public static string FileName(TenantDatabase database) => database.Dialect == DatabaseDialect.Sqlite ? "db/tenant.db" : "db/schema.sql";

    /// <summary>Writes the snapshot to <paramref name="file"/> and returns the row count of each table in it.</summary>
    public static async Task<Dictionary<string, long>> TakeAsync(TenantDatabase database, string file, CancellationToken cancellationToken)
    {
        if (database.Dialect == DatabaseDialect.Sqlite)
        {
            await using (var source = new SqliteConnection(database.ConnectionString))
            await using (var target = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await source.OpenAsync(cancellationToken);
                await target.OpenAsync(cancellationToken);
                source.BackupDatabase(target);
            }

            return await CountSqliteAsync($"Data Source={file};Pooling=False;Mode=ReadOnly", cancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await RunAsync("pg_dump", builder, cancellationToken, "--schema", database.Schema!, "--no-owner", "--no-privileges", "--format=plain", "--file", file);
        return CountDump(file);
    }

    public static async Task RestoreAsync(TenantDatabase database, string file, CancellationToken cancellationToken)
    {
        if (database.Dialect == DatabaseDialect.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "-wal", "-shm", string.Empty })
            {
                File.Delete(database.FilePath + suffix);
            }

            File.Copy(file, database.FilePath!);
            return;
        }

        await database.DropAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await RunAsync("psql", builder, cancellationToken, "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--file", file);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The row count of every table of the tenant's database as it is now.</summary>
    public static async Task<Dictionary<string, long>> CountAsync(TenantDatabase database, CancellationToken cancellationToken)
    {
        if (database.Dialect == DatabaseDialect.Sqlite)
        {
            return await CountSqliteAsync(database.ConnectionString, cancellationToken);
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_schema = @schema AND table_type = 'BASE TABLE'";
            list.Parameters.AddWithValue("schema", database.Schema!);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        return await CountTablesAsync(connection, tables, cancellationToken);
    }

    private static async Task<Dictionary<string, long>> CountSqliteAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        return await CountTablesAsync(connection, tables, cancellationToken);
    }

    private static async Task<Dictionary<string, long>> CountTablesAsync(System.Data.Common.DbConnection connection, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables.Order(StringComparer.Ordinal))
        {
            await using var count = connection.CreateCommand();
            // Names come from the database's own catalogue.
            count.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            counts[table] = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <summary>Rows per table in a plain pg_dump: the lines of each COPY block (the dump's own consistent snapshot).</summary>
    private static Dictionary<string, long> CountDump(string file)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        string? table = null;
        foreach (var line in File.ReadLines(file))
        {
            if (table is null)
            {
                var copy = CopyLine().Match(line);
                if (copy.Success)
                {
                    table = copy.Groups[1].Value;
                    counts[table] = 0;
                }
            }
            else if (line == "\\.")
            {
                table = null;
            }
            else
            {
                counts[table]++;
            }
        }

        return counts;
    }

    private static async Task RunAsync(string program, NpgsqlConnectionStringBuilder connection, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--host", connection.Host!, "--port", connection.Port.ToString(CultureInfo.InvariantCulture), "--username", connection.Username!, "--dbname", connection.Database! }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = connection.Password ?? string.Empty;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{program} is not installed on this server (apt-get install postgresql-client).", ex);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {(await errors).Trim()}");
            }
        }
    }

    [GeneratedRegex("""^COPY [^.]+\."?([^"(]+?)"? \(.*\) FROM stdin;$""")]
    private static partial Regex CopyLine();
}
