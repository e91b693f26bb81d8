using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Security;
using Verification.Cms.Recipes;
using Verification.Forms.Models;
using Verification.Forms.Recipes;
using Verification.Forms.Services;

namespace Verification.Forms;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, FormsModel>();
        services.AddSingleton<IDataMigration, FormsMigration>();
        services.AddScoped<FormSubmissionValidator>();
        services.AddScoped<FormService>();
        services.AddScoped<FormUploads>();
        services.AddScoped<IRecipeStepHandler, FormsStepHandler>();
        services.AddScoped<IRecipeExportContributor, FormsStepHandler>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
    }

    /// <summary>The browser engine of the expression language (the same file the Chromium test runs) and the page runtime.</summary>
    public override void MapEndpoints(IEndpointRouteBuilder routes) =>
        routes.MapGet("/forms/{script:regex(^(expressions|runtime|designer)\\.js$)}", (string script) =>
            Expressions.ExpressionScript.Open(script) is { } stream ? Results.Stream(stream, "text/javascript; charset=utf-8") : Results.NotFound()).AllowAnonymous();
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission SubmitForms = new("SubmitForms", "Fill in and submit published forms", "Content");
    public static readonly Permission ViewSubmissions = new("ViewSubmissions", "Read every submission of the tenant's forms", "Content");
    public static readonly Permission ManageForms = new("ManageForms", "Design and publish forms", "Content");

    public IEnumerable<Permission> GetPermissions() => [SubmitForms, ViewSubmissions, ManageForms];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [SubmitForms, ViewSubmissions, ManageForms])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() =>
    [
        new("Forms", "forms", Permissions.SubmitForms.Name, "Content", 45),
        new("Form designer", "admin/forms", Permissions.ManageForms.Name, "Content", 46),
    ];
}
