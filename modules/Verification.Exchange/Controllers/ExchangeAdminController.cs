using Microsoft.AspNetCore.Http;
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
public sealed class ExchangeAdminController(TenantDbContext db, ProviderExchange exchange, OfflineExchange offline, ProviderHealth health, IStringLocalizer T) : Controller
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

    /// <summary>Batch export: the provider's pending queries as an encrypted, signed file to carry over.</summary>
    [HttpPost("{code}/export")]
    [RequirePermission("ManageExchange")]
    public async Task<IActionResult> Export(string code, CancellationToken cancellationToken)
    {
        if (await offline.ExportAsync(code, User.Identity?.Name, cancellationToken) is not { } export)
        {
            TempData["Error"] = T["Nothing to export for {0} (no pending queries, or the provider is not connected).", code].Value;
            return Redirect(Url.Content("~/admin/exchange"));
        }

        return File(export.Content, "application/json", export.FileName);
    }

    [HttpPost("{code}/import")]
    [RequirePermission("ManageExchange")]
    [RequestSizeLimit(50 * 1024 * 1024)]
    public async Task<IActionResult> Import(string code, IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            TempData["Error"] = T["Choose the provider's result file."].Value;
            return Redirect(Url.Content("~/admin/exchange"));
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var result = await offline.ImportAsync(code, buffer.ToArray(), User.Identity?.Name, cancellationToken);
        TempData[result.Error is null ? "Message" : "Error"] = result.Error ?? T["{0} queries answered from the file.", result.Answered].Value;
        return Redirect(Url.Content("~/admin/exchange"));
    }

    [HttpGet("queries")]
    public async Task<IActionResult> Queries(string? provider, string? state, CancellationToken cancellationToken)
    {
        var query = db.Set<ProviderQuery>().AsNoTracking();
        if (!string.IsNullOrEmpty(provider))
        {
            query = query.Where(q => q.Provider == provider);
        }

        if (!string.IsNullOrEmpty(state))
        {
            query = query.Where(q => q.State == state);
        }

        return View(new QueryListViewModel(await query.OrderByDescending(q => q.CreatedUtc).Take(500).ToListAsync(cancellationToken), provider, state));
    }

    /// <summary>A paper reply typed in by staff.</summary>
    [HttpGet("queries/{id}/reply")]
    [RequirePermission("ManageExchange")]
    public async Task<IActionResult> Reply(string id, CancellationToken cancellationToken) =>
        await db.Set<ProviderQuery>().AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, cancellationToken) is { } query
            ? View(new ManualReplyViewModel(query, ItemsOf(query)))
            : NotFound();

    [HttpPost("queries/{id}/reply")]
    [RequirePermission("ManageExchange")]
    public async Task<IActionResult> Reply(string id, IFormCollection form, CancellationToken cancellationToken)
    {
        if (await db.Set<ProviderQuery>().AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, cancellationToken) is not { } query)
        {
            return NotFound();
        }

        var records = new List<Contract.DataRecord>();
        foreach (var item in ItemsOf(query).Where(i => form[$"{i.Code}.none"] != "true"))
        {
            var fields = new System.Text.Json.Nodes.JsonObject();
            foreach (var field in item.Fields)
            {
                var value = form[$"{item.Code}.{field.Key}"].ToString().Trim();
                if (value.Length == 0)
                {
                    continue;
                }

                if (field.Type is "money" or "number")
                {
                    if (!decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var number))
                    {
                        ModelState.AddModelError($"{item.Code}.{field.Key}", T["{0} must be a number.", field.Label]);
                        continue;
                    }

                    fields[field.Key] = number;
                }
                else
                {
                    fields[field.Key] = value;
                }
            }

            records.Add(new Contract.DataRecord(item.Code, fields));
        }

        if (!ModelState.IsValid)
        {
            return View(new ManualReplyViewModel(query, ItemsOf(query)));
        }

        var recorded = await offline.RecordManualReplyAsync(id, records, User.Identity?.Name, cancellationToken);
        TempData[recorded ? "Message" : "Error"] = (recorded ? T["The paper reply is recorded."] : T["This query was already answered."]).Value;
        return Redirect(Url.Content($"~/admin/exchange/queries?provider={query.Provider}"));
    }

    private static List<CatalogueItem> ItemsOf(ProviderQuery query) =>
        System.Text.Json.JsonSerializer.Deserialize<List<string>>(query.DataItemsJson)!.Select(DataSourceCatalogue.Shipped.Item).OfType<CatalogueItem>().ToList();

    [HttpPost("dead-letters/retry")]
    [RequirePermission("ManageExchange")]
    public async Task<IActionResult> Retry(string? provider, CancellationToken cancellationToken)
    {
        var count = await exchange.RetryDeadLettersAsync(string.IsNullOrEmpty(provider) ? null : provider, User.Identity?.Name, cancellationToken);
        TempData["Message"] = T["{0} messages queued again.", count].Value;
        return Redirect(Url.Content("~/admin/exchange"));
    }
}

public sealed record QueryListViewModel(IReadOnlyList<ProviderQuery> Queries, string? Provider, string? State);

public sealed record ManualReplyViewModel(ProviderQuery Query, IReadOnlyList<CatalogueItem> Items);

public sealed record ExchangeIndexViewModel(DataSourceCatalogue Catalogue, IReadOnlyList<ExchangeProviderRecord> Providers, IReadOnlyDictionary<string, ProviderHealthFigures> Health, IReadOnlyList<OutboxMessage> DeadLetters);
