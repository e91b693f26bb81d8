using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Models;
using Verification.Exchange.Services;

namespace Verification.Exchange.Recipes;

/// <summary>
/// Step "providers": { "providers": [ { "code": "mps", "mode": "simulated" | "online" | "offline", "baseUrl": "…", "requestTimeoutSeconds": 15,
/// "answerTimeoutSeconds": 120, "maxBatch": 100, "connect": true } ] }
/// or { "all": "simulated" } for every provider of the catalogue (the demo tenants). "connect" exchanges keys at once.
/// </summary>
public sealed class ProvidersStepHandler(TenantDbContext db, ProviderExchange exchange) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "providers";

    public string StepName => Name;

    public int Order => 45;

    public void Validate(RecipeStepValidationContext context)
    {
        if (StepJson.Text(context.Step, "all") is { } all && all is not (ExchangeModes.Simulated or ExchangeModes.Offline))
        {
            context.Error("all", "is \"simulated\" or \"offline\" (online providers need their own address).");
        }

        var list = StepJson.Array(context, context.Step, "providers", "providers", required: StepJson.Text(context.Step, "all") is null);
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            var code = StepJson.RequireString(context, list![i], "code", $"providers[{i}].code");
            if (code is not null && DataSourceCatalogue.Shipped.Providers.All(p => p.Code != code))
            {
                context.Error($"providers[{i}].code", $"'{code}' is not a provider of the catalogue.");
            }

            var mode = StepJson.Text(list[i], "mode") ?? ExchangeModes.Simulated;
            if (mode is not (ExchangeModes.Online or ExchangeModes.Simulated or ExchangeModes.Offline))
            {
                context.Error($"providers[{i}].mode", "is online, simulated or offline.");
            }

            if (mode == ExchangeModes.Online && !Uri.TryCreate(StepJson.Text(list[i], "baseUrl"), UriKind.Absolute, out _))
            {
                context.Error($"providers[{i}].baseUrl", "is required for an online provider (an absolute URL).");
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var entries = new List<(string Code, string Mode, string? BaseUrl, JsonObject Settings, bool Connect)>();
        if (StepJson.Text(context.Step, "all") is { } all)
        {
            entries.AddRange(DataSourceCatalogue.Shipped.Providers.Select(p => (p.Code, all, (string?)null, new JsonObject(), true)));
        }

        foreach (var entry in (context.Step["providers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            entries.Add((StepJson.Text(entry, "code")!, StepJson.Text(entry, "mode") ?? ExchangeModes.Simulated, StepJson.Text(entry, "baseUrl"), entry,
                entry["connect"] is JsonValue c && c.TryGetValue<bool>(out var connect) && connect));
        }

        foreach (var (code, mode, baseUrl, settings, connect) in entries)
        {
            var row = await db.Set<ExchangeProviderRecord>().FirstOrDefaultAsync(p => p.Code == code, cancellationToken);
            if (row is null)
            {
                row = new ExchangeProviderRecord { Code = code, Name = DataSourceCatalogue.Shipped.Providers.First(p => p.Code == code).Name };
                db.Add(row);
            }

            row.Mode = mode;
            row.BaseUrl = baseUrl;
            row.RequestTimeoutSeconds = Number(settings, "requestTimeoutSeconds") ?? row.RequestTimeoutSeconds;
            row.AnswerTimeoutSeconds = Number(settings, "answerTimeoutSeconds") ?? row.AnswerTimeoutSeconds;
            row.MaxBatch = Number(settings, "maxBatch") ?? row.MaxBatch;
            await db.SaveChangesAsync(cancellationToken);
            if (connect)
            {
                await exchange.ConnectAsync(code, "recipe", cancellationToken);
            }
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Set<ExchangeProviderRecord>().AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : new JsonObject
        {
            ["name"] = Name,
            ["providers"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["code"] = r.Code, ["mode"] = r.Mode, ["baseUrl"] = r.BaseUrl, ["requestTimeoutSeconds"] = r.RequestTimeoutSeconds,
                ["answerTimeoutSeconds"] = r.AnswerTimeoutSeconds, ["maxBatch"] = r.MaxBatch, ["connect"] = r.PublicKeyPem is not null,
            }).ToArray()),
        };
    }

    private static int? Number(JsonObject settings, string key) => settings[key] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0 ? n : null;
}
