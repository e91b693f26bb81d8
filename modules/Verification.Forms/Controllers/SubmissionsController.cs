using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Cms.Organisation;
using Verification.Cms.Security;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Forms.Controllers;

/// <summary>Every submission of a form: list, filter, export to Excel. Reading them is audited .</summary>
[Route("admin/forms/{name}/submissions")]
[RequirePermission("ViewSubmissions")]
public sealed class SubmissionsController(FormService forms, TenantDbContext db, IOrgScope orgScope, IAuditTrail audit) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string name, SubmissionStatus? status, string? by, CancellationToken cancellationToken)
    {
        if (await forms.FindAsync(name, cancellationToken) is not { } form)
        {
            return NotFound();
        }

        var list = await (await QueryAsync(name, status, by, cancellationToken)).OrderByDescending(s => s.UpdatedUtc).Take(500).ToListAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "submissions.listed", "form", name, new Dictionary<string, string?> { ["count"] = list.Count.ToString(CultureInfo.InvariantCulture) }), cancellationToken);
        return View(new SubmissionListViewModel(form, list, status, by));
    }

    [HttpGet("export")]
    public async Task<IActionResult> Export(string name, SubmissionStatus? status, string? by, CancellationToken cancellationToken)
    {
        if (await forms.FindAsync(name, cancellationToken) is not { PublishedVersion: > 0 } form)
        {
            return NotFound();
        }

        var latest = (await forms.VersionAsync(name, form.PublishedVersion, cancellationToken))!;
        var fields = latest.Fields.Where(f => !FieldTypes.IsStatic(f.Type)).ToList();
        var submissions = await (await QueryAsync(name, status, by, cancellationToken)).OrderBy(s => s.CreatedUtc).ToListAsync(cancellationToken);
        var rows = submissions.Select(s =>
        {
            var data = JsonNode.Parse(s.DataJson) as JsonObject ?? [];
            var row = new Dictionary<string, object?>
            {
                ["编号 Id"] = s.Id,
                ["版本 Version"] = s.Version,
                ["状态 Status"] = s.Status.ToString(),
                ["填报人 By"] = s.CreatedBy,
                ["更新时间 Updated"] = CmsTime.Format(s.UpdatedUtc),
            };
            foreach (var field in fields)
            {
                row[$"{field.Label} ({field.Key})"] = Cell(field, data[field.Key]);
            }

            return row;
        }).ToList();
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "submissions.exported", "form", name, new Dictionary<string, string?> { ["count"] = rows.Count.ToString(CultureInfo.InvariantCulture) }), cancellationToken);
        var stream = new MemoryStream();
        await stream.SaveAsAsync(rows, cancellationToken: cancellationToken);
        stream.Position = 0;
        return File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}-{DateTime.UtcNow:yyyyMMddHHmm}.xlsx");
    }

    /// <summary>The form's submissions made in the reader's unit or below: another district's administrator sees none of them.</summary>
    private async Task<IQueryable<FormSubmissionRecord>> QueryAsync(string name, SubmissionStatus? status, string? by, CancellationToken cancellationToken)
    {
        var scope = await orgScope.ForUserAsync(User, cancellationToken);
        var query = db.Set<FormSubmissionRecord>().AsNoTracking().Where(s => s.FormName == name);
        if (!scope.Unrestricted)
        {
            var units = scope.UnitCodes.ToList();
            query = query.Where(s => s.OrgUnitCode != null && units.Contains(s.OrgUnitCode));
        }

        if (status is not null)
        {
            query = query.Where(s => s.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(by))
        {
            query = query.Where(s => s.CreatedBy == by);
        }

        return query;
    }

    /// <summary>Cell text; formulas are neutralized (a leading = + - @ becomes text) so a spreadsheet never runs entered data.</summary>
    private static object? Cell(FormField field, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (field.Type == FieldTypes.Group && value is JsonArray rows)
        {
            return string.Join("；", rows.OfType<JsonObject>().Select(r => string.Join("，", r.Select(p => $"{p.Key}={p.Value}"))));
        }

        if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return Verification.Cms.Text.SpreadsheetCells.Number(v);
        }

        return Verification.Cms.Text.SpreadsheetCells.Neutralize(value is JsonValue s && s.TryGetValue<string>(out var str) ? str : value.ToJsonString());
    }
}

public sealed record SubmissionListViewModel(FormDefinitionRecord Form, IReadOnlyList<FormSubmissionRecord> Submissions, SubmissionStatus? Status, string? By);
