using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;
using Verification.Cms.Security;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Forms.Controllers;

/// <summary>Filling in published forms: multi-page with progress, draft saved on every step, resumed later, submitted once.</summary>
[Route("forms")]
[RequirePermission("SubmitForms")]
public sealed class FormRuntimeController(FormService forms, FormUploads uploads, TenantDbContext db, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var published = await db.Set<FormDefinitionRecord>().AsNoTracking().Where(f => f.PublishedVersion > 0).OrderBy(f => f.Name).ToListAsync(cancellationToken);
        var user = User.Identity?.Name;
        var mine = await db.Set<FormSubmissionRecord>().AsNoTracking().Where(s => s.CreatedBy == user).OrderByDescending(s => s.UpdatedUtc).Take(50).ToListAsync(cancellationToken);
        return View(new FormListViewModel(published, mine));
    }

    [HttpGet("{name}/new")]
    public async Task<IActionResult> New(string name, CancellationToken cancellationToken)
    {
        var definition = await forms.FindAsync(name, cancellationToken);
        if (definition is not { PublishedVersion: > 0 })
        {
            return NotFound();
        }

        var form = (await forms.VersionAsync(name, definition.PublishedVersion, cancellationToken))!;
        return View("Page", new FormPageViewModel(form, definition.PublishedVersion, null, 0, [], new Dictionary<string, string>(), false));
    }

    [HttpGet("{name}/s/{id}")]
    public async Task<IActionResult> Show(string name, string id, int page, CancellationToken cancellationToken)
    {
        var submission = await forms.SubmissionAsync(id, cancellationToken);
        if (submission is null || submission.FormName != name || (submission.CreatedBy != User.Identity?.Name && !await CanReadOthersAsync(submission, cancellationToken)))
        {
            return NotFound();
        }

        if (submission.CreatedBy != User.Identity?.Name)
        {
            await HttpContext.RequestServices.GetRequiredService<Verification.Cms.Audit.IAuditTrail>().RecordAsync(
                new Verification.Cms.Audit.AuditEntry(Verification.Cms.Audit.AuditCategories.PersonalData, "submission.viewed", "submission", id), cancellationToken);
        }

        // Always rendered with the version it was made with.
        var form = (await forms.VersionAsync(name, submission.Version, cancellationToken))!;
        var data = JsonNode.Parse(submission.DataJson) as JsonObject ?? [];
        var readOnly = submission.Status == SubmissionStatus.Submitted;
        return View("Page", new FormPageViewModel(form, submission.Version, submission.Id, Math.Clamp(page, 0, form.Pages.Count - 1), data, new Dictionary<string, string>(), readOnly));
    }

    [HttpPost("{name}/save")]
    public async Task<IActionResult> Save(string name, string? submissionId, int page, string? action, CancellationToken cancellationToken)
    {
        var existing = submissionId is null ? null : await forms.SubmissionAsync(submissionId, cancellationToken);
        if (existing is not null && (existing.FormName != name || existing.CreatedBy != User.Identity?.Name))
        {
            return NotFound();
        }

        var version = existing?.Version ?? (await forms.FindAsync(name, cancellationToken))?.PublishedVersion ?? 0;
        var form = version == 0 ? null : await forms.VersionAsync(name, version, cancellationToken);
        if (form is null || existing is { Status: SubmissionStatus.Submitted })
        {
            return NotFound();
        }

        page = Math.Clamp(page, 0, form.Pages.Count - 1);
        var data = FormPost.Merge(JsonNode.Parse(existing?.DataJson ?? "{}") as JsonObject ?? [], form.Pages[page], Request.Form.Where(f => f.Key != "__RequestVerificationToken"));
        FormPost.ApplyRowAction(data, form.Pages[page], action);
        var uploadErrors = Request.HasFormContentType ? await uploads.ApplyAsync(Request.Form, form.Pages[page].Fields, data, User.Identity?.Name, cancellationToken) : [];

        // Whatever happens next, what was typed is kept as a draft first.
        var (draft, draftResult) = await forms.SaveSubmissionAsync(name, existing?.Id, data, submit: false, User.Identity?.Name, cancellationToken);
        var saved = JsonNode.Parse(draft!.DataJson) as JsonObject ?? [];
        var pageKeys = form.Pages[page].Fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var draftErrors = draftResult.Errors.Where(e => pageKeys.Contains(RootKey(e.Path))).ToDictionary(e => e.Path, e => e.Message);
        foreach (var (path, message) in uploadErrors)
        {
            draftErrors[path] = message;
        }

        if (uploadErrors.Count > 0)
        {
            // A refused upload is shown before anything else happens; what was typed is already saved.
            return View("Page", new FormPageViewModel(form, version, draft.Id, page, saved, draftErrors, false, T["Please correct the marked fields."].Value));
        }

        switch (action)
        {
            case "submit":
            {
                var (submitted, result) = await forms.SaveSubmissionAsync(name, draft.Id, saved, submit: true, User.Identity?.Name, cancellationToken);
                if (submitted is not null)
                {
                    TempData["Message"] = T["Submitted."].Value;
                    return Redirect(Url.Content($"~/forms/{name}/s/{submitted.Id}"));
                }

                // What could not be read at all says more than the "required" it then causes.
                var errors = new Dictionary<string, string>(draftErrors);
                foreach (var error in result.Errors)
                {
                    errors.TryAdd(error.Path, error.Message);
                }

                var firstPage = form.Pages.Select((p, i) => (p, i)).First(x => x.p.Fields.Any(f => errors.Keys.Any(k => RootKey(k) == f.Key))).i;
                return View("Page", new FormPageViewModel(form, version, draft.Id, firstPage, Typed(saved, data, errors), errors, false, T["Please correct the marked fields."].Value));
            }

            case "next":
            {
                // A page is checked before moving on (what could not be read first); the rest waits for submission.
                var pageErrors = new Dictionary<string, string>(draftErrors);
                foreach (var error in forms.Check(form, saved).Where(e => pageKeys.Contains(RootKey(e.Path))))
                {
                    pageErrors.TryAdd(error.Path, error.Message);
                }

                return pageErrors.Count > 0
                    ? View("Page", new FormPageViewModel(form, version, draft.Id, page, Typed(saved, data, pageErrors), pageErrors, false, T["Please correct the marked fields."].Value))
                    : Redirect(Url.Content($"~/forms/{name}/s/{draft.Id}?page={Math.Min(page + 1, form.Pages.Count - 1)}"));
            }

            case "prev":
                return Redirect(Url.Content($"~/forms/{name}/s/{draft.Id}?page={Math.Max(page - 1, 0)}"));
        }

        if (draftErrors.Count > 0)
        {
            return View("Page", new FormPageViewModel(form, version, draft.Id, page, Typed(saved, data, draftErrors), draftErrors, false, T["Please correct the marked fields."].Value));
        }

        TempData["Message"] = action is null or "save" ? T["Draft saved."].Value : null;
        return Redirect(Url.Content($"~/forms/{name}/s/{draft.Id}?page={page}"));
    }

    /// <summary>A file of a submission, to whoever may read the submission; reads by others are audited like the submission.</summary>
    [HttpGet("{name}/s/{id}/file")]
    public async Task<IActionResult> Download(string name, string id, string path, CancellationToken cancellationToken)
    {
        var submission = await forms.SubmissionAsync(id, cancellationToken);
        if (submission is null || submission.FormName != name || (submission.CreatedBy != User.Identity?.Name && !await CanReadOthersAsync(submission, cancellationToken)))
        {
            return NotFound();
        }

        var form = (await forms.VersionAsync(name, submission.Version, cancellationToken))!;
        if (await uploads.FileAtAsync(form.Fields, submission.DataJson, path, cancellationToken) is not { } file)
        {
            return NotFound();
        }

        if (submission.CreatedBy != User.Identity?.Name)
        {
            await HttpContext.RequestServices.GetRequiredService<Verification.Cms.Audit.IAuditTrail>().RecordAsync(
                new Verification.Cms.Audit.AuditEntry(Verification.Cms.Audit.AuditCategories.PersonalData, "submission.file.viewed", "submission", id, new Dictionary<string, string?> { ["path"] = path }), cancellationToken);
        }

        return FormUploads.Serve(this, file);
    }

    public override async Task OnActionExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.ActionExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.ActionExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Result is ViewResult { Model: FormPageViewModel model } view)
        {
            var calendar = await forms.ContextAsync(HttpContext.RequestAborted);
            view.ViewData.Model = model with
            {
                Calendar = new JsonObject
                {
                    ["dayOff"] = new JsonArray((calendar.DaysOff ?? new HashSet<DateOnly>()).Order().Select(d => (JsonNode)d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
                    ["workDay"] = new JsonArray((calendar.WorkDays ?? new HashSet<DateOnly>()).Order().Select(d => (JsonNode)d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
                }.ToJsonString(),
            };
        }
    }

    private static string RootKey(string path) => path.Split('[', '.')[0];

    /// <summary>The saved data, with what was typed put back into the fields in error, so a correction starts from the user's input.</summary>
    private static JsonObject Typed(JsonObject saved, JsonObject typed, IReadOnlyDictionary<string, string> errors)
    {
        var result = (JsonObject)saved.DeepClone();
        foreach (var key in errors.Keys.Select(RootKey).Distinct())
        {
            result[key] = typed[key]?.DeepClone();
        }

        return result;
    }

    /// <summary>Someone else's submission: with the permission to read submissions, and only from the reader's unit or below .</summary>
    private async Task<bool> CanReadOthersAsync(FormSubmissionRecord submission, CancellationToken cancellationToken) =>
        await HttpContext.RequestServices.GetRequiredService<IUserPermissions>().HasAsync(User, "ViewSubmissions", cancellationToken)
        && (await HttpContext.RequestServices.GetRequiredService<Verification.Cms.Organisation.IOrgScope>().ForUserAsync(User, cancellationToken)).Includes(submission.OrgUnitCode);
}

public sealed record FormListViewModel(IReadOnlyList<FormDefinitionRecord> Forms, IReadOnlyList<FormSubmissionRecord> Mine);

/// <param name="Errors">Messages by field path ("members[1].idNumber").</param>
public sealed record FormPageViewModel(FormDocument Form, int Version, string? SubmissionId, int Page, JsonObject Data, IReadOnlyDictionary<string, string> Errors, bool ReadOnly, string? Message = null)
{
    /// <summary>The tenant's working-day exceptions as the browser engine takes them ({ dayOff, workDay }), so live results match the server's.</summary>
    public string Calendar { get; init; } = "{}";
}
