using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.OrgUnits.Models;

namespace Verification.Cases.Intake;

/// <summary>
/// Where each received household's case is placed (R-2.1, "谁受理谁负责"). Cases are accepted at the level the
/// centre's first stage names (a street in Guangzhou): an entrustment received above that level — a district or
/// city department's API push or roster — puts each household at the unit of that level its address names (its
/// street, else its county); one received below it goes to the unit of that level above. A household whose
/// address names no such unit is refused with the reason, never left where nobody may accept it.
/// </summary>
public sealed class CasePlacement(TenantDbContext db, PipelineSettings pipeline)
{
    private static readonly string[] Suffixes = ["街道办事处", "街道", "镇", "乡", "街"];

    public async Task<(IReadOnlyList<string?> Units, List<IntakeProblem> Problems)> PlaceAsync(string? receivingUnit, IReadOnlyList<(int? Row, HouseholdDraft Household)> households, CancellationToken cancellationToken)
    {
        var same = households.Select(_ => receivingUnit).ToList();
        var acceptLevel = (await pipeline.GetAsync(cancellationToken)).StageOf(CaseTrigger.Accept)?.Level;
        var units = acceptLevel is null ? [] : await db.Set<OrgUnit>().AsNoTracking().ToListAsync(cancellationToken);
        var receiving = units.FirstOrDefault(u => u.Code == receivingUnit) ?? units.Where(u => u.ParentCode == null).OrderBy(u => u.SortOrder).FirstOrDefault();
        if (acceptLevel is null || receiving is null || receiving.Level == acceptLevel)
        {
            return (same, []);
        }

        if (units.Where(u => receiving.Path.StartsWith(u.Path, StringComparison.Ordinal) && u.Level == acceptLevel).OrderByDescending(u => u.Path.Length).FirstOrDefault() is { } above)
        {
            return (households.Select(_ => (string?)above.Code).ToList(), []);
        }

        var candidates = units.Where(u => u.Path.StartsWith(receiving.Path, StringComparison.Ordinal) && u.Level == acceptLevel).ToList();
        if (candidates.Count == 0)
        {
            return (same, []);
        }

        var placed = new List<string?>(households.Count);
        var problems = new List<IntakeProblem>();
        foreach (var (row, household) in households)
        {
            var match = Only(candidates, household.Street) ?? (candidates.Count == 1 ? candidates[0] : Only(candidates, household.County));
            if (match is null)
            {
                problems.Add(new(row, "street", RejectionGrounds.OutOfScope, "The address ({0}) names no unit of this centre that accepts cases: give the street (乡镇（街道）) as the centre's units are named.", $"{household.County}{household.Street}"));
            }

            placed.Add(match?.Code);
        }

        return (placed, problems);
    }

    /// <summary>The one candidate whose name holds the place name (without 街道/镇/乡), or null when none or several do.</summary>
    private static OrgUnit? Only(List<OrgUnit> candidates, string? place)
    {
        if (string.IsNullOrWhiteSpace(place))
        {
            return null;
        }

        var core = place.Trim();
        foreach (var suffix in Suffixes)
        {
            if (core.Length > suffix.Length + 1 && core.EndsWith(suffix, StringComparison.Ordinal))
            {
                core = core[..^suffix.Length];
                break;
            }
        }

        var found = candidates.Where(u => u.Name.Contains(core, StringComparison.Ordinal)).Take(2).ToList();
        return found.Count == 1 ? found[0] : null;
    }
}
