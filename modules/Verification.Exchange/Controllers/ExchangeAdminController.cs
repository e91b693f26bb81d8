using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;
using Verification.Cms.Security;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Models;
using Verification.Exchange.Services;

namespace Verification.Exchange.Controllers;

/// <summary>The resource catalogue: providers, their data items, exchange mode, keys and health; dead letters staff can retry.</summary>
[Route("admin/exchange")]
[RequirePermission("ViewExchange")]
public sealed class ExchangeAdminController(TenantDbContext db, ProviderExchange exchange, ProviderHealth health, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken);
        var deadLetters = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.State == OutboxStates.DeadLetter).OrderBy(m => m.CreatedUtc).Take(200).ToListAsync(cancellationToken);
        return View(new ExchangeIndexViewModel(DataSourceCatalogue.Shipped, providers, await health.FiguresAsync(cancellationToken), deadLetters));
    }

    [HttpPost("{code}/connect")]
    [RequirePermission("ManageExchange")]
    public async Task<IActionResult> Connect(string code, CancellationToken cancellationToken)
    {
        if (!await db.Set<ExchangeProviderRecord>().AnyAsync(p => p.Code == code, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            await exchange.ConnectAsync(code, User.Identity?.Name, cancellationToken);
            TempData["Message"] = T["Connected to {0}; keys exchanged.", code].Value;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            TempData["Error"] = T["{0} could not be reached: {1}", code, ex.Message].Value;
        }

        return Redirect(Url.Content("~/admin/exchange"));
    }

    [HttpPost("dead-letters/retry")]
    [RequirePermission("ManageExchange")]
    public async Task<IActionResult> Retry(string? provider, CancellationToken cancellationToken)
    {
        var count = await exchange.RetryDeadLettersAsync(string.IsNullOrEmpty(provider) ? null : provider, User.Identity?.Name, cancellationToken);
        TempData["Message"] = T["{0} messages queued again.", count].Value;
        return Redirect(Url.Content("~/admin/exchange"));
    }
}

public sealed record ExchangeIndexViewModel(DataSourceCatalogue Catalogue, IReadOnlyList<ExchangeProviderRecord> Providers, IReadOnlyDictionary<string, ProviderHealthFigures> Health, IReadOnlyList<OutboxMessage> DeadLetters);
