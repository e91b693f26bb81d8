using System.Diagnostics;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Razor.Compilation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Hosting;
using Verification.Cms.Localization;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Numbering;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Cms.Settings;
using Verification.Cms.Users;

namespace Verification.Cms.Tenants;

/// <summary>
/// Builds a tenant's container from its enabled features and its request pipeline, and brings
/// its schema up to date. Only a few host singletons (logging, configuration, environment, the
/// shell host itself) are shared; everything else — MVC, identity, data protection, EF Core —
/// is the tenant's own.
/// </summary>
public sealed class ShellContainerFactory(IServiceProvider host, ModuleCatalog catalog, CmsPaths paths, IOptions<CmsOptions> options, ILogger<ShellContainerFactory> logger)
{
    public async Task<ShellContext> CreateAsync(ShellSettings settings, IReadOnlyCollection<string>? featureOverride, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var database = new TenantDatabase(settings, paths.TenantFolder(settings.Name));
        var requested = featureOverride ?? await ShellFeatureReader.ReadAsync(database, cancellationToken);
        var features = Resolve(settings, requested);
        var (provider, startups) = BuildServices(settings, database, features);
        try
        {
            if (settings.State is TenantState.Running or TenantState.Initializing)
            {
                await database.EnsureExistsAsync(cancellationToken);
                await using var scope = provider.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
            }

            var defaultLocale = await ReadDefaultLocaleAsync(provider, settings, cancellationToken);
            var pipeline = BuildPipeline(provider, startups, defaultLocale);
            logger.LogInformation("Shell {Tenant} built with {FeatureCount} features in {Elapsed} ms", settings.Name, features.Count, stopwatch.ElapsedMilliseconds);
            return new ShellContext(settings, provider, pipeline, features.Select(f => f.Info.Id).ToHashSet(StringComparer.Ordinal));
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>A container without pipeline or database access, for validating a recipe against the features it enables.</summary>
    public ServiceProvider CreateValidationContainer(ShellSettings settings, IEnumerable<string> featureIds)
    {
        var database = new TenantDatabase(settings, paths.TenantFolder(settings.Name));
        return BuildServices(settings, database, Resolve(settings, featureIds.ToList())).Provider;
    }

    public IReadOnlyList<CatalogFeature> Resolve(ShellSettings settings, IReadOnlyCollection<string> requested) =>
        catalog.ResolveEnabled(requested.Where(catalog.Exists))
            .Where(f => !f.Info.HostOnly || settings.IsDefault)
            .ToList();

    private (ServiceProvider Provider, List<FeatureStartup> Startups) BuildServices(ShellSettings settings, TenantDatabase database, IReadOnlyList<CatalogFeature> features)
    {
        var services = new ServiceCollection();
        AddHostServices(services);

        var enabled = features.Select(f => f.Info.Id).ToHashSet(StringComparer.Ordinal);
        var tenant = new TenantContext(settings, enabled, paths.TenantFolder(settings.Name));
        services.AddSingleton(settings);
        services.AddSingleton<ITenantContext>(tenant);
        services.AddSingleton(database);
        AddTenantPlatform(services, settings, tenant, database, features);

        var startups = new List<FeatureStartup>();
        foreach (var feature in features)
        {
            var startup = (FeatureStartup)Activator.CreateInstance(feature.Info.Startup)!;
            startup.ConfigureServices(services);
            startups.Add(startup);
        }

        return (services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false }), startups);
    }

    private void AddHostServices(IServiceCollection services)
    {
        services.AddSingleton(host.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(host.GetRequiredService<IConfiguration>());
        var environment = host.GetRequiredService<IWebHostEnvironment>();
        services.AddSingleton(environment);
        services.AddSingleton<IHostEnvironment>(environment);
        services.AddSingleton(host.GetRequiredService<IHostApplicationLifetime>());
        var diagnostics = host.GetRequiredService<DiagnosticListener>();
        services.AddSingleton(diagnostics);
        services.AddSingleton<DiagnosticSource>(diagnostics);
        services.AddSingleton(host.GetRequiredService<TimeProvider>());
        services.AddSingleton(catalog);
        services.AddSingleton(paths);
        services.AddSingleton(options);
        services.AddSingleton(host.GetRequiredService<LocalizationCatalog>());
        services.AddSingleton(host.GetRequiredService<ShellSettingsStore>());
        services.AddSingleton(host.GetRequiredService<RecipeCatalog>());
        services.AddSingleton(_ => host.GetRequiredService<ShellHost>());
        services.AddSingleton(_ => host.GetRequiredService<TenantSetupService>());
        // One warm browser per process, shared by every tenant's reports.
        services.AddSingleton(host.GetRequiredService<Rendering.ChromiumPdf>()); // an instance: tenant containers do not dispose it
        services.AddSingleton(_ => host.GetRequiredService<Backups.BackupService>());
    }

    private void AddTenantPlatform(IServiceCollection services, ShellSettings settings, TenantContext tenant, TenantDatabase database, IReadOnlyList<CatalogFeature> features)
    {
        var cookiePath = string.IsNullOrEmpty(tenant.PathBase) ? "/" : tenant.PathBase;
        services.AddOptions();
        // Razor must not turn Chinese into &#x...; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddMemoryCache();

        services.AddDbContext<TenantDbContext>(
            o =>
            {
                database.Configure(o);
                o.ReplaceService<IModelCacheKeyFactory, TenantModelCacheKeyFactory>();
            },
            ServiceLifetime.Scoped,
            ServiceLifetime.Singleton);
        services.AddSingleton<IDataMigration, CoreMigration>();
        services.AddSingleton<IDataMigration, NumberingMigration>();
        services.AddScoped<ISerialNumberAllocator, SerialNumberAllocator>();
        // Replaced by the workflows feature when it is enabled.
        services.AddScoped<Workflows.IWorkflowEvents, Workflows.NoWorkflowEvents>();
        services.AddScoped<SchemaMigrator>();

        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(tenant.DataFolder, "DataProtection-Keys")))
            .SetApplicationName("Verification.Cms/" + settings.Name);

