using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Text;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;
using Verification.Exchange.Services;

namespace Verification.Cases.Comparison;

/// <summary>
/// Turns what the providers answered into findings: one line per returned record in its H annex E
/// group; a line per provider and category that found nothing, did not answer in time or refused;
/// and, per household and category, a difference line where found exceeds declared by more than the
/// tenant's threshold for the service item. Exclusions of G 7.5 are listed, never compared.
/// The comparison describes; it never decides eligibility.
/// </summary>
public sealed class ComparisonService(TenantDbContext db, PipelineSettings pipeline, CaseService cases, IAuditTrail audit)
{
    /// <summary>Cases compared and moved together (one bulk insert of findings, one transition).</summary>
    public const int Chunk = 250;

    /// <summary>Amount fields that are monthly figures, comparable with the declaration's monthly income.</summary>
    private static readonly HashSet<string> MonthlyFields = ["monthlyAmount", "monthlyRent", "monthlyTotal", "contributionBase", "incomeAmount"];

    private static readonly HashSet<string> CountedCategories = ["property.realEstate", "property.vehicle", "property.ship", "property.machinery"];

    /// <summary>The findings from the answers so far (partial while queries are still out); nothing is saved.</summary>
    public async Task<List<Finding>> BuildAsync(VerificationCase @case, CancellationToken cancellationToken) =>
        Build(@case, await QueriesOfAsync(db, [@case.Id], cancellationToken), await pipeline.GetAsync(cancellationToken));

    /// <summary>How many sources were asked and how many never answered or refused (a provider that did not find the person answered).</summary>
    public static (int Asked, int Unanswered) Coverage(IEnumerable<ProviderQuery> queries)
    {
        int asked = 0, unanswered = 0;
        foreach (var query in queries)
        {
            asked++;
            if (query.State is QueryStates.Unanswered or QueryStates.DeadLetter || (query.State == QueryStates.Rejected && query.ReasonCode != ReasonCodes.SubjectNotFound))
            {
                unanswered++;
            }
        }

        return (asked, unanswered);
    }

    /// <summary>The provider queries of the cases' members (by their references "case/member", which are indexed).</summary>
    public static async Task<List<ProviderQuery>> QueriesOfAsync(TenantDbContext db, IReadOnlyCollection<string> caseIds, CancellationToken cancellationToken)
    {
        var references = await db.Set<CaseMember>().AsNoTracking().Where(m => caseIds.Contains(m.CaseId)).Select(m => m.CaseId + "/" + m.Id).ToListAsync(cancellationToken);
        var queries = new List<ProviderQuery>();
        foreach (var chunk in references.Chunk(500))
        {
            queries.AddRange(await db.Set<ProviderQuery>().AsNoTracking().Where(q => chunk.Contains(q.CaseReference)).ToListAsync(cancellationToken));
        }

        return queries;
    }

    public static List<Finding> Build(VerificationCase @case, IReadOnlyList<ProviderQuery> queries, PipelineProfile profile)
    {
        var catalogue = DataSourceCatalogue.Shipped;
        var findings = new List<Finding>();
        foreach (var query in queries.Where(q => q.State is QueryStates.Answered or QueryStates.Unanswered or QueryStates.Rejected or QueryStates.DeadLetter))
        {
            var memberId = query.CaseReference[(query.CaseReference.IndexOf('/', StringComparison.Ordinal) + 1)..];
            var items = JsonSerializer.Deserialize<List<string>>(query.DataItemsJson) ?? [];
            var records = query.State == QueryStates.Answered ? ProviderExchange.Records(query) : [];
            foreach (var record in records)
            {
                if (catalogue.Item(record.DataItem) is not { } item)
                {
                    continue;
                }

                var category = catalogue.Category(item.Category);
                findings.Add(new Finding
                {
                    CaseId = @case.Id, MemberId = memberId, Kind = FindingKinds.Record, Group = category?.Group ?? "other", Category = item.Category,
                    Department = catalogue.ProviderOf(item.Code)?.Name ?? query.Provider, Item = item.Name, Result = Describe(item, record.Fields),
                    Amount = item.AmountField is { } field ? SpreadsheetCells.Number(record.Fields[field]) : null, QueryId = query.Id,
                });
            }

            // Categories the query covered that produced no record: say so explicitly.
            var covered = items.Select(catalogue.Item).OfType<CatalogueItem>().Where(i => !records.Any(r => r.DataItem == i.Code)).GroupBy(i => i.Category);
            foreach (var group in covered)
            {
                var kind = query.State switch { QueryStates.Answered => FindingKinds.Nothing, QueryStates.Rejected => FindingKinds.Rejected, _ => FindingKinds.Unanswered };
                var names = string.Join("、", group.Select(i => i.Name));
                findings.Add(new Finding
                {
                    CaseId = @case.Id, MemberId = memberId, Kind = kind, Group = catalogue.Category(group.Key)?.Group ?? "other", Category = group.Key,
                    Department = catalogue.ProviderOf(group.First().Code)?.Name ?? query.Provider, Item = names,
                    Result = kind switch
                    {
                        FindingKinds.Nothing => "未查询到相关信息",
                        FindingKinds.Rejected => $"信息提供单位拒绝查询（{query.ReasonCode}）",
                        _ => "信息提供单位未在时限内反馈，待补充反馈",
                    },
                    QueryId = query.Id,
                });
            }
        }

        findings.AddRange(Differences(@case, findings, profile));
        return MergeNothingFound(findings);
    }

