using System.Text.Json;
using System.Text.Json.Nodes;
using Verification.Cms.Recipes;
using Verification.Contents.Models;
using Verification.Contents.Services;

namespace Verification.Contents.Recipes;

/// <summary>
/// Step "content-definitions": { "types": [ { name, displayName, settings, parts, fields, displayTemplate } | { "file": "content/x.type.json" } ] }.
/// Re-running with the same definitions changes nothing (no new type version).
/// </summary>
public sealed class ContentDefinitionsStepHandler(ContentDefinitionService definitions, RecipeFiles files) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "content-definitions";

    public string StepName => Name;

    public int Order => 55;

    public void Validate(RecipeStepValidationContext context)
    {
        var array = StepJson.Array(context, context.Step, "types", "types", required: true);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var path = $"types[{i}]";
            if (Definition(array![i]) is not { } json)
            {
                context.Error(path, "is a content type, or { \"file\": \"content/x.type.json\" } naming a file under recipes/.");
                continue;
            }

            ContentTypeDefinition type;
            try
            {
                type = ContentTypeDefinition.Parse(json.ToJsonString());
            }
            catch (JsonException ex)
            {
                context.Error(path, "is not a content type: " + ex.Message);
                continue;
            }

            foreach (var problem in definitions.Check(type))
            {
                context.Error($"{path}.{problem.Path}", problem.Message);
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var entry in (context.Step["types"] as JsonArray ?? []))
        {
            var type = ContentTypeDefinition.Parse(Definition(entry)!.ToJsonString());
            var problems = await definitions.SaveAsync(type, "recipe", cancellationToken);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"Content type '{type.Name}': " + string.Join("; ", problems.Select(p => p.Path + " " + p.Message)));
            }
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var rows = await definitions.ListAsync(cancellationToken);
        return rows.Count == 0 ? null : new JsonObject
        {
            ["name"] = Name,
            ["types"] = new JsonArray(rows.Select(r => JsonNode.Parse(r.Json)).ToArray()),
        };
    }

    private JsonObject? Definition(JsonNode? entry) =>
        entry is JsonObject o && StepJson.Text(o, "file") is { } file ? files.Read(file, "content", "type") : entry as JsonObject;
}
