using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// Editing an audit row directly in the tenant's SQLite file is detected by the verify command,
/// run as its own process like an operator would.
/// </summary>
public sealed class AuditTamperTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    [Trait("Req", "R-18.1")]
    public async Task EditingAnAuditRowInTheDatabaseFileIsDetectedByTheVerifyCommand()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var (code, output) = await RunVerifyAsync(tenant.Name);
        Assert.True(code == 0, output);
        Assert.Contains("intact", output, StringComparison.Ordinal);

        var file = Path.Combine(host.AppData, "Sites", tenant.Name, "tenant.db");
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE \"AuditEvents\" SET \"Actor\" = 'nobody' WHERE \"Sequence\" = 4";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        (code, output) = await RunVerifyAsync(tenant.Name);
        Assert.True(code == 3, output);
        Assert.Contains("BROKEN at event 4", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> RunVerifyAsync(string tenant)
    {
        var web = Path.Combine(AppContext.BaseDirectory, "Verification.Cms.Web.dll");
        var start = new ProcessStartInfo("dotnet", [web, "audit", "verify", tenant])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Cms__AppDataPath"] = host.AppData;
        start.Environment["Cms__AutoSetup"] = "false";
        start.Environment["Cms__PrintDemoLogins"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
