using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Settings;

namespace Verification.Cases.Controllers;

/// <summary>
/// The public page the report's QR code leads to: it confirms that a report with this number
/// was issued by this centre, when, for which service item, and whether the content hash matches —
/// and shows no personal data.
/// </summary>
[AllowAnonymous]
[Route("report-check")]
public sealed class ReportCheckController(TenantDbContext db, SiteSettingsService site) : Controller
{
    [HttpGet("{number}")]
    public async Task<IActionResult> Check(string number, string? h, CancellationToken cancellationToken)
    {
        var report = await db.Set<VerificationReport>().AsNoTracking().Where(r => r.Number == number)
            .Select(r => new { r.Number, r.IssuedUtc, r.ServiceItem, r.ContentHash }).FirstOrDefaultAsync(cancellationToken);
        ViewData["Title"] = "核对报告核验";
        return View(new ReportCheckViewModel(number, report is not null, report?.IssuedUtc, report?.ServiceItem, report is not null && string.Equals(h, report.ContentHash, StringComparison.OrdinalIgnoreCase), h, (await site.GetAsync(cancellationToken)).DisplayName));
    }
}

public sealed record ReportCheckViewModel(string Number, bool Found, DateTime? IssuedUtc, string? ServiceItem, bool HashMatches, string? Hash, string Centre);
