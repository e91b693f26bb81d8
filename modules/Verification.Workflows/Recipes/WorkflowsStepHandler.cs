using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Recipes;

/// <summary>
/// Step "workflows": { "workflows": [ { "name": "deadline-reminder", "title": "…", "description": "…",
/// "enabled": true, "graph": { "activities": [ … ], "transitions": [ … ] } } ] }. An item may instead
/// name a shared file, { "file": "workflows/deadline-reminder.workflow.json", "parameters": { "clerkRole": "前台" } },
/// whose "%clerkRole%" placeholders take the tenant's values (role names differ between provinces).
/// Each is saved as the draft and published as a new version when it differs from the published one
/// (re-running the recipe publishes nothing new). Graphs are validated like the designer's "publish".
/// </summary>
public sealed class WorkflowsStepHandler(WorkflowDefinitions definitions, TenantDbContext db, RecipeFiles files) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "workflows";

    public string StepName => Name;

    public int Order => 80;

    public void Validate(RecipeStepValidationContext context)
    {
        var raw = StepJson.Array(context, context.Step, "workflows", "workflows", required: true);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = (raw ?? []).Select((item, i) => Resolve(item, out var problem) ?? ErrorItem(context, $"workflows[{i}].file", problem)).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"workflows[{i}]";
            if (items[i] is null)
            {
                continue;
            }

            var name = StepJson.RequireString(context, items[i], "name", path + ".name");
            StepJson.RequireString(context, items[i], "title", path + ".title");
            if (name is not null && (!WorkflowDefinitions.IsValidName(name) || !seen.Add(name)))
            {
                context.Error(path + ".name", "must be unique and use lower-case letters, digits and '-'.");
            }

            if (items[i]!["graph"] is not JsonObject graphJson)
            {
                context.Error(path + ".graph", "is required.");
                continue;
            }

            try
            {
                foreach (var error in definitions.Validate(WorkflowGraph.Parse(graphJson.ToJsonString())))
                {
                    context.Error(path + ".graph", error);
                }
            }
            catch (JsonException ex)
            {
                context.Error(path + ".graph", "cannot be read: " + ex.Message);
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var item in (context.Step["workflows"] as JsonArray ?? []).Select(i => Resolve(i, out _)).OfType<JsonObject>())
        {
            var name = StepJson.Text(item, "name")!;
            var graph = WorkflowGraph.Parse(item["graph"]!.ToJsonString());
            var existing = await definitions.FindAsync(name, cancellationToken);
            var published = existing?.PublishedVersion is { } n
                ? await db.Set<WorkflowVersion>().AsNoTracking().Where(v => v.DefinitionName == name && v.Version == n).Select(v => v.GraphJson).FirstOrDefaultAsync(cancellationToken)
                : null;
            await definitions.SaveDraftAsync(name, StepJson.Text(item, "title")!, StepJson.Text(item, "description"), graph, null, "recipe", cancellationToken);
            if (published != graph.ToJson())
            {
                var (_, errors) = await definitions.PublishAsync(name, "recipe", "recipe", cancellationToken);
                if (errors.Count > 0)
                {
                    throw new InvalidOperationException($"Workflow {name} cannot be published: {string.Join("; ", errors)}");
                }
            }

            var enabled = item["enabled"] is not JsonValue e || e.GetValue<bool>();
            if ((existing?.Enabled ?? true) != enabled || !enabled)
            {
                await definitions.SetEnabledAsync(name, enabled, "recipe", cancellationToken);
            }
        }
    }

    /// <summary>The item itself, or the shared file it names with its parameters filled in; null (and why) when the file cannot be used.</summary>
    private JsonObject? Resolve(JsonNode? item, out string? problem)
    {
        problem = null;
        if (item is not JsonObject obj)
        {
            problem = "must be an object.";
            return null;
        }

        if (StepJson.Text(obj, "file") is not { } file)
        {
            return obj;
        }

        if (files.Read(file, "workflows", "workflow") is not { } shared)
        {
            problem = $"'{file}' is not a workflow file of the recipes folder (workflows/{{name}}.workflow.json).";
            return null;
        }

        var text = shared.ToJsonString();
        foreach (var (key, value) in obj["parameters"] as JsonObject ?? [])
        {
            var escaped = JsonSerializer.Serialize(value?.ToString() ?? string.Empty)[1..^1];
            text = text.Replace("%" + key + "%", escaped, StringComparison.Ordinal);
        }

        if (System.Text.RegularExpressions.Regex.Match(text, "%[A-Za-z]+%") is { Success: true } missing)
        {
            problem = $"'{file}' needs the parameter {missing.Value.Trim('%')}.";
            return null;
        }

        var resolved = JsonNode.Parse(text)!.AsObject();
        if (obj["enabled"] is { } enabled)
        {
            resolved["enabled"] = enabled.DeepClone();
        }

        return resolved;
    }

    private static JsonObject? ErrorItem(RecipeStepValidationContext context, string field, string? problem)
    {
        context.Error(field, problem ?? "cannot be read.");
        return null;
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var all = await definitions.ListAsync(cancellationToken);
        if (all.Count == 0)
        {
            return null;
        }

        var items = new JsonArray();
        foreach (var definition in all)
        {
            items.Add(new JsonObject
            {
                ["name"] = definition.Name,
                ["title"] = definition.Title,
                ["description"] = definition.Description,
                ["enabled"] = definition.Enabled,
                ["graph"] = JsonNode.Parse(definition.DraftJson),
            });
        }

        return new JsonObject { ["name"] = Name, ["workflows"] = items };
    }
}
