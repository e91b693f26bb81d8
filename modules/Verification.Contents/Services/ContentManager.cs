using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Workflows;
using Verification.Contents.Models;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Contents.Services;

/// <param name="Item">The saved item, or null when the data had errors (then nothing was saved).</param>
/// <param name="Data">The data as kept (typed, sanitized), or as typed when refused.</param>
public sealed record ContentSaveResult(ContentItemRecord? Item, JsonObject Data, IReadOnlyList<FieldError> Errors);

/// <summary>What the content list shows: filters by type, state, text and owner.</summary>
public sealed record ContentFilter(string? Type = null, string? Status = null, string? Text = null, string? Owner = null, int Page = 0);

/// <summary>
/// Content items with drafts, publishing and history. A draftable type keeps edits as a draft
/// until published; a versionable one starts a new version when the latest is published, so the
/// published version stays as it was; every version remembers the type version it was made with.
/// </summary>
public sealed class ContentManager(TenantDbContext db, ContentDefinitionService definitions, ContentPartCatalog parts, FormSubmissionValidator validator, FormService forms, IAuditTrail audit, IWorkflowEvents workflows)
{
    public const int PageSize = 50;

    /// <param name="newId">A stable id for a new item (recipes); otherwise one is generated.</param>
    public async Task<ContentSaveResult> SaveAsync(string typeName, string? id, JsonObject input, bool publish, string? user, CancellationToken cancellationToken, string? newId = null)
    {
        var (typeRecord, type) = await definitions.FindAsync(typeName, cancellationToken) ?? throw new InvalidOperationException($"No content type '{typeName}'.");
        var item = id is null ? null : await db.Set<ContentItemRecord>().FirstOrDefaultAsync(i => i.Id == id && i.ContentType == typeName, cancellationToken);
        if (id is not null && item is null)
        {
            throw new InvalidOperationException($"No content item '{id}'.");
        }

        var editor = await forms.ResolveLookupsAsync(type.EditorForm(parts), cancellationToken);
        var result = validator.Validate(editor, input, await forms.ContextAsync(cancellationToken), draft: false);
        if (!result.IsValid)
        {
            return new ContentSaveResult(null, input, result.Errors);
        }

        var now = DateTime.UtcNow;
        var json = result.Data.ToJsonString(FormDocument.Json);
        if (item is not null && (!publish || item.PublishedVersion == item.LatestVersion)
            && JsonNode.DeepEquals(JsonNode.Parse((await VersionAsync(item.Id, item.LatestVersion, cancellationToken))!.DataJson), result.Data))
        {
            // Nothing changed: no new version, no audit entry.
            return new ContentSaveResult(item, result.Data, []);
        }

        if (item is null)
        {
            item = new ContentItemRecord { ContentType = typeName, DisplayText = string.Empty, Owner = user, LatestVersion = 1 };
            item.Id = newId ?? item.Id;
            db.Add(item);
            db.Add(new ContentItemVersionRecord { ItemId = item.Id, Version = 1, TypeVersion = typeRecord.Version, DataJson = json, Author = user });
        }
        else if (type.Settings.Versionable && item.PublishedVersion == item.LatestVersion)
        {
            // The published version stays as it is; the edit becomes the next version.
            item.LatestVersion++;
            db.Add(new ContentItemVersionRecord { ItemId = item.Id, Version = item.LatestVersion, TypeVersion = typeRecord.Version, DataJson = json, Author = user });
        }
        else
        {
            var latest = await db.Set<ContentItemVersionRecord>().FirstAsync(v => v.ItemId == item.Id && v.Version == item.LatestVersion, cancellationToken);
            latest.DataJson = json;
            latest.TypeVersion = typeRecord.Version;
            latest.Author = user;
            latest.ModifiedUtc = now;
        }

        item.DisplayText = DisplayText(result.Data, type);
        item.ModifiedUtc = now;
        item.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        var published = publish || !type.Settings.Draftable;
        if (published)
        {
            item.PublishedVersion = item.LatestVersion;
            item.PublishedUtc = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, published ? "content.published" : "content.saved", "content", item.Id, Details(item)) { Actor = user }, cancellationToken);
        if (published)
        {
            await RaisePublishedAsync(item, user, cancellationToken);
        }

