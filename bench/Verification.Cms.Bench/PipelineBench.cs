using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Verification.Cases.Batches;
using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cases.Reports;
using Verification.Cms.Data;
using Verification.Cms.Numbering;
using Verification.Cms.People;
using Verification.Cms.Recipes;
using Verification.Cms.Rendering;
using Verification.Cms.Tenants;
using Verification.Exchange.Services;

namespace Verification.Cms.Bench;

/// <summary>
/// The pipeline benchmark (issue: 10,000 households, ~30,000 members, from roster upload to issued
/// structured reports with the in-process simulators ≤ 60 s on one node with SQLite and ≤ 1 GiB RSS;
/// a warm PDF ≤ 300 ms). Every batch step runs as the background work does. Prints figures; asserts nothing.
/// Usage: … -- pipeline [households=10000] [items=core|all] [workflows=skip]
/// </summary>
public static class PipelineBench
{
    /// <summary>The yearly centralized check's core items (J table 1's identity, vehicles, deposits, real estate, housing fund, social insurance, pension, tax, market, assistance, securities).</summary>
    private static readonly string[] CoreItems =
    [
        "mps.hukou.registration", "mps.vehicle.registration", "bank.deposit.demand", "bank.deposit.time", "nr.realEstate.ownership", "hpf.balance.account",
        "hrss.socialInsurance.contributionBase", "hrss.retirement.pension", "tax.iit.wage", "samr.individualBusiness.operator", "mca.assistance.dibao", "securities.account.stock",
    ];

    public static async Task RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var households = int.Parse(options.GetValueOrDefault("households", "10000"), System.Globalization.CultureInfo.InvariantCulture);
        var allItems = options.GetValueOrDefault("items", "core") == "all";
        var appData = Path.Combine(Path.GetTempPath(), "vcms-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"Verification.Cms pipeline benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite, in-process simulators");
        await using var app = await PlatformBench.StartAsync(appData);
        var setup = app.Services.GetRequiredService<TenantSetupService>();
        var shells = app.Services.GetRequiredService<ShellHost>();
        await setup.RegisterAsync(new NewTenant("bench", null, "bench", null, "changzhou"));
        await setup.SetupAsync("bench", "changzhou");
        if (!allItems)
        {
            await setup.RunRecipeAsync("bench", RecipeReader.Parse($$"""
                { "name": "bench", "steps": [ { "name": "pipeline", "flow": "jiangsu",
                  "stages": [ { "trigger": "Accept", "label": "前台受理" }, { "trigger": "Confirm", "label": "后台发起核对" }, { "trigger": "Review", "label": "后台比对" },
                              { "trigger": "Approve", "label": "督查主任审核" }, { "trigger": "IssueReport", "label": "前台发放" } ],
                  "thresholds": { "*": { "property.vehicle": { "count": 0 }, "property.deposit": { "amount": 10000 }, "income.wage": { "amount": 500 } } },
                  "serviceItems": { "aa": [ {{string.Join(", ", CoreItems.Select(i => "\"" + i + "\""))}} ] } } ] }
                """));
        }

        var shell = await shells.GetShellAsync(shells.Find("bench")!);
        var roster = Roster(households, 3);
        Console.WriteLine($"roster: {households} households, {households * 3} members, {roster.Length / 1024} KiB; items per member: {(allItems ? "all of J table 1 for aa (121)" : CoreItems.Length + " (core set)")}");

        cpuAtPhaseStart = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        var phase = Stopwatch.StartNew();
        string entrustmentId;
        await using (var scope = shell.Services.CreateAsyncScope())
        {
            var reading = RosterReader.Read(new MemoryStream(roster));
            Console.WriteLine($"  (workbook read and checked row by row: {phase.Elapsed.TotalSeconds:F1} s)");
            var entrustment = new Entrustment { Department = "tn-mzj", ServiceItem = "aa", Channel = "excel", Purpose = "年度集中核对" };
            var result = await scope.ServiceProvider.GetRequiredService<IntakeService>().ReceiveAsync(entrustment, reading.Households, false, "cz.qiantai1", "320402", default);
            if (!result.Accepted)
            {
                throw new InvalidOperationException(string.Join("; ", result.Problems.Take(5).Select(p => p.Message)));
            }

            entrustmentId = entrustment.Id;
        }

        Report("roster read, checked and received (one transaction)", phase);
        await BatchAsync(shell, entrustmentId, CaseTrigger.Accept, "cz.qiantai1", phase);
        await BatchAsync(shell, entrustmentId, CaseTrigger.Confirm, "cz.houtai1", phase);
        var rounds = 0;
        while (true)
        {
            rounds++;
            await using var scope = shell.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default);
            if (!await scope.ServiceProvider.GetRequiredService<TenantDbContext>().Set<Verification.Exchange.Models.ProviderQuery>().AnyAsync(Verification.Exchange.Models.QueryStates.Waiting))
            {
                break;
            }
        }

        Report($"exchange: {(await CountAsync(shell)).Queries} provider queries sent, answered and recorded in {rounds} dispatcher rounds", phase);
        while (true)
        {
            await using var scope = shell.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CaseProgressWork>().RunOnceAsync(default, max: 2000);
            if (!await scope.ServiceProvider.GetRequiredService<TenantDbContext>().Set<VerificationCase>().AnyAsync(c => c.State == CaseState.Exchanging))
            {
                break;
            }
        }

