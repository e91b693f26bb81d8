using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Security;

namespace Verification.Settings;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ManageSettings = new("ManageSettings", "Change the centre's settings", "Platform");
    public static readonly Permission ManageFeatures = new("ManageFeatures", "Enable and disable features", "Platform");
    public static readonly Permission ExportRecipes = new("ExportRecipes", "Export and import the configuration as a recipe", "Platform");

    public IEnumerable<Permission> GetPermissions() => [ManageSettings, ManageFeatures, ExportRecipes];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ManageSettings, ManageFeatures, ExportRecipes])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() =>
    [
        new("Settings", "admin/settings", Permissions.ManageSettings.Name, "Configuration", 60),
        new("Features", "admin/features", Permissions.ManageFeatures.Name, "Configuration", 61),
        new("Recipes", "admin/recipes", Permissions.ExportRecipes.Name, "Configuration", 62),
    ];
}
