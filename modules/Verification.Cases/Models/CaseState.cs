namespace Verification.Cases.Models;

/// <summary>Where a case stands (issue: verification pipeline, item 2); drawn from <c>CaseLifecycle</c>.</summary>
public enum CaseState
{
    Received,
    IntakeReview,
    ReturnedForSupplement,
    Accepted,
    Confirmed,
    Exchanging,
    Comparing,
    Reviewed,
    Approved,
    ReportIssued,
    Archived,
    Suspended,
    Terminated,
}

public enum CaseTrigger
{
    StartIntake,
    ReturnForSupplement,
    Supplement,
    Accept,
    Confirm,
    StartExchange,
    ExchangeComplete,
    Review,
    Approve,
    IssueReport,
    Archive,
    Suspend,
    Resume,
    Withdraw,
    SupplementOverdue,
}
