using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verification.Cms.Localization;
using Verification.Cms.Modules;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;

namespace Verification.Cms.Hosting;

public static class CmsServiceCollectionExtensions
{
    /// <summary>Adds the platform's host services: module catalogue, tenants, recipes, first-run setup.</summary>
    public static WebApplicationBuilder AddVerificationCms(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<CmsOptions>(builder.Configuration.GetSection(CmsOptions.Section));
        services.AddSingleton(TimeProvider.System);
        // The host sets the current HttpContext; tenant containers read it through their own accessor (same async-local).
        services.AddHttpContextAccessor();
        services.AddSingleton<CmsPaths>();
        services.AddSingleton(_ => ModuleCatalog.FromApplicationDirectory());
        services.AddSingleton<LocalizationCatalog>();
        services.AddSingleton<ShellSettingsStore>();
        services.AddSingleton<RecipeCatalog>();
        services.AddSingleton<ShellContainerFactory>();
        services.AddSingleton<ShellHost>();
        services.AddSingleton<TenantSetupService>();
        services.AddSingleton<DemoLogins>();
        services.AddSingleton<Rendering.ChromiumPdf>();
        services.AddSingleton<Backups.BackupService>();
        services.AddHostedService<Backups.BackupScheduler>();
        services.AddHostedService<FirstRunSetup>();
        services.AddSingleton<TenantBackgroundService>();
        services.AddHostedService(sp => sp.GetRequiredService<TenantBackgroundService>());
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return builder;
    }

    /// <summary>
    /// Host pipeline: forwarded headers from trusted proxies, errors without stack traces, security headers,
    /// health endpoints, then every other request goes to its tenant.
    /// </summary>
    public static WebApplication UseVerificationCms(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CmsOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(options.TrustedProxies))
        {
            // TLS ends at the proxy: its X-Forwarded-Proto makes cookies Secure and turns HSTS on.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ErrorResponses.WriteAsync });
        app.UseStatusCodePages(ErrorResponses.WriteStatusAsync);
        app.UseMiddleware<Security.SecurityHeadersMiddleware>();
        app.Map("/health/live", live => live.Run(HealthEndpoints.LiveAsync));
        app.Map("/health/ready", ready => ready.Run(HealthEndpoints.ReadyAsync));
        app.UseMiddleware<TenantMiddleware>();
        return app;
    }
}
