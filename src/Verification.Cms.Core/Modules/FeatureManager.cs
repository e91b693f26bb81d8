using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Tenants;

namespace Verification.Cms.Modules;

public sealed record FeatureState(CatalogFeature Feature, bool Enabled, IReadOnlyList<string> Dependents);

/// <summary>
/// Enables and disables the tenant's features. Enabling brings in dependencies; disabling takes
/// dependents with it. The tenant's shell is rebuilt on its next request — no restart.
/// </summary>
public sealed class FeatureManager(TenantDbContext db, ModuleCatalog catalog, ITenantContext tenant, ShellHost shellHost, IAuditTrail audit)
{
    public async Task<IReadOnlyList<FeatureState>> GetStatesAsync(CancellationToken cancellationToken)
    {
        var enabled = await EnabledAsync(cancellationToken);
        return catalog.Features
            .Where(f => !f.Info.HostOnly || tenant.Settings.IsDefault)
            .OrderBy(f => f.Info.Category, StringComparer.Ordinal).ThenBy(f => f.Info.Id, StringComparer.Ordinal)
            .Select(f => new FeatureState(f, f.Info.AlwaysEnabled || enabled.Contains(f.Info.Id), catalog.Dependents(f.Info.Id, enabled)))
            .ToList();
    }

    public async Task<HashSet<string>> EnabledAsync(CancellationToken cancellationToken) =>
        (await db.ShellFeatures.Select(f => f.FeatureId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    /// <returns>The features newly enabled (dependencies included).</returns>
    public async Task<IReadOnlyList<string>> EnableAsync(IEnumerable<string> featureIds, bool reloadShell, CancellationToken cancellationToken)
    {
        var enabled = await EnabledAsync(cancellationToken);
        var wanted = catalog.ResolveEnabled(enabled.Where(catalog.Exists).Concat(featureIds))
            .Where(f => !f.Info.HostOnly || tenant.Settings.IsDefault)
            .Select(f => f.Info.Id)
            .ToList();
        var added = wanted.Where(id => !enabled.Contains(id)).ToList();
        foreach (var id in added)
        {
            db.ShellFeatures.Add(new ShellFeatureRecord { FeatureId = id });
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var id in added)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Features, "feature.enabled", "feature", id), cancellationToken);
        }

        if (reloadShell && added.Count > 0)
        {
            await shellHost.ReleaseShellAsync(tenant.Settings.Name);
        }

        return added;
    }

    /// <returns>The features disabled (dependents included); empty when the feature cannot be disabled.</returns>
    public async Task<IReadOnlyList<string>> DisableAsync(string featureId, bool reloadShell, CancellationToken cancellationToken)
    {
        if (!catalog.Exists(featureId) || catalog.Get(featureId).Info.AlwaysEnabled)
        {
            return [];
        }

        var enabled = await EnabledAsync(cancellationToken);
        var removed = catalog.Dependents(featureId, enabled).Append(featureId).Where(enabled.Contains).Distinct().ToList();
        if (removed.Any(id => catalog.Exists(id) && catalog.Get(id).Info.AlwaysEnabled))
        {
            return [];
        }

        await db.ShellFeatures.Where(f => removed.Contains(f.FeatureId)).ExecuteDeleteAsync(cancellationToken);
        foreach (var id in removed)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Features, "feature.disabled", "feature", id), cancellationToken);
        }

        if (reloadShell && removed.Count > 0)
        {
            await shellHost.ReleaseShellAsync(tenant.Settings.Name);
        }

        return removed;
    }
}
