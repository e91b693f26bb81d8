using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Liquid;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Contents.Models;
using Verification.Contents.Recipes;
using Verification.Contents.Services;
using Verification.Forms.Services;

namespace Verification.Contents;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, ContentsModel>();
        services.AddSingleton<IDataMigration, ContentsMigration>();
        foreach (var part in BuiltInParts.All)
        {
            services.AddSingleton(part);
        }

        services.AddSingleton<ContentPartCatalog>();
        services.AddScoped<ContentDefinitionService>();
        services.AddScoped<ContentManager>();
        services.AddSingleton<ContentDisplay>();
        services.AddScoped<ILookupSource, ContentLookupSource>();
        services.AddScoped<IPublicPageModelContributor, PublicContentContributor>();
        services.AddScoped<IRecipeStepHandler, ContentDefinitionsStepHandler>();
        services.AddScoped<IRecipeExportContributor, ContentDefinitionsStepHandler>();
        services.AddScoped<IRecipeStepHandler, ContentStepHandler>();
        services.AddScoped<IRecipeExportContributor, ContentStepHandler>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission EditContent = new("EditContent", "Create and edit content items (drafts)", "Content");
    public static readonly Permission PublishContent = new("PublishContent", "Publish, unpublish and delete content items", "Content");
    public static readonly Permission ManageContentTypes = new("ManageContentTypes", "Define content types, their fields and display templates", "Content");

    public IEnumerable<Permission> GetPermissions() => [EditContent, PublishContent, ManageContentTypes];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [EditContent, PublishContent, ManageContentTypes])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() =>
    [
        new("Content", "admin/content", Permissions.EditContent.Name, "Content", 40),
        new("Content types", "admin/content-types", Permissions.ManageContentTypes.Name, "Content", 41),
    ];
}
