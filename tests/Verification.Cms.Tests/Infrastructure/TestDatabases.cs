using Npgsql;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>The PostgreSQL server the test command starts (tools/test-env.sh). Each fixture gets a database of its own.</summary>
public static class TestDatabases
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("VCMS_TEST_PG")
        ?? "Host=127.0.0.1;Port=5432;Username=vcms_test;Password=vcms_test_pw;Database=postgres";

    public static async Task<string> CreatePostgresDatabaseAsync()
    {
        var name = "vcms_t_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ToString();
    }

    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (attempt < 5 && ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                // An autovacuum worker (the server's own process, which the test role may not terminate) was busy in the database.
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}
