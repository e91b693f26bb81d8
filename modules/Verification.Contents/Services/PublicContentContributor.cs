using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Liquid;
using Verification.Cms.Localization;
using Verification.Cms.Tenants;
using Verification.Contents.Models;

namespace Verification.Contents.Services;

/// <summary>
/// Gives the public pages <c>content.types</c> (public types with their list URL) and
/// <c>content.latest</c> (the ten newest published items of public types).
/// </summary>
public sealed class PublicContentContributor(TenantDbContext db, ContentDefinitionService definitions, ITenantContext tenant) : IPublicPageModelContributor
{
    public async Task ContributeAsync(IDictionary<string, object?> model, CancellationToken cancellationToken)
    {
        var types = (await definitions.ListAsync(cancellationToken)).Select(r => ContentTypeDefinition.Parse(r.Json)).Where(t => t.Settings.Public).ToList();
        var names = types.Select(t => t.Name).ToList();
        var latest = await db.Set<ContentItemRecord>().AsNoTracking().Where(i => names.Contains(i.ContentType) && i.PublishedVersion != null)
            .OrderByDescending(i => i.PublishedUtc).Take(10).ToListAsync(cancellationToken);
        model["content"] = new Dictionary<string, object?>
        {
            ["types"] = types.Select(t => new Dictionary<string, object?> { ["name"] = t.Name, ["display_name"] = t.DisplayName, ["url"] = $"{tenant.PathBase}/content/{t.Name}" }).ToList(),
            ["latest"] = latest.Select(i => new Dictionary<string, object?>
            {
                ["title"] = i.DisplayText,
                ["type_name"] = types.First(t => t.Name == i.ContentType).DisplayName,
                ["url"] = $"{tenant.PathBase}/content/{i.ContentType}/{i.Id}",
                ["published_on"] = i.PublishedUtc is { } p ? CmsTime.ToChina(p).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            }).ToList(),
        };
    }
}
