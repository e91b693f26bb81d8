using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Audit;
using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

/// <summary>
/// Command-line verbs of the host, run instead of the web server:
/// <c>audit verify &lt;tenant&gt;</c> re-computes a tenant's audit chain and names the first broken event (exit 0 intact, 3 broken).
/// </summary>
public static class CmsCommands
{
    public static async Task<int?> TryRunAsync(this WebApplication app, string[] args)
    {
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
}
