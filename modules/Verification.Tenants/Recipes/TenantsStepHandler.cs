using System.Text.Json.Nodes;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;

namespace Verification.Tenants.Recipes;

/// <summary>
/// Step "tenants" (host only): creates and sets up each listed tenant from its recipe; a tenant
/// that is already running is left as it is, so re-running the host recipe changes nothing.
/// </summary>
public sealed class TenantsStepHandler(ShellHost shellHost, TenantSetupService setup, RecipeCatalog recipes) : IRecipeStepHandler
{
    public const string Name = "tenants";

    public string StepName => Name;

    public void Validate(RecipeStepValidationContext context)
    {
        if (!context.Scope.IsHost)
        {
            context.Error("name", "Only the host tenant can create tenants.");
            return;
        }

        var array = StepJson.Array(context, context.Step, "tenants", "tenants", required: true);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var path = $"tenants[{i}]";
            if (array![i] is not JsonObject tenant)
            {
                context.Error(path, "must be an object.");
                continue;
            }

            var name = StepJson.RequireString(context, tenant, "name", path + ".name");
            StepJson.OptionalString(context, tenant, "displayName", path + ".displayName");
            StepJson.OptionalString(context, tenant, "prefix", path + ".prefix");
            StepJson.OptionalString(context, tenant, "host", path + ".host");
            var recipe = StepJson.RequireString(context, tenant, "recipe", path + ".recipe");
            if (name is not null && TenantNameRules.Check(name) is { } problem)
            {
                context.Error(path + ".name", problem);
            }

            if (name is not null && !seen.Add(name))
            {
                context.Error(path + ".name", $"Duplicate tenant '{name}'.");
            }

            if (recipe is not null)
            {
                try
                {
                    recipes.ReadText(recipe);
                }
                catch (Exception ex) when (ex is FileNotFoundException or ArgumentException)
                {
                    context.Error(path + ".recipe", $"No recipe named '{recipe}'.");
                }
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var tenant in (context.Step["tenants"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = StepJson.Text(tenant, "name")!;
            var recipe = StepJson.Text(tenant, "recipe")!;
            var existing = shellHost.Find(name);
            if (existing is { State: TenantState.Running or TenantState.Disabled })
            {
                continue;
            }

            existing ??= await setup.RegisterAsync(new NewTenant(name, StepJson.Text(tenant, "displayName"), StepJson.Text(tenant, "prefix") ?? name, StepJson.Text(tenant, "host"), recipe));
            var output = await setup.SetupAsync(existing.Name, recipe, new RecipeRunOptions(), cancellationToken);
            context.Output.Logins.AddRange(output.Logins);
        }
    }
}
