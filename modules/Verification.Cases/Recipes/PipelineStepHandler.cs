using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Hosting;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;
using Verification.Exchange.Catalogue;

namespace Verification.Cases.Recipes;

/// <summary>
/// Step "pipeline": the tenant's review levels and the rest of its <see cref="PipelineProfile"/>, and its
/// departments. { "flow": "guangzhou", "stages": [ { "trigger": "Accept", "level": "street", "label": "镇街受理" } … ],
/// "supplementWorkingDays": 10, "thresholds": { "*": { "property.vehicle": { "count": 0 } } }, "serviceItems": { "aa": [ … ] },
/// "departments": [ { "code": "gz-mz", "name": "广州市民政局", "orgUnit": "440100", "callbackUrl": null } ] }.
/// Department API keys are generated when a department is first created and reported once, never kept in the recipe.
/// </summary>
public sealed class PipelineStepHandler(PipelineSettings settings, DepartmentService departments, IOptions<CmsOptions> options, ITenantContext tenant) : IRecipeStepHandler, IRecipeExportContributor
{
    private static readonly string[] Levels = ["province", "city", "district", "county", "street"];

    public string StepName => "pipeline";

    public int Order => 50;

    public void Validate(RecipeStepValidationContext context)
    {
        PipelineProfile? profile = null;
        try
        {
            profile = PipelineProfile.Parse(context.Step.ToJsonString());
        }
        catch (JsonException ex)
        {
            context.Error("stages", "cannot be read: " + ex.Message);
        }

        foreach (var (stage, i) in (profile?.Stages ?? []).Select((s, i) => (s, i)))
        {
            if (stage.Level is { } level && !Levels.Contains(level))
            {
                context.Error($"stages[{i}].level", $"'{level}' is not one of {string.Join(", ", Levels)}.");
            }
        }

        var categories = DataSourceCatalogue.Shipped.Categories.Select(c => c.Code).ToHashSet();
        foreach (var (item, thresholds) in profile?.Thresholds ?? [])
        {
            foreach (var category in thresholds.Keys.Where(c => !categories.Contains(c)))
            {
                context.Error($"thresholds.{item}", $"'{category}' is not a findings category.");
            }
        }

        foreach (var (item, items) in profile?.ServiceItems ?? [])
        {
            foreach (var code in items.Where(c => DataSourceCatalogue.Shipped.Item(c) is null))
            {
                context.Error($"serviceItems.{item}", $"'{code}' is not a data item of the catalogue.");
            }
        }

        var list = context.Step["departments"] as JsonArray ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var code = StepJson.RequireString(context, list[i], "code", $"departments[{i}].code");
            StepJson.RequireString(context, list[i], "name", $"departments[{i}].name");
            if (code is not null && (code.Length > 40 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
            {
                context.Error($"departments[{i}].code", "uses letters, digits and '-' (at most 40).");
            }

            if (StepJson.Text(list[i], "orgUnit") is { } unit && !context.Scope.OrgUnits.Contains(unit))
            {
                context.Error($"departments[{i}].orgUnit", $"'{unit}' is not an org unit of the tenant.");
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var step = (JsonObject)context.Step.DeepClone();
        step.Remove("departments");
        step.Remove("name");
        await settings.SaveAsync(PipelineProfile.Parse(step.ToJsonString()), null, "recipe", cancellationToken);
        var existing = (await departments.ListAsync(cancellationToken)).ToDictionary(d => d.Code);
        foreach (var entry in (context.Step["departments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var code = StepJson.Text(entry, "code")!;
            await departments.UpsertAsync(code, StepJson.Text(entry, "name")!, StepJson.Text(entry, "callbackUrl"), StepJson.Text(entry, "orgUnit"), true, "recipe", cancellationToken);
            if (!existing.TryGetValue(code, out var had) || had.KeyHash is null)
            {
                var key = await departments.IssueKeyAsync(code, "recipe", cancellationToken);
                context.Output.Logins.Add(new GeneratedLogin(context.TenantName, "api:" + code, key, options.Value.PublicBaseUrl.TrimEnd('/') + tenant.PathBase + "/api/v1/entrustments"));
            }
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var step = JsonNode.Parse((await settings.GetAsync(cancellationToken)).ToJson())!.AsObject();
        step["departments"] = new JsonArray((await departments.ListAsync(cancellationToken)).Select(d => (JsonNode)new JsonObject
        {
            ["code"] = d.Code, ["name"] = d.Name, ["orgUnit"] = d.OrgUnit, ["callbackUrl"] = d.CallbackUrl,
        }).ToArray());
        var exported = new JsonObject { ["name"] = StepName };
        foreach (var (key, value) in step)
        {
            exported[key] = value?.DeepClone();
        }

        return exported;
    }
}
