using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Hosting;
using Verification.Cms.Localization;
using Verification.Cms.Numbering;
using Verification.Cms.Rendering;
using Verification.Cms.Settings;
using Verification.Cms.Tenants;

namespace Verification.Cases.Reports;

/// <summary>
/// Issues a case's verification report: the number of from the month's gap-free serial,
/// allocated in the same transaction that stores the report and moves the case, so concurrent issues
/// get consecutive numbers and a failure gives its number back; the structured result and its
/// SHA-256, printed on the report with a QR code to the public check page; the HTML frozen as issued.
/// </summary>
public sealed class ReportIssuer(
    TenantDbContext db, CaseService cases, DocumentModel documents, DocumentTemplates templates, ISerialNumberAllocator serials,
    SiteSettingsService site, Microsoft.Extensions.Configuration.IConfiguration configuration, ITenantContext tenant, TimeProvider time, IAuditTrail audit)
{
    public const string Disclaimer = "核对结果是反映核对对象经济状况的重要手段，不是唯一依据。核对报告仅作为委托单位作出行政决策的参考，不作其他用途。";

    public async Task<VerificationReport> IssueAsync(string caseId, string? user, CancellationToken cancellationToken)
    {
        var (reports, refused) = await IssueManyAsync([caseId], user, cancellationToken);
        if (refused.TryGetValue(caseId, out var refusal))
        {
            throw refusal;
        }

        return reports[0];
    }

    /// <summary>
    /// Issues the reports of many approved cases in one transaction (a batch): consecutive serials, one
    /// transition of the cases, one audit entry per report when single and per batch otherwise.
    /// </summary>
    public async Task<(IReadOnlyList<VerificationReport> Reports, IReadOnlyDictionary<string, CaseTransitionException> Refused)> IssueManyAsync(
        IReadOnlyCollection<string> caseIds, string? user, CancellationToken cancellationToken)
    {
        var all = await db.Set<VerificationCase>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var refused = all.Where(c => c.State != CaseState.Approved).ToDictionary(c => c.Id, c => new CaseTransitionException("This step is not possible while the case is {0}.", "state." + c.State));
        var approved = all.Where(c => c.State == CaseState.Approved).OrderBy(c => c.Number, StringComparer.Ordinal).ToList();
        if (approved.Count == 0)
        {
            return ([], refused);
        }

        var division = (await site.GetAsync(cancellationToken)).DivisionCode ?? throw new InvalidOperationException("The centre has no division code.");
        var models = await documents.BuildManyAsync(approved, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var today = CmsTime.Today(time);
        var strategy = db.Database.CreateExecutionStrategy();
        var reports = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Numbers first, as one block (the counter stays locked until commit); then the reports are rendered on every core.
            var first = (int)await serials.NextRangeAsync(DocumentNumbers.ReportCounter(today.Year, today.Month), approved.Count, cancellationToken);
            var numbered = approved.Select((c, i) => (Case: c, Serial: first + i)).ToList();

            await templates.PrepareAsync(DocumentTemplates.Report, cancellationToken);
            var issued = new VerificationReport[numbered.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, numbered.Count), cancellationToken, async (i, _) =>
            {
                var (@case, serial) = numbered[i];
                var number = DocumentNumbers.Report(division, today.Year, today.Month, serial, @case.ServiceItem, ReportNature.First, 1);
                var model = models[@case.Id];
                var resultJson = ResultJson(number, today, model);
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resultJson)));
                var checkUrl = CheckUrl(number, hash);
                model["report"] = new Dictionary<string, object?>
                {
                    ["number"] = number, ["issued_on"] = DocumentModel.Date(today), ["service_item_name"] = PipelineSettings.ServiceItemName(@case.ServiceItem),
                    ["nature_name"] = "首次核对报告", ["hash"] = hash, ["check_url"] = checkUrl, ["qr_svg"] = QrCode.Svg(checkUrl),
                };
                issued[i] = new VerificationReport
                {
                    Number = number, CaseId = @case.Id, ServiceItem = @case.ServiceItem, Year = today.Year, Month = today.Month, Serial = serial, IssuedUtc = now, IssuedBy = user,
                    Html = await templates.RenderAsync(DocumentTemplates.Report, model, cancellationToken), ContentHash = hash, ResultJson = resultJson,
                };
            });

            db.AddRange(issued);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            await cases.FireManyAsync(approved.Select(c => c.Id).ToList(), CaseTrigger.IssueReport, user, null, cancellationToken);
            await QueueDeliveriesAsync(approved, issued, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<VerificationReport>)issued;
        });
        db.ChangeTracker.Clear();
        if (reports.Count == 1)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "report.issued", "report", reports[0].Number, new Dictionary<string, string?> { ["case"] = reports[0].CaseId, ["hash"] = reports[0].ContentHash }) { Actor = user }, cancellationToken);
        }
        else
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "reports.issued", "reports", null, new Dictionary<string, string?> { ["count"] = reports.Count.ToString(CultureInfo.InvariantCulture), ["numbers"] = string.Join(",", reports.Select(r => r.Number)) }) { Actor = user }, cancellationToken);
        }

        return (reports, refused);
    }

    /// <summary>The public page that confirms a report's number and content hash (no personal data).</summary>
    public string CheckUrl(string number, string hash) =>
        $"{CmsOptions.PublicUrl(configuration, tenant.PathBase)}/report-check/{Uri.EscapeDataString(number)}?h={hash}";

    private async Task QueueDeliveriesAsync(IReadOnlyList<VerificationCase> issuedCases, IReadOnlyList<VerificationReport> reports, CancellationToken cancellationToken)
    {
        var entrustmentIds = issuedCases.Select(c => c.EntrustmentId).Distinct().ToList();
        var departments = await db.Set<Entrustment>().AsNoTracking().Where(e => entrustmentIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Department, cancellationToken);
        var withCallback = (await db.Set<Department>().AsNoTracking().Where(d => d.CallbackUrl != null && d.Enabled).Select(d => d.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var byCase = issuedCases.ToDictionary(c => c.Id);
        db.AddRange(reports.Select(r => (Report: r, Department: departments[byCase[r.CaseId].EntrustmentId]))
            .Where(x => withCallback.Contains(x.Department))
            .Select(x => new ResultDelivery { DepartmentCode = x.Department, ReportNumber = x.Report.Number, NextAttemptUtc = time.GetUtcNow().UtcDateTime }));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The structured result a department fetches or receives: the report's content as data.</summary>
    private static string ResultJson(string number, DateOnly issuedOn, Dictionary<string, object?> model) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["number"] = number,
        ["issuedOn"] = issuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["case"] = model["case"],
        ["centre"] = model["centre"],
        ["department"] = model["department"],
        ["household"] = model["household"],
        ["members"] = model["members"],
        ["obligors"] = model["obligors"],
        ["groups"] = model["groups"],
        ["disclaimer"] = Disclaimer,
    }, ResultJsonOptions);

    private static readonly JsonSerializerOptions ResultJsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
