using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// Whoever can write a tenant's database — but not the audit key and checkpoints kept outside it — cannot
/// change its audit trail unseen: the verify command, run as its own process like an operator would,
/// names the break. Each attack once passed verification.
/// </summary>
public abstract class AuditTamperTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-18.1")]
    public async Task EditingAnAuditRowInTheDatabaseIsDetectedByTheVerifyCommand()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var (code, output) = await CliProcess.RunAsync(host, "audit", "verify", tenant.Name);
        Assert.True(code == 0, output);
        Assert.Contains("intact", output, StringComparison.Ordinal);
        Assert.Contains("signed", output, StringComparison.Ordinal);

        await ExecuteAsync(tenant.Name, "UPDATE \"AuditEvents\" SET \"Actor\" = 'nobody' WHERE \"Sequence\" = 4");
        (code, output) = await CliProcess.RunAsync(host, "audit", "verify", tenant.Name);
        Assert.True(code == 3, output);
        Assert.Contains("BROKEN at event 4", output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-18.1")]
    public async Task RewritingARowAndRecomputingTheWholeChainIsDetected()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var events = await host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<TenantDbContext>().AuditEvents.OrderBy(a => a.Sequence).ToList()));
        events[3].Actor = "nobody";
        var previous = AuditChain.Genesis;
        foreach (var e in events)
        {
            // The attacker knows the algorithm; the key is not in the database.
            e.PreviousHash = previous;
            e.Hash = AuditChain.ComputeHash(e, System.Text.Encoding.UTF8.GetBytes("a guessed key"));
            previous = e.Hash;
            await ExecuteAsync(tenant.Name, $"UPDATE \"AuditEvents\" SET \"Actor\" = '{e.Actor}', \"PreviousHash\" = '{e.PreviousHash}', \"Hash\" = '{e.Hash}' WHERE \"Sequence\" = {e.Sequence}");
        }

        var (code, output) = await CliProcess.RunAsync(host, "audit", "verify", tenant.Name);
        Assert.True(code == 3, output);
        Assert.Contains("BROKEN at event 1", output, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Req", "R-18.1")]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public async Task DeletingTheNewestEventsOrAllOfThemIsDetected(int count)
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var tail = await host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<TenantDbContext>().AuditEvents.Max(a => a.Sequence)));
        var keep = count == int.MaxValue ? 0 : tail - count;
        await ExecuteAsync(tenant.Name, $"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" > {keep}");

        var (code, output) = await CliProcess.RunAsync(host, "audit", "verify", tenant.Name);
        Assert.True(code == 3, output);
        Assert.Contains($"BROKEN at event {keep + 1}: events {keep + 1} to {tail} are missing", output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-18.1")]
    public async Task AForgedCheckpointIsDetected()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var folder = await host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<AuditCheckpoints>().Folder));
        var file = Directory.GetFiles(folder).Single();
        await File.AppendAllTextAsync(file, "999\t" + new string('0', 64) + "\t2026-12-02T00:00:00.0000000Z\t" + new string('a', 64) + "\n");
        var (code, output) = await CliProcess.RunAsync(host, "audit", "verify", tenant.Name);
        Assert.True(code == 3, output);
        Assert.Contains("does not carry a valid signature", output, StringComparison.Ordinal);
    }

    private Task ExecuteAsync(string tenant, string sql) =>
        host.InTenantAsync(tenant, async sp =>
        {
            // Straight to the database, past the application: the attacker's view.
            await using DbConnection connection = sp.GetRequiredService<TenantDatabase>().CreateConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        });
}

public sealed class AuditTamperOnSqlite(SqliteHostFixture host) : AuditTamperTests<SqliteHostFixture>(host);

public sealed class AuditTamperOnPostgres(PostgresHostFixture host) : AuditTamperTests<PostgresHostFixture>(host);