        services.AddIdentity<CmsUser, CmsRole>(o =>
            {
                // strong authentication: long, mixed passwords; lockout after repeated failures.
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<TenantDbContext>()
            .AddDefaultTokenProviders();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = ".vcms." + settings.Name;
            o.Cookie.Path = cookiePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request came over TLS (directly or through a trusted proxy).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/access-denied";
            // Idle session timeout: the session ends after this long without a request.
            o.ExpireTimeSpan = TimeSpan.FromMinutes(options.Value.IdleTimeoutMinutes);
            o.SlidingExpiration = true;
            o.TimeProvider = host.GetRequiredService<TimeProvider>();
            o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorization();
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddScoped<IAuthorizationHandler, PermissionAuthorizationHandler>();
        services.AddScoped<IUserPermissions, UserPermissions>();
        services.AddSingleton<PermissionCatalog>();

        services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        services.AddSingleton<IStringLocalizer, JsonStringLocalizer>();
        services.AddSingleton(typeof(IStringLocalizer<>), typeof(JsonStringLocalizer<>));

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".vcms.af." + settings.Name;
            o.Cookie.Path = cookiePath;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "RequestVerificationToken";
        });
        var assemblies = features.Select(f => f.Module.Assembly).Distinct().ToList();
        services.AddControllersWithViews(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .ConfigureApplicationPartManager(apm =>
            {
                apm.ApplicationParts.Clear();
                foreach (var assembly in assemblies)
                {
                    apm.ApplicationParts.Add(new AssemblyPart(assembly));
                    apm.ApplicationParts.Add(new CompiledRazorAssemblyPart(assembly));
                }

                apm.FeatureProviders.Add(new EnabledFeatureControllerFilter(catalog, tenant.EnabledFeatures));
            });

        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddSingleton<AuditKeyring>();
        services.AddSingleton<AuditCheckpoints>();
        services.AddScoped<AuditVerifier>();
        services.AddScoped<SiteSettingsService>();
        services.AddSingleton<Liquid.LiquidRenderer>();
        services.AddScoped<Liquid.PublicPageModel>();
        services.AddSingleton<RecipeFiles>();
        services.AddScoped<Media.MediaStore>();
        services.AddSingleton<IDataMigration, Media.MediaMigration>();
        services.AddSingleton<IEntityModelContributor, Media.MediaModel>();
        services.AddScoped<FeatureManager>();
        services.AddScoped<RecipeExecutor>();
        services.AddScoped<RecipeExporter>();
        services.AddScoped<IRecipeStepHandler, FeatureStepHandler>();
        services.AddScoped<IRecipeStepHandler, SettingsStepHandler>();
        services.AddScoped<IRecipeExportContributor, FeatureStepHandler>();
        services.AddScoped<IRecipeExportContributor, SettingsStepHandler>();
        services.AddSingleton<AdminMenu>();
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static async Task<string> ReadDefaultLocaleAsync(IServiceProvider provider, ShellSettings settings, CancellationToken cancellationToken)
    {
        if (settings.State != TenantState.Running)
        {
            return "zh-CN";
        }

        await using var scope = provider.CreateAsyncScope();
        var site = await scope.ServiceProvider.GetRequiredService<SiteSettingsService>().GetAsync(cancellationToken);
        return LocalizationCatalog.SupportedCultures.Any(c => c.Name == site.DefaultLocale) ? site.DefaultLocale : "zh-CN";
    }

    private static RequestDelegate BuildPipeline(IServiceProvider provider, List<FeatureStartup> startups, string defaultLocale)
    {
        var app = new ApplicationBuilder(provider);
        var localization = new RequestLocalizationOptions
        {
            SupportedCultures = LocalizationCatalog.SupportedCultures.ToList(),
            SupportedUICultures = LocalizationCatalog.SupportedCultures.ToList(),
            DefaultRequestCulture = new RequestCulture(defaultLocale),
            // Chinese first: a browser's Accept-Language does not override the centre's language; the user's switch does.
            RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider { CookieName = CultureCookie.Name }],
        };
        app.UseRequestLocalization(localization);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEndpoints(endpoints =>
        {
            foreach (var startup in startups)
            {
                startup.MapEndpoints(endpoints);
            }

            endpoints.MapControllers();
        });
        return app.Build();
    }
}

public static class CultureCookie
{
    public const string Name = ".vcms.culture";
}

/// <summary>Removes controllers of features the tenant has not enabled.</summary>
internal sealed class EnabledFeatureControllerFilter(ModuleCatalog catalog, IReadOnlySet<string> enabled) : IApplicationFeatureProvider<Microsoft.AspNetCore.Mvc.Controllers.ControllerFeature>
{
    public void PopulateFeature(IEnumerable<ApplicationPart> parts, Microsoft.AspNetCore.Mvc.Controllers.ControllerFeature feature)
    {
        foreach (var controller in feature.Controllers.ToList())
        {
            var featureId = controller.GetCustomAttributes(typeof(FeatureAttribute), inherit: true).OfType<FeatureAttribute>().FirstOrDefault()?.FeatureId
                ?? catalog.Modules.FirstOrDefault(m => m.Assembly == controller.Assembly)?.Manifest.Features.FirstOrDefault()?.Id;
            if (featureId is not null && !enabled.Contains(featureId))
            {
                feature.Controllers.Remove(controller);
            }
        }
    }
}
