using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Modules;
using Verification.Cms.Security;

namespace Verification.Settings.Controllers;

[Route("admin/features")]
[RequirePermission("ManageFeatures")]
public sealed class FeaturesController(FeatureManager features, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) => View(await features.GetStatesAsync(cancellationToken));

    [HttpPost("{id}/enable")]
    public async Task<IActionResult> Enable(string id, CancellationToken cancellationToken)
    {
        var added = await features.EnableAsync([id], reloadShell: true, cancellationToken);
        TempData["Message"] = T["Enabled: {0}", string.Join(", ", added)].Value;
        return Redirect(Url.Content("~/admin/features"));
    }

    [HttpPost("{id}/disable")]
    public async Task<IActionResult> Disable(string id, CancellationToken cancellationToken)
    {
        var removed = await features.DisableAsync(id, reloadShell: true, cancellationToken);
        TempData[removed.Count > 0 ? "Message" : "Error"] = removed.Count > 0
            ? T["Disabled: {0}", string.Join(", ", removed)].Value
            : T["This feature cannot be disabled."].Value;
        return Redirect(Url.Content("~/admin/features"));
    }
}