        return new ContentSaveResult(item, result.Data, []);
    }

    public async Task PublishAsync(string id, string? user, CancellationToken cancellationToken)
    {
        var item = await db.Set<ContentItemRecord>().FirstAsync(i => i.Id == id, cancellationToken);
        item.PublishedVersion = item.LatestVersion;
        item.PublishedUtc = DateTime.UtcNow;
        item.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "content.published", "content", id, Details(item)) { Actor = user }, cancellationToken);
        await RaisePublishedAsync(item, user, cancellationToken);
    }

    private Task RaisePublishedAsync(ContentItemRecord item, string? user, CancellationToken cancellationToken) =>
        workflows.RaiseAsync(new WorkflowEvent(WorkflowEventNames.ContentPublished, item.Id, new Dictionary<string, string?> { ["contentType"] = item.ContentType, ["title"] = item.DisplayText, ["user"] = user }), cancellationToken);

    public async Task UnpublishAsync(string id, string? user, CancellationToken cancellationToken)
    {
        var item = await db.Set<ContentItemRecord>().FirstAsync(i => i.Id == id, cancellationToken);
        item.PublishedVersion = null;
        item.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "content.unpublished", "content", id, Details(item)) { Actor = user }, cancellationToken);
    }

    /// <summary>Makes an earlier version's data the latest draft: a new version after a published one, or the current draft replaced.</summary>
    public async Task<ContentSaveResult> RestoreAsync(string id, int version, string? user, CancellationToken cancellationToken)
    {
        var item = await db.Set<ContentItemRecord>().AsNoTracking().FirstAsync(i => i.Id == id, cancellationToken);
        var old = await db.Set<ContentItemVersionRecord>().AsNoTracking().FirstAsync(v => v.ItemId == id && v.Version == version, cancellationToken);
        return await SaveAsync(item.ContentType, id, JsonNode.Parse(old.DataJson) as JsonObject ?? [], publish: false, user, cancellationToken);
    }

    public async Task DeleteAsync(string id, string? user, CancellationToken cancellationToken)
    {
        var item = await db.Set<ContentItemRecord>().FirstAsync(i => i.Id == id, cancellationToken);
        db.RemoveRange(db.Set<ContentItemVersionRecord>().Where(v => v.ItemId == id));
        db.Remove(item);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "content.deleted", "content", id, Details(item)) { Actor = user }, cancellationToken);
    }

    public Task<ContentItemRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Set<ContentItemRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    public Task<ContentItemVersionRecord?> VersionAsync(string id, int version, CancellationToken cancellationToken) =>
        db.Set<ContentItemVersionRecord>().AsNoTracking().FirstOrDefaultAsync(v => v.ItemId == id && v.Version == version, cancellationToken);

    public Task<List<ContentItemVersionRecord>> HistoryAsync(string id, CancellationToken cancellationToken) =>
        db.Set<ContentItemVersionRecord>().AsNoTracking().Where(v => v.ItemId == id).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);

    /// <summary>The item's type as at the given version, and its editor form (lookups resolved).</summary>
    public async Task<(ContentTypeDefinition Type, FormDocument Editor)> TypeAtAsync(string typeName, int typeVersion, CancellationToken cancellationToken)
    {
        var type = await definitions.VersionAsync(typeName, typeVersion, cancellationToken) ?? throw new InvalidOperationException($"No version {typeVersion} of '{typeName}'.");
        return (type, await forms.ResolveLookupsAsync(type.EditorForm(parts), cancellationToken));
    }

    public async Task<(List<ContentItemRecord> Items, int Total)> ListAsync(ContentFilter filter, IReadOnlyCollection<string> listableTypes, CancellationToken cancellationToken)
    {
        var query = db.Set<ContentItemRecord>().AsNoTracking().Where(i => listableTypes.Contains(i.ContentType));
        if (!string.IsNullOrEmpty(filter.Type))
        {
            query = query.Where(i => i.ContentType == filter.Type);
        }

        query = filter.Status switch
        {
            "published" => query.Where(i => i.PublishedVersion != null),
            "draft" => query.Where(i => i.PublishedVersion == null || i.PublishedVersion != i.LatestVersion),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            query = query.Where(i => i.DisplayText.Contains(text));
        }

        if (!string.IsNullOrEmpty(filter.Owner))
        {
            query = query.Where(i => i.Owner == filter.Owner);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(i => i.ModifiedUtc).Skip(Math.Max(filter.Page, 0) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>Published items of a type, newest first.</summary>
    public Task<List<ContentItemRecord>> PublishedAsync(string typeName, int take, CancellationToken cancellationToken) =>
        db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.ContentType == typeName && i.PublishedVersion != null)
            .OrderByDescending(i => i.PublishedUtc).Take(take).ToListAsync(cancellationToken);

    private static string DisplayText(JsonObject data, ContentTypeDefinition type)
    {
        var title = data["title"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        return string.IsNullOrWhiteSpace(title) ? type.DisplayName : title.Length > 200 ? title[..200] : title;
    }

    private static Dictionary<string, string?> Details(ContentItemRecord item) => new()
    {
        ["type"] = item.ContentType,
        ["version"] = item.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["title"] = item.DisplayText,
    };
}
