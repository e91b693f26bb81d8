using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Divisions;
using Verification.Cms.Security;
using Verification.Cms.Settings;
using Verification.Cms.Tenants;

namespace Verification.Settings.Controllers;

[Route("admin/settings")]
[RequirePermission("ManageSettings")]
public sealed class SettingsController(SiteSettingsService settings, ITenantContext tenant, ShellHost shellHost, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) => View(await settings.GetAsync(cancellationToken));

    [HttpPost("")]
    public async Task<IActionResult> Index(SiteSettings form, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(form.DisplayName))
        {
            ModelState.AddModelError(string.Empty, T["Display name is required."]);
        }

        if (!(tenant.Settings.IsDefault && form.Level == "host") && DivisionCodes.Check(form.DivisionCode, form.Level) is { } problem)
        {
            ModelState.AddModelError(string.Empty, T[problem]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(form.TimeZone, out _))
        {
            ModelState.AddModelError(string.Empty, T["Unknown time zone."]);
        }

        if (form.DefaultLocale is not ("zh-CN" or "en"))
        {
            ModelState.AddModelError(string.Empty, T["Supported locales are zh-CN and en."]);
        }

        if (!ModelState.IsValid)
        {
            return View(form);
        }

        if (!await settings.SaveAsync(form, form.ConcurrencyStamp, cancellationToken))
        {
            ModelState.AddModelError(string.Empty, T["Someone else changed this record meanwhile. Reload the page and try again."]);
            return View(form);
        }

        // The default language is part of the tenant's pipeline: rebuild it.
        await shellHost.ReleaseShellAsync(tenant.Settings.Name);
        TempData["Message"] = T["Saved."].Value;
        return Redirect(Url.Content("~/admin/settings"));
    }
}
