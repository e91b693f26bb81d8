using Verification.Cms.Data;

namespace Verification.Cases.Models;

/// <summary>A business department's request (委托) to verify households for a service item .</summary>
public sealed class Entrustment
{
    public string Id { get; set; } = RowIds.New();

    public required string Department { get; set; }

    /// <summary>aa 最低生活保障 … ah 临时救助 .</summary>
    public required string ServiceItem { get; set; }

    /// <summary>api, excel or counter .</summary>
    public required string Channel { get; set; }

    public DateTime ReceivedUtc { get; set; } = DateTime.UtcNow;

    /// <summary>"谁受理谁负责": the accepting unit and person.</summary>
    public string? AcceptingOrgUnit { get; set; }

    public string? ReceivedBy { get; set; }

    /// <summary>Why the department asks (the purpose sent with every provider query).</summary>
    public string? Purpose { get; set; }

    /// <summary>The department's own reference (letter number, batch name).</summary>
    public string? ExternalReference { get; set; }

    /// <summary>API channel: the department's idempotency key; a repeat returns the first answer.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the request body, to tell a repeat from a different request under the same key.</summary>
    public string? RequestHash { get; set; }

    public int HouseholdCount { get; set; }
}

/// <summary>One household's verification: its state, deadlines and the people who acted at each step.</summary>
public sealed class VerificationCase
{
    public string Id { get; set; } = RowIds.New();

    public required string EntrustmentId { get; set; }

    public required string ServiceItem { get; set; }

    /// <summary>The case number shown to people (year and per-tenant serial, e.g. 2026-000123).</summary>
    public string Number { get; set; } = string.Empty;

    public CaseState State { get; set; } = CaseState.Received;

    /// <summary>The org unit that received the case ("谁受理谁负责", R-4.4); visibility follows it .</summary>
    public string? OrgUnit { get; set; }

    public required string HeadName { get; set; }

    public required string HeadIdNumber { get; set; }

    /// <summary>Roster address (H annex B): 市（州）, 县（市、区）, 乡镇（街道）.</summary>
    public string? City { get; set; }

    public string? County { get; set; }

    public string? Street { get; set; }

    /// <summary>What the household declared per findings category (amounts in yuan, counts of items), JSON.</summary>
    public string DeclaredJson { get; set; } = "{}";

    /// <summary>While returned for supplement: the day by which the department must supplement .</summary>
    public DateOnly? SupplementDueOn { get; set; }

    /// <summary>The state a suspended case resumes to.</summary>
    public CaseState? SuspendedFrom { get; set; }

    public DateOnly ReceivedOn { get; set; }

    /// <summary>15 working days after receipt, later by the extension.</summary>
    public DateOnly DueOn { get; set; }

    /// <summary>Provider queries the comparison was built from (set when the case leaves the exchange).</summary>
    public int SourcesAsked { get; set; }

    /// <summary>Of those, the ones that never answered or refused the query (not "not found", which is an answer).</summary>
    public int SourcesUnanswered { get; set; }

    /// <summary>More than half of the sources said nothing: no batch may pass such a case without a stated reason.</summary>
    public bool MostlyUnanswered => SourcesAsked > 0 && SourcesUnanswered * 2 > SourcesAsked;

    public int ExtensionDays { get; set; }

    public string? AcceptedBy { get; set; }

    public string? ConfirmedBy { get; set; }

    /// <summary>Who prepared the comparison and opinion (the report's preparer, R-2.3).</summary>
    public string? ReviewedBy { get; set; }

    public string? ApprovedBy { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>A household member to verify: applicant, co-resident or maintenance obligor.</summary>
public sealed class CaseMember
{
    public string Id { get; set; } = RowIds.New();

    public required string CaseId { get; set; }

    public required string Name { get; set; }

    public required string IdNumber { get; set; }

    /// <summary>GB/T 4761 relationship to the applicant (01 = 本人 …).</summary>
    public required string Relation { get; set; }

    public bool CoResident { get; set; } = true;

    public bool MaintenanceObligor { get; set; }
}

/// <summary>
/// A member's authorization (H annex A): numbered, signed by the member or a guardian or
/// agent, on paper (a scan) or electronically, valid until a date or until revoked.
/// </summary>
public sealed class MemberAuthorization
{
    public string Id { get; set; } = RowIds.New();

    public required string CaseId { get; set; }

    public required string MemberId { get; set; }

    public required string Number { get; set; }

    /// <summary>self, guardian or agent.</summary>
    public required string SignedBy { get; set; }

    public string? SignerName { get; set; }

    /// <summary>paper or electronic.</summary>
    public required string Kind { get; set; }

    public string? ScanMediaId { get; set; }

    public DateOnly SignedOn { get; set; }

    public DateOnly? ValidUntil { get; set; }

    public DateTime? RevokedUtc { get; set; }

    public string? RecordedBy { get; set; }
}

/// <summary>The case's timeline: every transition, who made it and why.</summary>
public sealed class CaseEvent
{
    public long Id { get; set; }

    public required string CaseId { get; set; }

    public DateTime AtUtc { get; set; } = DateTime.UtcNow;

    public string? Actor { get; set; }

    public CaseState From { get; set; }

    public CaseState To { get; set; }

    public CaseTrigger Trigger { get; set; }

    public string? Note { get; set; }
}
