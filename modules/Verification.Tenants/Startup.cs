using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Tenants.Api;
using Verification.Tenants.Recipes;
using Verification.Tenants.Services;

namespace Verification.Tenants;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
        services.AddScoped<IRecipeStepHandler, TenantsStepHandler>();
        services.AddScoped<TenantProvisioning>();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Verification.Cms management API";
            document.Info.Description = "Tenant management of the host. Authenticated with the host's sign-in cookie; state-changing calls need the RequestVerificationToken header.";
            document.Servers?.Clear();
            return Task.CompletedTask;
        }));
    }

    public override void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapTenantsApi();
        routes.MapOpenApi().RequireAuthorization(PermissionPolicy.For(Permissions.ManageTenants.Name));
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ManageTenants = new("ManageTenants", "Create, disable, enable and archive tenants", "Platform");

    public IEnumerable<Permission> GetPermissions() => [ManageTenants];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ManageTenants])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() =>
    [
        new("Tenants", "admin/tenants", Permissions.ManageTenants.Name, "Platform", 5),
        new("Backups", "admin/backups", Permissions.ManageTenants.Name, "Platform", 6),
    ];
}
