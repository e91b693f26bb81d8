using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;
using Verification.Cms.Security;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Forms.Controllers;

/// <summary>
/// The form designer: staff add, reorder and configure fields, preview, save drafts,
/// publish immutable versions (warned about breaking changes), compare versions, import and export JSON.
/// </summary>
[Route("admin/forms")]
[RequirePermission("ManageForms")]
public sealed class FormDesignerController(FormService forms, TenantDbContext db, IStringLocalizer T) : Controller
{
    private const long MaxImportBytes = 1024 * 1024;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await db.Set<FormDefinitionRecord>().AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken));

    [HttpPost("new")]
    public async Task<IActionResult> Create(string? name, string? title, CancellationToken cancellationToken)
    {
        var document = new FormDocument { Name = (name ?? string.Empty).Trim(), Title = (title ?? string.Empty).Trim(), Pages = [new FormPage { Title = T["Page 1"] }] };
        if (await forms.FindAsync(document.Name, cancellationToken) is not null)
        {
            TempData["Error"] = T["A form with this name already exists."].Value;
            return Redirect(Url.Content("~/admin/forms"));
        }

        var problems = await forms.SaveDraftAsync(document, cancellationToken);
        if (problems.Count > 0)
        {
            TempData["Error"] = string.Join(" ", problems.Select(p => T[p.Message].Value));
            return Redirect(Url.Content("~/admin/forms"));
        }

        return Redirect(Url.Content($"~/admin/forms/{document.Name}"));
    }

    [HttpGet("{name}")]
    public async Task<IActionResult> Design(string name, CancellationToken cancellationToken)
    {
        var row = await forms.FindAsync(name, cancellationToken);
        return row is null ? NotFound() : View(row);
    }

    /// <summary>Saves the designer's JSON as the draft; answers the problems found (nothing is saved then).</summary>
    [HttpPost("{name}/draft")]
    public async Task<IActionResult> SaveDraft(string name, [FromBody] JsonElement body, CancellationToken cancellationToken)
    {
        FormDocument document;
        try
        {
            document = FormDocument.Parse(body.GetRawText());
        }
        catch (JsonException ex)
        {
            return BadRequest(new { problems = new[] { new DefinitionProblem("$", ex.Message) } });
        }

        if (document.Name != name)
        {
            return BadRequest(new { problems = new[] { new DefinitionProblem("name", T["The form's name cannot be changed."].Value) } });
        }

        var problems = await forms.SaveDraftAsync(document, cancellationToken);
        return problems.Count > 0 ? BadRequest(new { problems = problems.Select(p => new DefinitionProblem(p.Path, T[p.Message].Value)) }) : Ok(new { saved = true });
    }

    [HttpGet("{name}/preview")]
    public async Task<IActionResult> Preview(string name, CancellationToken cancellationToken)
    {
        var row = await forms.FindAsync(name, cancellationToken);
        if (row is null)
        {
            return NotFound();
        }

        ViewData["Preview"] = true;
        return View("~/Views/FormRuntime/Page.cshtml", new FormPageViewModel(FormDocument.Parse(row.DraftJson), 0, null, 0, [], new Dictionary<string, string>(), false, T["Preview of the draft: nothing is saved."].Value));
    }

    [HttpPost("{name}/publish")]
    public async Task<IActionResult> Publish(string name, bool confirm, CancellationToken cancellationToken)
    {
        if (await forms.FindAsync(name, cancellationToken) is null)
        {
            return NotFound();
        }

        var result = await forms.PublishAsync(name, User.Identity?.Name, confirm, cancellationToken);
        if (result.Version is { } version)
        {
            TempData["Message"] = T["Version {0} published.", version].Value;
            return Redirect(Url.Content($"~/admin/forms/{name}/versions"));
        }

        return View("Publish", new PublishViewModel(name, result));
    }

    [HttpGet("{name}/versions")]
    public async Task<IActionResult> Versions(string name, int? from, int? to, CancellationToken cancellationToken)
    {
        var versions = await db.Set<FormVersionRecord>().AsNoTracking().Where(v => v.FormName == name).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        if (versions.Count == 0 && await forms.FindAsync(name, cancellationToken) is null)
        {
            return NotFound();
        }

        IReadOnlyList<FieldDifference>? differences = null;
        if (from is not null && to is not null && versions.FirstOrDefault(v => v.Version == from) is { } a && versions.FirstOrDefault(v => v.Version == to) is { } b)
        {
            differences = FormComparison.Compare(FormDocument.Parse(a.Json), FormDocument.Parse(b.Json));
        }

        return View(new VersionsViewModel(name, versions, from, to, differences));
    }

    [HttpGet("{name}/export")]
    public async Task<IActionResult> Export(string name, CancellationToken cancellationToken)
    {
        var row = await forms.FindAsync(name, cancellationToken);
        return row is null ? NotFound() : File(System.Text.Encoding.UTF8.GetBytes(row.DraftJson), "application/json", $"{name}.form.json");
    }

    [HttpPost("import")]
    [RequestSizeLimit(MaxImportBytes)]
    public async Task<IActionResult> Import(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0 || file.Length > MaxImportBytes || !file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            TempData["Error"] = T["A form definition is a .json file of at most 1 MB."].Value;
            return Redirect(Url.Content("~/admin/forms"));
        }

        try
        {
            using var reader = new StreamReader(file.OpenReadStream());
            var document = FormDocument.Parse(await reader.ReadToEndAsync(cancellationToken));
            var problems = await forms.SaveDraftAsync(document, cancellationToken);
            if (problems.Count > 0)
            {
                TempData["Error"] = string.Join(" ", problems.Select(p => $"{p.Path}: {T[p.Message].Value}"));
                return Redirect(Url.Content("~/admin/forms"));
            }

            TempData["Message"] = T["Imported as the draft of {0}.", document.Name].Value;
            return Redirect(Url.Content($"~/admin/forms/{document.Name}"));
        }
        catch (JsonException)
        {
            TempData["Error"] = T["The file is not a form definition."].Value;
            return Redirect(Url.Content("~/admin/forms"));
        }
    }
}

public sealed record PublishViewModel(string Name, PublishResult Result);

public sealed record VersionsViewModel(string Name, IReadOnlyList<FormVersionRecord> Versions, int? From, int? To, IReadOnlyList<FieldDifference>? Differences);
