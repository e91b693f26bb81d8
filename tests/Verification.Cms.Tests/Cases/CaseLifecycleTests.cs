using Verification.Cases.Models;
using Verification.Cases.Services;

namespace Verification.Cms.Tests.Cases;

/// <summary>The case lifecycle state machine (issue: verification pipeline, item 2; ).</summary>
public sealed class CaseLifecycleTests
{
    private static VerificationCase NewCase() => new() { EntrustmentId = "e", ServiceItem = "aa", HeadName = "张三", HeadIdNumber = "-" };

    private static void Run(VerificationCase c, params (CaseTrigger Trigger, string User)[] steps)
    {
        foreach (var (trigger, user) in steps)
        {
            CaseLifecycle.Fire(c, trigger, user);
        }
    }

    [Fact]
    [Trait("Req", "R-2.3")]
    public void ACaseGoesFromReceiptToArchiveWithTheActorsOfEachStepRecorded()
    {
        var c = NewCase();
        Run(c, (CaseTrigger.StartIntake, "qiantai"), (CaseTrigger.ReturnForSupplement, "qiantai"), (CaseTrigger.Supplement, "qiantai"), (CaseTrigger.Accept, "qiantai"),
            (CaseTrigger.Confirm, "houtai"), (CaseTrigger.StartExchange, "houtai"), (CaseTrigger.ExchangeComplete, "system"), (CaseTrigger.Review, "houtai"),
            (CaseTrigger.Approve, "ducha"), (CaseTrigger.IssueReport, "houtai"), (CaseTrigger.Archive, "houtai"));
        Assert.Equal(CaseState.Archived, c.State);
        Assert.Equal(("qiantai", "houtai", "houtai", "ducha"), (c.AcceptedBy, c.ConfirmedBy, c.ReviewedBy, c.ApprovedBy));
    }

    [Fact]
    [Trait("Req", "R-2.3")]
    public void TheAcceptorCannotConfirmAndThePreparerCannotApprove()
    {
        var c = NewCase();
        Run(c, (CaseTrigger.StartIntake, "a"), (CaseTrigger.Accept, "a"));
        var refused = Assert.Throws<CaseTransitionException>(() => CaseLifecycle.Fire(c, CaseTrigger.Confirm, "a"));
        Assert.Contains("accepted", refused.Message, StringComparison.Ordinal);
        Assert.Equal(CaseState.Accepted, c.State);
        Run(c, (CaseTrigger.Confirm, "b"), (CaseTrigger.StartExchange, "b"), (CaseTrigger.ExchangeComplete, "b"), (CaseTrigger.Review, "b"));
        Assert.Throws<CaseTransitionException>(() => CaseLifecycle.Fire(c, CaseTrigger.Approve, "b"));
        CaseLifecycle.Fire(c, CaseTrigger.Approve, "c");
        Assert.Equal(CaseState.Approved, c.State);
    }

    [Fact]
    [Trait("Req", "R-8.2")]
    public void ASuspendedCaseResumesWhereItWasAndWithdrawalOrAnOverdueSupplementTerminates()
    {
        var c = NewCase();
        Run(c, (CaseTrigger.StartIntake, "a"), (CaseTrigger.Accept, "a"), (CaseTrigger.Confirm, "b"), (CaseTrigger.StartExchange, "b"), (CaseTrigger.Suspend, "b"));
        Assert.Equal((CaseState.Suspended, CaseState.Exchanging), (c.State, c.SuspendedFrom!.Value));
        CaseLifecycle.Fire(c, CaseTrigger.Resume, "b");
        Assert.Equal(CaseState.Exchanging, c.State);
        Assert.Null(c.SuspendedFrom);
        CaseLifecycle.Fire(c, CaseTrigger.Withdraw, "b");
        Assert.Equal(CaseState.Terminated, c.State);
        var refused = Assert.Throws<CaseTransitionException>(() => CaseLifecycle.Fire(c, CaseTrigger.Resume, "b"));
        Assert.Equal("state.Terminated", refused.Arguments[0]);

        var overdue = NewCase();
        Run(overdue, (CaseTrigger.StartIntake, "a"), (CaseTrigger.ReturnForSupplement, "a"), (CaseTrigger.SupplementOverdue, "system"));
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
