using System.Text.Json.Nodes;

namespace Verification.Cms.Recipes;

/// <summary>
/// Handles one named recipe step. Registered by the feature that owns the step.
/// Validate runs for the whole recipe before anything is written; Execute must be idempotent
/// (re-running a recipe upserts by natural keys).
/// </summary>
public interface IRecipeStepHandler
{
    string StepName { get; }

    void Validate(RecipeStepValidationContext context);

    Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken);
}

/// <summary>Contributes steps when a tenant exports its configuration as a recipe.</summary>
public interface IRecipeExportContributor
{
    /// <summary>Order of the exported step (feature first, users last).</summary>
    int Order { get; }

    Task<JsonObject?> ExportAsync(CancellationToken cancellationToken);
}

public sealed record RecipeError(string Step, int StepIndex, string Field, string Message)
{
    public override string ToString() => $"steps[{StepIndex}] ({Step}) {Field}: {Message}";
}

public sealed class RecipeStepValidationContext(string stepName, int stepIndex, JsonObject step, RecipeValidationScope scope)
{
    private readonly List<RecipeError> _errors = [];

    public string StepName { get; } = stepName;

    public int StepIndex { get; } = stepIndex;

    public JsonObject Step { get; } = step;

    /// <summary>Facts collected across steps (defined roles, units, enabled features) for cross-step checks.</summary>
    public RecipeValidationScope Scope { get; } = scope;

    public IReadOnlyList<RecipeError> Errors => _errors;

    public void Error(string field, string message) => _errors.Add(new RecipeError(StepName, StepIndex, field, message));
}

/// <summary>What earlier steps of the recipe (or the tenant's existing data) define.</summary>
public sealed class RecipeValidationScope
{
    public HashSet<string> Features { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Roles { get; } = new(StringComparer.Ordinal);

    public HashSet<string> OrgUnits { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Permissions { get; } = new(StringComparer.Ordinal);

    public bool IsHost { get; init; }
}

/// <summary>
/// How a recipe run may change who can do what: setting up a new tenant (the host's choice of
/// recipe) applies its users and roles; an import into a running tenant only files each change as a
/// request that another administrator approves.
/// </summary>
public enum SecurityChangeMode
{
    Apply,
    Request,
}

public sealed class RecipeStepContext(string tenantName, JsonObject step, IServiceProvider services, RecipeRunOutput output)
{
    public string TenantName { get; } = tenantName;

    public SecurityChangeMode SecurityChanges { get; init; }

    /// <summary>Who runs the recipe (the requester of the changes it files).</summary>
    public string? Actor { get; init; }

    public JsonObject Step { get; } = step;

    public IServiceProvider Services { get; } = services;

    public RecipeRunOutput Output { get; } = output;
}

/// <summary>What a recipe run produced that the operator must see once (generated demo passwords, created tenants).</summary>
public sealed class RecipeRunOutput
{
    public List<GeneratedLogin> Logins { get; } = [];

    public List<string> Messages { get; } = [];
}

public sealed record GeneratedLogin(string Tenant, string UserName, string Password, string Url);
