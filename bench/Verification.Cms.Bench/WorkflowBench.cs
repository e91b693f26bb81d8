using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Tenants;
using Verification.Cms.Workflows;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Cms.Bench;

/// <summary>
/// The workflow benchmark (issue: 10,000 running instances, a timer sweep ≤ 1 s; triggering an event
/// for a case adds ≤ 5 ms). A changzhou tenant on SQLite with its shipped workflows. Prints figures; asserts nothing.
/// Usage: … -- workflows [instances=10000] [events=1000]
/// </summary>
public static class WorkflowBench
{
    private const string Waiting = """
    {
      "activities": [
        { "id": "start", "type": "ManualStart" },
        { "id": "wait", "type": "Timer", "props": { "workingDays": 5 } },
        { "id": "tell", "type": "Notify", "props": { "toRole": "后台", "title": "到时" } }
      ],
      "transitions": [ { "from": "start", "outcome": "Done", "to": "wait" }, { "from": "wait", "outcome": "Done", "to": "tell" } ]
    }
    """;

    public static async Task RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var count = int.Parse(options.GetValueOrDefault("instances", "10000"), System.Globalization.CultureInfo.InvariantCulture);
        var events = int.Parse(options.GetValueOrDefault("events", "1000"), System.Globalization.CultureInfo.InvariantCulture);
        var appData = Path.Combine(Path.GetTempPath(), "vcms-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"Verification.Cms workflow benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite");
        await using var app = await PlatformBench.StartAsync(appData);
        var setup = app.Services.GetRequiredService<TenantSetupService>();
        var shells = app.Services.GetRequiredService<ShellHost>();
        await setup.RegisterAsync(new NewTenant("bench", null, "bench", null, "changzhou"));
        await setup.SetupAsync("bench", "changzhou");
        var shell = await shells.GetShellAsync(shells.Find("bench")!);

        async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
        {
            await using var scope = shell.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }

        await InScope(async sp =>
        {
            var definitions = sp.GetRequiredService<WorkflowDefinitions>();
            await definitions.SaveDraftAsync("bench-wait", "基准：等待 5 个工作日", null, WorkflowGraph.Parse(Waiting), null, "bench", default);
            return await definitions.PublishAsync("bench-wait", null, "bench", default);
        });

        // 1. Start the instances (each runs until it waits on its timer).
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < count; done += 500)
        {
            await InScope(async sp =>
            {
                var definitions = sp.GetRequiredService<WorkflowDefinitions>();
                for (var i = done; i < Math.Min(done + 500, count); i++)
                {
                    await definitions.StartManuallyAsync("bench-wait", null, "bench", default);
                }

                return 0;
            });
        }

        Console.WriteLine($"started {count} instances (each to its timer) in {watch.Elapsed.TotalSeconds:0.0} s = {watch.Elapsed.TotalMilliseconds / count:0.00} ms per instance");

        // 2. The sweep with every instance waiting and none due.
        var sweeps = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            watch.Restart();
            await InScope(sp => sp.GetRequiredService<WorkflowTimerWork>().RunOnceAsync(default));
            sweeps.Add(watch.Elapsed.TotalMilliseconds);
        }

        sweeps.Sort();
        Console.WriteLine($"timer sweep with {count} waiting instances, none due: median {sweeps[sweeps.Count / 2]:0.0} ms, max {sweeps[^1]:0.0} ms (7 sweeps)");

        // 3. Events for cases: the shipped deadline reminder starts on "accepted" and waits (facts, working-day timer, two bookmarks).
        var caseIds = await InScope(async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var entrustment = new Entrustment { Department = "tn-mzj", ServiceItem = "aa", Channel = "excel" };
            db.Add(entrustment);
            var cases = Enumerable.Range(0, events).Select(i => new VerificationCase
            {
                EntrustmentId = entrustment.Id, ServiceItem = "aa", Number = $"B-{i:D6}", State = CaseState.Accepted, HeadName = "户主",
                HeadIdNumber = "320402199001010000", OrgUnit = "320402", ReceivedOn = DateOnly.FromDateTime(DateTime.UtcNow), DueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(21)),
            }).ToList();
            db.AddRange(cases);
            await db.SaveChangesAsync();
            return cases.Select(c => c.Id).ToList();
        });
        var quiet = await TimeEventsAsync(shell, caseIds, "Archived");
        var starting = await TimeEventsAsync(shell, caseIds, "Accepted");
        var started = await InScope(sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowInstance>().CountAsync(i => i.DefinitionName == "deadline-reminder"));
        Console.WriteLine($"case event that starts nothing (its waits looked up): {quiet:0.000} ms per event; case event that starts the deadline reminder (runs to its wait): {starting:0.00} ms per event ({started} instances started, {events} events)");

        // 4. Every timer falls due at once: the sweeps that fire them all (catch-up after downtime).
        await InScope(sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowBookmark>().Where(b => b.Kind == BookmarkKinds.Timer && b.DefinitionName == "bench-wait")
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.DueUtc, DateTime.UtcNow.AddMinutes(-1))));
        watch.Restart();
        var fired = 0;
        var rounds = 0;
        while (true)
        {
            var result = await InScope(sp => sp.GetRequiredService<WorkflowTimerWork>().RunOnceAsync(default));
            rounds++;
            fired += result.TimersFired;
            if (result.TimersFired == 0)
            {
                break;
            }
        }

        Console.WriteLine($"catch-up: {fired} due timers fired and their instances finished in {watch.Elapsed.TotalSeconds:0.0} s over {rounds} sweeps = {watch.Elapsed.TotalMilliseconds / Math.Max(fired, 1):0.00} ms per timer");
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
    }

    private static async Task<double> TimeEventsAsync(ShellContext shell, IReadOnlyList<string> caseIds, string to)
    {
        var watch = Stopwatch.StartNew();
        foreach (var chunk in caseIds.Chunk(200))
        {
            await using var scope = shell.Services.CreateAsyncScope();
            var workflows = scope.ServiceProvider.GetRequiredService<IWorkflowEvents>();
            foreach (var id in chunk)
            {
                await workflows.RaiseAsync(new WorkflowEvent(WorkflowEventNames.CaseStateChanged, id, new Dictionary<string, string?> { ["from"] = "IntakeReview", ["to"] = to, ["serviceItem"] = "aa" }), default);
            }
        }

        return watch.Elapsed.TotalMilliseconds / caseIds.Count;
    }
}
