using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Data;

namespace Verification.Cases.Services;

/// <summary>
/// "先授权、后核对，无委托、不核对", enforced in this one place: a member may be queried only
/// when the case is confirmed (a valid, accepted entrustment) and the member holds an authorization
/// that is recorded for this case, not revoked and valid on the day. Every path to the provider
/// exchange for a case goes through <see cref="CaseExchange"/>, which asks here first.
/// </summary>
public sealed class AuthorizationGate(TenantDbContext db)
{
    public static readonly CaseState[] QueryableStates = [CaseState.Confirmed, CaseState.Exchanging];

    /// <summary>The authorization covering the member today, or null with the reason (an English localization key).</summary>
    public async Task<(MemberAuthorization? Authorization, string? Refusal)> CheckAsync(VerificationCase @case, CaseMember member, DateOnly today, CancellationToken cancellationToken) =>
        (await CheckAsync([@case], [member], today, cancellationToken))[member.Id];

    /// <summary>The same check for many members of many cases at once (one query), keyed by member id.</summary>
    public async Task<Dictionary<string, (MemberAuthorization? Authorization, string? Refusal)>> CheckAsync(
        IReadOnlyCollection<VerificationCase> cases, IReadOnlyCollection<CaseMember> members, DateOnly today, CancellationToken cancellationToken)
    {
        var byId = cases.ToDictionary(c => c.Id);
        var caseIds = byId.Keys.ToList();
        var valid = (await db.Set<MemberAuthorization>().AsNoTracking()
                .Where(a => caseIds.Contains(a.CaseId)).Where(ValidOn(today))
                .ToListAsync(cancellationToken))
            .GroupBy(a => (a.CaseId, a.MemberId)).ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.SignedOn).First());
        var result = new Dictionary<string, (MemberAuthorization?, string?)>(members.Count);
        foreach (var member in members)
        {
            result[member.Id] = !byId.TryGetValue(member.CaseId, out var @case) ? (null, "The person is not a member of this case.")
                : !QueryableStates.Contains(@case.State) ? (null, "The case is not confirmed; nothing may be queried (no valid entrustment).")
                : valid.TryGetValue((@case.Id, member.Id), out var authorization) ? (authorization, null)
                : (null, "No valid authorization covers this member.");
        }

        return result;
    }

    /// <summary>Of the cases, those where no member holds a valid authorization today: confirming them would start nothing.</summary>
    public async Task<HashSet<string>> WithoutAnyAuthorizationAsync(IReadOnlyCollection<string> caseIds, DateOnly today, CancellationToken cancellationToken)
    {
        var ids = caseIds.ToList();
        var covered = await db.Set<MemberAuthorization>().AsNoTracking().Where(a => ids.Contains(a.CaseId)).Where(ValidOn(today)).Select(a => a.CaseId).Distinct().ToListAsync(cancellationToken);
        return ids.Except(covered, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Not revoked, signed by today and not expired: the one definition of a valid authorization.</summary>
    private static System.Linq.Expressions.Expression<Func<MemberAuthorization, bool>> ValidOn(DateOnly today) =>
        a => a.RevokedUtc == null && a.SignedOn <= today && (a.ValidUntil == null || a.ValidUntil >= today);
}
