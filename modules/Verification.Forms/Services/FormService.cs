using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Audit;
using Verification.Cms.Calendar;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Cms.Media;
using Verification.Cms.Workflows;
using Microsoft.Extensions.Localization;
using Verification.Forms.Expressions;
using Verification.Forms.Models;

namespace Verification.Forms.Services;

public sealed record BreakingChange(string Key, string Change, int Submissions);

public sealed record PublishResult(int? Version, IReadOnlyList<DefinitionProblem> Problems, IReadOnlyList<BreakingChange> BreakingChanges);

/// <summary>Forms as data: drafts, immutable published versions, and submissions pinned to their version .</summary>
public sealed class FormService(TenantDbContext db, FormSubmissionValidator validator, IAuditTrail audit, MediaStore media, IStringLocalizer T, IEnumerable<ILookupSource> lookups, IWorkflowEvents workflows, IWorkingDayCalendar? calendar = null)
{
    public Task<FormDefinitionRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        db.Set<FormDefinitionRecord>().FirstOrDefaultAsync(f => f.Name == name, cancellationToken);

    /// <summary>A published version, with the choices of its lookup fields filled in from the tenant's content.</summary>
    public async Task<FormDocument?> VersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        var row = await db.Set<FormVersionRecord>().AsNoTracking().FirstOrDefaultAsync(v => v.FormName == name && v.Version == version, cancellationToken);
        return row is null ? null : await ResolveLookupsAsync(FormDocument.Parse(row.Json), cancellationToken);
    }

    public async Task<FormDocument> ResolveLookupsAsync(FormDocument form, CancellationToken cancellationToken)
    {
        if (!form.Fields.Any(f => f.Type == FieldTypes.Lookup || f.Fields?.Any(c => c.Type == FieldTypes.Lookup) == true))
        {
            return form;
        }

        async Task<FormField> Resolve(FormField field)
        {
            if (field.Type == FieldTypes.Lookup && field.Lookup is { } lookup)
            {
                var options = new List<FormOption>();
                foreach (var source in lookups)
                {
                    options.AddRange(await source.OptionsAsync(lookup, cancellationToken));
                }

                return field with { Options = options };
            }

            if (field.Fields is { } children)
            {
                var resolved = new List<FormField>();
                foreach (var child in children)
                {
                    resolved.Add(await Resolve(child));
                }

                return field with { Fields = resolved };
            }

            return field;
        }

        var pages = new List<FormPage>();
        foreach (var page in form.Pages)
        {
            var fields = new List<FormField>();
            foreach (var field in page.Fields)
            {
                fields.Add(await Resolve(field));
            }

            pages.Add(page with { Fields = fields });
        }

        return form with { Pages = pages };
    }

    /// <summary>Saves the working draft after checking it; nothing is saved when it has problems.</summary>
    public async Task<IReadOnlyList<DefinitionProblem>> SaveDraftAsync(FormDocument form, CancellationToken cancellationToken)
    {
        var problems = FormDefinitionChecker.Check(form);
        if (problems.Count > 0)
        {
            return problems;
        }

        var row = await FindAsync(form.Name, cancellationToken);
        if (row is null)
        {
            db.Add(new FormDefinitionRecord { Name = form.Name, Title = form.Title, DraftJson = form.ToJson() });
        }
        else
        {
            row.Title = form.Title;
            row.DraftJson = form.ToJson();
            row.UpdatedUtc = DateTime.UtcNow;
            row.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "form.draft.saved", "form", form.Name), cancellationToken);
        return [];
    }

    /// <summary>
    /// Publishes the draft as the next immutable version. Removing or retyping a field that holds
    /// data in earlier submissions is a breaking change: reported, and published only when confirmed.
    /// </summary>
    public async Task<PublishResult> PublishAsync(string name, string? user, bool confirmBreakingChanges, CancellationToken cancellationToken)
    {
        var row = await FindAsync(name, cancellationToken) ?? throw new InvalidOperationException($"No form '{name}'.");
        var draft = FormDocument.Parse(row.DraftJson);
        var problems = FormDefinitionChecker.Check(draft);
        if (problems.Count > 0)
        {
            return new PublishResult(null, problems, []);
        }

        var breaking = row.PublishedVersion == 0 ? [] : await BreakingChangesAsync(name, (await VersionAsync(name, row.PublishedVersion, cancellationToken))!, draft, cancellationToken);
        if (breaking.Count > 0 && !confirmBreakingChanges)
        {
            return new PublishResult(null, [], breaking);
        }

        row.PublishedVersion++;
        row.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        db.Add(new FormVersionRecord { FormName = name, Version = row.PublishedVersion, Json = row.DraftJson, PublishedBy = user });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "form.published", "form", name, new Dictionary<string, string?> { ["version"] = row.PublishedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), ["breaking"] = string.Join(",", breaking.Select(b => b.Key)) }) { Actor = user }, cancellationToken);
        return new PublishResult(row.PublishedVersion, [], breaking);
    }

    /// <summary>Validates and stores a submission against the latest published version (or its pinned one when it exists).</summary>
    public async Task<(FormSubmissionRecord? Submission, FormValidationResult Result)> SaveSubmissionAsync(string name, string? submissionId, JsonObject input, bool submit, string? user, CancellationToken cancellationToken)
    {
        var existing = submissionId is null ? null : await db.Set<FormSubmissionRecord>().FirstOrDefaultAsync(s => s.Id == submissionId && s.FormName == name, cancellationToken);
        if (existing is { Status: SubmissionStatus.Submitted })
        {
            throw new InvalidOperationException("A submitted form cannot be changed.");
        }

        var version = existing?.Version ?? (await FindAsync(name, cancellationToken))?.PublishedVersion ?? 0;
        var form = version == 0 ? null : await VersionAsync(name, version, cancellationToken);
        if (form is null)
        {
            throw new InvalidOperationException($"Form '{name}' has no published version.");
        }

        var result = validator.Validate(form, input, await ContextAsync(cancellationToken), draft: !submit);
        result = await CheckFileOwnershipAsync(form, result, existing, user, cancellationToken);
        if (submit && !result.IsValid)
        {
            return (null, result);
        }

        var record = existing ?? new FormSubmissionRecord
        {
            FormName = name, Version = version, DataJson = "{}", CreatedBy = user,
            OrgUnitCode = user is null ? null : await db.Users.AsNoTracking().Where(u => u.UserName == user).Select(u => u.OrgUnitCode).FirstOrDefaultAsync(cancellationToken),
        };
        if (existing is null)
        {
            db.Add(record);
        }

        record.DataJson = result.Data.ToJsonString(FormDocument.Json);
        record.UpdatedUtc = DateTime.UtcNow;
        record.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        if (submit)
        {
            record.Status = SubmissionStatus.Submitted;
            record.SubmittedUtc = DateTime.UtcNow;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, submit ? "form.submitted" : "form.draft", "submission", record.Id, new Dictionary<string, string?> { ["form"] = name, ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        if (submit)
        {
            await workflows.RaiseAsync(new WorkflowEvent(WorkflowEventNames.FormSubmitted, record.Id, new Dictionary<string, string?> { ["form"] = name, ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture), ["user"] = user }), cancellationToken);
        }

        return (record, result);
    }

    /// <summary>
    /// A file reference may only point at a file the user uploaded, or one the submission already
    /// held: a reference to somebody else's file (a tampered post) is dropped and reported.
    /// </summary>
    private async Task<FormValidationResult> CheckFileOwnershipAsync(FormDocument form, FormValidationResult result, FormSubmissionRecord? existing, string? user, CancellationToken cancellationToken)
    {
        var slots = UploadSlots.In(form.Fields, result.Data).Where(s => s.MediaId is not null).ToList();
        if (slots.Count == 0)
        {
            return result;
        }

        var errors = result.Errors.ToList();
        var held = existing is null ? [] : UploadSlots.In(form.Fields, JsonNode.Parse(existing.DataJson) as JsonObject ?? []).Select(s => s.MediaId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var owners = await media.OwnersAsync(slots.Select(s => s.MediaId!).ToList(), cancellationToken);
        foreach (var slot in slots.Where(s => !held.Contains(s.MediaId!) && !(owners.TryGetValue(s.MediaId!, out var owner) && owner == user)))
        {
            slot.Set(null);
            errors.Add(new FieldError(slot.Path, T["{0}: upload the file again.", slot.Field.Label]));
        }

        return result with { Errors = errors };
    }

    /// <summary>Validates data as a submission would be, without storing anything.</summary>
    public IReadOnlyList<FieldError> Check(FormDocument form, JsonObject data) =>
        validator.Validate(form, data, new ExpressionContext(CmsTime.Today()), draft: false).Errors;

    public Task<FormSubmissionRecord?> SubmissionAsync(string id, CancellationToken cancellationToken) =>
        db.Set<FormSubmissionRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    private async Task<IReadOnlyList<BreakingChange>> BreakingChangesAsync(string name, FormDocument previous, FormDocument next, CancellationToken cancellationToken)
    {
        var before = Flatten(previous);
        var after = Flatten(next);
        var changes = new List<BreakingChange>();
        var submissions = await db.Set<FormSubmissionRecord>().AsNoTracking().Where(s => s.FormName == name).Select(s => s.DataJson).ToListAsync(cancellationToken);
        foreach (var (key, type) in before)
        {
            var change = !after.TryGetValue(key, out var newType) ? "removed" : newType != type ? $"{type} → {newType}" : null;
            if (change is null)
            {
                continue;
            }

            var top = key.Split('.')[0];
            var withData = submissions.Count(json => JsonNode.Parse(json) is JsonObject o && o.ContainsKey(top));
            if (withData > 0)
            {
                changes.Add(new BreakingChange(key, change, withData));
            }
        }

        return changes;
    }

    private static Dictionary<string, string> Flatten(FormDocument form)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in form.Fields.Where(f => !FieldTypes.IsStatic(f.Type)))
        {
            result[field.Key] = field.Type;
            foreach (var child in field.Fields ?? [])
            {
                result[field.Key + "." + child.Key] = child.Type;
            }
        }

        return result;
    }

    /// <summary>Today in Beijing and the tenant's working-day exceptions for a year either side — what expressions see, on the server and (sent with the page) in the browser.</summary>
    public async Task<ExpressionContext> ContextAsync(CancellationToken cancellationToken)
    {
        var today = CmsTime.Today();
        if (calendar is null)
        {
            return new ExpressionContext(today);
        }

        // Working days for expressions: the tenant's exceptions within a year either side of today.
        var daysOff = new HashSet<DateOnly>();
        var workDays = new HashSet<DateOnly>();
        for (var d = today.AddDays(-366); d <= today.AddDays(366); d = d.AddDays(1))
        {
            var works = await calendar.IsWorkingDayAsync(d, cancellationToken);
            var weekend = d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (works && weekend)
            {
                workDays.Add(d);
            }
            else if (!works && !weekend)
            {
                daysOff.Add(d);
            }
        }

        return new ExpressionContext(today, daysOff, workDays);
    }
}
