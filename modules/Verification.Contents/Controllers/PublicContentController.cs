using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Verification.Cms.Liquid;
using Verification.Forms.Services;
using Verification.Contents.Models;
using Verification.Contents.Services;

namespace Verification.Contents.Controllers;

/// <summary>The public pages of public content types (policy notices, standards): published versions only, anonymous.</summary>
[AllowAnonymous]
[Route("content")]
public sealed class PublicContentController(ContentManager content, ContentDefinitionService definitions, ContentDisplay display, LiquidRenderer liquid, PublicPageModel publicModel, FormUploads uploads) : Controller
{
    [HttpGet("{type}")]
    public async Task<IActionResult> List(string type, CancellationToken cancellationToken)
    {
        if (await PublicTypeAsync(type, cancellationToken) is not { } definition)
        {
            return NotFound();
        }

        var model = await publicModel.BuildAsync(cancellationToken);
        var items = await content.PublishedAsync(type, 200, cancellationToken);
        var list = await RenderThemeAsync("content-list", new Dictionary<string, object?>(model)
        {
            ["type"] = new Dictionary<string, object?> { ["name"] = definition.Name, ["display_name"] = definition.DisplayName },
            ["items"] = items.Select(i => new Dictionary<string, object?>
            {
                ["title"] = i.DisplayText,
                ["url"] = Url.Content($"~/content/{type}/{i.Id}"),
                ["published_on"] = i.PublishedUtc is { } p ? Verification.Cms.Localization.CmsTime.ToChina(p).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            }).ToList(),
        }, cancellationToken);
        return await PageAsync(definition.DisplayName, list, model, cancellationToken);
    }

    [HttpGet("{type}/{id}")]
    public async Task<IActionResult> Show(string type, string id, CancellationToken cancellationToken)
    {
        if (await PublishedAsync(type, id, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        var (item, version) = found;
        var (definition, editor) = await content.TypeAtAsync(type, version.TypeVersion, cancellationToken);
        var model = await publicModel.BuildAsync(cancellationToken);
        var html = await display.RenderAsync(definition, editor, item, JsonNode.Parse(version.DataJson) as JsonObject ?? [], n => Url.Content($"~/content/{type}/{id}/attachments/{n}"), model, cancellationToken);
        return await PageAsync(item.DisplayText, html, model, cancellationToken);
    }

    [HttpGet("{type}/{id}/attachments/{index:int}")]
    public async Task<IActionResult> Attachment(string type, string id, int index, CancellationToken cancellationToken)
    {
        if (await PublishedAsync(type, id, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        var (_, editor) = await content.TypeAtAsync(type, found.Version.TypeVersion, cancellationToken);
        return await uploads.FileAtAsync(editor.Fields, found.Version.DataJson, $"attachments[{index}].file", cancellationToken) is { } file ? FormUploads.Serve(this, file) : NotFound();
    }

    private async Task<ContentTypeDefinition?> PublicTypeAsync(string type, CancellationToken cancellationToken) =>
        await definitions.FindAsync(type, cancellationToken) is { Definition.Settings.Public: true } found ? found.Definition : null;

    private async Task<(ContentItemRecord Item, ContentItemVersionRecord Version)?> PublishedAsync(string type, string id, CancellationToken cancellationToken)
    {
        if (await PublicTypeAsync(type, cancellationToken) is null || await content.FindAsync(id, cancellationToken) is not { PublishedVersion: { } published } item || item.ContentType != type)
        {
            return null;
        }

        return (item, (await content.VersionAsync(id, published, cancellationToken))!);
    }

    private async Task<IActionResult> PageAsync(string title, string body, Dictionary<string, object?> model, CancellationToken cancellationToken)
    {
        var html = await RenderThemeAsync("layout", new Dictionary<string, object?>(model) { ["title"] = title, ["main"] = body }, cancellationToken);
        return Content(html, "text/html; charset=utf-8");
    }

    private async Task<string> RenderThemeAsync(string name, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken) =>
        await liquid.RenderSourceAsync(await publicModel.ThemeTemplateAsync(name, cancellationToken), model, cancellationToken);
}