    /// <summary>
    /// "Nothing found" is said once per member and report group, naming every department and item it
    /// covers, rather than once per provider and category: the report stays complete and readable (a
    /// household's report shrinks by pages) and a batch stores a third of the rows.
    /// </summary>
    private static List<Finding> MergeNothingFound(List<Finding> findings)
    {
        var merged = findings.Where(f => f.Kind != FindingKinds.Nothing).ToList();
        foreach (var group in findings.Where(f => f.Kind == FindingKinds.Nothing).GroupBy(f => (f.MemberId, f.Group)))
        {
            var first = group.First();
            merged.Add(new Finding
            {
                CaseId = first.CaseId, MemberId = first.MemberId, Kind = FindingKinds.Nothing, Group = first.Group,
                Category = group.Count() == 1 ? first.Category : first.Group, Department = string.Join("、", group.Select(f => f.Department).Distinct()),
                Item = string.Join("、", group.Select(f => f.Item)), Result = first.Result, QueryId = group.Count() == 1 ? first.QueryId : null,
            });
        }

        return merged;
    }

    /// <summary>Declared vs found per household and category, flagged above the threshold .</summary>
    private static IEnumerable<Finding> Differences(VerificationCase @case, List<Finding> findings, PipelineProfile profile)
    {
        var declared = JsonSerializer.Deserialize<Dictionary<string, decimal>>(@case.DeclaredJson) ?? [];
        var catalogue = DataSourceCatalogue.Shipped;
        foreach (var category in catalogue.Categories.Where(c => !c.Code.StartsWith("excluded.", StringComparison.Ordinal)))
        {
            if (profile.ThresholdFor(@case.ServiceItem, category.Code) is not { } threshold)
            {
                continue;
            }

            var records = findings.Where(f => f.Kind == FindingKinds.Record && f.Category == category.Code).ToList();
            declared.TryGetValue(category.Code, out var declaredValue);
            if (threshold.Count is { } allowedCount && CountedCategories.Contains(category.Code))
            {
                var found = records.Count;
                if (found - declaredValue > allowedCount)
                {
                    yield return Difference(@case, category, declaredValue, found, $"查得{category.Name}{found}项，申报{declaredValue:0}项，超出允许差异{allowedCount}项");
                }
            }

            if (threshold.Amount is { } allowedAmount)
            {
                var monthly = category.Group == "income";
                var found = records.Where(r => r.Amount is not null && (!monthly || MonthlyFields.Contains(AmountFieldOf(r)))).Sum(r => r.Amount!.Value);
                if (found - declaredValue > allowedAmount)
                {
                    var unit = monthly ? "元/月" : "元";
                    yield return Difference(@case, category, declaredValue, found, string.Create(CultureInfo.InvariantCulture, $"查得{category.Name}合计{found:N2}{unit}，申报{declaredValue:N2}{unit}，差额{found - declaredValue:N2}{unit}，超过阈值{allowedAmount:N2}{unit}"));
                }
            }
        }
    }

    private static readonly Lazy<Dictionary<(string Name, string Category), string>> AmountFields = new(() =>
        DataSourceCatalogue.Shipped.Items.Where(i => i.AmountField is not null).GroupBy(i => (i.Name, i.Category)).ToDictionary(g => g.Key, g => g.First().AmountField!));

    private static string AmountFieldOf(Finding record) =>
        AmountFields.Value.TryGetValue((record.Item, record.Category), out var field) ? field : string.Empty;

    private static Finding Difference(VerificationCase @case, FindingCategory category, decimal declared, decimal found, string text) => new()
    {
        CaseId = @case.Id, Kind = FindingKinds.Difference, Group = category.Group, Category = category.Code, Department = "核对机构", Item = "申报与核对差异：" + category.Name,
        Result = text, Amount = found, Declared = declared,
    };

    /// <summary>A record in one line: "label：value；…" in the catalogue's field order.</summary>
    public static string Describe(CatalogueItem item, JsonObject fields)
    {
        var parts = new List<string>();
        foreach (var field in item.Fields)
        {
            if (fields[field.Key] is not { } value)
            {
                continue;
            }

            var text = value.GetValueKind() switch
            {
                JsonValueKind.True => "是",
                JsonValueKind.False => "否",
                JsonValueKind.Number when field.Type == "money" => SpreadsheetCells.Number(value)?.ToString("N2", CultureInfo.InvariantCulture) + "元",
                _ => value.ToString(),
            };
            parts.Add($"{field.Label}：{text}");
        }

        var line = string.Join("；", parts);
        return line.Length > 400 ? line[..400] + "…" : line;
    }


