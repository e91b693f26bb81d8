using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cases.Comparison;
using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Audit;
using Verification.Cms.Calendar;
using Verification.Cms.Data;
using Verification.Cms.Media;
using Verification.Cms.Rendering;
using Verification.Cms.Security;
using Verification.Exchange.Models;
using Verification.Forms.Services;
using Verification.OrgUnits.Models;

namespace Verification.Cases.Controllers;

/// <summary>The clerk's and reviewer's case pages: list with filters and saved views, counter entry, the case page and every step on it.</summary>
[Route("cases")]
[RequirePermission("ViewCases")]
public sealed class CasesController(
    TenantDbContext db, CaseAccess access, CaseActions actions, CaseService cases, PipelineSettings pipeline, IntakeService intake, ComparisonService comparison,
    FormService forms, DepartmentService departments, IWorkingDayCalendar calendar, MediaStore media, ChromiumPdf pdf, IAuditTrail audit, IEnumerable<Verification.Cms.Workflows.ICaseWorkItems> workItems, IStringLocalizer T) : Controller
{
    public const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] CaseFilter filter, CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var visible = CaseAccess.Visible(db.Set<VerificationCase>().AsNoTracking(), actor);
        var today = cases.Today();
        var soon = await calendar.AddWorkingDaysAsync(today, 3, cancellationToken);
        var query = visible;
        if (filter.State is { } state)
        {
            query = query.Where(c => c.State == state);
        }

        if (!string.IsNullOrEmpty(filter.Item))
        {
            query = query.Where(c => c.ServiceItem == filter.Item);
        }

        if (!string.IsNullOrEmpty(filter.Unit))
        {
            query = query.Where(c => c.OrgUnit == filter.Unit);
        }

        query = filter.Risk switch
        {
            "overdue" => query.Where(c => c.DueOn < today && CaseQueries.Open.Contains(c.State)),
            "soon" => query.Where(c => c.DueOn >= today && c.DueOn <= soon && CaseQueries.Open.Contains(c.State)),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            var q = filter.Q.Trim();
            query = query.Where(c => c.Number.Contains(q) || c.HeadName.Contains(q) || c.HeadIdNumber.EndsWith(q));
        }

        var total = await query.CountAsync(cancellationToken);
        var page = Math.Max(1, filter.Page);
        var rows = await query.OrderBy(c => c.DueOn).ThenBy(c => c.Number).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var byState = await visible.GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var units = await db.Set<OrgUnit>().AsNoTracking().Where(u => actor.Scope.Unrestricted || actor.Scope.UnitCodes.Contains(u.Code)).OrderBy(u => u.Path).ToListAsync(cancellationToken);
        var views = await db.Set<SavedCaseView>().AsNoTracking().Where(v => v.UserName == actor.UserName).OrderBy(v => v.Name).ToListAsync(cancellationToken);
        return View(new CaseListViewModel(filter, rows, total, page, byState, units, views, today, soon, await pipeline.GetAsync(cancellationToken)));
    }

    /// <summary>Saves the current filters under a name for the user (saved views).</summary>
    [HttpPost("views")]
    public async Task<IActionResult> SaveView(string name, string query, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            var user = User.Identity!.Name!;
            var existing = await db.Set<SavedCaseView>().FirstOrDefaultAsync(v => v.UserName == user && v.Name == name.Trim(), cancellationToken);
            if (existing is null)
            {
                db.Add(new SavedCaseView { UserName = user, Name = name.Trim(), Query = query ?? string.Empty });
            }
            else
            {
                existing.Query = query ?? string.Empty;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return Redirect(Url.Content("~/cases" + (query ?? string.Empty)));
    }

    [HttpPost("views/{id:long}/delete")]
    public async Task<IActionResult> DeleteView(long id, CancellationToken cancellationToken)
    {
        var user = User.Identity!.Name!;
        await db.Set<SavedCaseView>().Where(v => v.Id == id && v.UserName == user).ExecuteDeleteAsync(cancellationToken);
        return Redirect(Url.Content("~/cases"));
    }

    /// <summary>Counter entry (G 8.1.2.5): a submitted declaration form becomes a case once the department is named.</summary>
    [HttpGet("new")]
    [RequirePermission("AcceptEntrustments")]
    public async Task<IActionResult> New(string? declaration, CancellationToken cancellationToken)
    {
        if (declaration is null)
        {
            return Redirect(Url.Content("~/forms/" + DeclarationMapping.FormName + "/new"));
        }

        var submission = await forms.SubmissionAsync(declaration, cancellationToken);
        if (submission is null || submission.FormName != DeclarationMapping.FormName || submission.CreatedBy != User.Identity?.Name)
        {
            return NotFound();
        }

        var (item, household) = DeclarationMapping.Read(submission.DataJson);
        return View(new NewCaseViewModel(declaration, item, household, await departments.ListAsync(cancellationToken), null, []));
    }

    [HttpPost("new")]
    [RequirePermission("AcceptEntrustments")]
    public async Task<IActionResult> Create(string declaration, string department, string? purpose, CancellationToken cancellationToken)
    {
        var submission = await forms.SubmissionAsync(declaration, cancellationToken);
        if (submission is null || submission.FormName != DeclarationMapping.FormName || submission.CreatedBy != User.Identity?.Name)
        {
            return NotFound();
        }

        var (item, household) = DeclarationMapping.Read(submission.DataJson);
        var actor = await access.ActorAsync(User, cancellationToken);
        if (await db.Set<Entrustment>().AnyAsync(e => e.Channel == "counter" && e.ExternalReference == declaration, cancellationToken))
        {
            var made = await db.Set<VerificationCase>().AsNoTracking().Where(c => c.EntrustmentId == db.Set<Entrustment>().Where(e => e.ExternalReference == declaration).Select(e => e.Id).First()).Select(c => c.Id).FirstAsync(cancellationToken);
            return Redirect(Url.Content($"~/cases/{made}"));
        }

        var entrustment = new Entrustment { Department = department ?? string.Empty, ServiceItem = item ?? string.Empty, Channel = "counter", Purpose = purpose, ExternalReference = declaration };
        var problems = new List<IntakeProblem>();
        if (string.IsNullOrWhiteSpace(department))
        {
            problems.Add(new(null, "department", RejectionGrounds.MissingMaterials, "Choose the entrusting department."));
        }

        if (problems.Count == 0)
        {
            var result = await intake.ReceiveAsync(entrustment, [(null, household)], authorizationsRequired: false, actor.UserName, actor.OrgUnit, cancellationToken);
            if (result.Accepted)
            {
                TempData["Message"] = T["Case {0} received; record each member's authorization next.", result.Cases[0].Number].Value;
                return Redirect(Url.Content($"~/cases/{result.Cases[0].Id}"));
            }

            problems.AddRange(result.Problems);
        }

        return View("New", new NewCaseViewModel(declaration, item, household, await departments.ListAsync(cancellationToken), purpose, problems));
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (@case is null || !CaseAccess.CanSee(actor, @case))
        {
            return NotFound();
        }

        // Every look at a household's data is on the audit trail.
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.viewed", "case", id), cancellationToken);
        var profile = await pipeline.GetAsync(cancellationToken);
        var queries = await ComparisonService.QueriesOfAsync(db, [id], cancellationToken);
        var findings = CaseQueries.Settled(@case.State)
            ? await db.Set<Finding>().AsNoTracking().Where(f => f.CaseId == id).OrderBy(f => f.Id).ToListAsync(cancellationToken)
            : ComparisonService.Build(@case, queries, profile);
        return View(new CaseViewModel(
            @case,
            await db.Set<Entrustment>().AsNoTracking().FirstAsync(e => e.Id == @case.EntrustmentId, cancellationToken),
            await db.Set<CaseMember>().AsNoTracking().Where(m => m.CaseId == id).ToListAsync(cancellationToken),
            await db.Set<MemberAuthorization>().AsNoTracking().Where(a => a.CaseId == id).ToListAsync(cancellationToken),
            queries, findings,
            await db.Set<CaseOpinion>().AsNoTracking().Where(o => o.CaseId == id).OrderBy(o => o.AtUtc).ToListAsync(cancellationToken),
            await db.Set<CaseNotice>().AsNoTracking().Where(n => n.CaseId == id).OrderBy(n => n.IssuedUtc).ToListAsync(cancellationToken),
            await db.Set<CaseDocument>().AsNoTracking().Where(d => d.CaseId == id).OrderBy(d => d.UploadedUtc).ToListAsync(cancellationToken),
            await db.Set<CaseEvent>().AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken),
            await db.Set<VerificationReport>().AsNoTracking().Where(r => r.CaseId == id).Select(r => r.Number).FirstOrDefaultAsync(cancellationToken),
            actor, profile, cases.Today(), await calendar.AddWorkingDaysAsync(cases.Today(), 3, cancellationToken),
            await departments.ListAsync(cancellationToken))
        {
            WorkItems = (await Task.WhenAll(workItems.Select(w => w.ForCaseAsync(id, cancellationToken)))).SelectMany(w => w).ToList(),
        });
    }

    /// <summary>One lifecycle step from the case page; the reason/opinion text goes with the steps that need it.</summary>
    [HttpPost("{id}/step")]
    public async Task<IActionResult> Step(string id, CaseTrigger trigger, string? text, int days, CancellationToken cancellationToken)
    {
        var (@case, actor, refusal) = await AuthorizeAsync(id, trigger, cancellationToken);
        if (@case is null)
        {
            return NotFound();
        }

        if (refusal is not null)
        {
            TempData["Error"] = refusal;
            return Back(id);
        }

        try
        {
            switch (trigger)
            {
                case CaseTrigger.Accept: await actions.AcceptAsync(id, actor.UserName, cancellationToken); break;
                case CaseTrigger.Confirm:
                    var start = await actions.ConfirmAsync(id, actor.UserName, cancellationToken);
                    TempData["Message"] = T["Confirmed; {0} queries sent to the providers.", start.QueriesQueued].Value;
                    return Back(id);
                case CaseTrigger.ReturnForSupplement: await actions.ReturnForSupplementAsync(id, text ?? string.Empty, actor.UserName, cancellationToken); break;
                case CaseTrigger.Supplement: await actions.SupplementAsync(id, text, actor.UserName, cancellationToken); break;
                case CaseTrigger.Suspend: await actions.SuspendAsync(id, text ?? string.Empty, actor.UserName, cancellationToken); break;
                case CaseTrigger.Resume: await actions.ResumeAsync(id, actor.UserName, cancellationToken); break;
                case CaseTrigger.Withdraw: await actions.WithdrawAsync(id, text ?? string.Empty, actor.UserName, cancellationToken); break;
                case CaseTrigger.Review or CaseTrigger.Approve: await actions.OpinionAsync(id, trigger, text ?? string.Empty, actor.UserName, cancellationToken); break;
                case CaseTrigger.IssueReport:
                    var report = await actions.IssueReportAsync(id, actor.UserName, cancellationToken);
                    TempData["Message"] = T["Report {0} issued.", report.Number].Value;
                    return Back(id);
                case CaseTrigger.Archive: await actions.ArchiveAsync(id, actor.UserName, cancellationToken); break;
                case CaseTrigger.StartIntake: await actions.StartIntakeAsync(id, actor.UserName, cancellationToken); break;
                default: return BadRequest();
            }

            TempData["Message"] = T["Done: {0}.", T["trigger." + trigger].Value].Value;
        }
        catch (CaseTransitionException ex)
        {
            TempData["Error"] = CaseMessages.Localize(T, ex.Message, ex.Arguments);
        }
        catch (DbUpdateConcurrencyException)
        {
            TempData["Error"] = T["Someone else changed this record meanwhile. Reload the page and try again."].Value;
        }

        return Back(id);
    }

    [HttpPost("{id}/extend")]
    public async Task<IActionResult> Extend(string id, int days, string? text, CancellationToken cancellationToken)
    {
        var (@case, actor, refusal) = await AuthorizeAsync(id, CaseTrigger.Suspend, cancellationToken);
        if (@case is null)
        {
            return NotFound();
        }

        try
        {
            if (refusal is not null)
            {
                throw new CaseTransitionException(refusal);
            }

            await actions.ExtendAsync(id, days, text ?? string.Empty, actor.UserName, cancellationToken);
            TempData["Message"] = T["Extended by {0} working days; the department has been notified.", days].Value;
        }
        catch (CaseTransitionException ex)
        {
            TempData["Error"] = CaseMessages.Localize(T, ex.Message, ex.Arguments);
        }

        return Back(id);
    }

    /// <summary>Records a member's authorization, numbered now; a paper one may come with its scan.</summary>
    [HttpPost("{id}/authorizations")]
    public async Task<IActionResult> Authorize(string id, string memberId, string signedBy, string kind, DateOnly signedOn, DateOnly? validUntil, string? signerName, IFormFile? scan, CancellationToken cancellationToken)
    {
        var (@case, actor, refusal) = await AuthorizeAsync(id, CaseTrigger.Accept, cancellationToken);
        if (@case is null)
        {
            return NotFound();
        }

        if (refusal is not null)
        {
            TempData["Error"] = refusal;
            return Back(id);
        }

        if (signedBy is not ("self" or "guardian" or "agent") || kind is not ("paper" or "electronic") || (signedBy != "self" && string.IsNullOrWhiteSpace(signerName)))
        {
            TempData["Error"] = T["A guardian or agent must be named; the authorization is on paper or electronic."].Value;
            return Back(id);
        }

        // Checked before anything is stored (a forged member or impossible dates keep no scan behind).
        if (!await db.Set<CaseMember>().AnyAsync(m => m.Id == memberId && m.CaseId == id, cancellationToken))
        {
            TempData["Error"] = T["The person is not a member of this case."].Value;
            return Back(id);
        }

        if (Intake.AuthorizationDates.Problem(signedOn == default ? cases.Today() : signedOn, validUntil, cases.Today()) is { } dates)
        {
            TempData["Error"] = T[dates.Key, dates.Date].Value;
            return Back(id);
        }

        string? scanId = null;
        if (scan is { Length: > 0 })
        {
            await using var stream = scan.OpenReadStream();
            var stored = await media.SaveAsync(scan.FileName, stream, new UploadRules(5 * 1024 * 1024, [FileSignatures.Image, FileSignatures.Document]), actor.UserName, cancellationToken);
            if (stored.Error is not null)
            {
                TempData["Error"] = stored.Error;
                return Back(id);
            }

            scanId = stored.File!.Id;
            db.Add(new CaseDocument { CaseId = id, Kind = "authorization", MediaId = scanId, FileName = stored.File.FileName, UploadedBy = actor.UserName });
            await db.SaveChangesAsync(cancellationToken);
        }

        var authorization = await cases.RecordAuthorizationAsync(id, memberId, signedBy, kind, signedOn == default ? cases.Today() : signedOn, validUntil, signerName, actor.UserName, cancellationToken);
        TempData["Message"] = T["Authorization {0} recorded.", authorization.Number].Value;
        return Back(id);
    }

    [HttpPost("{id}/documents")]
    public async Task<IActionResult> Upload(string id, string kind, IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            TempData["Error"] = T["Choose a file to upload."].Value;
            return Back(id);
        }

        var (@case, actor, refusal) = await AuthorizeAsync(id, CaseTrigger.Accept, cancellationToken);
        if (@case is null)
        {
            return NotFound();
        }

        await using var stream = file.OpenReadStream();
        var stored = refusal is null ? await media.SaveAsync(file.FileName, stream, new UploadRules(UploadRules.DefaultMaxBytes, [FileSignatures.Image, FileSignatures.Document]), actor.UserName, cancellationToken) : null;
        if (stored?.File is { } saved)
        {
            db.Add(new CaseDocument { CaseId = id, Kind = string.IsNullOrWhiteSpace(kind) ? "other" : kind, MediaId = saved.Id, FileName = saved.FileName, UploadedBy = actor.UserName });
            await db.SaveChangesAsync(cancellationToken);
            TempData["Message"] = T["Saved."].Value;
        }
        else
        {
            TempData["Error"] = refusal ?? stored!.Error;
        }

        return Back(id);
    }

    [HttpGet("{id}/documents/{documentId:long}")]
    public async Task<IActionResult> Document(string id, long documentId, CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        var document = await db.Set<CaseDocument>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId && d.CaseId == id, cancellationToken);
        if (@case is null || document is null || !CaseAccess.CanSee(actor, @case))
        {
            return NotFound();
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.document.viewed", "case", id, new Dictionary<string, string?> { ["document"] = document.FileName }), cancellationToken);
        return await media.FindAsync(document.MediaId, cancellationToken) is { } file ? FormUploads.Serve(this, file) : NotFound();
    }

    /// <summary>Annotates a finding, or sets a difference aside with a reason; only while reviewing.</summary>
    [HttpPost("{id}/findings/{findingId:long}")]
    public async Task<IActionResult> Annotate(string id, long findingId, string? annotation, bool overridden, string? reason, CancellationToken cancellationToken)
    {
        var (@case, actor, refusal) = await AuthorizeAsync(id, CaseTrigger.Review, cancellationToken);
        if (@case is null)
        {
            return NotFound();
        }

        try
        {
            if (refusal is not null || @case.State != CaseState.Comparing)
            {
                throw new CaseTransitionException(refusal ?? "Findings can be annotated while the case is being compared.");
            }

            await comparison.AnnotateAsync(id, findingId, annotation, overridden, reason, actor.UserName, cancellationToken);
            TempData["Message"] = T["Saved."].Value;
        }
        catch (CaseTransitionException ex)
        {
            TempData["Error"] = CaseMessages.Localize(T, ex.Message, ex.Arguments);
        }

        return Redirect(Url.Content($"~/cases/{id}#findings"));
    }

    [HttpGet("{id}/report")]
    public async Task<IActionResult> Report(string id, CancellationToken cancellationToken)
    {
        var report = await ReportAsync(id, cancellationToken);
        if (report is null)
        {
            return NotFound();
        }

        // Rendered from the tenant's template: shown as issued, in a sandbox where nothing runs.
        Response.AsIssuedDocument();
        return Content(report.Html, "text/html; charset=utf-8");
    }

    /// <summary>The issued report as PDF, printed by the warm headless Chromium.</summary>
    [HttpGet("{id}/report.pdf")]
    public async Task<IActionResult> ReportPdf(string id, CancellationToken cancellationToken)
    {
        var report = await ReportAsync(id, cancellationToken);
        if (report is null)
        {
            return NotFound();
        }

        try
        {
            return File(await pdf.PrintAsync(report.Html, cancellationToken), "application/pdf", report.Number + ".pdf");
        }
        catch (PdfUnavailableException ex)
        {
            TempData["Error"] = T[ex.Message].Value;
            return Back(id);
        }
    }

    [HttpGet("{id}/notices/{noticeId:long}")]
    public async Task<IActionResult> Notice(string id, long noticeId, CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        var notice = await db.Set<CaseNotice>().AsNoTracking().FirstOrDefaultAsync(n => n.Id == noticeId && n.CaseId == id, cancellationToken);
        if (@case is null || notice is null || !CaseAccess.CanSee(actor, @case))
        {
            return NotFound();
        }

        Response.AsIssuedDocument();
        return Content(notice.Html, "text/html; charset=utf-8");
    }

    private async Task<VerificationReport?> ReportAsync(string id, CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (@case is null || !CaseAccess.CanSee(actor, @case))
        {
            return null;
        }

        var report = await db.Set<VerificationReport>().AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == id, cancellationToken);
        if (report is not null)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "report.viewed", "report", report.Number), cancellationToken);
        }

        return report;
    }

    private async Task<(VerificationCase? Case, CaseActor Actor, string? Refusal)> AuthorizeAsync(string id, CaseTrigger trigger, CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (@case is null || !CaseAccess.CanSee(actor, @case))
        {
            return (null, actor, null);
        }

        var refusal = CaseAccess.Refusal(actor, @case, trigger, await pipeline.GetAsync(cancellationToken));
        return (@case, actor, refusal is { } r ? CaseMessages.Localize(T, r.Message, r.Arguments) : null);
    }

    private RedirectResult Back(string id) => Redirect(Url.Content($"~/cases/{id}"));
}
