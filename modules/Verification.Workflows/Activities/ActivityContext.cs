using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Workflows;
using Verification.Workflows.Models;

namespace Verification.Workflows.Activities;

/// <summary>Everything an executing activity may read and change; the runtime saves it with the step.</summary>
public sealed class ActivityContext(WorkflowInstance instance, WorkflowGraph graph, ActivityNode activity, JsonObject variables, JsonObject joins, JsonObject? input, ReadyActivity ready, IServiceProvider services, DateTime nowUtc)
{
    private JsonObject? _scope;

    public WorkflowInstance Instance { get; } = instance;

    public WorkflowGraph Graph { get; } = graph;

    public ActivityNode Activity { get; } = activity;

    /// <summary>The instance's variables; changes are saved with the step.</summary>
    public JsonObject Variables { get; } = variables;

    /// <summary>Arrivals at join activities (activity id → the activities that have arrived).</summary>
    public JsonObject Joins { get; } = joins;

    /// <summary>The data of the event or task that resumed this activity, if any.</summary>
    public JsonObject? Input { get; } = input;

    public ReadyActivity Ready { get; } = ready;

    public IServiceProvider Services { get; } = services;

    public DateTime NowUtc { get; } = nowUtc;

    public string? CaseId => Instance.CorrelationId;

    /// <summary>Who the audit trail and the case timeline name for what the workflow does.</summary>
    public string Actor => "workflow:" + Instance.DefinitionName;

    public IWorkflowCaseOperations? Cases => Services.GetService<IWorkflowCaseOperations>();

    /// <summary>What scripts, decision tables and templates see: <c>variables</c>, <c>input</c>, <c>caseInfo</c> (facts of the correlated case; "case" is a reserved word in JavaScript) and <c>today</c>.</summary>
    public async Task<JsonObject> ScopeAsync(CancellationToken cancellationToken)
    {
        if (_scope is null)
        {
            var facts = CaseId is { } id && Cases is { } cases ? await cases.FactsAsync(id, cancellationToken) : null;
            _scope = new JsonObject
            {
                ["variables"] = Variables.DeepClone(),
                ["input"] = Input?.DeepClone() ?? (Variables["input"]?.DeepClone()),
                ["caseInfo"] = facts,
                ["today"] = Verification.Cms.Localization.CmsTime.ToChina(NowUtc).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        return _scope;
    }

    /// <summary>The org unit an activity's "orgUnit" property names: none, "case" (the correlated case's unit) or a unit code.</summary>
    public static string? OrgUnit(ActivityNode node, JsonObject scope) => node.Text("orgUnit") switch
    {
        null or "" => null,
        "case" => (scope["caseInfo"] as JsonObject)?["orgUnit"]?.GetValue<string>(),
        var code => code,
    };

    /// <summary>Forgets the cached scope after the variables changed.</summary>
    public void ScopeChanged()
    {
        if (_fixedScope)
        {
            _scope!["variables"] = Variables.DeepClone();
        }
        else
        {
            _scope = null;
        }
    }

    /// <summary>Uses sample data as the scope (the designer's dry run).</summary>
    public void UseScope(JsonObject scope)
    {
        _scope = scope;
        _fixedScope = true;
    }

    private bool _fixedScope;
}
