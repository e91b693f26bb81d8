using Microsoft.Extensions.DependencyInjection;
using Verification.Calendar.Models;
using Verification.Calendar.Recipes;
using Verification.Calendar.Services;
using Verification.Cms.Calendar;
using Verification.Cms.Data;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;

namespace Verification.Calendar;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, CalendarModel>();
        services.AddSingleton<IDataMigration, CalendarMigration>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
        services.AddSingleton<CalendarCache>();
        services.AddScoped<CalendarService>();
        services.AddScoped<IWorkingDayCalendar>(sp => sp.GetRequiredService<CalendarService>());
        services.AddScoped<IRecipeStepHandler, CalendarStepHandler>();
        services.AddScoped<IRecipeExportContributor, CalendarStepHandler>();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ManageCalendar = new("ManageCalendar", "Maintain the working-day calendar", "Organisation");

    public IEnumerable<Permission> GetPermissions() => [ManageCalendar];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ManageCalendar])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() => [new("Working-day calendar", "admin/calendar", null, "Organisation", 25)];
}
