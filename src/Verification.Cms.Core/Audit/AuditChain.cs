using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Verification.Cms.Audit;

/// <summary>
/// The hash chain of the audit trail (R-18.1, R-18.5 integrity): each event's hash covers its
/// fields and the previous event's hash, so editing, deleting or reordering any stored event
/// breaks every hash after it.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Stored times are cut to milliseconds so that both databases return exactly what was hashed.</summary>
    public static DateTime Normalize(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    public static string ComputeHash(AuditEvent e)
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
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>Walks the events in order; returns the first one that breaks the chain, or null.</summary>
    public static AuditChainBreak? Verify(IEnumerable<AuditEvent> orderedEvents)
    {
        var previousHash = Genesis;
        var expectedSequence = 1L;
        foreach (var e in orderedEvents)
        {
            if (e.Sequence != expectedSequence)
            {
                return new AuditChainBreak(e.Sequence, $"sequence gap: expected {expectedSequence}, found {e.Sequence}");
            }

            if (!string.Equals(e.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return new AuditChainBreak(e.Sequence, "previous hash does not match the event before it");
            }

            if (!string.Equals(ComputeHash(e), e.Hash, StringComparison.Ordinal))
            {
                return new AuditChainBreak(e.Sequence, "content does not match its hash (the event was edited)");
            }

            previousHash = e.Hash;
            expectedSequence++;
        }

        return null;
    }
}

public sealed record AuditChainBreak(long Sequence, string Reason);
