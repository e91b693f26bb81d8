using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Security;

namespace Verification.TheAdmin;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/theme/{file}", ThemeAssets.Serve).AllowAnonymous();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission AccessAdmin = new("AccessAdmin", "Open the admin area", "Platform");

    public IEnumerable<Permission> GetPermissions() => [AccessAdmin];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [AccessAdmin])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() => [new("Dashboard", "admin", Permissions.AccessAdmin.Name, "Home", 0)];
}

/// <summary>Serves the theme's CSS and scripts, embedded in this assembly, with long caching.</summary>
internal static class ThemeAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static IResult Serve(string file)
    {
        var extension = Path.GetExtension(file);
        if (!ContentTypes.TryGetValue(extension, out var contentType) || file.Contains("..", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var stream = typeof(ThemeAssets).Assembly.GetManifestResourceStream("Verification.TheAdmin.Assets." + file);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
