using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verification.Cms.Data;
using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

/// <summary>
/// /health/live: the process answers. /health/ready: the tenant list is readable and every running tenant's
/// database answers. Anonymous callers learn counts only; which tenant failed goes to the log, not to them.
/// </summary>
internal static class HealthEndpoints
{
    public static Task LiveAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"status\":\"Healthy\"}");
    }

    public static async Task ReadyAsync(HttpContext context)
    {
        var shellHost = context.RequestServices.GetRequiredService<ShellHost>();
        var paths = context.RequestServices.GetRequiredService<CmsPaths>();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Health");
        var healthy = true;
        var tenants = shellHost.AllSettings;
        var hostReady = tenants.Any(t => t.IsDefault && t.State == TenantState.Running);
        healthy &= hostReady;
        int answered = 0, unreachable = 0;
        foreach (var tenant in tenants.Where(t => t.State == TenantState.Running))
        {
            try
            {
                var database = new TenantDatabase(tenant, paths.TenantFolder(tenant.Name));
                await using var connection = database.CreateConnection();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await connection.OpenAsync(timeout.Token);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(timeout.Token);
                answered++;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Health: the database of tenant {Tenant} does not answer", tenant.Name);
                unreachable++;
                healthy = false;
            }
        }

        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { status = healthy ? "Healthy" : "Unhealthy", host = hostReady ? "ok" : "not set up", databases = new { answered, unreachable } }));
    }
}
