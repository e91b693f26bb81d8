using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Numbering;
using Verification.Cms.People;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;
using Verification.Exchange.Models;
using Verification.Exchange.Services;
using Verification.Exchange.Simulation;

namespace Verification.Cms.Bench;

/// <summary>
/// Provider exchange benchmarks (issue: ≥ 2,000 item queries per second through the HTTP adapter to
/// the simulator on loopback; exchange overhead per case ≤ 5 ms). Prints figures; asserts nothing.
/// </summary>
public static class ExchangeBench
{
    private static readonly string[] Items = ["mps.hukou.registration", "mps.vehicle.registration", "hrss.socialInsurance.contributionBase", "hpf.balance.account"];

    public static async Task RunAsync()
    {
        var appData = Path.Combine(Path.GetTempPath(), "vcms-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"Verification.Cms exchange benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite");
        using var simulator = await SimulatorProcess.StartAsync();
        await using var app = await PlatformBench.StartAsync(appData);
        app.Services.GetRequiredService<IConfiguration>()["Cms:PublicBaseUrl"] = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var setup = app.Services.GetRequiredService<TenantSetupService>();
        var shells = app.Services.GetRequiredService<ShellHost>();
        await setup.RegisterAsync(new NewTenant("online", null, "online", null, "changzhou"));
        await setup.SetupAsync("online", "changzhou");
        await setup.RunRecipeAsync("online", RecipeReader.Parse($$"""
            { "name": "online", "steps": [ { "name": "providers", "providers": [
              { "code": "mps", "mode": "online", "baseUrl": "{{simulator.BaseUrl}}", "maxBatch": 200, "connect": true },
              { "code": "hrss", "mode": "online", "baseUrl": "{{simulator.BaseUrl}}", "maxBatch": 200, "connect": true },
              { "code": "hpf", "mode": "online", "baseUrl": "{{simulator.BaseUrl}}", "maxBatch": 200, "connect": true } ] } ] }
            """));

        // Warm-up round, then the measured one.
        await ExchangeAsync(shells, "online", 60, 0);
        var members = 3000;
        var (elapsed, _) = await ExchangeAsync(shells, "online", members, 10_000);
        var itemQueries = members * Items.Length;
        Console.WriteLine($"HTTP adapter to the simulator process on loopback: {itemQueries} item queries ({members} members × {Items.Length} items, {members * 3} provider queries) answered in {elapsed.TotalSeconds:F2} s = {itemQueries / elapsed.TotalSeconds:F0} item queries/s");

        await setup.RegisterAsync(new NewTenant("inprocess", null, "inprocess", null, "changzhou"));
        await setup.SetupAsync("inprocess", "changzhou");
        await ExchangeAsync(shells, "inprocess", 60, 0);
        var cases = 1000;
        var (inProcess, _) = await ExchangeAsync(shells, "inprocess", cases * 3, 20_000);
        Console.WriteLine($"exchange overhead per case (3 members × {Items.Length} items, in-process simulators, queue → signed messages → results recorded and audited): {inProcess.TotalMilliseconds / cases:F2} ms per case over {cases} cases");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task<(TimeSpan Elapsed, int Rounds)> ExchangeAsync(ShellHost shells, string tenant, int members, int offset)
    {
        var shell = await shells.GetShellAsync(shells.Find(tenant)!);
        var subjects = Enumerable.Range(offset, members).Select(i =>
        {
            var first17 = "320402" + new DateOnly(1950, 1, 1).AddDays(i % 25000).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (100 + i % 900).ToString(CultureInfo.InvariantCulture);
            return new SubjectQuery($"case-{i / 3}", first17 + CitizenIdNumber.CheckCharacter(first17), "成员" + i, Items, DocumentNumbers.Authorization("320400", 2026, i + 1), "aa");
        }).ToList();
        var watch = Stopwatch.StartNew();
        await using (var scope = shell.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderExchange>().QueueAsync(subjects, default);
        }

        var rounds = 0;
        while (true)
        {
            rounds++;
            await using var scope = shell.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default);

            var open = await scope.ServiceProvider.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().CountAsync(QueryStates.Waiting);
            if (open == 0)
            {
                return (watch.Elapsed, rounds);
            }

            await Task.Delay(20);
        }
    }
}
