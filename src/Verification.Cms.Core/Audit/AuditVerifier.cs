using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;

namespace Verification.Cms.Audit;

/// <summary>Re-computes the tenant's whole chain, in pages, and names the first broken event.</summary>
public sealed class AuditVerifier(TenantDbContext db)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var count = await db.AuditEvents.LongCountAsync(cancellationToken);
        var result = AuditChain.Verify(Stream(cancellationToken));
        return new AuditVerification(count, result);
    }

    private IEnumerable<AuditEvent> Stream(CancellationToken cancellationToken)
    {
        const int page = 2000;
        long after = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = db.AuditEvents.AsNoTracking().Where(a => a.Sequence > after).OrderBy(a => a.Sequence).Take(page).ToList();
            foreach (var e in batch)
            {
                yield return e;
            }

            if (batch.Count < page)
            {
                yield break;
            }

            after = batch[^1].Sequence;
        }
    }
}

public sealed record AuditVerification(long EventCount, AuditChainBreak? FirstBreak)
{
    public bool IsIntact => FirstBreak is null;
}
