using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Verification.Exchange.Simulation;

/// <summary>
/// tools/Verification.ProviderSimulator as its own process on a free loopback port, started and stopped by the
/// tests and benchmarks (a development aid: it finds the simulator built beside them in the repository).
/// </summary>
public sealed class SimulatorProcess : IDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<SimulatorProcess> StartAsync(params string[] options)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SimulatorDll());
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("listening on", StringComparison.Ordinal))
            {
                return new SimulatorProcess(process, $"http://127.0.0.1:{port}");
            }
        }

        throw new InvalidOperationException("The provider simulator did not start: " + await process.StandardError.ReadToEndAsync());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    /// <summary>The simulator built beside the tests (same configuration), found from the repository root.</summary>
    private static string SimulatorDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.Parent!.Name; // …/bin/{Configuration}/net10.0/
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Verification.Cms.sln")))
        {
            directory = directory.Parent;
        }

        var dll = Path.Combine(directory!.FullName, "tools", "Verification.ProviderSimulator", "bin", configuration, "net10.0", "Verification.ProviderSimulator.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: the provider simulator is missing.", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
