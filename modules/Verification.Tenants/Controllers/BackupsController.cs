using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Backups;
using Verification.Cms.Security;
using Verification.Cms.Tenants;

namespace Verification.Tenants.Controllers;

/// <summary>
/// Backups of every tenant and of the host: when each was last backed up and how large, a backup
/// now (full or incremental), verifying one, and restoring a tenant — confirmed by typing its name.
/// </summary>
[Route("admin/backups")]
[RequirePermission("ManageTenants")]
public sealed class BackupsController(BackupService backups, ShellHost shellHost, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public IActionResult Index(string? tenant)
    {
        var tenants = shellHost.AllSettings.Where(s => s.State is TenantState.Running or TenantState.Disabled).OrderBy(s => s.IsDefault ? string.Empty : s.Name, StringComparer.Ordinal).ToList();
        var rows = tenants.Select(t => new BackupRow(t, backups.List(t.Name))).ToList();
        var selected = rows.FirstOrDefault(r => r.Tenant.Name == tenant);
        return View(new BackupsViewModel(rows, selected));
    }

    [HttpPost("{tenant}")]
    public async Task<IActionResult> Backup(string tenant, bool full, CancellationToken cancellationToken)
    {
        try
        {
            var made = await backups.BackupAsync(tenant, full ? true : null, User.Identity?.Name, cancellationToken);
            TempData["Message"] = T["Backup {0} made and verified.", made.Id].Value;
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException)
        {
            TempData["Error"] = T["The backup failed: {0}", ex.Message].Value;
        }

        return Redirect(Url.Content("~/admin/backups?tenant=" + Uri.EscapeDataString(tenant)));
    }

    [HttpPost("{tenant}/{id}/verify")]
    public IActionResult Verify(string tenant, string id)
    {
        var problems = backups.Verify(tenant, id);
        TempData[problems.Count == 0 ? "Message" : "Error"] = problems.Count == 0 ? T["Backup {0} verifies.", id].Value : T["Backup {0} is damaged: {1}", id, string.Join("; ", problems)].Value;
        return Redirect(Url.Content("~/admin/backups?tenant=" + Uri.EscapeDataString(tenant)));
    }

    /// <summary>The host is restored with the process stopped (command line), never from its own page.</summary>
    [HttpPost("{tenant}/{id}/restore")]
    public async Task<IActionResult> Restore(string tenant, string id, string? confirm, CancellationToken cancellationToken)
    {
        if (shellHost.Find(tenant) is not { IsDefault: false })
        {
            TempData["Error"] = T["The host is restored with the server stopped: restore Default on the command line."].Value;
        }
        else if (!string.Equals(confirm?.Trim(), tenant, StringComparison.Ordinal))
        {
            TempData["Error"] = T["Type the tenant's name to confirm the restore."].Value;
        }
        else
        {
            try
            {
                var result = await backups.RestoreAsync(tenant, id, User.Identity?.Name, cancellationToken);
                TempData[result.Verified ? "Message" : "Error"] = result.Verified
                    ? T["Restored from {0}: rows, files and audit trail verified.", id].Value
                    : T["Restored from {0}, but it does not verify: {1}", id, string.Join("; ", result.Problems)].Value;
            }
            catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException)
            {
                TempData["Error"] = T["Nothing was restored: {0}", ex.Message].Value;
            }
        }

        return Redirect(Url.Content("~/admin/backups?tenant=" + Uri.EscapeDataString(tenant)));
    }
}

public sealed record BackupRow(ShellSettings Tenant, IReadOnlyList<BackupManifest> Backups)
{
    public BackupManifest? Last => Backups.Count > 0 ? Backups[0] : null;

    public BackupManifest? LastFull => Backups.FirstOrDefault(b => b.Kind == BackupManifest.Full);
}

public sealed record BackupsViewModel(IReadOnlyList<BackupRow> Rows, BackupRow? Selected);
