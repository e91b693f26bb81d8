using Verification.Cases.Models;
using Verification.Cases.Services;

namespace Verification.Cms.Tests.Cases;

/// <summary>The case lifecycle state machine (issue: verification pipeline, item 2; ).</summary>
public sealed class CaseLifecycleTests
{
    private static VerificationCase NewCase() => new() { EntrustmentId = "e", ServiceItem = "aa" };

    [Fact]
    [Trait("Req", "R-2.3")]
    public void ACaseGoesFromReceiptToArchiveWithTheActorsOfEachStepRecorded()
    {
        var c = NewCase();
        CaseLifecycle.Fire(c, CaseTrigger.StartIntake, "qiantai");
        CaseLifecycle.Fire(c, CaseTrigger.ReturnForSupplement, "qiantai");
        CaseLifecycle.Fire(c, CaseTrigger.Supplement, "qiantai");
        CaseLifecycle.Fire(c, CaseTrigger.Accept, "qiantai");
        CaseLifecycle.Fire(c, CaseTrigger.Confirm, "houtai");
        CaseLifecycle.Fire(c, CaseTrigger.StartExchange, "houtai");
        CaseLifecycle.Fire(c, CaseTrigger.ExchangeComplete, "system");
        CaseLifecycle.Fire(c, CaseTrigger.Review, "houtai");
        CaseLifecycle.Fire(c, CaseTrigger.Approve, "ducha");
        CaseLifecycle.Fire(c, CaseTrigger.IssueReport, "houtai");
        CaseLifecycle.Fire(c, CaseTrigger.Archive, "houtai");
        Assert.Equal(CaseState.Archived, c.State);
        Assert.Equal(("qiantai", "houtai", "houtai", "ducha"), (c.AcceptedBy, c.ConfirmedBy, c.ReviewedBy, c.ApprovedBy));
    }

    [Fact]
    [Trait("Req", "R-2.3")]
    public void TheAcceptorCannotConfirmAndThePreparerCannotApprove()
    {
        var c = NewCase();
        CaseLifecycle.Fire(c, CaseTrigger.StartIntake, "a");
        CaseLifecycle.Fire(c, CaseTrigger.Accept, "a");
        var refused = Assert.Throws<CaseTransitionException>(() => CaseLifecycle.Fire(c, CaseTrigger.Confirm, "a"));
        Assert.Contains("accepted", refused.Message, StringComparison.Ordinal);
        Assert.Equal(CaseState.Accepted, c.State);
        CaseLifecycle.Fire(c, CaseTrigger.Confirm, "b");
        CaseLifecycle.Fire(c, CaseTrigger.StartExchange, "b");
        CaseLifecycle.Fire(c, CaseTrigger.ExchangeComplete, "b");
        CaseLifecycle.Fire(c, CaseTrigger.Review, "b");
        Assert.Throws<CaseTransitionException>(() => CaseLifecycle.Fire(c, CaseTrigger.Approve, "b"));
        CaseLifecycle.Fire(c, CaseTrigger.Approve, "c");
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    [Trait("Req", "R-8.2")]
    public void ASuspendedCaseResumesWhereItWasAndWithdrawalOrAnOverdueSupplementTerminates()
    {
        var c = NewCase();
        CaseLifecycle.Fire(c, CaseTrigger.StartIntake, "a");
        CaseLifecycle.Fire(c, CaseTrigger.Accept, "a");
        CaseLifecycle.Fire(c, CaseTrigger.Confirm, "b");
        CaseLifecycle.Fire(c, CaseTrigger.StartExchange, "b");
        CaseLifecycle.Fire(c, CaseTrigger.Suspend, "b");
        Assert.Equal((CaseState.Suspended, CaseState.Exchanging), (c.State, c.SuspendedFrom!.Value));
        CaseLifecycle.Fire(c, CaseTrigger.Resume, "b");
        Assert.Equal(CaseState.Exchanging, c.State);
        Assert.Null(c.SuspendedFrom);
        CaseLifecycle.Fire(c, CaseTrigger.Withdraw, "b");
        Assert.Equal(CaseState.Terminated, c.State);
        var refused = Assert.Throws<CaseTransitionException>(() => CaseLifecycle.Fire(c, CaseTrigger.Resume, "b"));
        Assert.Equal("state.Terminated", refused.Arguments[0]);

        var overdue = NewCase();
        CaseLifecycle.Fire(overdue, CaseTrigger.StartIntake, "a");
        CaseLifecycle.Fire(overdue, CaseTrigger.ReturnForSupplement, "a");
        CaseLifecycle.Fire(overdue, CaseTrigger.SupplementOverdue, "system");
        Assert.Equal(CaseState.Terminated, overdue.State);
        Assert.Throws<CaseTransitionException>(() => CaseLifecycle.Fire(NewCase(), CaseTrigger.Approve, "x"));
    }

    [Fact]
    public void TheDiagramShowsEveryState()
    {
        var dot = CaseLifecycle.Diagram();
        Assert.All(Enum.GetNames<CaseState>(), state => Assert.Contains(state, dot, StringComparison.Ordinal));
    }
}
