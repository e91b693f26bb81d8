using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Security;

namespace Verification.Cases.Controllers;

/// <summary>The tenant's pipeline without code: review levels, data items per service item, thresholds, departments and their keys.</summary>
[Route("admin/pipeline")]
[RequirePermission("ManagePipeline")]
public sealed class PipelineAdminController(PipelineSettings settings, DepartmentService departments, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new PipelineAdminViewModel((await settings.GetAsync(cancellationToken)).ToJson(), await settings.StampAsync(cancellationToken), await departments.ListAsync(cancellationToken), null, null));

    [HttpPost("")]
    public async Task<IActionResult> Save(string json, string? stamp, CancellationToken cancellationToken)
    {
        PipelineProfile profile;
        try
        {
            profile = PipelineProfile.Parse(json ?? string.Empty);
        }
        catch (JsonException ex)
        {
            return View("Index", new PipelineAdminViewModel(json ?? string.Empty, stamp, await departments.ListAsync(cancellationToken), T["The settings are not valid JSON: {0}", ex.Message].Value, null));
        }

        if (!await settings.SaveAsync(profile, string.IsNullOrEmpty(stamp) ? null : stamp, User.Identity?.Name, cancellationToken))
        {
            return View("Index", new PipelineAdminViewModel(json!, stamp, await departments.ListAsync(cancellationToken), T["Someone else changed this record meanwhile. Reload the page and try again."].Value, null));
        }

        TempData["Message"] = T["Saved."].Value;
        return Redirect(Url.Content("~/admin/pipeline"));
    }

    [HttpPost("departments")]
    public async Task<IActionResult> SaveDepartment(string code, string name, string? callbackUrl, string? orgUnit, bool enabled, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(name) || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || (callbackUrl is { Length: > 0 } && !Uri.TryCreate(callbackUrl, UriKind.Absolute, out _)))
        {
            TempData["Error"] = T["A department needs a code (letters, digits, '-'), a name, and an absolute callback address if any."].Value;
            return Redirect(Url.Content("~/admin/pipeline"));
        }

        await departments.UpsertAsync(code.Trim(), name.Trim(), callbackUrl, orgUnit, enabled, User.Identity?.Name, cancellationToken);
        TempData["Message"] = T["Saved."].Value;
        return Redirect(Url.Content("~/admin/pipeline"));
    }

    /// <summary>A new API key for the department, shown this once.</summary>
    [HttpPost("departments/{code}/key")]
    public async Task<IActionResult> IssueKey(string code, CancellationToken cancellationToken)
    {
        var key = await departments.IssueKeyAsync(code, User.Identity?.Name, cancellationToken);
        return View("Index", new PipelineAdminViewModel((await settings.GetAsync(cancellationToken)).ToJson(), await settings.StampAsync(cancellationToken), await departments.ListAsync(cancellationToken), null, (code, key)));
    }
}

public sealed record PipelineAdminViewModel(string Json, string? Stamp, IReadOnlyList<Department> Departments, string? Error, (string Code, string Key)? NewKey);
