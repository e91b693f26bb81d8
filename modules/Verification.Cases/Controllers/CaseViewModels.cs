using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Exchange.Models;
using Verification.OrgUnits.Models;

namespace Verification.Cases.Controllers;

public static class CaseQueries
{
    /// <summary>States in which the 15-working-day clock runs .</summary>
    public static readonly CaseState[] Open =
    [
        CaseState.Received, CaseState.IntakeReview, CaseState.ReturnedForSupplement, CaseState.Accepted, CaseState.Confirmed, CaseState.Exchanging,
        CaseState.Comparing, CaseState.Reviewed, CaseState.Approved, CaseState.Suspended,
    ];

    /// <summary>Findings are saved from comparing on; before that they are computed from the answers so far.</summary>
    public static bool Settled(CaseState state) => state is CaseState.Comparing or CaseState.Reviewed or CaseState.Approved or CaseState.ReportIssued or CaseState.Archived;

    /// <summary>"overdue", "soon" (within 3 working days) or "ok" for an open case; null when closed.</summary>
    public static string? Risk(VerificationCase c, DateOnly today, DateOnly soon) =>
        !Open.Contains(c.State) ? null : c.DueOn < today ? "overdue" : c.DueOn <= soon ? "soon" : "ok";
}

public sealed class CaseFilter
{
    public CaseState? State { get; set; }

    public string? Item { get; set; }

    public string? Unit { get; set; }

    public string? Risk { get; set; }

    public string? Q { get; set; }

    public int Page { get; set; } = 1;
}

public sealed record CaseListViewModel(
    CaseFilter Filter, IReadOnlyList<VerificationCase> Cases, int Total, int Page, IReadOnlyDictionary<CaseState, int> ByState,
    IReadOnlyList<OrgUnit> Units, IReadOnlyList<SavedCaseView> Views, DateOnly Today, DateOnly Soon, PipelineProfile Profile);

public sealed record NewCaseViewModel(string Declaration, string? ServiceItem, HouseholdDraft Household, IReadOnlyList<Department> Departments, string? Purpose, IReadOnlyList<IntakeProblem> Problems);

public sealed record CaseViewModel(
    VerificationCase Case, Entrustment Entrustment, IReadOnlyList<CaseMember> Members, IReadOnlyList<MemberAuthorization> Authorizations,
    IReadOnlyList<ProviderQuery> Queries, IReadOnlyList<Finding> Findings, IReadOnlyList<CaseOpinion> Opinions, IReadOnlyList<CaseNotice> Notices,
    IReadOnlyList<CaseDocument> Documents, IReadOnlyList<CaseEvent> Events, string? ReportNumber, CaseActor Actor, PipelineProfile Profile,
    DateOnly Today, DateOnly Soon, IReadOnlyList<Department> Departments)
{
    public string DepartmentName => Departments.FirstOrDefault(d => d.Code == Entrustment.Department)?.Name ?? Entrustment.Department;

    /// <summary>Tasks and workflows running for the case (from the workflows feature, when enabled).</summary>
    public IReadOnlyList<Verification.Cms.Workflows.CaseWorkItem> WorkItems { get; init; } = [];

    /// <summary>The steps the machine allows now and the actor's post and level permit.</summary>
    public IEnumerable<CaseTrigger> AvailableSteps()
    {
        var machine = CaseLifecycle.For(new VerificationCase
        {
            Id = Case.Id, EntrustmentId = Case.EntrustmentId, ServiceItem = Case.ServiceItem, HeadName = Case.HeadName, HeadIdNumber = Case.HeadIdNumber,
            State = Case.State, AcceptedBy = Case.AcceptedBy, ReviewedBy = Case.ReviewedBy, SuspendedFrom = Case.SuspendedFrom,
        }, Actor.UserName);
        return Enum.GetValues<CaseTrigger>().Where(t => machine.CanFire(t))
            .Where(t => t is not (CaseTrigger.StartExchange or CaseTrigger.ExchangeComplete or CaseTrigger.SupplementOverdue))
            .Where(t => CaseAccess.Refusal(Actor, Case, t, Profile) is null)
            .Distinct();
    }
}
