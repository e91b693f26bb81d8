using System.Text.Json.Nodes;
using Verification.Cms.Security;
using Verification.Cms.Tenants;

namespace Verification.Cms.Recipes;

/// <summary>Validates a whole recipe against the tenant's step handlers, and runs single steps.</summary>
public sealed class RecipeExecutor(
    IEnumerable<IRecipeStepHandler> handlers,
    IEnumerable<IRecipeScopeSeeder> seeders,
    PermissionCatalog permissions,
    ITenantContext tenant,
    IServiceProvider services)
{
    private readonly Dictionary<string, IRecipeStepHandler> _handlers = handlers
        .GroupBy(h => h.StepName, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public IReadOnlyCollection<string> KnownSteps => _handlers.Keys;

    public async Task<IReadOnlyList<RecipeError>> ValidateAsync(Recipe recipe, RecipeRunOptions options, bool seedFromDatabase, CancellationToken cancellationToken)
    {
        var scope = new RecipeValidationScope { IsHost = tenant.Settings.IsDefault };
        foreach (var p in permissions.All)
        {
            scope.Permissions.Add(p.Name);
        }

        foreach (var f in tenant.EnabledFeatures)
        {
            scope.Features.Add(f);
        }

        if (seedFromDatabase)
        {
            foreach (var seeder in seeders)
            {
                await seeder.SeedAsync(scope, cancellationToken);
            }
        }

        var errors = new List<RecipeError>();
        for (var i = 0; i < recipe.Steps.Count; i++)
        {
            var step = recipe.Steps[i];
            var name = Recipe.StepName(step);
            if (options.SkipSteps.Contains(name))
            {
                continue;
            }

            if (!_handlers.TryGetValue(name, out var handler))
            {
                errors.Add(new RecipeError(name, i, "name", $"Unknown step '{name}'. Known steps: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))}."));
                continue;
            }

            var context = new RecipeStepValidationContext(name, i, step, scope);
            handler.Validate(context);
            errors.AddRange(context.Errors);
        }

        return errors;
    }

    public Task ExecuteStepAsync(JsonObject step, RecipeRunOutput output, SecurityChangeMode securityChanges, string? actor, CancellationToken cancellationToken)
    {
        var name = Recipe.StepName(step);
        var handler = _handlers.TryGetValue(name, out var h) ? h : throw new InvalidOperationException($"Unknown step '{name}'.");
        return handler.ExecuteAsync(new RecipeStepContext(tenant.Settings.Name, step, services, output) { SecurityChanges = securityChanges, Actor = actor }, cancellationToken);
    }
}
