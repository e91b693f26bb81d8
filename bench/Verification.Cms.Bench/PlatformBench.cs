using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verification.Cms.Hosting;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;

namespace Verification.Cms.Bench;

/// <summary>
/// Platform foundation benchmarks (issue: tenant setup ≤ 3 s median, 50 tenants ≤ 1.5 GiB RSS,
/// cold start to first page ≤ 5 s). Prints figures; asserts nothing.
/// Usage: dotnet run -c Release --project bench/Verification.Cms.Bench [-- setups=7 tenants=50 | forms | exchange | pipeline households=10000 items=core|all | pdf | workflows instances=10000 events=1000]
/// </summary>
public static class PlatformBench
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("forms"))
        {
            await FormsBench.RunAsync();
            return 0;
        }

        if (args.Contains("exchange"))
        {
            await ExchangeBench.RunAsync();
            return 0;
        }

        if (args.Contains("pdf"))
        {
            await PdfBench.RunAsync();
            return 0;
        }

        if (args.Contains("workflows"))
        {
            await WorkflowBench.RunAsync(args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]));
            return 0;
        }

        if (args.Contains("pipeline"))
        {
            await PipelineBench.RunAsync(args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]));
            return 0;
        }

        var options = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var setups = options.GetValueOrDefault("setups", 7);
        var tenantCount = options.GetValueOrDefault("tenants", 50);
        var appData = Path.Combine(Path.GetTempPath(), "vcms-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine($"Verification.Cms platform benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite, App_Data {appData}");

        await using (var app = await StartAsync(appData))
        {
            var setup = app.Services.GetRequiredService<TenantSetupService>();
            var host = await setup.RegisterHostAsync();
            await setup.SetupAsync(host.Name, "default", new RecipeRunOptions { SkipSteps = new HashSet<string> { "tenants" } });

            var times = new List<double>();
            for (var i = 0; i < setups; i++)
            {
                var name = $"gz{i:D2}";
                await setup.RegisterAsync(new NewTenant(name, null, name, null, "guangzhou"));
                var watch = Stopwatch.StartNew();
                await setup.SetupAsync(name, "guangzhou");
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"tenant setup from the guangzhou recipe (18 org units, 7 roles, 10 users): median {times[times.Count / 2]:F0} ms, min {times[0]:F0} ms, max {times[^1]:F0} ms over {setups} runs (first run includes JIT)");

            var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            for (var i = 0; i < tenantCount; i++)
            {
                var name = $"cz{i:D2}";
                await setup.RegisterAsync(new NewTenant(name, null, name, null, "changzhou"));
                await setup.SetupAsync(name, "changzhou");
            }

            var load = Stopwatch.StartNew();
            var loaded = 0;
            foreach (var tenant in app.Services.GetRequiredService<ShellHost>().AllSettings)
            {
                var response = await http.GetAsync(string.IsNullOrEmpty(tenant.RequestUrlPrefix) ? "/login" : $"/{tenant.RequestUrlPrefix}/login");
                loaded += response.IsSuccessStatusCode ? 1 : 0;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine($"{loaded} tenants loaded and serving in one process (first page of each in {load.Elapsed.TotalSeconds:F1} s): RSS {self.WorkingSet64 / 1024.0 / 1024.0:F0} MiB, managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F0} MiB");
            await app.StopAsync();
        }

        Console.WriteLine($"cold start to first page (new process, {tenantCount + setups + 1} tenants on disk): {await ColdStartAsync(appData):F0} ms");
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(appData, recursive: true);
        }
        catch (IOException)
        {
        }

        return 0;
    }

    internal static async Task<WebApplication> StartAsync(string appData)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["Cms:AppDataPath"] = appData;
        builder.Configuration["Cms:AutoSetup"] = "false";
        builder.Configuration["Cms:PrintDemoLogins"] = "false";
        // The benchmarks drive background work themselves.
        builder.Configuration["Cms:BackgroundWork"] = "false";
        builder.Configuration["Urls"] = "http://127.0.0.1:0";
        builder.Logging.ClearProviders();
        builder.AddVerificationCms();
        var app = builder.Build();
        app.UseVerificationCms();
        await app.StartAsync();
        return app;
    }

    /// <summary>Starts the real host as its own process on an existing App_Data and times until /guangzhou/login answers 200.</summary>
    private static async Task<double> ColdStartAsync(string appData)
    {
        var port = 5600 + Random.Shared.Next(300);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Verification.Cms.Web.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Cms__AppDataPath"] = appData;
        start.Environment["Cms__PrintDemoLogins"] = "false";
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    var response = await http.GetAsync($"http://127.0.0.1:{port}/gz00/login");
                    if (response.IsSuccessStatusCode)
                    {
                        return watch.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(25);
            }

            return double.NaN;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
