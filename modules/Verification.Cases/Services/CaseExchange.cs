using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Exchange.Services;

namespace Verification.Cases.Services;

/// <summary>A member left out of the exchange, and why.</summary>
public sealed record MemberRefusal(string MemberId, string Name, string Reason);

public sealed record ExchangeStart(int QueriesQueued, IReadOnlyList<MemberRefusal> Refused);

/// <summary>
/// Starts confirmed cases' provider exchange: for each member who passes the
/// <see cref="AuthorizationGate"/>, the data items the service item requires (J table 1, as the tenant configured it) are queued
/// with the member's authorization number; members who do not pass are recorded and never queried.
/// </summary>
public sealed class CaseExchange(TenantDbContext db, CaseService cases, AuthorizationGate gate, ProviderExchange exchange, PipelineSettings pipeline, IAuditTrail audit)
{
    public Task<ExchangeStart> StartAsync(string caseId, string? user, CancellationToken cancellationToken) => StartManyAsync([caseId], user, cancellationToken);

    /// <summary>The same for many cases at once (batches): one gate query, one queueing, one transition.</summary>
    public async Task<ExchangeStart> StartManyAsync(IReadOnlyCollection<string> caseIds, string? user, CancellationToken cancellationToken)
    {
        var profile = await pipeline.GetAsync(cancellationToken);
        var list = await db.Set<VerificationCase>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var members = await db.Set<CaseMember>().AsNoTracking().Where(m => caseIds.Contains(m.CaseId)).ToListAsync(cancellationToken);
        var checks = await gate.CheckAsync(list, members, cases.Today(), cancellationToken);
        var byCase = list.ToDictionary(c => c.Id);
        var subjects = new List<SubjectQuery>();
        var refused = new List<MemberRefusal>();
        foreach (var member in members)
        {
            var (authorization, refusal) = checks[member.Id];
            if (authorization is null)
            {
                refused.Add(new MemberRefusal(member.Id, member.Name, refusal!));
                continue;
            }

            var @case = byCase[member.CaseId];
            subjects.Add(new SubjectQuery($"{@case.Id}/{member.Id}", member.IdNumber, member.Name, PipelineSettings.ItemsFor(profile, @case.ServiceItem), authorization.Number, @case.ServiceItem));
        }

        var queued = subjects.Count == 0 ? new QueueResult([], []) : await exchange.QueueAsync(subjects, cancellationToken);
        var started = queued.Queued.Select(q => q.CaseReference[..q.CaseReference.IndexOf('/', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        var toStart = list.Where(c => c.State == CaseState.Confirmed && started.Contains(c.Id)).Select(c => c.Id).ToList();
        if (toStart.Count > 0)
        {
            db.ChangeTracker.Clear();
            await cases.FireManyAsync(toStart, CaseTrigger.StartExchange, user, null, cancellationToken);
        }

        if (refused.Count > 0)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.member.not-queried", "cases", caseIds.Count == 1 ? caseIds.First() : null, new Dictionary<string, string?>
            {
                ["members"] = string.Join(",", refused.Select(r => r.MemberId)), ["reasons"] = string.Join(" | ", refused.Select(r => r.Reason).Distinct()),
            }) { Actor = user }, cancellationToken);
        }

        return new ExchangeStart(queued.Queued.Count, refused);
    }
}
