using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Background;
using Verification.Cms.Data;
using Verification.Cms.Modules;
using Verification.Cms.Navigation;
using Verification.Cms.Recipes;
using Verification.Cms.Security;
using Verification.Cms.Workflows;
using Verification.Workflows.Activities;
using Verification.Workflows.Models;
using Verification.Workflows.Recipes;
using Verification.Workflows.Services;

namespace Verification.Workflows;

public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IEntityModelContributor, WorkflowsModel>();
        services.AddSingleton<IDataMigration, WorkflowsMigration>();
        services.AddSingleton<IPermissionProvider, Permissions>();
        services.AddSingleton<IAdminMenuProvider, AdminMenu>();
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton<WorkflowNode>();
        services.AddGuardedHttpClient("workflows");
        services.AddScoped<WorkflowRuntime>();
        services.AddScoped<WorkflowOutboxCounter>();
        services.AddScoped<WorkflowEventHandler>();
        services.AddScoped<IWorkflowEvents, WorkflowEvents>();
        services.AddScoped<WorkflowTimers>();
        services.AddScoped<WorkflowTemplates>();
        services.AddScoped<WorkflowDefinitions>();
        services.AddScoped<TaskInbox>();
        services.AddScoped<ICaseWorkItems, CaseWorkItems>();
        services.AddScoped<NotificationService>();
        services.AddScoped<IEmailSender, PickupFolderEmailSender>();
        services.AddScoped<SignalTokens>();
        services.AddScoped<WorkflowTimerWork>();
        services.AddScoped<ITenantBackgroundWork>(sp => sp.GetRequiredService<WorkflowTimerWork>());
        services.AddScoped<IRecipeStepHandler, WorkflowsStepHandler>();
        services.AddScoped<IRecipeExportContributor, WorkflowsStepHandler>();

        // Activities: events, control, case, people, integration.
        services.AddScoped<IWorkflowActivity, CaseStateChangedEvent>();
        services.AddScoped<IWorkflowActivity, EntrustmentReceivedEvent>();
        services.AddScoped<IWorkflowActivity, FormSubmittedEvent>();
        services.AddScoped<IWorkflowActivity, ContentPublishedEvent>();
        services.AddScoped<IWorkflowActivity, ProviderQueryFailedEvent>();
        services.AddScoped<IWorkflowActivity, SignalEvent>();
        services.AddScoped<IWorkflowActivity, ManualStartEvent>();
        services.AddScoped<IWorkflowActivity, TimerActivity>();
        services.AddScoped<IWorkflowActivity, IfElseActivity>();
        services.AddScoped<IWorkflowActivity, ScriptActivity>();
        services.AddScoped<IWorkflowActivity, SetVariableActivity>();
        services.AddScoped<IWorkflowActivity, DecisionTableActivity>();
        services.AddScoped<IWorkflowActivity, ForkActivity>();
        services.AddScoped<IWorkflowActivity, JoinActivity>();
        services.AddScoped<IWorkflowActivity, MoveCaseActivity>();
        services.AddScoped<IWorkflowActivity, GenerateLetterActivity>();
        services.AddScoped<IWorkflowActivity, HumanTaskActivity>();
        services.AddScoped<IWorkflowActivity, NotifyActivity>();
        services.AddScoped<IWorkflowActivity, HttpRequestActivity>();
    }

    /// <summary>The designer's script (embedded) and the signal endpoint.</summary>
    public override void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/workflows/designer.js", () =>
            typeof(Startup).Assembly.GetManifestResourceStream("Verification.Workflows.Assets.designer.js") is { } stream ? Results.Stream(stream, "text/javascript; charset=utf-8") : Results.NotFound()).AllowAnonymous();
        Controllers.SignalEndpoint.Map(routes);
    }
}

public sealed class Permissions : IPermissionProvider
{
    public static readonly Permission ManageWorkflows = new("ManageWorkflows", "Design, publish and run workflows; see instances and incidents", "Organisation");
    public static readonly Permission HandleTasks = new("HandleTasks", "See the task inbox and complete tasks", "Organisation");

    public IEnumerable<Permission> GetPermissions() => [ManageWorkflows, HandleTasks];

    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() => [new(StandardRoles.Administrator, [ManageWorkflows, HandleTasks])];
}

public sealed class AdminMenu : IAdminMenuProvider
{
    public IEnumerable<AdminMenuItem> GetItems() =>
    [
        new("Tasks", "tasks", Permissions.HandleTasks.Name, "Verification", 12),
        new("Workflows", "admin/workflows", Permissions.ManageWorkflows.Name, "Organisation", 30),
    ];
}