    /// <summary>
    /// When every query of an exchanging case is final: saves its findings and moves it to comparing
    /// unanswered items are findings too). Returns the cases completed.
    /// </summary>
    public async Task<int> CompleteReadyAsync(int max, CancellationToken cancellationToken)
    {
        var exchanging = await db.Set<VerificationCase>().AsNoTracking().Where(c => c.State == CaseState.Exchanging).Select(c => c.Id).Take(max * 20).ToListAsync(cancellationToken);
        if (exchanging.Count == 0)
        {
            return 0;
        }

        var waiting = (await db.Set<ProviderQuery>().AsNoTracking().Where(QueryStates.Waiting).Select(q => q.CaseReference).ToListAsync(cancellationToken))
            .Select(r => r[..r.IndexOf('/', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        var ready = exchanging.Where(id => !waiting.Contains(id)).Take(max).ToList();
        var profile = await pipeline.GetAsync(cancellationToken);
        // A chunk's findings are built on another core while the previous chunk's are written (the writes
        // are the database's, one at a time; building is parsing and text): a yearly batch compares in less time.
        (string[] Chunk, Task<List<Finding>> Findings, IReadOnlyDictionary<string, (int Asked, int Unanswered)> Coverage)? previous = null;
        foreach (var chunk in ready.Chunk(Chunk))
        {
            var chunkCases = await db.Set<VerificationCase>().AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(cancellationToken);
            var queries = (await QueriesOfAsync(db, chunk, cancellationToken)).ToLookup(q => q.CaseReference[..q.CaseReference.IndexOf('/', StringComparison.Ordinal)]);
            var coverage = chunk.ToDictionary(id => id, id => Coverage(queries[id]), StringComparer.Ordinal);
            var building = Task.Run(() => chunkCases.SelectMany(c => Build(c, queries[c.Id].ToList(), profile)).ToList(), cancellationToken);
            if (previous is { } built)
            {
                await SaveFindingsAsync(built.Chunk, await built.Findings, built.Coverage, cancellationToken);
            }

            previous = (chunk, building, coverage);
        }

        if (previous is { } last)
        {
            await SaveFindingsAsync(last.Chunk, await last.Findings, last.Coverage, cancellationToken);
        }

        return ready.Count;
    }

    /// <summary>Replaces the cases' findings and moves them on to comparing; safe to repeat (the cases stay exchanging until the move).</summary>
    private async Task SaveFindingsAsync(string[] caseIds, List<Finding> findings, IReadOnlyDictionary<string, (int Asked, int Unanswered)> coverage, CancellationToken cancellationToken)
    {
        await db.Set<Finding>().Where(f => caseIds.Contains(f.CaseId)).ExecuteDeleteAsync(cancellationToken);
        await BulkInsert.InsertAsync(db, findings, cancellationToken);
        // One statement per distinct figure: in a yearly batch nearly every household has the same.
        foreach (var group in coverage.GroupBy(c => c.Value, c => c.Key))
        {
            var ids = group.ToList();
            var (asked, unanswered) = group.Key;
            await db.Set<VerificationCase>().Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(u => u.SetProperty(c => c.SourcesAsked, asked).SetProperty(c => c.SourcesUnanswered, unanswered), cancellationToken);
        }

        await cases.FireManyAsync(caseIds, CaseTrigger.ExchangeComplete, null, null, cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>A reviewer's note on a finding; setting a difference aside needs a reason, and both are audited.</summary>
    public async Task AnnotateAsync(string caseId, long findingId, string? annotation, bool overridden, string? reason, string? user, CancellationToken cancellationToken)
    {
        var finding = await db.Set<Finding>().FirstAsync(f => f.Id == findingId && f.CaseId == caseId, cancellationToken);
        if (overridden && string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseTransitionException("A difference may be set aside only with a reason.");
        }

        if (overridden && finding.Kind != FindingKinds.Difference)
        {
            throw new CaseTransitionException("Only a difference can be set aside.");
        }

        finding.Annotation = string.IsNullOrWhiteSpace(annotation) ? finding.Annotation : annotation.Trim();
        finding.Overridden = overridden;
        finding.OverrideReason = overridden ? reason!.Trim() : null;
        finding.AnnotatedBy = user;
        finding.AnnotatedUtc = DateTime.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, overridden ? "finding.overridden" : "finding.annotated", "case", caseId, new Dictionary<string, string?> { ["finding"] = findingId.ToString(CultureInfo.InvariantCulture), ["annotation"] = annotation, ["reason"] = reason }) { Actor = user }, cancellationToken);
    }
}
