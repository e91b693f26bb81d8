using Verification.Cms.Data;

namespace Verification.Cases.Models;

/// <summary>A registered business department (业务部门/委托单位, R-2.5) that entrusts checks, with its API credential.</summary>
public sealed class Department
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the API key (hex); the key itself is shown once when generated.</summary>
    public string? KeyHash { get; set; }

    /// <summary>The last four characters of the key, to tell keys apart in the UI.</summary>
    public string? KeyHint { get; set; }

    /// <summary>Where the department receives structured results when a report is issued; optional.</summary>
    public string? CallbackUrl { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The org unit that receives this department's API entrustments (responsible, R-4.4); the centre's top unit when empty.</summary>
    public string? OrgUnit { get; set; }
}

public static class FindingKinds
{
    /// <summary>A record a provider returned.</summary>
    public const string Record = "record";

    /// <summary>A provider answered that it holds nothing for the member.</summary>
    public const string Nothing = "nothing";

    /// <summary>Declared and found differ by more than the threshold .</summary>
    public const string Difference = "difference";

    /// <summary>The provider did not answer in time: an explicit finding, not a silent gap.</summary>
    public const string Unanswered = "unanswered";

    /// <summary>The provider refused the query.</summary>
    public const string Rejected = "rejected";
}

/// <summary>
/// One line of the comparison: a record a provider returned, a difference between declared and
/// found, or an unanswered item — in one of the six groups of H annex E. A reviewer may annotate it,
/// and may set a difference aside only with a reason (audited); the platform never decides eligibility.
/// </summary>
public sealed class Finding
{
    public long Id { get; set; }

    public required string CaseId { get; set; }

    /// <summary>Null for household-level lines (differences are per household and category).</summary>
    public string? MemberId { get; set; }

    public required string Kind { get; set; }

    /// <summary>basic, income, property, expenditure, other, supplementary (H annex E).</summary>
    public required string Group { get; set; }

    public required string Category { get; set; }

    /// <summary>The providing department (部门 column of the report).</summary>
    public required string Department { get; set; }

    /// <summary>The item (项目 column).</summary>
    public required string Item { get; set; }

    /// <summary>The result description (结果描述 column), one line.</summary>
    public required string Result { get; set; }

    public decimal? Amount { get; set; }

    public decimal? Declared { get; set; }

    public string? QueryId { get; set; }

    public string? Annotation { get; set; }

    /// <summary>A reviewer set this difference aside, with <see cref="OverrideReason"/>.</summary>
    public bool Overridden { get; set; }

    public string? OverrideReason { get; set; }

    public string? AnnotatedBy { get; set; }

    public DateTime? AnnotatedUtc { get; set; }
}

/// <summary>A written opinion at a review level (初审意见, 审核意见 …).</summary>
public sealed class CaseOpinion
{
    public long Id { get; set; }

    public required string CaseId { get; set; }

    public CaseTrigger Stage { get; set; }

    public required string Text { get; set; }

    public string? By { get; set; }

    public DateTime AtUtc { get; set; } = DateTime.UtcNow;
}

/// <summary>An issued verification report: its number, the frozen HTML, its hash and the structured result.</summary>
public sealed class VerificationReport
{
    public required string Number { get; set; }

    public required string CaseId { get; set; }

    public required string ServiceItem { get; set; }

    public int Year { get; set; }

    public int Month { get; set; }

    public int Serial { get; set; }

    public string Nature { get; set; } = "f";

    public int Copy { get; set; } = 1;

    public DateTime IssuedUtc { get; set; }

    public string? IssuedBy { get; set; }

    public required string Html { get; set; }

    /// <summary>SHA-256 (hex) of <see cref="Html"/>, printed on the report and confirmed by the public check page.</summary>
    public required string ContentHash { get; set; }

    public required string ResultJson { get; set; }
}

public static class NoticeKinds
{
    /// <summary>补正资料通知书 .</summary>
    public const string Supplement = "supplement";

    /// <summary>终止核对通知书 .</summary>
    public const string Termination = "termination";

    /// <summary>中止核对告知 within 3 working days .</summary>
    public const string Suspension = "suspension";

    /// <summary>延期告知 .</summary>
    public const string Extension = "extension";

    /// <summary>A letter a workflow generated from its own template (the reason holds its title).</summary>
    public const string Letter = "letter";

    public static readonly string[] All = [Supplement, Termination, Suspension, Extension, Letter];
}

/// <summary>A notice sent to the entrusting department, rendered from the tenant's Liquid template and kept as sent.</summary>
public sealed class CaseNotice
{
    public long Id { get; set; }

    public required string CaseId { get; set; }

    public required string Kind { get; set; }

    public required string Reason { get; set; }

    /// <summary>For a supplement notice: the day by which the department must supplement.</summary>
    public DateOnly? DueOn { get; set; }

    public DateTime IssuedUtc { get; set; }

    public string? IssuedBy { get; set; }

    public required string Html { get; set; }
}

/// <summary>A document attached to a case: entrustment letter, authorization scan, identity document, declaration.</summary>
public sealed class CaseDocument
{
    public long Id { get; set; }

    public required string CaseId { get; set; }

    public required string Kind { get; set; }

    public required string MediaId { get; set; }

    public required string FileName { get; set; }

    public string? UploadedBy { get; set; }

    public DateTime UploadedUtc { get; set; } = DateTime.UtcNow;
}

public static class BatchStates
{
    public const string Running = "running";
    public const string Done = "done";
}

/// <summary>
/// One step applied to every case of an entrustment in the background (accept, confirm, review,
/// approve, issue …) for the yearly centralized check. The work is derived from the cases'
/// states, so a restart continues where it stopped without doing anything twice.
/// </summary>
public sealed class BatchJob
{
    public string Id { get; set; } = RowIds.New();

    public required string EntrustmentId { get; set; }

    public CaseTrigger Trigger { get; set; }

    public string? RequestedBy { get; set; }

    public string State { get; set; } = BatchStates.Running;

    public int Total { get; set; }

    public int Done { get; set; }

    public int Failed { get; set; }

    public string? LastError { get; set; }

    /// <summary>Set when the person starting the step chose to include cases whose sources mostly did not answer, with why.</summary>
    public string? OverrideReason { get; set; }

    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;

    public DateTime? FinishedUtc { get; set; }
}

/// <summary>A structured result waiting to be delivered to a department's callback .</summary>
public sealed class ResultDelivery
{
    public long Id { get; set; }

    public required string DepartmentCode { get; set; }

    public required string ReportNumber { get; set; }

    public string State { get; set; } = "pending";

    public int Attempts { get; set; }

    public DateTime NextAttemptUtc { get; set; } = DateTime.UtcNow;

    public string? LastError { get; set; }
}

/// <summary>The tenant's pipeline configuration (review levels, items per service item, thresholds, supplement period) as one JSON document.</summary>
public sealed class PipelineProfileRecord
{
    public int Id { get; set; } = 1;

    public required string Json { get; set; }

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
}

/// <summary>A named set of case-list filters a user saved ("my overdue 低保 cases").</summary>
public sealed class SavedCaseView
{
    public long Id { get; set; }

    public required string UserName { get; set; }

    public required string Name { get; set; }

    /// <summary>The list's query string, e.g. "?state=Comparing&amp;risk=soon".</summary>
    public required string Query { get; set; }
}
