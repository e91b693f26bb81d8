using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;
using Verification.Cms.Security;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Controllers;

/// <summary>Workflows without code: the list, the designer, versions with diffs, instances with their timelines and incidents.</summary>
[Route("admin/workflows")]
[RequirePermission("ManageWorkflows")]
public sealed class WorkflowAdminController(WorkflowDefinitions definitions, WorkflowRuntime runtime, SignalTokens signals, TenantDbContext db, IStringLocalizer T) : Controller
{
    private static readonly string[] CategoryOrder = ["events", "control", "case", "people", "integration"];

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var counts = await db.Set<WorkflowInstance>().AsNoTracking().GroupBy(i => new { i.DefinitionName, i.Status }).Select(g => new { g.Key.DefinitionName, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        var incidents = await db.Set<WorkflowIncident>().AsNoTracking().Where(i => i.ResolvedUtc == null).Join(db.Set<WorkflowInstance>(), i => i.InstanceId, w => w.Id, (i, w) => w.DefinitionName).GroupBy(n => n).Select(g => new { Name = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var rows = (await definitions.ListAsync(cancellationToken)).Select(d => new WorkflowRow(
            d,
            counts.Where(c => c.DefinitionName == d.Name).ToDictionary(c => c.Status, c => c.Count),
            incidents.FirstOrDefault(i => i.Name == d.Name)?.Count ?? 0)).ToList();
        return View(rows);
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create(string name, string title, CancellationToken cancellationToken)
    {
        name = (name ?? string.Empty).Trim();
        if (!WorkflowDefinitions.IsValidName(name) || string.IsNullOrWhiteSpace(title))
        {
            TempData["Error"] = T["A workflow needs an identifier (lower-case letters, digits and '-') and a title."].Value;
            return Redirect(Url.Content("~/admin/workflows"));
        }

        if (await definitions.FindAsync(name, cancellationToken) is not null)
        {
            TempData["Error"] = T["A workflow with this identifier exists already."].Value;
            return Redirect(Url.Content("~/admin/workflows"));
        }

        var graph = new WorkflowGraph { Activities = [new ActivityNode { Id = "start", Type = "ManualStart", Title = "手动启动", X = 40, Y = 40 }] };
        await definitions.SaveDraftAsync(name, title.Trim(), null, graph, null, User.Identity?.Name, cancellationToken);
        return Redirect(Url.Content("~/admin/workflows/" + name));
    }

    [HttpGet("{name}")]
    public async Task<IActionResult> Design(string name, CancellationToken cancellationToken)
    {
        var definition = await definitions.FindAsync(name, cancellationToken);
        return definition is null ? NotFound() : View(await DesignerModelAsync(definition, null, null, cancellationToken));
    }

    [HttpPost("{name}")]
    public async Task<IActionResult> Save(string name, string title, string? description, string graph, string? stamp, string? next, string? sample, string? note, CancellationToken cancellationToken)
    {
        var definition = await definitions.FindAsync(name, cancellationToken);
        if (definition is null)
        {
            return NotFound();
        }

        WorkflowGraph parsed;
        try
        {
            parsed = WorkflowGraph.Parse(graph ?? string.Empty);
        }
        catch (JsonException ex)
        {
            return View("Design", await DesignerModelAsync(definition, [T["The workflow cannot be read: {0}", ex.Message].Value], null, cancellationToken, graph));
        }

        if (!await definitions.SaveDraftAsync(name, string.IsNullOrWhiteSpace(title) ? definition.Title : title.Trim(), description, parsed, stamp, User.Identity?.Name, cancellationToken))
        {
            return View("Design", await DesignerModelAsync(definition, [T["Someone else changed this record meanwhile. Reload the page and try again."].Value], null, cancellationToken, graph));
        }

        definition = (await definitions.FindAsync(name, cancellationToken))!;
        switch (next)
        {
            case "validate":
                var problems = definitions.Validate(parsed);
                TempData[problems.Count == 0 ? "Message" : "Error"] = problems.Count == 0 ? T["The workflow is valid."].Value : string.Join("\n", problems);
                return Redirect(Url.Content("~/admin/workflows/" + name));
            case "publish":
                var (version, errors) = await definitions.PublishAsync(name, note, User.Identity?.Name, cancellationToken);
                if (version is null)
                {
                    return View("Design", await DesignerModelAsync(definition, errors, null, cancellationToken));
                }

                TempData["Message"] = T["Published as version {0}.", version.Version].Value;
                return Redirect(Url.Content("~/admin/workflows/" + name));
            case "dry-run":
                JsonObject sampleData;
                try
                {
                    sampleData = JsonNode.Parse(string.IsNullOrWhiteSpace(sample) ? "{}" : sample) as JsonObject ?? [];
                }
                catch (JsonException ex)
                {
                    return View("Design", await DesignerModelAsync(definition, [T["The sample data is not valid JSON: {0}", ex.Message].Value], null, cancellationToken));
                }

                var steps = await definitions.DryRunAsync(parsed, sampleData, cancellationToken);
                var model = await DesignerModelAsync(definition, null, steps, cancellationToken);
                return View("Design", model with { Sample = sample });
            default:
                TempData["Message"] = T["Saved."].Value;
                return Redirect(Url.Content("~/admin/workflows/" + name));
        }
    }

    [HttpPost("{name}/enabled")]
    public async Task<IActionResult> SetEnabled(string name, bool enabled, CancellationToken cancellationToken)
    {
        await definitions.SetEnabledAsync(name, enabled, User.Identity?.Name, cancellationToken);
        TempData["Message"] = (enabled ? T["Enabled."] : T["Disabled: it starts nothing new; running instances continue."]).Value;
        return Redirect(Url.Content("~/admin/workflows"));
    }

    [HttpPost("{name}/start")]
    public async Task<IActionResult> Start(string name, string? correlationId, CancellationToken cancellationToken)
    {
        try
        {
            var id = await definitions.StartManuallyAsync(name, string.IsNullOrWhiteSpace(correlationId) ? null : correlationId.Trim(), User.Identity?.Name, cancellationToken);
            return Redirect(Url.Content("~/admin/workflows/instances/" + id));
        }
        catch (InvalidOperationException ex)
        {
            TempData["Error"] = ex.Message;
            return Redirect(Url.Content("~/admin/workflows/" + name));
        }
    }

    [HttpGet("{name}/versions")]
    public async Task<IActionResult> Versions(string name, int? a, int? b, CancellationToken cancellationToken)
    {
        var definition = await definitions.FindAsync(name, cancellationToken);
        if (definition is null)
        {
            return NotFound();
        }

        var versions = await definitions.VersionsAsync(name, cancellationToken);
        var left = versions.FirstOrDefault(v => v.Version == a) ?? versions.Skip(1).FirstOrDefault();
        var rightJson = versions.FirstOrDefault(v => v.Version == b)?.GraphJson ?? (b is null ? definition.DraftJson : null);
        var diff = left is not null && rightJson is not null ? WorkflowDefinitions.Diff(left.GraphJson, rightJson) : [];
        return View(new VersionsViewModel(definition, versions, left?.Version, b, diff));
    }

    [HttpGet("instances")]
    public async Task<IActionResult> Instances(string? definition, string? status, string? correlation, CancellationToken cancellationToken)
    {
        var query = db.Set<WorkflowInstance>().AsNoTracking();
        if (!string.IsNullOrEmpty(definition))
        {
            query = query.Where(i => i.DefinitionName == definition);
        }

        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(i => i.Status == status);
        }

        if (!string.IsNullOrEmpty(correlation))
        {
            query = query.Where(i => i.CorrelationId == correlation);
        }

        var list = await query.OrderByDescending(i => i.UpdatedUtc).Take(500).ToListAsync(cancellationToken);
        return View(new InstancesViewModel(list, definition, status, correlation));
    }

    [HttpGet("instances/{id}")]
    public async Task<IActionResult> Instance(string id, CancellationToken cancellationToken)
    {
        var instance = await db.Set<WorkflowInstance>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (instance is null)
        {
            return NotFound();
        }

        var steps = await db.Set<WorkflowStep>().AsNoTracking().Where(s => s.InstanceId == id).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var bookmarks = await db.Set<WorkflowBookmark>().AsNoTracking().Where(b => b.InstanceId == id).ToListAsync(cancellationToken);
        var incidents = await db.Set<WorkflowIncident>().AsNoTracking().Where(i => i.InstanceId == id).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        var tasks = await db.Set<WorkflowTask>().AsNoTracking().Where(t => t.InstanceId == id).OrderBy(t => t.CreatedUtc).ToListAsync(cancellationToken);
        var graph = WorkflowGraph.Parse(await db.Set<WorkflowVersion>().AsNoTracking().Where(v => v.Id == instance.VersionId).Select(v => v.GraphJson).FirstAsync(cancellationToken));
        var signalTokens = bookmarks.Where(b => b.EventName == Activities.SignalEvent.Name)
            .Select(b => graph.Find(b.ActivityId)?.Text("signal")).OfType<string>()
            .Select(signal => (signal, signals.ForInstance(id, signal))).ToList();
        return View(new InstanceViewModel(instance, graph, steps, bookmarks, incidents, tasks, signalTokens));
    }

    [HttpPost("instances/{id}/retry")]
    public async Task<IActionResult> Retry(string id, CancellationToken cancellationToken)
    {
        TempData[await runtime.RetryAsync(id, User.Identity?.Name, cancellationToken) ? "Message" : "Error"] = T["Retried."].Value;
        return Redirect(Url.Content("~/admin/workflows/instances/" + id));
    }

    [HttpPost("instances/{id}/cancel")]
    public async Task<IActionResult> Cancel(string id, CancellationToken cancellationToken)
    {
        await runtime.CancelAsync(id, User.Identity?.Name, cancellationToken);
        TempData["Message"] = T["Cancelled."].Value;
        return Redirect(Url.Content("~/admin/workflows/instances/" + id));
    }

    private async Task<DesignerViewModel> DesignerModelAsync(WorkflowDefinition definition, IReadOnlyList<string>? errors, IReadOnlyList<DryRunStep>? dryRun, CancellationToken cancellationToken, string? graphJson = null)
    {
        var palette = runtime.Activities.Values.OrderBy(a => Array.IndexOf(CategoryOrder, a.Category)).ThenBy(a => a.Type, StringComparer.Ordinal)
            .Select(a => new PaletteItem(a.Type, a.DisplayName, a.Category, a.Sample.ToJsonString(), a.Outcomes(new ActivityNode { Type = a.Type, Props = (JsonObject)a.Sample.DeepClone() })))
            .ToList();
        var versions = await definitions.VersionsAsync(definition.Name, cancellationToken);
        return new DesignerViewModel(definition, graphJson ?? definition.DraftJson, palette, errors ?? [], dryRun, versions, null);
    }
}

public sealed record WorkflowRow(WorkflowDefinition Definition, IReadOnlyDictionary<string, int> Instances, int OpenIncidents);

public sealed record PaletteItem(string Type, string DisplayName, string Category, string SampleJson, IReadOnlyList<string> Outcomes);

public sealed record DesignerViewModel(WorkflowDefinition Definition, string GraphJson, IReadOnlyList<PaletteItem> Palette, IReadOnlyList<string> Errors, IReadOnlyList<DryRunStep>? DryRun, IReadOnlyList<WorkflowVersion> Versions, string? Sample);

public sealed record VersionsViewModel(WorkflowDefinition Definition, IReadOnlyList<WorkflowVersion> Versions, int? Left, int? Right, IReadOnlyList<(char Kind, string Line)> Diff);

public sealed record InstancesViewModel(IReadOnlyList<WorkflowInstance> Instances, string? Definition, string? Status, string? Correlation);

public sealed record InstanceViewModel(WorkflowInstance Instance, WorkflowGraph Graph, IReadOnlyList<WorkflowStep> Steps, IReadOnlyList<WorkflowBookmark> Bookmarks, IReadOnlyList<WorkflowIncident> Incidents, IReadOnlyList<WorkflowTask> Tasks, IReadOnlyList<(string Signal, string Token)> SignalTokens);
