using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Exchange.Catalogue;

namespace Verification.Cases.Services;

/// <summary>The tenant's <see cref="PipelineProfile"/>: read once per scope, saved with an optimistic stamp and audited.</summary>
public sealed class PipelineSettings(TenantDbContext db, IAuditTrail audit)
{
    private PipelineProfile? _profile;

    public async Task<PipelineProfile> GetAsync(CancellationToken cancellationToken)
    {
        if (_profile is null)
        {
            var row = await db.Set<PipelineProfileRecord>().AsNoTracking().FirstOrDefaultAsync(cancellationToken);
            _profile = row is null ? PipelineProfile.Default() : PipelineProfile.Parse(row.Json);
        }

        return _profile;
    }

    public async Task<string?> StampAsync(CancellationToken cancellationToken) =>
        await db.Set<PipelineProfileRecord>().AsNoTracking().Select(r => r.ConcurrencyStamp).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Saves the profile; false when someone else saved meanwhile.</summary>
    public async Task<bool> SaveAsync(PipelineProfile profile, string? expectedStamp, string? user, CancellationToken cancellationToken)
    {
        var row = await db.Set<PipelineProfileRecord>().FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            db.Add(new PipelineProfileRecord { Json = profile.ToJson() });
        }
        else
        {
            if (expectedStamp is not null)
            {
                db.Entry(row).Property(r => r.ConcurrencyStamp).OriginalValue = expectedStamp;
            }

            row.Json = profile.ToJson();
            row.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }

        _profile = profile;
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "pipeline.saved", "pipeline", profile.Flow) { Actor = user }, cancellationToken);
        return true;
    }

    /// <summary>The data items a service item queries: the tenant's list, else J table 1 as shipped.</summary>
    public static IReadOnlyList<string> ItemsFor(PipelineProfile profile, string serviceItem) =>
        profile.ServiceItems.TryGetValue(serviceItem, out var items) ? items
        : DataSourceCatalogue.Shipped.ServiceItems.FirstOrDefault(s => s.Code == serviceItem)?.Items ?? [];

    public IReadOnlyCollection<string> ServiceItemCodes(PipelineProfile profile) =>
        DataSourceCatalogue.Shipped.ServiceItems.Select(s => s.Code).Concat(profile.ServiceItems.Keys).ToHashSet(StringComparer.Ordinal);

    public static string ServiceItemName(string code) => DataSourceCatalogue.Shipped.ServiceItems.FirstOrDefault(s => s.Code == code)?.Name ?? code;
}
