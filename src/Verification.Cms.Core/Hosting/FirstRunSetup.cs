using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

/// <summary>On first run sets up the host from the "default" recipe (which sets up the demo tenants); prints the demo logins.</summary>
internal sealed class FirstRunSetup(ShellHost shellHost, TenantSetupService setup, DemoLogins demoLogins, IOptions<CmsOptions> options, ILogger<FirstRunSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var host = shellHost.Find(ShellSettings.DefaultName);
        if (o.AutoSetup && host is not { State: TenantState.Running })
        {
            logger.LogInformation("First run: setting up the host tenant and the demo tenants from recipes");
            var settings = await setup.RegisterHostAsync();
            var output = await setup.SetupAsync(settings.Name, settings.RecipeName ?? "default", new RecipeRunOptions { Actor = "setup" }, cancellationToken);
            demoLogins.Append(output.Logins);
        }

        if (o.PrintDemoLogins)
        {
            Console.Out.Write(demoLogins.Describe());
            Console.Out.Flush();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
