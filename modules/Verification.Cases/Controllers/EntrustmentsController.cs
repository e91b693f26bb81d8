using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using Verification.Cases.Batches;
using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Security;
using Verification.Cms.Text;

namespace Verification.Cases.Controllers;

/// <summary>Entrustments: Excel roster upload with row-level errors, progress per state, batch steps in the background and the Excel summary.</summary>
[Route("entrustments")]
[RequirePermission("ViewCases")]
public sealed class EntrustmentsController(TenantDbContext db, CaseAccess access, IntakeService intake, BatchService batches, DepartmentService departments, PipelineSettings pipeline, IAuditTrail audit, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var visible = CaseAccess.Visible(db.Set<VerificationCase>().AsNoTracking(), actor);
        var counts = await visible.GroupBy(c => new { c.EntrustmentId, c.State }).Select(g => new { g.Key.EntrustmentId, g.Key.State, Count = g.Count() }).ToListAsync(cancellationToken);
        var ids = counts.Select(c => c.EntrustmentId).Distinct().ToList();
        var entrustments = await db.Set<Entrustment>().AsNoTracking().Where(e => ids.Contains(e.Id)).OrderByDescending(e => e.ReceivedUtc).Take(200).ToListAsync(cancellationToken);
        return View(new EntrustmentListViewModel(entrustments, counts.GroupBy(c => c.EntrustmentId).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<CaseState, int>)g.ToDictionary(x => x.State, x => x.Count)), await departments.ListAsync(cancellationToken)));
    }

    [HttpGet("upload")]
    [RequirePermission("AcceptEntrustments")]
    public async Task<IActionResult> Upload(CancellationToken cancellationToken) => View(new RosterUploadViewModel(await departments.ListAsync(cancellationToken), null, null, null, []));

    [HttpGet("roster-template.xlsx")]
    public IActionResult Template() => File(RosterReader.Template(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "查询对象花名册.xlsx");

    /// <summary>A roster (H annex B table B.2) becomes one case per household — all of it, or nothing with every row's problem listed.</summary>
    [HttpPost("upload")]
    [RequirePermission("AcceptEntrustments")]
    [RequestSizeLimit(RosterReader.MaxBytes + 1024 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = RosterReader.MaxBytes + 1024 * 1024)]
    public async Task<IActionResult> Upload(string department, string serviceItem, string? purpose, IFormFile? roster, CancellationToken cancellationToken)
    {
        var list = await departments.ListAsync(cancellationToken);
        List<IntakeProblem> problems = [];
        if (roster is null || roster.Length == 0)
        {
            problems.Add(new(null, "file", RejectionGrounds.MissingMaterials, "Choose the roster file."));
        }
        else if (roster.Length > RosterReader.MaxBytes)
        {
            problems.Add(new(null, "file", RejectionGrounds.NonCompliant, "The roster is larger than {0} MB.", RosterReader.MaxBytes / 1024 / 1024));
        }

        if (list.All(d => d.Code != department))
        {
            problems.Add(new(null, "department", RejectionGrounds.MissingMaterials, "Choose the entrusting department."));
        }

        if (problems.Count == 0)
        {
            await using var buffered = new MemoryStream();
            await roster!.CopyToAsync(buffered, cancellationToken);
            buffered.Position = 0;
            var reading = RosterReader.Read(buffered);
            problems.AddRange(reading.Problems);
            if (problems.Count > 0 && reading.Households.Count > 0)
            {
                // The rows that could be read are checked too, so the department sees every problem at once.
                problems.AddRange(await intake.CheckAsync(serviceItem, reading.Households, authorizationsRequired: false, cancellationToken));
            }
            else if (problems.Count == 0)
            {
                var actor = await access.ActorAsync(User, cancellationToken);
                var entrustment = new Entrustment { Department = department, ServiceItem = serviceItem, Channel = "excel", Purpose = purpose, ExternalReference = Path.GetFileName(roster.FileName) };
                var result = await intake.ReceiveAsync(entrustment, reading.Households, authorizationsRequired: false, actor.UserName, actor.OrgUnit, cancellationToken);
                if (result.Accepted)
                {
                    TempData["Message"] = T["{0} households received from the roster.", result.Cases.Count].Value;
                    return Redirect(Url.Content($"~/entrustments/{entrustment.Id}"));
                }

                problems.AddRange(result.Problems);
            }
        }

        return View(new RosterUploadViewModel(list, department, serviceItem, purpose, problems.OrderBy(p => p.Row ?? 0).ToList()));
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken cancellationToken)
    {
        var (entrustment, counts) = await LoadAsync(id, cancellationToken);
        if (entrustment is null)
        {
            return NotFound();
        }

        var jobs = await db.Set<BatchJob>().AsNoTracking().Where(j => j.EntrustmentId == id).OrderByDescending(j => j.CreatedUtc).ToListAsync(cancellationToken);
        return View(new EntrustmentViewModel(entrustment, counts, jobs, await access.ActorAsync(User, cancellationToken), await pipeline.GetAsync(cancellationToken), (await departments.ListAsync(cancellationToken)).FirstOrDefault(d => d.Code == entrustment.Department)?.Name ?? entrustment.Department));
    }

    /// <summary>The progress of the entrustment's running batch, for the page's progress bar.</summary>
    [HttpGet("{id}/progress")]
    public async Task<IActionResult> Progress(string id, CancellationToken cancellationToken)
    {
        var (entrustment, counts) = await LoadAsync(id, cancellationToken);
        if (entrustment is null)
        {
            return NotFound();
        }

        var job = await db.Set<BatchJob>().AsNoTracking().Where(j => j.EntrustmentId == id).OrderByDescending(j => j.CreatedUtc).FirstOrDefaultAsync(cancellationToken);
        return Json(new { job?.State, job?.Total, job?.Done, job?.Failed, states = counts.ToDictionary(c => c.Key.ToString(), c => c.Value) });
    }

    /// <summary>Starts a step for every case of the entrustment that can take it; the actor must be allowed the step at their level.</summary>
    [HttpPost("{id}/batch")]
    public async Task<IActionResult> Batch(string id, CaseTrigger trigger, string? includeMostlyUnanswered, CancellationToken cancellationToken)
    {
        var (entrustment, _) = await LoadAsync(id, cancellationToken);
        if (entrustment is null || !BatchService.Steps.ContainsKey(trigger))
        {
            return NotFound();
        }

        var actor = await access.ActorAsync(User, cancellationToken);
        var sample = await db.Set<VerificationCase>().AsNoTracking().FirstAsync(c => c.EntrustmentId == id, cancellationToken);
        if (CaseAccess.Refusal(actor, sample, trigger, await pipeline.GetAsync(cancellationToken)) is { } refusal)
        {
            TempData["Error"] = CaseMessages.Localize(T, refusal.Message, refusal.Arguments);
        }
        else if (await db.Set<BatchJob>().AnyAsync(j => j.EntrustmentId == id && j.State == BatchStates.Running, cancellationToken))
        {
            TempData["Error"] = T["A batch step is already running for this entrustment."].Value;
        }
        else
        {
            var job = await batches.StartAsync(id, trigger, actor.UserName, cancellationToken, includeMostlyUnanswered);
            TempData["Message"] = T["Started for {0} cases; it runs in the background.", job.Total].Value;
        }

        return Redirect(Url.Content($"~/entrustments/{id}"));
    }

    /// <summary>The entrustment's cases as an Excel summary: number, household, state, due date, differences, report number.</summary>
    [HttpGet("{id}/summary.xlsx")]
    public async Task<IActionResult> Summary(string id, CancellationToken cancellationToken)
    {
        var (entrustment, _) = await LoadAsync(id, cancellationToken);
        if (entrustment is null)
        {
            return NotFound();
        }

        var cases = await db.Set<VerificationCase>().AsNoTracking().Where(c => c.EntrustmentId == id).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var caseIds = cases.Select(c => c.Id).ToList();
        var reports = await db.Set<VerificationReport>().AsNoTracking().Where(r => caseIds.Contains(r.CaseId)).ToDictionaryAsync(r => r.CaseId, r => r.Number, cancellationToken);
        var differences = await db.Set<Finding>().AsNoTracking().Where(f => caseIds.Contains(f.CaseId) && f.Kind == FindingKinds.Difference && !f.Overridden)
            .GroupBy(f => f.CaseId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var members = await db.Set<CaseMember>().AsNoTracking().Where(m => caseIds.Contains(m.CaseId)).GroupBy(m => m.CaseId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var rows = cases.Select(c => new Dictionary<string, object?>
        {
            ["核对案件号"] = c.Number, ["户主姓名"] = SpreadsheetCells.Neutralize(c.HeadName), ["户主身份证号"] = c.HeadIdNumber, ["县（市、区）"] = SpreadsheetCells.Neutralize(c.County), ["乡镇（街道）"] = SpreadsheetCells.Neutralize(c.Street),
            ["成员数"] = members.GetValueOrDefault(c.Id), ["状态"] = T["state." + c.State].Value, ["受理日期"] = c.ReceivedOn.ToString("yyyy-MM-dd"), ["办结期限"] = c.DueOn.ToString("yyyy-MM-dd"),
            ["申报与核对差异项"] = differences.GetValueOrDefault(c.Id), ["核对报告编号"] = reports.GetValueOrDefault(c.Id),
        }).ToList();
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "entrustment.exported", "entrustment", id, new Dictionary<string, string?> { ["cases"] = cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, cancellationToken: cancellationToken);
        stream.Position = 0;
        return File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"核对汇总-{entrustment.ReceivedUtc:yyyyMMdd}.xlsx");
    }

    private async Task<(Entrustment? Entrustment, IReadOnlyDictionary<CaseState, int> Counts)> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var actor = await access.ActorAsync(User, cancellationToken);
        var counts = await CaseAccess.Visible(db.Set<VerificationCase>().AsNoTracking(), actor).Where(c => c.EntrustmentId == id)
            .GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        if (counts.Count == 0)
        {
            return (null, counts);
        }

        return (await db.Set<Entrustment>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken), counts);
    }
}

public sealed record EntrustmentListViewModel(IReadOnlyList<Entrustment> Entrustments, IReadOnlyDictionary<string, IReadOnlyDictionary<CaseState, int>> Counts, IReadOnlyList<Department> Departments);

public sealed record RosterUploadViewModel(IReadOnlyList<Department> Departments, string? Department, string? ServiceItem, string? Purpose, IReadOnlyList<IntakeProblem> Problems);

public sealed record EntrustmentViewModel(Entrustment Entrustment, IReadOnlyDictionary<CaseState, int> Counts, IReadOnlyList<BatchJob> Jobs, CaseActor Actor, PipelineProfile Profile, string DepartmentName);
