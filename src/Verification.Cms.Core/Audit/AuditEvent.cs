namespace Verification.Cms.Audit;

/// <summary>One event of the append-only audit trail. <see cref="Hash"/> covers every field and the previous event's hash.</summary>
public sealed class AuditEvent
{
    public long Sequence { get; set; }

    public DateTime TimestampUtc { get; set; }

    public required string Category { get; set; }

    public required string Action { get; set; }

    public string? Actor { get; set; }

    public string? SubjectType { get; set; }

    public string? SubjectId { get; set; }

    /// <summary>JSON object of extra facts.</summary>
    public string? Details { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    public string? RequestPath { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
