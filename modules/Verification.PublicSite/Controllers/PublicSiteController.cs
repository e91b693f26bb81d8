using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Localization;
using Verification.Cms.Security;
using Verification.Cms.Settings;
using Verification.Cms.Tenants;
using Verification.Cms.Liquid;
using Verification.PublicSite.Services;

namespace Verification.PublicSite.Controllers;

public sealed class PublicSiteController(PageTemplateService templates, LiquidRenderer renderer, PublicPageModel publicModel, IEnumerable<EditableTemplate> editable, IStringLocalizer T) : Controller
{
    /// <summary>The centre's public home page, anonymous.</summary>
    [HttpGet("")]
    [AllowAnonymous]
    public async Task<IActionResult> Home(CancellationToken cancellationToken)
    {
        var (source, _, _) = await templates.GetAsync(PageTemplateService.Home, cancellationToken);
        // A broken tenant template must not take the public site down: the theme's is rendered instead.
        var html = await renderer.RenderWithFallbackAsync(PageTemplateService.Home, source, ct => templates.DefaultAsync(PageTemplateService.Home, ct), await publicModel.BuildAsync(cancellationToken), cancellationToken);
        return Content(TemplateHtml.Sanitize(html), "text/html; charset=utf-8");
    }

    /// <summary>The home page and the templates modules let the tenant edit (report, notices).</summary>
    [HttpGet("admin/public-site")]
    [RequirePermission("ManagePublicSite")]
    public async Task<IActionResult> Edit(string? name, CancellationToken cancellationToken)
    {
        name = Known(name);
        if (name is null)
        {
            return NotFound();
        }

        var (source, stamp, isCustom) = await templates.GetAsync(name, cancellationToken);
        return View(new TemplateEditViewModel(name, Choices(), source, stamp, isCustom, null, null));
    }

    [HttpPost("admin/public-site")]
    [RequirePermission("ManagePublicSite")]
    public async Task<IActionResult> Edit(string? name, string source, string? stamp, string? preview, CancellationToken cancellationToken)
    {
        name = Known(name);
        if (name is null)
        {
            return NotFound();
        }

        source ??= string.Empty;
        if (!renderer.TryParse(source, out var template, out var error))
        {
            return View(new TemplateEditViewModel(name, Choices(), source, stamp, true, T["The template has a Liquid error: {0}", error ?? string.Empty].Value, null));
        }

        if (preview is not null)
        {
            try
            {
                var html = TemplateHtml.Sanitize(await renderer.RenderAsync(template, await publicModel.BuildAsync(cancellationToken), cancellationToken));
                return View(new TemplateEditViewModel(name, Choices(), source, stamp, true, null, html));
            }
            catch (LiquidRenderException ex)
            {
                return View(new TemplateEditViewModel(name, Choices(), source, stamp, true, ex.Message, null));
            }
        }

        if (!await templates.SaveAsync(name, source, string.IsNullOrEmpty(stamp) ? null : stamp, User.Identity?.Name, cancellationToken))
        {
            return View(new TemplateEditViewModel(name, Choices(), source, stamp, true, T["Someone else changed this record meanwhile. Reload the page and try again."].Value, null));
        }

        TempData["Message"] = T["Saved."].Value;
        return Redirect(Url.Content("~/admin/public-site?name=" + Uri.EscapeDataString(name)));
    }

    private string? Known(string? name) => string.IsNullOrEmpty(name) || name == PageTemplateService.Home ? PageTemplateService.Home : editable.Any(e => e.Name == name) ? name : null;

    private IReadOnlyList<EditableTemplate> Choices() => [new(PageTemplateService.Home, "Home page template"), .. editable];
}

/// <param name="Preview">Rendered HTML of the template, shown in a sandboxed frame.</param>
public sealed record TemplateEditViewModel(string Name, IReadOnlyList<EditableTemplate> Templates, string Source, string? Stamp, bool IsCustom, string? Error, string? Preview);
