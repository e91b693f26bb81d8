using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <param name="P50Ms">Median call latency over the window; null without calls.</param>
public sealed record ProviderHealthFigures(string Provider, int Calls, int? P50Ms, int? P95Ms, double ErrorRate, DateTime? LastSuccessUtc, int Waiting, int Unanswered, int DeadLetters);

/// <summary>Each provider's health over the last 24 hours: latency percentiles, error rate, last success, queue sizes.</summary>
public sealed class ProviderHealth(TenantDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<string, ProviderHealthFigures>> FiguresAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().UtcDateTime.AddHours(-24);
        var calls = await db.Set<ProviderCall>().AsNoTracking().Where(c => c.StartedUtc >= since).Select(c => new { c.Provider, c.DurationMs, c.Succeeded, c.StartedUtc }).ToListAsync(cancellationToken);
        var lastSuccess = await db.Set<ProviderCall>().AsNoTracking().Where(c => c.Succeeded).GroupBy(c => c.Provider).Select(g => new { g.Key, Last = g.Max(c => c.StartedUtc) }).ToDictionaryAsync(g => g.Key, g => (DateTime?)g.Last, cancellationToken);
        var states = await db.Set<ProviderQuery>().AsNoTracking().GroupBy(q => new { q.Provider, q.State }).Select(g => new { g.Key.Provider, g.Key.State, Count = g.Count() }).ToListAsync(cancellationToken);
        var providers = await db.Set<ExchangeProviderRecord>().AsNoTracking().Select(p => p.Code).ToListAsync(cancellationToken);
        return providers.ToDictionary(p => p, p =>
        {
            var durations = calls.Where(c => c.Provider == p).Select(c => c.DurationMs).Order().ToList();
            var failures = calls.Count(c => c.Provider == p && !c.Succeeded);
            int Count(params string[] s) => states.Where(x => x.Provider == p && s.Contains(x.State)).Sum(x => x.Count);
            return new ProviderHealthFigures(
                p, durations.Count, Percentile(durations, 0.5), Percentile(durations, 0.95),
                durations.Count == 0 ? 0 : (double)failures / durations.Count, lastSuccess.GetValueOrDefault(p),
                Count(QueryStates.Pending, QueryStates.Queued, QueryStates.Sent), Count(QueryStates.Unanswered), Count(QueryStates.DeadLetter));
        });
    }

    private static int? Percentile(List<int> sorted, double p) => sorted.Count == 0 ? null : sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
}
