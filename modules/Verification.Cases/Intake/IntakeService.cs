using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Numbering;
using Verification.Cms.Settings;
using Verification.Cms.Workflows;

namespace Verification.Cases.Intake;

/// <param name="Repeated">The API received the same idempotency key and body again: the first answer is returned, nothing is created.</param>
public sealed record IntakeResult(Entrustment? Entrustment, IReadOnlyList<VerificationCase> Cases, IReadOnlyList<IntakeProblem> Problems, bool Repeated = false)
{
    public bool Accepted => Entrustment is not null && Problems.Count == 0;
}

/// <summary>
/// Receives an entrustment from any channel (R-3.1: API push, Excel roster, counter entry): checks it
/// (<see cref="IntakeCheck"/>), then saves the entrustment, one case per household in intake review,
/// and the authorizations that came with it — all in one transaction, so a roster is imported whole
/// or not at all. The receiving unit is recorded as responsible ("谁受理谁负责", R-4.4).
/// </summary>
public sealed class IntakeService(TenantDbContext db, CaseService cases, PipelineSettings pipeline, AuthorizationNumbers authorizationNumbers, CasePlacement placement, IWorkflowEvents workflows)
{
    /// <summary>Every problem of the intake review, without saving anything.</summary>
    public async Task<List<IntakeProblem>> CheckAsync(string serviceItem, IReadOnlyList<(int? Row, HouseholdDraft Household)> households, bool authorizationsRequired, CancellationToken cancellationToken)
    {
        var profile = await pipeline.GetAsync(cancellationToken);
        var problems = IntakeCheck.Check(serviceItem, pipeline.ServiceItemCodes(profile), households, authorizationsRequired, cases.Today());
        problems.AddRange(await UsedNumbersAsync(households, cancellationToken));
        return problems;
    }

    public async Task<IntakeResult> ReceiveAsync(Entrustment entrustment, IReadOnlyList<(int? Row, HouseholdDraft Household)> households, bool authorizationsRequired, string? user, string? orgUnit, CancellationToken cancellationToken)
    {
        var problems = await CheckAsync(entrustment.ServiceItem, households, authorizationsRequired, cancellationToken);
        var (units, unplaced) = await placement.PlaceAsync(orgUnit, households, cancellationToken);
        problems.AddRange(unplaced);
        if (problems.Count > 0)
        {
            return new IntakeResult(null, [], problems);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var created = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (made, members) = await cases.CreateWithMembersAsync(entrustment, households.Select(h => h.Household).ToList(), user, orgUnit, startIntake: true, cancellationToken, units);
            await AddAuthorizationsAsync(made, members, households.Select(h => h.Household).ToList(), user, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return made;
        });
        db.ChangeTracker.Clear();
        await workflows.RaiseAsync(new WorkflowEvent(WorkflowEventNames.EntrustmentReceived, entrustment.Id, new Dictionary<string, string?>
        {
            ["serviceItem"] = entrustment.ServiceItem,
            ["department"] = entrustment.Department,
            ["channel"] = entrustment.Channel,
            ["households"] = created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }), cancellationToken);
        return new IntakeResult(entrustment, created, []);
    }

    /// <summary>Authorizations that came with the households: numbered now when electronic, kept with their number when on paper .</summary>
    private async Task AddAuthorizationsAsync(IReadOnlyList<VerificationCase> made, IReadOnlyList<CaseMember> created, IReadOnlyList<HouseholdDraft> households, string? user, CancellationToken cancellationToken)
    {
        var today = cases.Today();
        var membersByCase = created.ToLookup(m => m.CaseId);
        var authorizations = new List<MemberAuthorization>();
        var unnumbered = households.Take(made.Count).Sum(h => (h.Authorizations ?? []).Count(a => a.Number is null));
        var fresh = new Queue<string>(unnumbered == 0 ? [] : await authorizationNumbers.NextAsync(today.Year, unnumbered, cancellationToken));
        for (var i = 0; i < made.Count; i++)
        {
            var drafts = households[i].Authorizations ?? [];
            if (drafts.Count == 0)
            {
                continue;
            }

            var members = membersByCase[made[i].Id].ToList();
            foreach (var draft in drafts)
            {
                var member = members.First(m => IntakeCheck.Normalize(m.IdNumber) == IntakeCheck.Normalize(draft.IdNumber));
                var number = draft.Number ?? fresh.Dequeue();

                authorizations.Add(new MemberAuthorization
                {
                    CaseId = made[i].Id, MemberId = member.Id, Number = number, SignedBy = draft.SignedBy, SignerName = draft.SignerName, Kind = draft.Kind,
                    SignedOn = draft.SignedOn == default ? today : draft.SignedOn, ValidUntil = draft.ValidUntil, RecordedBy = user,
                });
            }
        }

        await BulkInsert.InsertAsync(db, authorizations, cancellationToken);
    }

    /// <summary>
    /// A paper authorization number may be recorded once in a tenant; one in the centre's own numbering must
    /// be one the centre issued — an unissued one would later collide with the centre's own numbers.
    /// </summary>
    private async Task<List<IntakeProblem>> UsedNumbersAsync(IReadOnlyList<(int? Row, HouseholdDraft Household)> households, CancellationToken cancellationToken)
    {
        var given = households.SelectMany(h => (h.Household.Authorizations ?? []).Where(a => a.Number is not null).Select(a => (h.Row, Number: a.Number!))).ToList();
        var problems = new List<IntakeProblem>();
        var division = given.Count == 0 ? null : await authorizationNumbers.DivisionAsync(cancellationToken);
        foreach (var chunk in given.Chunk(500))
        {
            var numbers = chunk.Select(g => g.Number).ToList();
            var used = await db.Set<MemberAuthorization>().AsNoTracking().Where(a => numbers.Contains(a.Number)).Select(a => a.Number).ToListAsync(cancellationToken);
            problems.AddRange(chunk.Where(g => used.Contains(g.Number)).Select(g => new IntakeProblem(g.Row, "authorization", RejectionGrounds.Inconsistent, "The authorization number {0} has already been recorded.", g.Number)));
            problems.AddRange(chunk.Where(g => !used.Contains(g.Number) && AuthorizationNumbers.IsOwn(g.Number, division!))
                .Select(g => new IntakeProblem(g.Row, "authorization", RejectionGrounds.Inconsistent, "The authorization number {0} is in this centre's own numbering, but the centre never issued it.", g.Number)));
        }

        return problems;
    }
}
