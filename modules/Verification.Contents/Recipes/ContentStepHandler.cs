using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Contents.Models;
using Verification.Contents.Services;

namespace Verification.Contents.Recipes;

/// <summary>
/// Step "content": { "items": [ { "id": "notice-2026-01", "type": "PolicyNotice", "publish": true, "data": { … } } ], "file": "content/x.content.json" }.
/// Items with an id are created once and updated when their data changes; the data is validated like the editor's.
/// </summary>
public sealed partial class ContentStepHandler(ContentManager content, TenantDbContext db, RecipeFiles files) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "content";

    public string StepName => Name;

    public int Order => 60;

    public void Validate(RecipeStepValidationContext context)
    {
        if (StepJson.Text(context.Step, "file") is { } file && files.Read(file, "content", "content") is null)
        {
            context.Error("file", $"No content file '{file}' under recipes/ (names like content/x.content.json).");
        }

        var items = Items(context.Step);
        if (items.Count == 0)
        {
            context.Error("items", "is required: a list of content items (or a file holding them).");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (StepJson.Text(item, "type") is not { } type || !TypePattern().IsMatch(type))
            {
                context.Error($"items[{i}].type", "names a content type (e.g. PolicyNotice).");
            }

            if (StepJson.Text(item, "id") is { } id && !IdPattern().IsMatch(id))
            {
                context.Error($"items[{i}].id", "uses lowercase letters, digits and hyphens (3 to 64).");
            }

            if (item?["data"] is not JsonObject)
            {
                context.Error($"items[{i}].data", "is required and must be an object.");
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var item in Items(context.Step))
        {
            var type = StepJson.Text(item, "type")!;
            var id = StepJson.Text(item, "id");
            var data = (JsonObject)item!["data"]!;
            var publish = item["publish"] is JsonValue p && p.TryGetValue<bool>(out var b) && b;
            var existing = id is null ? null : await content.FindAsync(id, cancellationToken);
            if (existing is not null && JsonNode.DeepEquals(JsonNode.Parse((await content.VersionAsync(existing.Id, existing.LatestVersion, cancellationToken))!.DataJson), data) && (!publish || !existing.HasDraft))
            {
                continue;
            }

            var result = await content.SaveAsync(type, existing?.Id, (JsonObject)data.DeepClone(), publish, "recipe", cancellationToken, newId: existing is null ? id : null);
            if (result.Item is null)
            {
                throw new InvalidOperationException($"Content item '{id ?? type}': " + string.Join("; ", result.Errors.Select(e => e.Path + " " + e.Message)));
            }
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var items = await db.Set<ContentItemRecord>().AsNoTracking().OrderBy(i => i.CreatedUtc).ToListAsync(cancellationToken);
        if (items.Count == 0)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var item in items)
        {
            var version = await content.VersionAsync(item.Id, item.PublishedVersion ?? item.LatestVersion, cancellationToken);
            array.Add(new JsonObject { ["id"] = item.Id, ["type"] = item.ContentType, ["publish"] = item.PublishedVersion is not null, ["data"] = JsonNode.Parse(version!.DataJson) });
        }

        return new JsonObject { ["name"] = Name, ["items"] = array };
    }

    private List<JsonObject?> Items(JsonObject step)
    {
        var items = (step["items"] as JsonArray ?? []).Select(n => n as JsonObject).ToList();
        if (StepJson.Text(step, "file") is { } file && files.Read(file, "content", "content")?["items"] is JsonArray fromFile)
        {
            items.AddRange(fromFile.Select(n => n as JsonObject));
        }

        return items;
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{1,63}$")]
    private static partial Regex TypePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,63}$")]
    private static partial Regex IdPattern();
}
