using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Security;
using Verification.PublicSite.Models;
using Verification.PublicSite.Services;

namespace Verification.PublicSite;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, LiquidTemplateModel>();
        services.AddSingleton<IDataMigration, PublicSiteMigration>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
        services.AddScoped<PageTemplateService>();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ManagePublicSite = new("ManagePublicSite", "Edit the public pages' templates", "Content");

    public IEnumerable<Permission> GetPermissions() => [ManagePublicSite];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ManagePublicSite])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() => [new("Public site", "admin/public-site", Permissions.ManagePublicSite.Name, "Content", 50)];
}
