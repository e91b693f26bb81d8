using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verification.Cms.Background;
using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

/// <summary>
/// Runs every running tenant's <see cref="ITenantBackgroundWork"/> on its interval. A failure is
/// logged and retried on the next round; one tenant's failure never stops another's work.
/// </summary>
public sealed class TenantBackgroundService(ShellHost shells, IOptions<CmsOptions> options, TimeProvider time, ILogger<TenantBackgroundService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(string Tenant, string Work), DateTimeOffset> _lastRun = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundWork)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.BackgroundTickMilliseconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var settings in shells.AllSettings.Where(s => s.State == TenantState.Running))
            {
                await RunTenantAsync(settings, stoppingToken);
            }
        }
    }

    /// <summary>Runs the tenant's due work once (also used by tests and benchmarks to drive it deterministically).</summary>
    public async Task RunTenantAsync(ShellSettings settings, CancellationToken cancellationToken, bool force = false)
    {
        try
        {
            var shell = await shells.GetShellAsync(settings, cancellationToken);
            shell.Enter();
            try
            {
                await using var scope = shell.Services.CreateAsyncScope();
                foreach (var work in scope.ServiceProvider.GetServices<ITenantBackgroundWork>())
                {
                    var key = (settings.Name, work.Name);
                    var now = time.GetUtcNow();
                    if (!force && _lastRun.TryGetValue(key, out var last) && now - last < work.Interval)
                    {
                        continue;
                    }

                    _lastRun[key] = now;
                    try
                    {
                        await work.RunAsync(cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogError(ex, "Background work {Work} of tenant {Tenant} failed; it runs again on its next interval.", work.Name, settings.Name);
                    }
                }
            }
            finally
            {
                await shell.ExitAsync();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Tenant {Tenant} could not run its background work.", settings.Name);
        }
    }
}
