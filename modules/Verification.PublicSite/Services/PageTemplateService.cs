using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Liquid;
using Verification.PublicSite.Models;

namespace Verification.PublicSite.Services;

/// <summary>The tenant's template if it has one, else the PublicTheme's default (themes/PublicTheme/Views/{name}.liquid).</summary>
public sealed class PageTemplateService(TenantDbContext db, PublicPageModel publicModel, IAuditTrail audit)
{
    public const string Home = "home";

    public async Task<(string Source, string? Stamp, bool IsCustom)> GetAsync(string name, CancellationToken cancellationToken)
    {
        var custom = await db.Set<LiquidTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return custom is not null ? (custom.Source, custom.ConcurrencyStamp, true) : (await DefaultAsync(name, cancellationToken), null, false);
    }

    public Task<string> DefaultAsync(string name, CancellationToken cancellationToken) => publicModel.ThemeTemplateAsync(name, cancellationToken);

    /// <summary>Saves the tenant's version; false when someone saved meanwhile.</summary>
    public async Task<bool> SaveAsync(string name, string source, string? expectedStamp, string? user, CancellationToken cancellationToken)
    {
        var row = await db.Set<LiquidTemplate>().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (row is null)
        {
            if (expectedStamp is not null)
            {
                return false;
            }

            row = new LiquidTemplate { Name = name, Source = source };
            db.Add(row);
        }
        else
        {
            db.Entry(row).Property(r => r.ConcurrencyStamp).OriginalValue = expectedStamp ?? string.Empty;
        }

        row.Source = source;
        row.UpdatedBy = user;
        row.UpdatedUtc = DateTime.UtcNow;
        row.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "template.saved", "template", name), cancellationToken);
        return true;
    }
}
