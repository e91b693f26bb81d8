using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Settings;

namespace Verification.Cases.Controllers;

/// <summary>
/// The public page the report's QR code leads to: given the number and the content hash printed on
/// the report, it confirms that this centre issued it, when and for which service item — and shows no
/// personal data. A number alone, or with a hash that does not match, gets one and the same answer whether
/// or not such a report exists, so the page cannot be used to list which numbers were issued.
/// </summary>
[AllowAnonymous]
[Route("report-check")]
public sealed class ReportCheckController(TenantDbContext db, SiteSettingsService site) : Controller
{
    [HttpGet("{number}")]
    public async Task<IActionResult> Check(string number, string? h, CancellationToken cancellationToken)
    {
        var hash = h?.Trim().ToLowerInvariant();
        var report = string.IsNullOrEmpty(hash) ? null : await db.Set<VerificationReport>().AsNoTracking().Where(r => r.Number == number && r.ContentHash == hash)
            .Select(r => new { r.IssuedUtc, r.ServiceItem }).FirstOrDefaultAsync(cancellationToken);
        ViewData["Title"] = "核对报告核验";
        return View(new ReportCheckViewModel(number, report is not null, report?.IssuedUtc, report?.ServiceItem, h, (await site.GetAsync(cancellationToken)).DisplayName));
    }
}

/// <param name="Confirmed">The number and hash belong to a report of this centre (nothing is said otherwise).</param>
public sealed record ReportCheckViewModel(string Number, bool Confirmed, DateTime? IssuedUtc, string? ServiceItem, string? Hash, string Centre);
