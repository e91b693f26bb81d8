using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;

namespace Verification.Cms.Audit;

/// <summary>
/// Re-computes the tenant's whole chain under its audit key, in pages, and holds it against the signed
/// checkpoints written outside the database; names the first broken event.
/// </summary>
public sealed class AuditVerifier(TenantDbContext db, AuditKeyring keyring, AuditCheckpoints checkpoints)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var count = await db.AuditEvents.LongCountAsync(cancellationToken);
        var key = keyring.Find();
        if (key is null)
        {
            // No key yet: an installation upgraded from the unkeyed chain that has written nothing since.
            return checkpoints.Any()
                ? new AuditVerification(count, new AuditChainBreak(1, "the audit key is missing, so the chain cannot be verified"), Keyed: false)
                : new AuditVerification(count, AuditChain.Verify(Stream(cancellationToken), null), Keyed: false);
        }

        var chainBreak = AuditChain.Verify(Stream(cancellationToken), key);
        if (chainBreak is not null)
        {
            return new AuditVerification(count, chainBreak, Keyed: true);
        }

        var scan = checkpoints.Scan(key);
        if (scan.Forged is { } line)
        {
            return new AuditVerification(count, new AuditChainBreak(scan.Sequence ?? 0, "checkpoint {0} does not carry a valid signature", line), Keyed: true);
        }

        if (scan.Sequence is { } newest)
        {
            var tail = await db.AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => (long?)a.Sequence).FirstOrDefaultAsync(cancellationToken) ?? 0;
            if (tail < newest)
            {
                return new AuditVerification(count, new AuditChainBreak(tail + 1, "events {0} to {1} are missing (a checkpoint outside the database names event {1})", tail + 1, newest), Keyed: true);
            }

            var hash = await db.AuditEvents.AsNoTracking().Where(a => a.Sequence == newest).Select(a => a.Hash).FirstAsync(cancellationToken);
            if (!string.Equals(hash, scan.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(count, new AuditChainBreak(newest, "the event differs from its checkpoint outside the database"), Keyed: true);
            }
        }

        return new AuditVerification(count, null, Keyed: true);
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

/// <param name="Keyed">Whether the chain was checked under the tenant's audit key (false: an upgraded tenant that has written nothing since).</param>
public sealed record AuditVerification(long EventCount, AuditChainBreak? FirstBreak, bool Keyed = true)
{
    public bool IsIntact => FirstBreak is null;
}
