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
/// Starts a confirmed case's provider exchange: for each member who passes the
/// <see cref="AuthorizationGate"/>, the data items the service item requires (J table 1, as the tenant configured it) are queued
/// with the member's authorization number; members who do not pass are recorded and never queried.
/// </summary>
public sealed class CaseExchange(TenantDbContext db, CaseService cases, AuthorizationGate gate, ProviderExchange exchange, PipelineSettings pipeline, IAuditTrail audit)
{
    public async Task<ExchangeStart> StartAsync(string caseId, string? user, CancellationToken cancellationToken)
    {
        var @case = await db.Set<VerificationCase>().AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken);
        var items = PipelineSettings.ItemsFor(await pipeline.GetAsync(cancellationToken), @case.ServiceItem);
        var members = await db.Set<CaseMember>().AsNoTracking().Where(m => m.CaseId == caseId).ToListAsync(cancellationToken);
        var subjects = new List<SubjectQuery>();
        var refused = new List<MemberRefusal>();
        foreach (var member in members)
        {
            var (authorization, refusal) = await gate.CheckAsync(@case, member, cases.Today(), cancellationToken);
            if (authorization is null)
            {
                refused.Add(new MemberRefusal(member.Id, member.Name, refusal!));
                continue;
            }

            subjects.Add(new SubjectQuery($"{caseId}/{member.Id}", member.IdNumber, member.Name, items, authorization.Number, @case.ServiceItem));
        }

        var queued = subjects.Count == 0 ? new QueueResult([], []) : await exchange.QueueAsync(subjects, cancellationToken);
        if (@case.State == CaseState.Confirmed && queued.Queued.Count > 0)
        {
            await cases.FireAsync(caseId, CaseTrigger.StartExchange, user, null, cancellationToken);
        }

        foreach (var refusal in refused)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.member.not-queried", "case", caseId, new Dictionary<string, string?> { ["member"] = refusal.MemberId, ["reason"] = refusal.Reason }) { Actor = user }, cancellationToken);
        }

        return new ExchangeStart(queued.Queued.Count, refused);
    }
}
