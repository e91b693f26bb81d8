using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Organisation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.OrgUnits.Models;
using Verification.OrgUnits.Recipes;
using Verification.OrgUnits.Services;

namespace Verification.OrgUnits;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, OrgUnitModel>();
        services.AddSingleton<IDataMigration, OrgUnitMigration>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
        services.AddScoped<OrgUnitService>();
        services.AddScoped<IOrgScope, OrgScope>();
        services.AddScoped<IRecipeStepHandler, OrgUnitsStepHandler>();
        services.AddScoped<IRecipeExportContributor, OrgUnitsStepHandler>();
        services.AddScoped<IRecipeScopeSeeder, OrgUnitsStepHandler>();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ViewOrgUnits = new("ViewOrgUnits", "View the organisation tree", "Organisation");
    public static readonly Permission ManageOrgUnits = new("ManageOrgUnits", "Add and rename organisation units", "Organisation");

    public IEnumerable<Permission> GetPermissions() => [ViewOrgUnits, ManageOrgUnits];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ViewOrgUnits, ManageOrgUnits])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() => [new("Organisation units", "admin/org-units", Permissions.ViewOrgUnits.Name, "Organisation", 20)];
}
