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
    public async Task<(MemberAuthorization? Authorization, string? Refusal)> CheckAsync(VerificationCase @case, CaseMember member, DateOnly today, CancellationToken cancellationToken)
    {
        if (!QueryableStates.Contains(@case.State))
        {
            return (null, "The case is not confirmed; nothing may be queried (no valid entrustment).");
        }

        if (member.CaseId != @case.Id)
        {
            return (null, "The person is not a member of this case.");
        }

        var authorization = await db.Set<MemberAuthorization>().AsNoTracking()
            .Where(a => a.CaseId == @case.Id && a.MemberId == member.Id && a.RevokedUtc == null && a.SignedOn <= today && (a.ValidUntil == null || a.ValidUntil >= today))
            .OrderByDescending(a => a.SignedOn).FirstOrDefaultAsync(cancellationToken);
        return authorization is null ? (null, "No valid authorization covers this member.") : (authorization, null);
    }
}
