using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Verification.Cms.Security;
using Verification.Cms.Settings;
using Verification.Cms.Tenants;

namespace Verification.TheAdmin.Controllers;

public sealed class AdminController(SiteSettingsService siteSettings, ITenantContext tenant) : Controller
{
    [HttpGet("admin")]
    [RequirePermission("AccessAdmin")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var site = await siteSettings.GetAsync(cancellationToken);
        return View(new DashboardViewModel(site, tenant.Settings, tenant.EnabledFeatures.Count));
    }

    /// <summary>Switches the UI language (zh-CN first, English second) for this tenant's pages.</summary>
    [HttpGet("lang")]
    public IActionResult Language(string culture, string? returnUrl)
    {
        var chosen = culture == "en" ? "en" : "zh-CN";
        Response.Cookies.Append(
            Cms.Tenants.CultureCookie.Name,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Path = string.IsNullOrEmpty(tenant.PathBase) ? "/" : tenant.PathBase, Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : Url.Content("~/admin"));
    }
}

public sealed record DashboardViewModel(SiteSettings Site, ShellSettings Tenant, int FeatureCount);
