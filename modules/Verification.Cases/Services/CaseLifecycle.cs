using Stateless;
using Verification.Cases.Models;

namespace Verification.Cases.Services;

/// <summary>Why a trigger may not be fired now (an English localization key and its arguments).</summary>
public sealed class CaseTransitionException(string message, params object[] arguments) : InvalidOperationException(message)
{
    public object[] Arguments { get; } = arguments;
}

/// <summary>
/// The case lifecycle as an explicit state machine (Stateless): received → intake review →
/// (returned for supplement ⇄ supplemented) → accepted → confirmed → exchanging → comparing →
/// reviewed → approved → report issued → archived; suspended (and resumed where it was) from the
/// working states; terminated when withdrawn or when a supplement is overdue. Segregation of duties
/// the acceptor cannot confirm, the preparer (reviewer) cannot approve.
/// </summary>
public static class CaseLifecycle
{
    private static readonly CaseState[] Working = [CaseState.Accepted, CaseState.Confirmed, CaseState.Exchanging, CaseState.Comparing, CaseState.Reviewed];

    /// <summary>The machine for one case and the acting user; firing changes the case's state (and the people recorded).</summary>
    public static StateMachine<CaseState, CaseTrigger> For(VerificationCase @case, string? user)
    {
        var machine = new StateMachine<CaseState, CaseTrigger>(() => @case.State, s => @case.State = s);
        machine.Configure(CaseState.Received)
            .Permit(CaseTrigger.StartIntake, CaseState.IntakeReview);
        machine.Configure(CaseState.IntakeReview)
            .Permit(CaseTrigger.ReturnForSupplement, CaseState.ReturnedForSupplement)
            .Permit(CaseTrigger.Accept, CaseState.Accepted)
            .OnExit(t => { if (t.Trigger == CaseTrigger.Accept) { @case.AcceptedBy = user; } });
        machine.Configure(CaseState.ReturnedForSupplement)
            .Permit(CaseTrigger.Supplement, CaseState.IntakeReview)
            .Permit(CaseTrigger.SupplementOverdue, CaseState.Terminated);
        machine.Configure(CaseState.Accepted)
            .PermitIf(CaseTrigger.Confirm, CaseState.Confirmed, () => user != @case.AcceptedBy, "acceptor-confirms")
            .OnExit(t => { if (t.Trigger == CaseTrigger.Confirm) { @case.ConfirmedBy = user; } });
        machine.Configure(CaseState.Confirmed)
            .Permit(CaseTrigger.StartExchange, CaseState.Exchanging);
        machine.Configure(CaseState.Exchanging)
            .Permit(CaseTrigger.ExchangeComplete, CaseState.Comparing);
        machine.Configure(CaseState.Comparing)
            .Permit(CaseTrigger.Review, CaseState.Reviewed)
            .OnExit(t => { if (t.Trigger == CaseTrigger.Review) { @case.ReviewedBy = user; } });
        machine.Configure(CaseState.Reviewed)
            .PermitIf(CaseTrigger.Approve, CaseState.Approved, () => user != @case.ReviewedBy, "preparer-approves")
            .OnExit(t => { if (t.Trigger == CaseTrigger.Approve) { @case.ApprovedBy = user; } });
        machine.Configure(CaseState.Approved)
            .Permit(CaseTrigger.IssueReport, CaseState.ReportIssued);
        machine.Configure(CaseState.ReportIssued)
            .Permit(CaseTrigger.Archive, CaseState.Archived);
        foreach (var state in Working)
        {
            machine.Configure(state)
                .Permit(CaseTrigger.Suspend, CaseState.Suspended)
                .OnExit(t => { if (t.Trigger == CaseTrigger.Suspend) { @case.SuspendedFrom = state; } });
        }

        machine.Configure(CaseState.Suspended)
            .PermitDynamic(CaseTrigger.Resume, () => @case.SuspendedFrom ?? CaseState.Accepted)
            .OnExit(() => @case.SuspendedFrom = null);
        foreach (var state in Enum.GetValues<CaseState>().Where(s => s is not (CaseState.ReportIssued or CaseState.Archived or CaseState.Terminated)))
        {
            machine.Configure(state).Permit(CaseTrigger.Withdraw, CaseState.Terminated);
        }

        return machine;
    }

    /// <summary>Fires a trigger or explains, in the user's terms, why it cannot be fired now.</summary>
    public static void Fire(VerificationCase @case, CaseTrigger trigger, string? user)
    {
        var machine = For(@case, user);
        if (machine.CanFire(trigger, out var unmet))
        {
            machine.Fire(trigger);
            return;
        }

        var reason = unmet?.FirstOrDefault();
        throw reason switch
        {
            "acceptor-confirms" => new CaseTransitionException("The person who accepted the case cannot also confirm it (R-2.3)."),
            "preparer-approves" => new CaseTransitionException("The person who prepared the review cannot also approve it (R-2.3)."),
            _ => new CaseTransitionException("This step is not possible while the case is {0}.", "state." + @case.State),
        };
    }

    /// <summary>The lifecycle as a DOT graph, for the diagram in the UI and the docs.</summary>
    public static string Diagram() => Stateless.Graph.UmlDotGraph.Format(For(new VerificationCase { EntrustmentId = "-", ServiceItem = "aa", HeadName = "-", HeadIdNumber = "-" }, "x").GetInfo());
}
