using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

/// <summary>/health/live: the process answers. /health/ready: the tenant list is readable and every running tenant's database answers.</summary>
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
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        var healthy = true;
        var tenants = shellHost.AllSettings;
        if (tenants.All(t => !t.IsDefault || t.State != TenantState.Running))
        {
            checks["host"] = "not set up";
            healthy = false;
        }

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
                checks[tenant.Name] = "ok";
            }
            catch (Exception ex)
            {
                checks[tenant.Name] = "database unreachable: " + ex.GetType().Name;
                healthy = false;
            }
        }

        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { status = healthy ? "Healthy" : "Unhealthy", checks }));
    }
}
