using System.Linq.Expressions;
using Verification.Cms.Data;

namespace Verification.Exchange.Models;

public static class ExchangeModes
{
    /// <summary>Over HTTP to the provider's endpoint.</summary>
    public const string Online = "online";

    /// <summary>The shipped simulator, in process (demo tenants).</summary>
    public const string Simulated = "simulated";

    /// <summary>Batch files exported and imported by staff .</summary>
    public const string Offline = "offline";
}

/// <summary>A provider connected to this tenant: how to reach it and the key its messages are checked with.</summary>
public sealed class ExchangeProviderRecord
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    public string Mode { get; set; } = ExchangeModes.Simulated;

    public string? BaseUrl { get; set; }

    /// <summary>The provider's public key (SPKI PEM); results not signed with it are refused.</summary>
    public string? PublicKeyPem { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds to wait for an acknowledgement.</summary>
    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>Seconds after acknowledgement before unanswered items are asked about and then recorded as unanswered.</summary>
    public int AnswerTimeoutSeconds { get; set; } = 120;

    public int MaxBatch { get; set; } = 500;

    public DateTime? ConnectedUtc { get; set; }

    public string? ConnectedBy { get; set; }

    /// <summary>The AES-256 key of offline batch files shared with this provider, protected with the tenant's data-protection keys.</summary>
    public string? OfflineKeyProtected { get; set; }
}

/// <summary>The tenant's own signing key (private part protected with the tenant's data-protection keys).</summary>
public sealed class ExchangeKeyRecord
{
    public int Id { get; set; } = 1;

    public required string ProtectedPrivateKey { get; set; }

    public required string PublicKeyPem { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
}

public static class OutboxStates
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Closed = "closed";
    public const string DeadLetter = "dead-letter";
}

/// <summary>
/// A signed request waiting to be (re)sent. Its message id is fixed when it is written, in the same
/// transaction as its queries, so a crash at any point resends the same message and the provider
/// recognises it: nothing is sent twice as two messages.
/// </summary>
public sealed class OutboxMessage
{
    public required string MessageId { get; set; }

    public required string Provider { get; set; }

    public required string RequestJson { get; set; }

    public string State { get; set; } = OutboxStates.Queued;

    public int Attempts { get; set; }

    public DateTime NextAttemptUtc { get; set; } = DateTime.UtcNow;

    public DateTime? SentUtc { get; set; }

    public DateTime? DeadlineUtc { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
}

public static class QueryStates
{
    /// <summary>Waiting to be put into a message.</summary>
    public const string Pending = "pending";

    /// <summary>In a message not yet acknowledged.</summary>
    public const string Queued = "queued";

    /// <summary>Acknowledged; the answer has not come (or came as "pending").</summary>
    public const string Sent = "sent";

    public const string Answered = "answered";

    public const string Rejected = "rejected";

    /// <summary>No answer after the timeout and the status query: an explicit finding, not a silent gap .</summary>
    public const string Unanswered = "unanswered";

    public const string DeadLetter = "dead-letter";

    /// <summary>Queries whose answer may still change (not answered, not rejected), as a query filter.</summary>
    public static readonly Expression<Func<ProviderQuery, bool>> NotFinal = q => q.State != Answered && q.State != Rejected;

    /// <summary>
    /// Queries still waiting for something: neither final nor recorded as unanswered. Named positively so the
    /// state index finds the few still waiting instead of every query being read.
    /// </summary>
    public static readonly Expression<Func<ProviderQuery, bool>> Waiting = q => q.State == Pending || q.State == Queued || q.State == Sent || q.State == DeadLetter;
}

/// <summary>One member's query to one provider: the data items asked, the authorization it rests on, and what came back.</summary>
public sealed class ProviderQuery
{
    public string Id { get; set; } = RowIds.New();

    /// <summary>The caller's reference (e.g. a case member) to find its queries again.</summary>
    public required string CaseReference { get; set; }

    public required string Provider { get; set; }

    public required string SubjectIdNumber { get; set; }

    public required string SubjectName { get; set; }

    public required string DataItemsJson { get; set; }

    public required string AuthorizationNumber { get; set; }

    public required string Purpose { get; set; }

    public string State { get; set; } = QueryStates.Pending;

    public string? MessageId { get; set; }

    public string? ReasonCode { get; set; }

    public string? RecordsJson { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;

    public DateTime? AnsweredUtc { get; set; }

    /// <summary>True when the answer came after the query had been recorded as unanswered.</summary>
    public bool Late { get; set; }
}

/// <summary>A result message already processed (replay protection: a message id is processed once).</summary>
public sealed class ReceivedMessage
{
    public required string MessageId { get; set; }

    public required string Provider { get; set; }

    public DateTime ReceivedUtc { get; set; } = DateTime.UtcNow;
}

/// <summary>One call to a provider, for its health figures (latency p50/p95, error rate, last success).</summary>
public sealed class ProviderCall
{
    public long Id { get; set; }

    public required string Provider { get; set; }

    public DateTime StartedUtc { get; set; }

    public int DurationMs { get; set; }

    public bool Succeeded { get; set; }

    public string? Error { get; set; }
}
