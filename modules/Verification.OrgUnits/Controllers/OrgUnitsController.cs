using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Divisions;
using Verification.Cms.Security;
using Verification.OrgUnits.Services;

namespace Verification.OrgUnits.Controllers;

[Route("admin/org-units")]
public sealed class OrgUnitsController(OrgUnitService units, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    [RequirePermission("ViewOrgUnits")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var all = await units.AllAsync(cancellationToken);
        return View(new OrgUnitsViewModel(OrgUnitService.BuildTree(all), all.Count, new NewOrgUnitForm()));
    }

    [HttpPost("")]
    [RequirePermission("ManageOrgUnits")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] NewOrgUnitForm form, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.Code) || string.IsNullOrWhiteSpace(form.Name))
        {
            ModelState.AddModelError(string.Empty, T["Code and name are required."]);
        }
        else if (DivisionCodes.Check(form.DivisionCode, form.Level) is { } problem)
        {
            ModelState.AddModelError(string.Empty, T[problem]);
        }
        else if (await units.FindAsync(form.Code.Trim(), cancellationToken) is not null)
        {
            ModelState.AddModelError(string.Empty, T["An org unit with this code already exists."]);
        }
        else if (string.IsNullOrWhiteSpace(form.ParentCode) || await units.FindAsync(form.ParentCode, cancellationToken) is null)
        {
            ModelState.AddModelError(string.Empty, T["Choose an existing parent unit."]);
        }

        if (!ModelState.IsValid)
        {
            var all = await units.AllAsync(cancellationToken);
            return View("Index", new OrgUnitsViewModel(OrgUnitService.BuildTree(all), all.Count, form));
        }

        await units.UpsertAsync(form.Code!.Trim(), form.Name!.Trim(), form.ParentCode, form.Level, form.DivisionCode, 1000, cancellationToken);
        TempData["Message"] = T["Org unit {0} added.", form.Name].Value;
        return Redirect(Url.Content("~/admin/org-units"));
    }

    [HttpPost("{code}/rename")]
    [RequirePermission("ManageOrgUnits")]
    public async Task<IActionResult> Rename(string code, string name, string stamp, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            TempData["Error"] = T["Code and name are required."].Value;
        }
        else if (!await units.RenameAsync(code, name.Trim(), stamp, cancellationToken))
        {
            TempData["Error"] = T["Someone else changed this record meanwhile. Reload the page and try again."].Value;
        }
        else
        {
            TempData["Message"] = T["Saved."].Value;
        }

        return Redirect(Url.Content("~/admin/org-units"));
    }
}

public sealed record OrgUnitsViewModel(IReadOnlyList<OrgUnitNode> Tree, int Count, NewOrgUnitForm Form);

public sealed class NewOrgUnitForm
{
    public string? Code { get; set; }

    public string? Name { get; set; }

    public string? ParentCode { get; set; }

    public string Level { get; set; } = "street";

    public string? DivisionCode { get; set; }
}
