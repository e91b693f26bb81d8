using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Modules;
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
        services.AddScoped<IRecipeStepHandler, FormsStepHandler>();
        services.AddScoped<IRecipeExportContributor, FormsStepHandler>();
    }

    /// <summary>The browser engine of the expression language, the same file the Chromium test runs.</summary>
    public override void MapEndpoints(IEndpointRouteBuilder routes) =>
        routes.MapGet("/forms/expressions.js", () => Results.Stream(Expressions.ExpressionScript.Open(), "text/javascript; charset=utf-8")).AllowAnonymous();
}
