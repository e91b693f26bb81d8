using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Cms.Security;

namespace Verification.AuditTrail.Controllers;

[Route("admin/audit")]
public sealed class AuditTrailController(TenantDbContext db, AuditVerifier verifier, IAuditTrail audit, IStringLocalizer T) : Controller
{
    private const int PageSize = 50;

    [HttpGet("")]
    [RequirePermission("ViewAuditTrail")]
    public async Task<IActionResult> Index([FromQuery] AuditFilter filter, int page = 1, CancellationToken cancellationToken = default)
    {
        var query = Apply(filter);
        var total = await query.CountAsync(cancellationToken);
        page = Math.Max(1, page);
        var events = await query.OrderByDescending(a => a.Sequence).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var categories = await db.AuditEvents.Select(a => a.Category).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
        return View(new AuditListViewModel(events, filter, categories, total, page, PageSize));
    }

    [HttpGet("export")]
    [RequirePermission("ExportAuditTrail")]
    public async Task<IActionResult> Export([FromQuery] AuditFilter filter, CancellationToken cancellationToken)
    {
        var events = await Apply(filter).OrderBy(a => a.Sequence).Take(100_000).ToListAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Audit, "audit.exported", "audit", null, new Dictionary<string, string?> { ["count"] = events.Count.ToString(CultureInfo.InvariantCulture), ["filter"] = filter.ToString() }), cancellationToken);
        var csv = new StringBuilder();
        csv.AppendLine("sequence,time_cst,category,action,actor,subject_type,subject_id,ip,user_agent,path,details,previous_hash,hash");
        foreach (var e in events)
        {
            csv.AppendLine(string.Join(',', new[]
            {
                e.Sequence.ToString(CultureInfo.InvariantCulture), CmsTime.Format(e.TimestampUtc), e.Category, e.Action, e.Actor, e.SubjectType, e.SubjectId,
                e.IpAddress, e.UserAgent, e.RequestPath, e.Details, e.PreviousHash, e.Hash,
            }.Select(Csv)));
        }

        // UTF-8 with BOM so that Excel opens the Chinese text correctly.
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return File(bytes, "text/csv; charset=utf-8", $"audit-{DateTime.UtcNow:yyyyMMddHHmmss}.csv");
    }

    [HttpPost("verify")]
    [RequirePermission("VerifyAuditTrail")]
    public async Task<IActionResult> Verify(CancellationToken cancellationToken)
    {
        var result = await verifier.VerifyAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.Audit, result.IsIntact ? "audit.verified" : "audit.broken", "audit", result.FirstBreak?.Sequence.ToString(CultureInfo.InvariantCulture)), cancellationToken);
        if (result.IsIntact)
        {
            TempData["Message"] = T["The audit trail is intact: {0} events verified.", result.EventCount].Value;
        }
        else
        {
            TempData["Error"] = T["The audit trail is broken at event {0}: {1}.", result.FirstBreak!.Sequence, T[result.FirstBreak.Reason, result.FirstBreak.Arguments].Value].Value;
        }

        return Redirect(Url.Content("~/admin/audit"));
    }

    private IQueryable<AuditEvent> Apply(AuditFilter filter)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Category))
        {
            query = query.Where(a => a.Category == filter.Category);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(a => a.Actor != null && a.Actor.Contains(filter.Actor));
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            query = query.Where(a => a.Action.Contains(filter.Text) || (a.SubjectId != null && a.SubjectId.Contains(filter.Text)));
        }

        if (filter.From is { } from)
        {
            var fromUtc = TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue), CmsTime.China);
            query = query.Where(a => a.TimestampUtc >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = TimeZoneInfo.ConvertTimeToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), CmsTime.China);
            query = query.Where(a => a.TimestampUtc < toUtc);
        }

        return query;
    }

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // Neutralize spreadsheet formulas and quote everything.
        var safe = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}

public sealed record AuditFilter
{
    public string? Category { get; init; }

    public string? Actor { get; init; }

    public string? Text { get; init; }

    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public string QueryString() => string.Join("&", new[]
    {
        Category is null ? null : "category=" + Uri.EscapeDataString(Category),
        Actor is null ? null : "actor=" + Uri.EscapeDataString(Actor),
        Text is null ? null : "text=" + Uri.EscapeDataString(Text),
        From is null ? null : "from=" + From.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        To is null ? null : "to=" + To.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    }.Where(p => p is not null));
}

public sealed record AuditListViewModel(IReadOnlyList<AuditEvent> Events, AuditFilter Filter, IReadOnlyList<string> Categories, int Total, int Page, int PageSize);