        Report($"comparison: {(await CountAsync(shell)).Findings} findings", phase);
        await BatchAsync(shell, entrustmentId, CaseTrigger.Review, "cz.houtai1", phase);
        await BatchAsync(shell, entrustmentId, CaseTrigger.Approve, "cz.ducha1", phase);
        await BatchAsync(shell, entrustmentId, CaseTrigger.IssueReport, "cz.qiantai1", phase);
        total.Stop();
        var issued = await InScope(shell, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationReport>().CountAsync());
        Console.WriteLine($"TOTAL: {households} households from roster upload to {issued} issued reports in {total.Elapsed.TotalSeconds:F1} s; peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");

        // The tenant's shipped workflows react to the batch steps' events (written to the outbox); the
        // background round handles them alongside the pipeline in a deployment — measured apart here.
        phase.Restart();
        var handled = 0;
        while (options.GetValueOrDefault("workflows", "on") != "skip")
        {
            var round = await InScope(shell, sp => sp.GetRequiredService<Verification.Workflows.Services.WorkflowTimerWork>().RunOnceAsync(default));
            handled += round.Events;
            if (round.Events == 0)
            {
                break;
            }
        }

        var instances = await InScope(shell, sp => sp.GetRequiredService<TenantDbContext>().Set<Verification.Workflows.Models.WorkflowInstance>().CountAsync());
        Report($"workflows (not in TOTAL): {handled} case events handled by the workflow round, {instances} instances started (deadline reminders, home-visit decisions, re-check windows)", phase);

        // PDF: one cold print (starts Chromium), then warm prints of different reports.
        var htmls = await InScope(shell, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationReport>().OrderBy(r => r.Serial).Take(11).Select(r => r.Html).ToListAsync());
        var pdf = app.Services.GetRequiredService<ChromiumPdf>();
        var cold = Stopwatch.StartNew();
        var bytes = await pdf.PrintAsync(htmls[0], default);
        Console.WriteLine($"PDF cold (Chromium start + print): {cold.ElapsedMilliseconds} ms, {bytes.Length / 1024} KiB");
        var warm = new List<double>();
        foreach (var html in htmls.Skip(1))
        {
            var watch = Stopwatch.StartNew();
            await pdf.PrintAsync(html, default);
            warm.Add(watch.Elapsed.TotalMilliseconds);
        }

        warm.Sort();
        Console.WriteLine($"PDF warm: median {warm[warm.Count / 2]:F0} ms, max {warm[^1]:F0} ms over {warm.Count} reports");
        await pdf.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await app.StopAsync();
        // A 10,000-household run leaves ~800 MB behind.
        Directory.Delete(appData, recursive: true);
    }

    private static async Task BatchAsync(ShellContext shell, string entrustmentId, CaseTrigger trigger, string user, Stopwatch phase)
    {
        await InScope(shell, sp => sp.GetRequiredService<BatchService>().StartAsync(entrustmentId, trigger, user, default));
        while (await InScope(shell, async sp =>
        {
            await sp.GetRequiredService<BatchService>().RunAsync(2000, default);
            return await sp.GetRequiredService<TenantDbContext>().Set<BatchJob>().AnyAsync(j => j.State == BatchStates.Running);
        }))
        {
        }

        Report("batch " + trigger, phase);
    }

    private static async Task<(int Queries, int Findings)> CountAsync(ShellContext shell) =>
        await InScope(shell, async sp => (await sp.GetRequiredService<TenantDbContext>().Set<Verification.Exchange.Models.ProviderQuery>().CountAsync(), await sp.GetRequiredService<TenantDbContext>().Set<Finding>().CountAsync()));

    private static async Task<T> InScope<T>(ShellContext shell, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = shell.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private static TimeSpan cpuAtPhaseStart;

    /// <summary>Wall clock and the process's CPU time of a phase: CPU near the wall clock means one core did the work, near twice it both.</summary>
    private static void Report(string what, Stopwatch phase)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        Console.WriteLine($"  {what}: {phase.Elapsed.TotalSeconds:F1} s (CPU {(cpu - cpuAtPhaseStart).TotalSeconds:F1} s, RSS {process.WorkingSet64 / 1024 / 1024} MiB)");
        cpuAtPhaseStart = cpu;
        phase.Restart();
    }

    private static byte[] Roster(int households, int membersEach)
    {
        IEnumerable<Dictionary<string, object?>> Rows()
        {
            for (var h = 0; h < households; h++)
            {
                for (var m = 0; m < membersEach; m++)
                {
                    var n = h * membersEach + m;
                    yield return new Dictionary<string, object?>
                    {
                        ["序号"] = n + 1, ["市（州）"] = "常州市", ["县（市、区）"] = "天宁区", ["乡镇（街道）"] = "雕庄街道", ["户主姓名"] = "户主" + h, ["户主身份证号"] = Id(h * membersEach),
                        ["成员姓名"] = m == 0 ? "户主" + h : $"成员{h}-{m}", ["成员身份证号"] = Id(n), ["与户主关系"] = m == 0 ? "01" : "97",
                        // Paper authorizations numbered by the district centre, recorded as given by the city centre (R-3.3).
                        ["授权书编号"] = DocumentNumbers.Authorization("320402", 2026, n + 1),
                    };
                }
            }
        }

        using var stream = new MemoryStream();
        stream.SaveAs(Rows());
        return stream.ToArray();
    }

    private static string Id(int n)
    {
        var first17 = "320402" + new DateOnly(1940, 1, 1).AddDays(n % 27000).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + (100 + n / 27000 % 900).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return first17 + CitizenIdNumber.CheckCharacter(first17);
    }
}
