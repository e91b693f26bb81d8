using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Verification.Cms.Audit;

/// <summary>
/// The chain of the audit trail (R-18.1, R-18.5 integrity): each event's hash covers its fields and the
/// previous event's hash, so editing, deleting or reordering any stored event breaks every hash after it.
/// The hash is an HMAC-SHA256 under the tenant's audit key, which is kept outside the tenant's database
/// (<see cref="AuditKeyring"/>): whoever can write the database cannot compute a chain that verifies.
/// Events written before a tenant had a key (an upgraded installation) were hashed with plain SHA-256;
/// every keyed event after them still binds them through its previous hash.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Stored times are cut to milliseconds so that both databases return exactly what was hashed.</summary>
    public static DateTime Normalize(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    /// <summary>The event's hash: HMAC-SHA256 under the key, or plain SHA-256 without one (events before the key).</summary>
    public static string ComputeHash(AuditEvent e, byte[]? key)
    {
        var payload = Encoding.UTF8.GetBytes(Canonical(e));
        return Convert.ToHexStringLower(key is null ? SHA256.HashData(payload) : HMACSHA256.HashData(key, payload));
    }

    /// <summary>Walks the events in order; returns the first one that breaks the chain, or null.</summary>
    public static AuditChainBreak? Verify(IEnumerable<AuditEvent> orderedEvents, AuditKey? key)
    {
        var previousHash = Genesis;
        var expectedSequence = 1L;
        foreach (var e in orderedEvents)
        {
            if (e.Sequence != expectedSequence)
            {
                return new AuditChainBreak(e.Sequence, "sequence gap: expected {0}, found {1}", expectedSequence, e.Sequence);
            }

            if (!string.Equals(e.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return new AuditChainBreak(e.Sequence, "previous hash does not match the event before it");
            }

            var keyed = key is not null && e.Sequence >= key.KeyedFrom;
            if (!string.Equals(ComputeHash(e, keyed ? key!.Secret : null), e.Hash, StringComparison.Ordinal))
            {
                return new AuditChainBreak(e.Sequence, "content does not match its hash (the event was edited)");
            }

            previousHash = e.Hash;
            expectedSequence++;
        }

        return null;
    }

    private static string Canonical(AuditEvent e)
    {
        var builder = new StringBuilder();
        void Add(string? value) => builder.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
        Add(e.Sequence.ToString(CultureInfo.InvariantCulture));
        Add(DateTime.SpecifyKind(e.TimestampUtc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        Add(e.Category);
        Add(e.Action);
        Add(e.Actor);
        Add(e.SubjectType);
        Add(e.SubjectId);
        Add(e.Details);
        Add(e.IpAddress);
        Add(e.UserAgent);
        Add(e.RequestPath);
        Add(e.PreviousHash);
        return builder.ToString();
    }
}

/// <param name="Reason">A localization key; <paramref name="Arguments"/> fill its placeholders.</param>
public sealed record AuditChainBreak(long Sequence, string Reason, params object[] Arguments)
{
    public string Text => string.Format(System.Globalization.CultureInfo.InvariantCulture, Reason, Arguments);
}
