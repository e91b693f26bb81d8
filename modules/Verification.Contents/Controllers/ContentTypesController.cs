using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;
using Verification.Cms.Security;
using Verification.Contents.Models;
using Verification.Contents.Services;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Contents.Controllers;

/// <summary>Staff define content types without code: parts, extra fields (with the form designer), settings and the display template.</summary>
[Route("admin/content-types")]
[RequirePermission("ManageContentTypes")]
public sealed class ContentTypesController(ContentDefinitionService definitions, ContentPartCatalog parts, TenantDbContext db, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var counts = await db.Set<ContentItemRecord>().GroupBy(i => i.ContentType).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return View(new ContentTypeListViewModel(await definitions.ListAsync(cancellationToken), counts));
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create(string name, string displayName, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(name ?? string.Empty, cancellationToken) is not null)
        {
            TempData["Error"] = T["A content type named {0} exists already.", name ?? string.Empty].Value;
            return Redirect(Url.Content("~/admin/content-types"));
        }

        var type = new ContentTypeDefinition { Name = name?.Trim() ?? string.Empty, DisplayName = displayName?.Trim() ?? string.Empty, Parts = [BuiltInParts.Title, BuiltInParts.Body] };
        var problems = await definitions.SaveAsync(type, User.Identity?.Name, cancellationToken);
        if (problems.Count > 0)
        {
            TempData["Error"] = string.Join(" ", problems.Select(p => T[p.Message].Value));
            return Redirect(Url.Content("~/admin/content-types"));
        }

        return Redirect(Url.Content($"~/admin/content-types/{type.Name}"));
    }

    [HttpGet("{name}")]
    public async Task<IActionResult> Edit(string name, CancellationToken cancellationToken) =>
        await definitions.FindAsync(name, cancellationToken) is { } found ? View(Model(found.Record, found.Definition, [])) : NotFound();

    [HttpPost("{name}")]
    public async Task<IActionResult> Edit(string name, string displayName, string[]? partNames, ContentTypeSettings settings, string? displayTemplate, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(name, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        var type = found.Definition with
        {
            DisplayName = displayName?.Trim() ?? string.Empty,
            Parts = parts.All.Select(p => p.Name).Where(p => partNames?.Contains(p) == true).ToList(),
            Settings = settings,
            DisplayTemplate = string.IsNullOrWhiteSpace(displayTemplate) ? null : displayTemplate,
        };
        var problems = await definitions.SaveAsync(type, User.Identity?.Name, cancellationToken);
        if (problems.Count > 0)
        {
            return View(Model(found.Record, type, problems.Select(p => new DefinitionProblem(p.Path, T[p.Message].Value)).ToList()));
        }

        TempData["Message"] = T["Saved."].Value;
        return Redirect(Url.Content($"~/admin/content-types/{name}"));
    }

    /// <summary>The designer posts the type's own fields as a form document; answers the problems, if any (nothing saved then).</summary>
    [HttpPost("{name}/fields")]
    public async Task<IActionResult> Fields(string name, CancellationToken cancellationToken)
    {
        if (await definitions.FindAsync(name, cancellationToken) is not { } found)
        {
            return NotFound();
        }

        FormDocument document;
        try
        {
            document = await JsonSerializer.DeserializeAsync<FormDocument>(Request.Body, FormDocument.Json, cancellationToken) ?? throw new JsonException("empty");
        }
        catch (JsonException ex)
        {
            return BadRequest(new { problems = new[] { new DefinitionProblem("$", ex.Message) } });
        }

        var problems = await definitions.SaveAsync(found.Definition with { Fields = document.Fields.ToList() }, User.Identity?.Name, cancellationToken);
        return problems.Count > 0 ? BadRequest(new { problems = problems.Select(p => new DefinitionProblem(p.Path, T[p.Message].Value)) }) : Ok(new { saved = true });
    }

    private ContentTypeEditViewModel Model(ContentTypeRecord record, ContentTypeDefinition type, IReadOnlyList<DefinitionProblem> problems)
    {
        // The designer edits the type's own fields as a one-page form.
        var fields = new FormDocument { Name = "content-" + type.Name.ToLowerInvariant(), Title = type.DisplayName, Pages = [new FormPage { Title = T["Fields of this type"].Value, Fields = type.Fields }] };
        return new ContentTypeEditViewModel(record, type, parts.All.ToList(), fields.ToJson(), problems);
    }
}

public sealed record ContentTypeListViewModel(IReadOnlyList<ContentTypeRecord> Types, IReadOnlyDictionary<string, int> Counts);

public sealed record ContentTypeEditViewModel(ContentTypeRecord Record, ContentTypeDefinition Type, IReadOnlyList<ContentPartDefinition> Parts, string FieldsJson, IReadOnlyList<DefinitionProblem> Problems);
