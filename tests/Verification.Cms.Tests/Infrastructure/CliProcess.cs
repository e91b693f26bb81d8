using System.Diagnostics;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>The platform's command-line verbs (audit verify, backup, restore) run as their own process on a host's App_Data, as an operator would.</summary>
public static class CliProcess
{
    public static async Task<(int Code, string Output)> RunAsync(CmsHostFixture host, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Verification.Cms.Web.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Cms__AppDataPath"] = host.AppData;
        start.Environment["Cms__AutoSetup"] = "false";
        start.Environment["Cms__PrintDemoLogins"] = "false";
        start.Environment["Cms__BackgroundWork"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
