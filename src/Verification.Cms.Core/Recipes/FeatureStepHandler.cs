using System.Text.Json.Nodes;
using Verification.Cms.Modules;
using Verification.Cms.Tenants;

namespace Verification.Cms.Recipes;

/// <summary>Step "feature": { "enable": [ids], "disable": [ids] }.</summary>
public sealed class FeatureStepHandler(ModuleCatalog catalog, FeatureManager features, ITenantContext tenant) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "feature";

    public string StepName => Name;

    public int Order => 0;

    public void Validate(RecipeStepValidationContext context)
    {
        foreach (var field in new[] { "enable", "disable" })
        {
            var ids = StepJson.Strings(context, context.Step, field, field);
            for (var i = 0; i < ids.Count; i++)
            {
                if (!catalog.Exists(ids[i]))
                {
                    context.Error($"{field}[{i}]", $"Unknown feature '{ids[i]}'.");
                }
                else if (catalog.Get(ids[i]).Info.HostOnly && !context.Scope.IsHost)
                {
                    context.Error($"{field}[{i}]", $"Feature '{ids[i]}' is available to the host tenant only.");
                }
                else if (field == "enable")
                {
                    foreach (var f in catalog.ResolveEnabled([ids[i]]))
                    {
                        context.Scope.Features.Add(f.Info.Id);
                    }
                }
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        await features.EnableAsync(StepJson.StringsUnchecked(context.Step, "enable"), reloadShell: false, cancellationToken);
        foreach (var id in StepJson.StringsUnchecked(context.Step, "disable"))
        {
            await features.DisableAsync(id, reloadShell: false, cancellationToken);
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var enabled = (await features.EnabledAsync(cancellationToken))
            .Where(id => catalog.Exists(id) && !catalog.Get(id).Info.AlwaysEnabled && (!catalog.Get(id).Info.HostOnly || tenant.Settings.IsDefault))
            .Order(StringComparer.Ordinal);
        return new JsonObject { ["name"] = Name, ["enable"] = new JsonArray(enabled.Select(id => (JsonNode)id).ToArray()) };
    }
}
