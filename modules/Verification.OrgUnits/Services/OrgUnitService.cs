using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Organisation;
using Verification.OrgUnits.Models;

namespace Verification.OrgUnits.Services;

public sealed record OrgUnitNode(OrgUnit Unit, IReadOnlyList<OrgUnitNode> Children);

public sealed class OrgUnitService(TenantDbContext db, IAuditTrail audit)
{
    public Task<List<OrgUnit>> AllAsync(CancellationToken cancellationToken) =>
        db.Set<OrgUnit>().AsNoTracking().OrderBy(u => u.Path).ToListAsync(cancellationToken);

    public Task<OrgUnit?> FindAsync(string code, CancellationToken cancellationToken) =>
        db.Set<OrgUnit>().FirstOrDefaultAsync(u => u.Code == code, cancellationToken);

    public static IReadOnlyList<OrgUnitNode> BuildTree(IReadOnlyList<OrgUnit> units)
    {
        var byParent = units.ToLookup(u => u.ParentCode ?? string.Empty);
        var codes = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        OrgUnitNode Node(OrgUnit u) => new(u, byParent[u.Code].OrderBy(c => c.SortOrder).ThenBy(c => c.Code, StringComparer.Ordinal).Select(Node).ToList());
        return units.Where(u => u.ParentCode is null || !codes.Contains(u.ParentCode))
            .OrderBy(u => u.SortOrder).ThenBy(u => u.Code, StringComparer.Ordinal)
            .Select(Node).ToList();
    }

    /// <summary>Adds or updates a unit by its code (recipes and the admin form). The parent must exist.</summary>
    public async Task<OrgUnit> UpsertAsync(string code, string name, string? parentCode, string? level, string? divisionCode, int sortOrder, CancellationToken cancellationToken)
    {
        var parent = parentCode is null ? null : await FindAsync(parentCode, cancellationToken)
            ?? throw new InvalidOperationException($"Parent unit '{parentCode}' does not exist.");
        var path = (parent?.Path ?? "/") + code + "/";
        var unit = await FindAsync(code, cancellationToken);
        var created = unit is null;
        if (unit is null)
        {
            unit = new OrgUnit { Code = code, Name = name, Path = path };
            db.Add(unit);
        }
        else if (unit.Path != path)
        {
            throw new InvalidOperationException($"Unit '{code}' already exists under another parent; moving units is not supported.");
        }

        var changed = created || unit.Name != name || unit.Level != level || unit.DivisionCode != divisionCode || unit.SortOrder != sortOrder;
        unit.Name = name;
        unit.ParentCode = parentCode;
        unit.Level = level;
        unit.DivisionCode = divisionCode;
        unit.SortOrder = sortOrder;
        if (changed)
        {
            unit.ConcurrencyStamp = Guid.NewGuid().ToString("N");
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEntry(AuditCategories.Users, created ? "orgunit.created" : "orgunit.updated", "orgunit", code, new Dictionary<string, string?> { ["name"] = name, ["parent"] = parentCode }), cancellationToken);
        }

        return unit;
    }

    /// <summary>Renames a unit if nobody changed it since <paramref name="expectedStamp"/>; false on a concurrent edit.</summary>
    public async Task<bool> RenameAsync(string code, string name, string expectedStamp, CancellationToken cancellationToken)
    {
        var unit = await FindAsync(code, cancellationToken) ?? throw new InvalidOperationException($"Unit '{code}' does not exist.");
        db.Entry(unit).Property(u => u.ConcurrencyStamp).OriginalValue = expectedStamp;
        var old = unit.Name;
        unit.Name = name;
        unit.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.Users, "orgunit.renamed", "orgunit", code, new Dictionary<string, string?> { ["from"] = old, ["to"] = name }), cancellationToken);
        return true;
    }

    /// <summary>The unit and every unit below it.</summary>
    public async Task<HashSet<string>> SubtreeAsync(string code, CancellationToken cancellationToken)
    {
        var unit = await db.Set<OrgUnit>().AsNoTracking().FirstOrDefaultAsync(u => u.Code == code, cancellationToken);
        if (unit is null)
        {
            return [];
        }

        var codes = await db.Set<OrgUnit>().AsNoTracking().Where(u => u.Path.StartsWith(unit.Path)).Select(u => u.Code).ToListAsync(cancellationToken);
        return codes.ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>R-2.1: a user sees their own unit and its descendants; read fresh so a move takes effect at once.</summary>
public sealed class OrgScope(TenantDbContext db, OrgUnitService units) : IOrgScope
{
    public async Task<OrgScopeResult> ForUserAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var unitCode = userId is null ? null : await db.Users.Where(u => u.Id == userId).Select(u => u.OrgUnitCode).FirstOrDefaultAsync(cancellationToken);
        if (unitCode is null)
        {
            var hasTree = await db.Set<OrgUnit>().AnyAsync(cancellationToken);
            return new OrgScopeResult(userId is not null && !hasTree, new HashSet<string>());
        }

        return new OrgScopeResult(false, await units.SubtreeAsync(unitCode, cancellationToken));
    }
}
