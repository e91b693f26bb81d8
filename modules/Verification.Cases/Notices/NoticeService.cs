using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Reports;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Localization;

namespace Verification.Cases.Notices;

/// <summary>
/// Notices to the entrusting department: 补正资料通知书, 终止核对通知书, suspension and
/// extension notices, rendered from the tenant's Liquid template and kept exactly as issued.
/// </summary>
public sealed class NoticeService(TenantDbContext db, DocumentModel documents, DocumentTemplates templates, TimeProvider time, IAuditTrail audit)
{
    public static string Title(string kind) => kind switch
    {
        NoticeKinds.Supplement => "补正资料通知书",
        NoticeKinds.Termination => "终止核对通知书",
        NoticeKinds.Suspension => "中止核对告知书",
        NoticeKinds.Letter => "函件",
        _ => "延期核对告知书",
    };

    public async Task<CaseNotice> IssueAsync(string caseId, string kind, string reason, DateOnly? dueOn, string? user, CancellationToken cancellationToken)
    {
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken);
        var model = await documents.BuildAsync(@case, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        model["notice"] = new Dictionary<string, object?>
        {
            ["kind"] = kind, ["title"] = Title(kind), ["reason"] = reason, ["due_on"] = dueOn is { } d ? DocumentModel.Date(d) : null,
            ["issued_on"] = DocumentModel.Date(CmsTime.Today(time)),
        };
        var notice = new CaseNotice { CaseId = caseId, Kind = kind, Reason = reason, DueOn = dueOn, IssuedUtc = now, IssuedBy = user, Html = await templates.RenderAsync(DocumentTemplates.Notice, model, cancellationToken) };
        db.Add(notice);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "notice.issued", "case", caseId, new Dictionary<string, string?> { ["kind"] = kind, ["reason"] = reason }) { Actor = user }, cancellationToken);
        return notice;
    }
}
