using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verification.Cms.Tenants;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>
/// A second web node of the same installation: its own process state (container, caches, node id)
/// on the first host's App_Data and database — the scale-out shape, several nodes on one PostgreSQL.
/// </summary>
public sealed class SecondNode(CmsHostFixture first) : WebApplicationFactory<Program>
{
    public ShellHost ShellHost => Services.GetRequiredService<ShellHost>();

    public Task<T> InTenantAsync<T>(string tenant, Func<IServiceProvider, Task<T>> action) => ShellScopes.InTenantAsync(ShellHost, tenant, action);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Cms:AppDataPath", first.AppData);
        builder.UseSetting("Cms:AutoSetup", "false");
        builder.UseSetting("Cms:PrintDemoLogins", "false");
        builder.UseSetting("Cms:BackgroundWork", "false");
        builder.UseSetting("Cms:DefaultDatabaseProvider", first.Provider.ToString());
        builder.UseSetting("Cms:PostgresConnectionString", first.PostgresConnectionString ?? string.Empty);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}

/// <summary>Runs code in a tenant's container, in a scope of its own.</summary>
public static class ShellScopes
{
    public static async Task<T> InTenantAsync<T>(ShellHost shells, string tenant, Func<IServiceProvider, Task<T>> action)
    {
        var settings = shells.Find(tenant) ?? throw new InvalidOperationException($"No tenant {tenant}");
        var shell = await shells.GetShellAsync(settings);
        await using var scope = shell.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }
}
