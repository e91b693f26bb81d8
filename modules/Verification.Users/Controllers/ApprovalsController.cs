using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Cms.Security;
using Verification.Users.Models;
using Verification.Users.Services;

namespace Verification.Users.Controllers;

[Route("admin/approvals")]
[RequirePermission("ApproveSecurityChanges")]
public sealed class ApprovalsController(SecurityChangeService changes, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new ApprovalsViewModel(await changes.PendingAsync(cancellationToken), await changes.RecentDecisionsAsync(cancellationToken), User.Identity!.Name!));

    [HttpPost("{id}/approve")]
    public async Task<IActionResult> Approve(string id, string? note, CancellationToken cancellationToken)
    {
        var decision = await changes.ApproveAsync(id, User.Identity!.Name!, note, cancellationToken);
        if (!decision.Succeeded)
        {
            TempData["Error"] = T[decision.Error!].Value;
            return Redirect(Url.Content("~/admin/approvals"));
        }

        if (decision.Password is not null)
        {
            // Shown once, on this response only; never stored in clear or put in a cookie.
            return View("Approved", decision.Password);
        }

        TempData["Message"] = T["Approved and applied."].Value;
        return Redirect(Url.Content("~/admin/approvals"));
    }

    [HttpPost("{id}/reject")]
    public async Task<IActionResult> Reject(string id, string? note, CancellationToken cancellationToken)
    {
        var decision = await changes.RejectAsync(id, User.Identity!.Name!, note, cancellationToken);
        TempData[decision.Succeeded ? "Message" : "Error"] = decision.Succeeded ? T["Rejected."].Value : T[decision.Error!].Value;
        return Redirect(Url.Content("~/admin/approvals"));
    }
}

public sealed record ApprovalsViewModel(IReadOnlyList<SecurityChangeRequest> Pending, IReadOnlyList<SecurityChangeRequest> Decided, string CurrentUser);
