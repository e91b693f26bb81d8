using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Cms.Settings;
using Verification.Exchange.Catalogue;
using Verification.Forms.Models;

namespace Verification.Cases.Reports;

/// <summary>
/// What the report and notice templates see (Liquid, snake_case): the centre, the department, the
/// household and its members, the findings in the six groups of H annex E, and the opinions.
/// </summary>
public sealed class DocumentModel(TenantDbContext db, SiteSettingsService site, PipelineSettings pipeline)
{
    private static readonly string[] Ordinals = ["三", "四", "五", "六", "七", "八"];

    public async Task<Dictionary<string, object?>> BuildAsync(VerificationCase @case, CancellationToken cancellationToken) =>
        (await BuildManyAsync([@case], cancellationToken))[@case.Id];

    /// <summary>The models of many cases with a handful of queries (batches issue hundreds at once).</summary>
    public async Task<Dictionary<string, Dictionary<string, object?>>> BuildManyAsync(IReadOnlyCollection<VerificationCase> cases, CancellationToken cancellationToken)
    {
        var settings = await site.GetAsync(cancellationToken);
        var ids = cases.Select(c => c.Id).ToList();
        var entrustmentIds = cases.Select(c => c.EntrustmentId).Distinct().ToList();
        var entrustments = await db.Set<Entrustment>().AsNoTracking().Where(e => entrustmentIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var departments = await db.Set<Department>().AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, cancellationToken);
        var allMembers = (await db.Set<CaseMember>().AsNoTracking().Where(m => ids.Contains(m.CaseId)).ToListAsync(cancellationToken)).ToLookup(m => m.CaseId);
        // Only what the report shows: a batch of 10,000 reports reads ~260,000 findings.
        var allFindings = (await db.Set<Finding>().AsNoTracking().Where(f => ids.Contains(f.CaseId)).OrderBy(f => f.Id).Select(f => new Finding
        {
            Id = f.Id, CaseId = f.CaseId, MemberId = f.MemberId, Kind = f.Kind, Group = f.Group, Category = f.Category, Department = f.Department, Item = f.Item, Result = f.Result,
            Annotation = f.Annotation, Overridden = f.Overridden, OverrideReason = f.OverrideReason,
        }).ToListAsync(cancellationToken)).ToLookup(f => f.CaseId);
        var allOpinions = (await db.Set<CaseOpinion>().AsNoTracking().Where(o => ids.Contains(o.CaseId)).OrderBy(o => o.AtUtc).ToListAsync(cancellationToken)).ToLookup(o => o.CaseId);
        var profile = await pipeline.GetAsync(cancellationToken);
        var models = new Dictionary<string, Dictionary<string, object?>>(cases.Count);
        foreach (var @case in cases)
        {
            var department = entrustments[@case.EntrustmentId].Department;
            // The applicant first, then by relationship code (spouse, children, parents …).
            var members = allMembers[@case.Id].OrderBy(m => m.Relation == "01" ? "00" : m.Relation).ThenBy(m => m.IdNumber, StringComparer.Ordinal).ToList();
            var findings = allFindings[@case.Id].ToList();
            var names = members.ToDictionary(m => m.Id, m => m.Name);
            var order = members.Select((m, i) => (m.Id, i)).ToDictionary(x => x.Id, x => x.i);
            models[@case.Id] = new Dictionary<string, object?>
            {
                ["centre"] = new Dictionary<string, object?> { ["name"] = settings.DisplayName, ["division"] = settings.DivisionCode },
                ["department"] = new Dictionary<string, object?> { ["name"] = departments.GetValueOrDefault(department) ?? department },
                ["case"] = new Dictionary<string, object?>
                {
                    ["number"] = @case.Number, ["service_item"] = @case.ServiceItem, ["service_item_name"] = PipelineSettings.ServiceItemName(@case.ServiceItem),
                    ["received_on"] = Date(@case.ReceivedOn), ["due_on"] = Date(@case.DueOn), ["state"] = @case.State.ToString(),
                },
                ["household"] = new Dictionary<string, object?> { ["head_name"] = @case.HeadName, ["address"] = string.Join(" ", new[] { @case.City, @case.County, @case.Street }.Where(s => !string.IsNullOrWhiteSpace(s))) },
                ["members"] = members.Where(m => !m.MaintenanceObligor).Select(Person).ToList(),
                ["obligors"] = members.Where(m => m.MaintenanceObligor).Select(Person).ToList(),
                ["groups"] = DataSourceCatalogue.Shipped.Groups.Select((g, i) => new Dictionary<string, object?>
                {
                    ["code"] = g.Code, ["name"] = g.Name, ["ordinal"] = Ordinals[i],
                    ["rows"] = findings.Where(f => f.Group == g.Code)
                        .OrderBy(f => f.MemberId is null ? -1 : order.GetValueOrDefault(f.MemberId)).ThenBy(f => f.Kind == FindingKinds.Nothing).ThenBy(f => f.Department, StringComparer.Ordinal)
                        .Select(f => Row(f, names)).ToList(),
                }).ToList(),
                ["opinions"] = allOpinions[@case.Id].Select(o => new Dictionary<string, object?> { ["stage"] = profile.StageOf(o.Stage)?.Label ?? o.Stage.ToString(), ["text"] = o.Text, ["at"] = CmsTime.Format(o.AtUtc) }).ToList(),
            };
        }

        return models;
    }

    public static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static Dictionary<string, object?> Person(CaseMember m) => new()
    {
        ["name"] = m.Name, ["id_number"] = m.IdNumber,
        ["relation"] = OptionSets.Find(OptionSets.Relationships)!.FirstOrDefault(o => o.Value == m.Relation)?.Label ?? m.Relation,
    };

    private static Dictionary<string, object?> Row(Finding f, Dictionary<string, string> names) => new()
    {
        ["department"] = f.Department, ["item"] = f.Item, ["result"] = f.Result,
        ["member"] = f.MemberId is not null && names.TryGetValue(f.MemberId, out var name) ? name : null,
        ["flag"] = f.Kind == FindingKinds.Difference && !f.Overridden,
        ["annotation"] = f.Overridden ? $"{f.Annotation}（已说明：{f.OverrideReason}）" : f.Annotation,
    };
}
