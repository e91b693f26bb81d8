using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Users.Models;
using Verification.Users.Recipes;
using Verification.Users.Services;

namespace Verification.Users;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, SecurityChangeModel>();
        services.AddSingleton<IDataMigration, UsersMigration>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
        services.AddScoped<RoleService>();
        services.AddScoped<UserAccountService>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<SecurityChangeService>();
        services.AddScoped<IRecipeStepHandler, RolesStepHandler>();
        services.AddScoped<IRecipeExportContributor, RolesStepHandler>();
        services.AddScoped<IRecipeScopeSeeder, RolesStepHandler>();
        services.AddScoped<IRecipeStepHandler, UsersStepHandler>();
        services.AddScoped<IRecipeExportContributor, UsersStepHandler>();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ViewUsers = new("ViewUsers", "View users of own unit and below", "Security");
    public static readonly Permission ManageUsers = new("ManageUsers", "Request new users and role changes", "Security");
    public static readonly Permission ManageRoles = new("ManageRoles", "Request changes of role permissions", "Security");
    public static readonly Permission ApproveSecurityChanges = new("ApproveSecurityChanges", "Approve or reject security change requests of other administrators", "Security");

    public IEnumerable<Permission> GetPermissions() => [ViewUsers, ManageUsers, ManageRoles, ApproveSecurityChanges];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() =>
        [new(StandardRoles.Administrator, [ViewUsers, ManageUsers, ManageRoles, ApproveSecurityChanges])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() =>
    [
        new("Users", "admin/users", Permissions.ViewUsers.Name, "Security", 30),
        new("Roles", "admin/roles", Permissions.ManageRoles.Name, "Security", 31),
        new("Approvals", "admin/approvals", Permissions.ApproveSecurityChanges.Name, "Security", 32),
    ];
}
