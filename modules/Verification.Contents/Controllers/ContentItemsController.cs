using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Liquid;
using Verification.Cms.Security;
using Verification.Contents.Models;
using Verification.Contents.Services;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Contents.Controllers;

/// <summary>Staff create, edit, publish and look back through content items .</summary>
[Route("admin/content")]
[RequirePermission("EditContent")]
public sealed class ContentItemsController(
    ContentManager content, ContentDefinitionService definitions, ContentDisplay display, FormUploads uploads,
    PublicPageModel publicModel, IUserPermissions permissions, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? type, string? status, string? q, bool mine, int page, CancellationToken cancellationToken)
    {
        var types = (await definitions.ListAsync(cancellationToken)).Select(r => ContentTypeDefinition.Parse(r.Json)).Where(t => t.Settings.Listable).ToList();
        var filter = new ContentFilter(type, status, q, mine ? User.Identity?.Name : null, page);
        var (items, total) = await content.ListAsync(filter, types.Select(t => t.Name).ToList(), cancellationToken);
        return View(new ContentListViewModel(types, items, total, filter, mine));
    }

    [HttpGet("new/{type}")]
    public async Task<IActionResult> New(string type, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(type, cancellationToken) is not { } found || !found.Definition.Settings.Creatable)
        {
            return NotFound();
        }

        var (_, editor) = await content.TypeAtAsync(type, found.Record.Version, cancellationToken);
        return View("Edit", new ContentEditViewModel(found.Definition, editor, null, [], new Dictionary<string, string>(), await CanPublishAsync()));
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Edit(string id, CancellationToken cancellationToken)
    {
        if (await content.FindAsync(id, cancellationToken) is not { } item)
        {
            return NotFound();
        }

        var latest = (await content.VersionAsync(id, item.LatestVersion, cancellationToken))!;
        var type = (await definitions.FindAsync(item.ContentType, cancellationToken))!.Value;
        var (_, editor) = await content.TypeAtAsync(item.ContentType, type.Record.Version, cancellationToken);
        return View(new ContentEditViewModel(type.Definition, editor, item, JsonNode.Parse(latest.DataJson) as JsonObject ?? [], new Dictionary<string, string>(), await CanPublishAsync()));
    }

    /// <summary>Saves (as a draft, or published with the publish button); rows and files of the editor's groups are handled like the form runtime's.</summary>
    [HttpPost("save")]
    public async Task<IActionResult> Save(string type, string? id, string? action, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(type, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        var item = id is null ? null : await content.FindAsync(id, cancellationToken);
        if ((id is not null && (item is null || item.ContentType != type)) || (item is null && !found.Definition.Settings.Creatable))
        {
            return NotFound();
        }

        var (_, editor) = await content.TypeAtAsync(type, found.Record.Version, cancellationToken);
        var existing = item is null ? [] : JsonNode.Parse((await content.VersionAsync(item.Id, item.LatestVersion, cancellationToken))!.DataJson) as JsonObject ?? [];
        var data = FormPost.Merge(existing, editor.Pages[0], Request.Form.Where(f => f.Key != "__RequestVerificationToken"));
        FormPost.ApplyRowAction(data, editor.Pages[0], action);
        var errors = await uploads.ApplyAsync(Request.Form, editor.Fields, data, User.Identity?.Name, cancellationToken);
        var canPublish = await CanPublishAsync();
        if (errors.Count > 0 || action is not ("save" or "publish"))
        {
            // A row added or removed, or a refused upload: the page comes back with what was typed, nothing saved yet.
            return View("Edit", new ContentEditViewModel(found.Definition, editor, item, data, errors, canPublish));
        }

        var result = await content.SaveAsync(type, item?.Id, data, action == "publish" && canPublish, User.Identity?.Name, cancellationToken);
        if (result.Item is null)
        {
            return View("Edit", new ContentEditViewModel(found.Definition, editor, item, data, result.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.First().Message), canPublish, T["Please correct the marked fields."].Value));
        }

        TempData["Message"] = result.Item.PublishedVersion == result.Item.LatestVersion ? T["Published."].Value : T["Draft saved."].Value;
        return Redirect(Url.Content($"~/admin/content/{result.Item.Id}"));
    }

    [HttpPost("{id}/publish")]
    [RequirePermission("PublishContent")]
    public Task<IActionResult> Publish(string id, CancellationToken cancellationToken) => ChangeAsync(id, () => content.PublishAsync(id, User.Identity?.Name, cancellationToken), T["Published."].Value, cancellationToken);

    [HttpPost("{id}/unpublish")]
    [RequirePermission("PublishContent")]
    public Task<IActionResult> Unpublish(string id, CancellationToken cancellationToken) => ChangeAsync(id, () => content.UnpublishAsync(id, User.Identity?.Name, cancellationToken), T["Unpublished."].Value, cancellationToken);

    [HttpPost("{id}/delete")]
    [RequirePermission("PublishContent")]
    public async Task<IActionResult> Delete(string id, CancellationToken cancellationToken)
    {
        if (await content.FindAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        await content.DeleteAsync(id, User.Identity?.Name, cancellationToken);
        TempData["Message"] = T["Deleted."].Value;
        return Redirect(Url.Content("~/admin/content"));
    }

    [HttpGet("{id}/versions")]
    public async Task<IActionResult> Versions(string id, CancellationToken cancellationToken) =>
        await content.FindAsync(id, cancellationToken) is { } item ? View(new ContentHistoryViewModel(item, await content.HistoryAsync(id, cancellationToken))) : NotFound();

    /// <summary>One version as the public would see it, with the type version it was made with.</summary>
    [HttpGet("{id}/versions/{version:int}")]
    public async Task<IActionResult> ShowVersion(string id, int version, CancellationToken cancellationToken)
    {
        if (await content.FindAsync(id, cancellationToken) is not { } item || await content.VersionAsync(id, version, cancellationToken) is not { } row)
        {
            return NotFound();
        }

        var (type, editor) = await content.TypeAtAsync(item.ContentType, row.TypeVersion, cancellationToken);
        var html = await display.RenderAsync(type, editor, item, JsonNode.Parse(row.DataJson) as JsonObject ?? [], n => Url.Content($"~/admin/content/{id}/file?version={version}&path=attachments%5B{n}%5D.file"), await publicModel.BuildAsync(cancellationToken), cancellationToken);
        return View(new ContentVersionViewModel(item, row, html));
    }

    [HttpPost("{id}/restore/{version:int}")]
    public async Task<IActionResult> Restore(string id, int version, CancellationToken cancellationToken)
    {
        if (await content.FindAsync(id, cancellationToken) is null || await content.VersionAsync(id, version, cancellationToken) is null)
        {
            return NotFound();
        }

        var result = await content.RestoreAsync(id, version, User.Identity?.Name, cancellationToken);
        TempData[result.Item is null ? "Error" : "Message"] = result.Item is null
            ? T["Version {0} no longer fits the content type: {1}", version, string.Join(" ", result.Errors.Select(e => e.Message))].Value
            : T["Version {0} restored as a draft.", version].Value;
        return Redirect(Url.Content($"~/admin/content/{id}"));
    }

    /// <summary>A file of any version, for staff.</summary>
    [HttpGet("{id}/file")]
    public async Task<IActionResult> Download(string id, int? version, string path, CancellationToken cancellationToken)
    {
        if (await content.FindAsync(id, cancellationToken) is not { } item || await content.VersionAsync(id, version ?? item.LatestVersion, cancellationToken) is not { } row)
        {
            return NotFound();
        }

        var (_, editor) = await content.TypeAtAsync(item.ContentType, row.TypeVersion, cancellationToken);
        return await uploads.FileAtAsync(editor.Fields, row.DataJson, path, cancellationToken) is { } file ? FormUploads.Serve(this, file) : NotFound();
    }

    private async Task<IActionResult> ChangeAsync(string id, Func<Task> change, string message, CancellationToken cancellationToken)
    {
        if (await content.FindAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        await change();
        TempData["Message"] = message;
        return Redirect(Url.Content($"~/admin/content/{id}"));
    }

    private Task<bool> CanPublishAsync() => permissions.HasAsync(User, "PublishContent");
}

public sealed record ContentListViewModel(IReadOnlyList<ContentTypeDefinition> Types, IReadOnlyList<ContentItemRecord> Items, int Total, ContentFilter Filter, bool Mine);

public sealed record ContentEditViewModel(ContentTypeDefinition Type, FormDocument Editor, ContentItemRecord? Item, JsonObject Data, IReadOnlyDictionary<string, string> Errors, bool CanPublish, string? Message = null);

public sealed record ContentHistoryViewModel(ContentItemRecord Item, IReadOnlyList<ContentItemVersionRecord> Versions);

public sealed record ContentVersionViewModel(ContentItemRecord Item, ContentItemVersionRecord Version, string Html);
