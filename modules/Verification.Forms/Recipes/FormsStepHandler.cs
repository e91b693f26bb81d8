using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Forms.Recipes;

/// <summary>
/// Step "forms": { "forms": [ { "definition": { name, title, pages } | "file": "forms/x.form.json", "publish": true } ] }
/// (a file is read from the recipes folder, so several recipes share one definition).
/// Re-running changes nothing when a form's draft and latest version are already the same.
/// </summary>
public sealed class FormsStepHandler(FormService forms, TenantDbContext db, RecipeFiles files) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "forms";

    public string StepName => Name;

    public int Order => 50;

    public void Validate(RecipeStepValidationContext context)
    {
        var array = StepJson.Array(context, context.Step, "forms", "forms", required: true);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var path = $"forms[{i}]";
            var definition = array![i]?["definition"] as JsonObject;
            if (definition is null && StepJson.Text(array[i], "file") is { } file)
            {
                definition = ReadFile(file);
                if (definition is null)
                {
                    context.Error(path + ".file", $"No form definition file '{file}' under recipes/ (names like forms/x.form.json).");
                    continue;
                }
            }

            if (definition is null)
            {
                context.Error(path + ".definition", "is required (or a file) and must be an object.");
                continue;
            }

            FormDocument document;
            try
            {
                document = FormDocument.Parse(definition.ToJsonString());
            }
            catch (JsonException ex)
            {
                context.Error(path + ".definition", "is not a form definition: " + ex.Message);
                continue;
            }

            foreach (var problem in FormDefinitionChecker.Check(document))
            {
                context.Error($"{path}.definition.{problem.Path}", problem.Message);
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var entry in (context.Step["forms"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var definition = entry["definition"] as JsonObject ?? ReadFile(StepJson.Text(entry, "file")!)!;
            var document = FormDocument.Parse(definition.ToJsonString());
            var json = document.ToJson();
            var existing = await forms.FindAsync(document.Name, cancellationToken);
            if (existing is null || existing.DraftJson != json)
            {
                await forms.SaveDraftAsync(document, cancellationToken);
            }

            var published = existing is null || existing.PublishedVersion == 0 ? null : await forms.VersionAsync(document.Name, existing.PublishedVersion, cancellationToken);
            if (entry["publish"] is JsonValue p && p.TryGetValue<bool>(out var publish) && publish && (published is null || published.ToJson() != json))
            {
                var result = await forms.PublishAsync(document.Name, "recipe", confirmBreakingChanges: false, cancellationToken);
                if (result.Version is null)
                {
                    throw new InvalidOperationException($"Form '{document.Name}' was not published: " + string.Join("; ", result.BreakingChanges.Select(b => $"{b.Key} {b.Change} ({b.Submissions} submissions)").Concat(result.Problems.Select(x => x.Path + " " + x.Message))));
                }
            }
        }
    }

    private JsonObject? ReadFile(string file) => files.Read(file, "forms", "form");

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Set<FormDefinitionRecord>().AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        return new JsonObject
        {
            ["name"] = Name,
            ["forms"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["definition"] = JsonNode.Parse(r.DraftJson),
                ["publish"] = r.PublishedVersion > 0,
            }).ToArray()),
        };
    }
}
