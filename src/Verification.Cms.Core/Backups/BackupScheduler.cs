using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verification.Cms.Hosting;
using Verification.Cms.Localization;
using Verification.Cms.Tenants;

namespace Verification.Cms.Backups;

/// <summary>
/// The daily backup round: once a day at <see cref="CmsOptions.BackupDailyAt"/> (Beijing time) every
/// set-up tenant and the host is backed up — the first backup of a month in full, the others incremental —
/// and generations past the retention are removed. A round missed while the process was down runs when it
/// comes back.
/// </summary>
public sealed class BackupScheduler(BackupService backups, ShellHost shells, IOptions<CmsOptions> options, TimeProvider time, ILogger<BackupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.BackgroundWork || !TimeOnly.TryParseExact(o.BackupDailyAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            await RunDueAsync(at, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Backs up every tenant whose backup of today (Beijing) is due and not yet made.</summary>
    public async Task RunDueAsync(TimeOnly at, CancellationToken cancellationToken)
    {
        var now = CmsTime.ToChina(time.GetUtcNow().UtcDateTime);
        if (TimeOnly.FromDateTime(now) < at)
        {
            return;
        }

        foreach (var settings in shells.AllSettings.Where(s => s.State is TenantState.Running or TenantState.Disabled))
        {
            try
            {
                var made = backups.List(settings.Name);
                if (made.Count > 0 && CmsTime.ToChina(made[0].CreatedUtc).Date == now.Date)
                {
                    continue;
                }

                await backups.BackupAsync(settings.Name, null, "backup", cancellationToken);
                backups.Prune(settings.Name);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The daily backup of {Tenant} failed", settings.Name);
            }
        }
    }
}
