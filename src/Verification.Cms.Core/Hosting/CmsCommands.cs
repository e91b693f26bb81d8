using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Audit;
using Verification.Cms.Localization;
using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

/// <summary>
/// Command-line verbs of the host, run instead of the web server:
/// <c>audit verify &lt;tenant&gt;</c> re-computes a tenant's audit chain and names the first broken event (exit 0 intact, 3 broken);
/// <c>backup &lt;tenant&gt;|--all [--full]</c>, <c>backup list [tenant]</c>, <c>backup verify &lt;tenant&gt; &lt;id&gt;</c> and
/// <c>restore &lt;tenant&gt; [id]</c> (with the web server stopped) manage backups (exit 0 done, 2 usage, 3 damaged or not verified).
/// </summary>
public static class CmsCommands
{
    public static async Task<int?> TryRunAsync(this WebApplication app, string[] args)
    {
        if (args.Length >= 1 && args[0] is "backup" or "restore")
        {
            return await BackupCommandAsync(app, args);
        }

        if (args.Length >= 3 && args[0] == "audit" && args[1] == "verify")
        {
            var shellHost = app.Services.GetRequiredService<ShellHost>();
            var settings = shellHost.Find(args[2]);
            if (settings is not { State: TenantState.Running or TenantState.Disabled })
            {
                await Console.Error.WriteLineAsync($"No set-up tenant named '{args[2]}'.");
                return 2;
            }

            var shell = await shellHost.GetShellAsync(settings);
            await using var scope = shell.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None);
            if (result.IsIntact)
            {
                Console.WriteLine(result.Keyed
                    ? $"Audit trail of '{settings.Name}' is intact: {result.EventCount} events, signed and matching its checkpoints."
                    : $"Audit trail of '{settings.Name}' is intact: {result.EventCount} events, unkeyed (written before the audit key; the next event creates it).");
                return 0;
            }

            Console.WriteLine($"Audit trail of '{settings.Name}' is BROKEN at event {result.FirstBreak!.Sequence}: {result.FirstBreak.Text} ({result.EventCount} events).");
            return 3;
        }

        return null;
    }

    private static async Task<int> BackupCommandAsync(WebApplication app, string[] args)
    {
        var backups = app.Services.GetRequiredService<Backups.BackupService>();
        var shellHost = app.Services.GetRequiredService<ShellHost>();
        try
        {
            switch (args)
            {
                case ["backup", "list", .. var rest]:
                    foreach (var tenant in rest.Length > 0 ? rest : shellHost.AllSettings.Select(s => s.Name).ToArray())
                    {
                        foreach (var b in backups.List(tenant))
                        {
                            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{tenant}\t{b.Id}\t{b.Kind}\t{CmsTime.Format(b.CreatedUtc)}\t{b.Bytes}\t{b.StoredBytes}"));
                        }
                    }

                    return 0;
                case ["backup", "verify", var tenant, var id]:
                    var problems = backups.Verify(tenant, id);
                    Console.WriteLine(problems.Count == 0 ? $"Backup {id} of '{tenant}' verifies." : $"Backup {id} of '{tenant}' is DAMAGED: {string.Join("; ", problems)}");
                    return problems.Count == 0 ? 0 : 3;
                case ["backup", .. var names] when names.Length > 0:
                    bool? full = names.Contains("--full") ? true : null;
                    var tenants = names.Contains("--all") ? shellHost.AllSettings.Where(s => s.State is TenantState.Running or TenantState.Disabled).Select(s => s.Name).ToArray() : names.Where(n => !n.StartsWith("--", StringComparison.Ordinal)).ToArray();
                    foreach (var tenant in tenants)
                    {
                        var made = await backups.BackupAsync(tenant, full, "cli", CancellationToken.None);
                        Console.WriteLine($"Backed up '{tenant}': {made.Id} ({made.Kind}, {made.Bytes} bytes, {made.StoredBytes} stored), verified.");
                    }

                    return tenants.Length == 0 ? 2 : 0;
                case ["restore", var tenant, .. var id]:
                    var result = await backups.RestoreAsync(tenant, id.FirstOrDefault(), "cli", CancellationToken.None);
                    Console.WriteLine(result.Verified
                        ? $"Restored '{tenant}' from {result.Backup.Id}: rows, files and audit trail verified."
                        : $"Restored '{tenant}' from {result.Backup.Id}, but it does NOT verify: {string.Join("; ", result.Problems)}");
                    return result.Verified ? 0 : 3;
                default:
                    await Console.Error.WriteLineAsync("Usage: backup <tenant>|--all [--full] | backup list [tenant] | backup verify <tenant> <id> | restore <tenant> [id]");
                    return 2;
            }
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (InvalidDataException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 3;
        }
    }
}
