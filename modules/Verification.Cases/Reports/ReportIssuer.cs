using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using QRCoder;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Hosting;
using Verification.Cms.Localization;
using Verification.Cms.Numbering;
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
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken);
        if (@case.State != CaseState.Approved)
        {
            throw new CaseTransitionException("This step is not possible while the case is {0}.", "state." + @case.State);
        }

        var division = (await site.GetAsync(cancellationToken)).DivisionCode ?? throw new InvalidOperationException("The centre has no division code.");
        var model = await documents.BuildAsync(@case, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var today = CmsTime.Today(time);
        var strategy = db.Database.CreateExecutionStrategy();
        var report = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var serial = (int)await serials.NextAsync(DocumentNumbers.ReportCounter(today.Year, today.Month), cancellationToken);
            var number = DocumentNumbers.Report(division, today.Year, today.Month, serial, @case.ServiceItem, ReportNature.First, 1);
            var resultJson = ResultJson(number, today, model);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resultJson)));
            var checkUrl = CheckUrl(number, hash);
            model["report"] = new Dictionary<string, object?>
            {
                ["number"] = number, ["issued_on"] = DocumentModel.Date(today), ["service_item_name"] = PipelineSettings.ServiceItemName(@case.ServiceItem),
                ["nature_name"] = "首次核对报告", ["hash"] = hash, ["check_url"] = checkUrl, ["qr_svg"] = QrSvg(checkUrl),
            };
            var issued = new VerificationReport
            {
                Number = number, CaseId = caseId, ServiceItem = @case.ServiceItem, Year = today.Year, Month = today.Month, Serial = serial, IssuedUtc = now, IssuedBy = user,
                Html = await templates.RenderAsync(DocumentTemplates.Report, model, cancellationToken), ContentHash = hash, ResultJson = resultJson,
            };
            db.Add(issued);
            await db.SaveChangesAsync(cancellationToken);
            await cases.FireAsync(caseId, CaseTrigger.IssueReport, user, number, cancellationToken);
            await QueueDeliveryAsync(@case, number, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return issued;
        });
        db.ChangeTracker.Clear();
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "report.issued", "report", report.Number, new Dictionary<string, string?> { ["case"] = caseId, ["hash"] = report.ContentHash }) { Actor = user }, cancellationToken);
        return report;
    }

    /// <summary>The public page that confirms a report's number and content hash (no personal data).</summary>
    public string CheckUrl(string number, string hash) =>
        $"{CmsOptions.PublicUrl(configuration, tenant.PathBase)}/report-check/{Uri.EscapeDataString(number)}?h={hash}";

    public static string QrSvg(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    private async Task QueueDeliveryAsync(VerificationCase @case, string number, CancellationToken cancellationToken)
    {
        var department = await db.Set<Entrustment>().AsNoTracking().Where(e => e.Id == @case.EntrustmentId).Select(e => e.Department).FirstAsync(cancellationToken);
        if (await db.Set<Department>().AsNoTracking().AnyAsync(d => d.Code == department && d.CallbackUrl != null && d.Enabled, cancellationToken))
        {
            db.Add(new ResultDelivery { DepartmentCode = department, ReportNumber = number, NextAttemptUtc = time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
        }
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
