using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;

namespace Verification.Cms.Settings;

public sealed class SiteSettingsService(TenantDbContext db, IAuditTrail audit)
{
    public async Task<SiteSettings> GetAsync(CancellationToken cancellationToken) =>
        await db.SiteSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == SiteSettings.SingletonId, cancellationToken)
        ?? new SiteSettings();

    /// <summary>Saves if nobody else saved since <paramref name="expectedStamp"/> was read; false on a concurrent edit.</summary>
    public async Task<bool> SaveAsync(SiteSettings values, string? expectedStamp, CancellationToken cancellationToken)
    {
        var row = await db.SiteSettings.FirstOrDefaultAsync(s => s.Id == SiteSettings.SingletonId, cancellationToken);
        if (row is null)
        {
            row = new SiteSettings();
            db.SiteSettings.Add(row);
        }
        else if (expectedStamp is not null)
        {
            db.Entry(row).Property(r => r.ConcurrencyStamp).OriginalValue = expectedStamp;
        }

        row.DisplayName = values.DisplayName;
        row.DivisionCode = values.DivisionCode;
        row.Level = values.Level;
        row.TimeZone = values.TimeZone;
        row.DefaultLocale = values.DefaultLocale;
        row.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        row.UpdatedUtc = DateTime.UtcNow;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        await audit.RecordAsync(
            new AuditEntry(AuditCategories.Settings, "settings.saved", "site", null, new Dictionary<string, string?>
            {
                ["displayName"] = row.DisplayName,
                ["divisionCode"] = row.DivisionCode,
                ["level"] = row.Level,
                ["defaultLocale"] = row.DefaultLocale,
            }),
            cancellationToken);
        return true;
    }
}
