using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Contents.Models;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Contents.Services;

/// <summary>
/// Lookup fields offer the published items of a content type ("lookup": "TrainingMaterial").
/// It reads the items table itself: the content manager depends on the form service, which asks this.
/// </summary>
public sealed class ContentLookupSource(TenantDbContext db) : ILookupSource
{
    public async Task<IReadOnlyList<FormOption>> OptionsAsync(string lookup, CancellationToken cancellationToken) =>
        await db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.ContentType == lookup && i.PublishedVersion != null)
            .OrderBy(i => i.DisplayText).Take(500).Select(i => new FormOption(i.Id, i.DisplayText)).ToListAsync(cancellationToken);
}
