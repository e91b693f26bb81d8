using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Api;
using Verification.Cases.Batches;
using Verification.Cases.Comparison;
using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cases.Notices;
using Verification.Cases.Recipes;
using Verification.Cases.Reports;
using Verification.Cases.Services;
using Verification.Cms.Background;
using Verification.Cms.Data;
using Verification.Cms.Liquid;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;

namespace Verification.Cases;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, CasesModel>();
        services.AddSingleton<IDataMigration, CasesMigration>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
        services.AddSingleton(new EditableTemplate(DocumentTemplates.Report, "Verification report"));
        services.AddSingleton(new EditableTemplate(DocumentTemplates.Notice, "Notices to departments"));
        services.AddScoped<CaseService>();
        services.AddScoped<AuthorizationNumbers>();
        services.AddScoped<CasePlacement>();
        services.AddScoped<AuthorizationGate>();
        services.AddScoped<CaseExchange>();
        services.AddScoped<PipelineSettings>();
        services.AddScoped<CaseAccess>();
        services.AddScoped<CaseActions>();
        services.AddScoped<Verification.Cms.Workflows.IWorkflowCaseOperations, CaseWorkflowOperations>();
        services.AddScoped<DepartmentService>();
        services.AddScoped<IntakeService>();
        services.AddSingleton<Verification.Forms.Services.ISubmissionLinkProvider, DeclarationCaseLink>();
        services.AddScoped<ComparisonService>();
        services.AddScoped<DocumentModel>();
        services.AddScoped<DocumentTemplates>();
        services.AddScoped<ReportIssuer>();
        services.AddScoped<NoticeService>();
        services.AddScoped<BatchService>();
        services.AddScoped<ResultDeliveries>();
        services.AddGuardedHttpClient("results");
        services.AddScoped<CaseProgressWork>();
        services.AddScoped<ITenantBackgroundWork>(sp => sp.GetRequiredService<CaseProgressWork>());
        services.AddScoped<IRecipeStepHandler, PipelineStepHandler>();
        services.AddScoped<IRecipeExportContributor, PipelineStepHandler>();
        services.AddOpenApi("departments", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Verification.Cms departments API";
            document.Info.Description = "Business departments entrust verifications and fetch results. Authenticate with the department's key: Authorization: Bearer {key}. POST needs an Idempotency-Key header.";
            document.Servers?.Clear();
            return Task.CompletedTask;
        }));
    }

    public override void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapEntrustmentApi();
        routes.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
    }
}
