using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Verification.Exchange.Contract;

/// <summary>
/// The header of every message (modelled on the DCI social-registry API): who sends to whom, when,
/// under which id, and where results go. Message ids are unique per sender; both sides refuse a
/// message id they have already processed.
/// </summary>
public sealed record MessageHeader(string MessageId, DateTimeOffset Timestamp, string Sender, string Receiver, string? CallbackUrl = null, string? CorrelationId = null);

/// <summary>
/// One subject to query: the member's ID number and name, the data items wanted, and the
/// authorization (R-3.2: no query without it) and purpose (the service item).
/// </summary>
public sealed record QueryItem(string ReferenceId, string SubjectIdNumber, string SubjectName, IReadOnlyList<string> DataItems, string AuthorizationNumber, string Purpose);

/// <summary>A batch of queries to one provider, signed by the sender.</summary>
public sealed record QueryRequest(MessageHeader Header, IReadOnlyList<QueryItem> Items)
{
    public string? Signature { get; init; }
}

public static class ItemStatus
{
    public const string Success = "success";
    public const string Pending = "pending";
    public const string Rejected = "rejected";
}

/// <summary>The answer for one query item. <see cref="Records"/> follow the normalized schema of each data item.</summary>
public sealed record ItemResult(string ReferenceId, string Status, string? ReasonCode = null, IReadOnlyList<DataRecord>? Records = null);

/// <summary>One normalized record: the data item it answers and its fields (see the catalogue's field list).</summary>
public sealed record DataRecord(string DataItem, JsonObject Fields);

/// <summary>Results of a request, delivered to the callback (or answered at once by the synchronous variant), signed by the provider.</summary>
public sealed record QueryResult(MessageHeader Header, IReadOnlyList<ItemResult> Results)
{
    public string? Signature { get; init; }
}

/// <summary>The provider's immediate answer to a request: accepted (results follow) or rejected with a reason.</summary>
public sealed record Acknowledgement(string MessageId, string Status, string? ReasonCode = null, string? Reason = null)
{
    public const string Accepted = "accepted";
    public const string RejectedStatus = "rejected";
}

/// <summary>Where a request stands at the provider (the transaction-status query).</summary>
public sealed record TransactionStatus(string MessageId, string Status, QueryResult? Result = null)
{
    public const string Unknown = "unknown";
    public const string Processing = "processing";
    public const string Completed = "completed";
}

/// <summary>Reason codes a provider or the contract gives for a refused item or message.</summary>
public static class ReasonCodes
{
    public const string NoAuthorization = "auth.missing";
    public const string BadSignature = "signature.invalid";
    public const string Stale = "timestamp.outside-window";
    public const string Replayed = "message.replayed";
    public const string UnknownSender = "sender.unknown";
    public const string UnknownDataItem = "item.unknown";
    public const string SubjectNotFound = "subject.not-found";
    public const string Malformed = "message.malformed";
    public const string NoAnswer = "timeout.no-answer";

    /// <summary>
    /// Refusals of the whole message for how we are set up (not registered, keys or clock out of step, a
    /// message the provider cannot read): nothing was said about the subjects, so they are a matter for the
    /// administrator and the queries wait, never a finding.
    /// </summary>
    public static bool IsConfiguration(string? code) => code is UnknownSender or BadSignature or Stale or Replayed or Malformed or UnknownDataItem;
}
