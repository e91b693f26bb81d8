using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Audit;
using Verification.Cms.Calendar;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Cms.Numbering;
using Verification.Cms.People;
using Verification.Cms.Settings;
using Verification.Cms.Workflows;

namespace Verification.Cases.Services;

/// <summary>The cases a bulk step moved, and those it did not fit with the reason.</summary>
public sealed record BulkTransition(IReadOnlyList<VerificationCase> Moved, IReadOnlyDictionary<string, CaseTransitionException> Refused);

public sealed record NewMember(string Name, string IdNumber, string Relation, bool CoResident = true, bool MaintenanceObligor = false);

/// <summary>Cases: created from an entrustment with their members, moved through the lifecycle (every step on the timeline and in the audit trail), and their members' authorizations.</summary>
public sealed class CaseService(TenantDbContext db, IWorkingDayCalendar calendar, ISerialNumberAllocator serials, AuthorizationNumbers authorizationNumbers, IAuditTrail audit, IWorkflowEvents workflows, TimeProvider time)
{
    /// <summary>Working days to complete a case .</summary>
    public const int WorkingDaysToComplete = 15;

    /// <summary>At most this many working days of extension .</summary>
    public const int MaxExtensionDays = 10;

    /// <summary>
    /// Creates the cases of an entrustment, one per household, in the caller's transaction when there is
    /// one (intake saves a whole roster or nothing). The households were checked by <see cref="Intake.IntakeCheck"/>.
    /// </summary>
    public async Task<IReadOnlyList<VerificationCase>> CreateAsync(Entrustment entrustment, IReadOnlyList<Intake.HouseholdDraft> households, string? user, string? orgUnit, CancellationToken cancellationToken, bool startIntake = false) =>
        (await CreateWithMembersAsync(entrustment, households, user, orgUnit, startIntake, cancellationToken)).Cases;

    /// <summary>The same, returning the members made too (intake attaches the authorizations that came with them).</summary>
    public async Task<(IReadOnlyList<VerificationCase> Cases, IReadOnlyList<CaseMember> Members)> CreateWithMembersAsync(
        Entrustment entrustment, IReadOnlyList<Intake.HouseholdDraft> households, string? user, string? orgUnit, bool startIntake, CancellationToken cancellationToken, IReadOnlyList<string?>? householdUnits = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var receivedOn = Today();
        var dueOn = await calendar.AddWorkingDaysAsync(receivedOn, WorkingDaysToComplete, cancellationToken);
        entrustment.ReceivedBy ??= user;
        entrustment.AcceptingOrgUnit ??= orgUnit;
        entrustment.HouseholdCount = households.Count;
        var created = new List<VerificationCase>(households.Count);
        var members = new List<CaseMember>();
        var events = new List<CaseEvent>();
        var serial = households.Count == 0 ? 0 : await serials.NextRangeAsync(CaseCounter(receivedOn.Year), households.Count, cancellationToken) - 1;
        foreach (var (household, index) in households.Select((h, i) => (h, i)))
        {
            serial++;
            var @case = new VerificationCase
            {
                EntrustmentId = entrustment.Id,
                Number = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{receivedOn.Year:D4}-{serial:D6}"),
                ServiceItem = entrustment.ServiceItem,
                ReceivedOn = receivedOn,
                DueOn = dueOn,
                OrgUnit = householdUnits?[index] ?? orgUnit,
                HeadName = household.HeadName,
                HeadIdNumber = household.HeadIdNumber,
                City = household.City,
                County = household.County,
                Street = household.Street,
                DeclaredJson = System.Text.Json.JsonSerializer.Serialize(household.Declared ?? new Dictionary<string, decimal>()),
            };
            if (startIntake)
            {
                // Received and put into intake review in one step: the timeline shows both.
                @case.State = CaseState.IntakeReview;
                events.Add(new CaseEvent { CaseId = @case.Id, Actor = user, From = CaseState.Received, To = CaseState.IntakeReview, Trigger = CaseTrigger.StartIntake, Note = entrustment.Channel, AtUtc = now });
            }

            members.AddRange(household.Members.Select(m => new CaseMember { CaseId = @case.Id, Name = m.Name, IdNumber = m.IdNumber, Relation = m.Relation, CoResident = m.CoResident, MaintenanceObligor = m.MaintenanceObligor }));
            created.Add(@case);
        }

        // A roster of ten thousand households is written with multi-row inserts, all or nothing.
        await using (var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            db.Add(entrustment);
            await db.SaveChangesAsync(cancellationToken);
            await BulkInsert.InsertAsync(db, created, cancellationToken);
            await BulkInsert.InsertAsync(db, members, cancellationToken);
            await BulkInsert.InsertAsync(db, events, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "entrustment.received", "entrustment", entrustment.Id, new Dictionary<string, string?> { ["item"] = entrustment.ServiceItem, ["households"] = households.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ["members"] = households.Sum(h => h.Members.Count).ToString(System.Globalization.CultureInfo.InvariantCulture), ["channel"] = entrustment.Channel, ["department"] = entrustment.Department }) { Actor = user }, cancellationToken);
        return (created, members);
    }

    /// <summary>One household at the counter (its own entrustment).</summary>
    public async Task<VerificationCase> CreateAsync(Entrustment entrustment, IReadOnlyList<NewMember> members, string? user, CancellationToken cancellationToken)
    {
        var head = members.FirstOrDefault(m => m.Relation == "01") ?? members[0];
        foreach (var member in members)
        {
            if (!CitizenIdNumber.TryParse(member.IdNumber, out _, out _))
            {
                throw new ArgumentException($"The ID number of {member.Name} is not valid (GB 11643).", nameof(members));
            }
        }

        return (await CreateAsync(entrustment, [new Intake.HouseholdDraft(head.Name, head.IdNumber, null, null, null, members, null)], user, null, cancellationToken))[0];
    }

    public static string CaseCounter(int year) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"case:{year:D4}");

    /// <summary>Moves the case (see <see cref="CaseLifecycle"/>); the transition is on the case's timeline and in the audit trail.</summary>
    public async Task<VerificationCase> FireAsync(string caseId, CaseTrigger trigger, string? user, string? note, CancellationToken cancellationToken)
    {
        var @case = await db.Set<VerificationCase>().FirstAsync(c => c.Id == caseId, cancellationToken);
        var from = @case.State;
        Transition(@case, trigger, user, note);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case." + trigger, "case", caseId, new Dictionary<string, string?> { ["from"] = from.ToString(), ["to"] = @case.State.ToString(), ["note"] = note }) { Actor = user }, cancellationToken);
        await workflows.RaiseAsync(StateChanged(@case, from, trigger, user), cancellationToken);
        return @case;
    }

    /// <summary>
    /// Moves many cases by one step at once (batches, R-12.1): each through the same lifecycle rules, written
    /// together, with one audit entry naming the cases. Cases the step does not fit are left as they were
    /// and returned with the reason. The cases are written with one conditional UPDATE per group that
    /// changed alike (a batch step: one group) and their timeline entries with one bulk insert — EF's one
    /// statement per row took most of a 10,000-household batch's time. The condition is the concurrency
    /// stamp each case was read with: a case changed meanwhile fails the whole step, nothing written.
    /// </summary>
    public async Task<BulkTransition> FireManyAsync(IReadOnlyCollection<string> caseIds, CaseTrigger trigger, string? user, string? note, CancellationToken cancellationToken)
    {
        var cases = await db.Set<VerificationCase>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var moved = new List<VerificationCase>(cases.Count);
        var from = cases.ToDictionary(c => c.Id, c => (c.State, c.ConcurrencyStamp));
        var refused = new Dictionary<string, CaseTransitionException>();
        var events = new List<CaseEvent>(cases.Count);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var @case in cases)
        {
            try
            {
                CaseLifecycle.Fire(@case, trigger, user);
                moved.Add(@case);
                events.Add(new CaseEvent { CaseId = @case.Id, Actor = user, From = from[@case.Id].State, To = @case.State, Trigger = trigger, Note = note, AtUtc = now });
            }
            catch (CaseTransitionException ex)
            {
                refused[@case.Id] = ex;
            }
        }

        if (moved.Count == 0)
        {
            return new BulkTransition(moved, refused);
        }

        var stamp = Guid.NewGuid().ToString("N");
        await using (var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            foreach (var group in moved.GroupBy(c => (c.State, c.AcceptedBy, c.ConfirmedBy, c.ReviewedBy, c.ApprovedBy, c.SuspendedFrom)))
            {
                var ids = group.Select(c => c.Id).ToList();
                var stamps = group.Select(c => from[c.Id].ConcurrencyStamp).Distinct().ToList();
                var (state, accepted, confirmed, reviewed, approved, suspendedFrom) = group.Key;
                var written = await db.Set<VerificationCase>().Where(c => ids.Contains(c.Id) && stamps.Contains(c.ConcurrencyStamp)).ExecuteUpdateAsync(u => u
                    .SetProperty(c => c.State, state).SetProperty(c => c.AcceptedBy, accepted).SetProperty(c => c.ConfirmedBy, confirmed).SetProperty(c => c.ReviewedBy, reviewed)
                    .SetProperty(c => c.ApprovedBy, approved).SetProperty(c => c.SuspendedFrom, suspendedFrom).SetProperty(c => c.ConcurrencyStamp, stamp), cancellationToken);
                if (written != ids.Count)
                {
                    throw new DbUpdateConcurrencyException("Cases changed while a step was being applied to them; nothing was changed.");
                }
            }

            await BulkInsert.InsertAsync(db, events, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        moved.ForEach(c => c.ConcurrencyStamp = stamp);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case." + trigger, "cases", null, new Dictionary<string, string?>
        {
            ["count"] = moved.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ["cases"] = string.Join(",", moved.Select(c => c.Number)), ["note"] = note,
        }) { Actor = user }, cancellationToken);
        await workflows.RaiseManyAsync(moved.Select(c => StateChanged(c, from[c.Id].State, trigger, user)).ToList(), cancellationToken);
        return new BulkTransition(moved, refused);
    }

    /// <summary>What workflows see of a transition (R-1.4: case state changed).</summary>
    public static WorkflowEvent StateChanged(VerificationCase @case, CaseState from, CaseTrigger trigger, string? user) =>
        new(WorkflowEventNames.CaseStateChanged, @case.Id, new Dictionary<string, string?>
        {
            ["from"] = from.ToString(),
            ["to"] = @case.State.ToString(),
            ["trigger"] = trigger.ToString(),
            ["serviceItem"] = @case.ServiceItem,
            ["orgUnit"] = @case.OrgUnit,
            ["number"] = @case.Number,
            ["actor"] = user,
        });

    private void Transition(VerificationCase @case, CaseTrigger trigger, string? user, string? note)
    {
        var from = @case.State;
        CaseLifecycle.Fire(@case, trigger, user);
        @case.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        db.Add(new CaseEvent { CaseId = @case.Id, Actor = user, From = from, To = @case.State, Trigger = trigger, Note = note, AtUtc = time.GetUtcNow().UtcDateTime });
    }

    /// <summary>Extends the deadline by up to 10 working days in all; the notice is the caller's to send.</summary>
    public async Task<VerificationCase> ExtendAsync(string caseId, int workingDays, string? user, CancellationToken cancellationToken)
    {
        var @case = await db.Set<VerificationCase>().FirstAsync(c => c.Id == caseId, cancellationToken);
        if (workingDays < 1 || @case.ExtensionDays + workingDays > MaxExtensionDays)
        {
            throw new CaseTransitionException("A case may be extended by at most {0} working days in all.", MaxExtensionDays);
        }

        @case.ExtensionDays += workingDays;
        @case.DueOn = await calendar.AddWorkingDaysAsync(@case.ReceivedOn, WorkingDaysToComplete + @case.ExtensionDays, cancellationToken);
        @case.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
        await workflows.RaiseAsync(new WorkflowEvent(WorkflowEventNames.CaseDatesChanged, caseId, new Dictionary<string, string?> { ["dueOn"] = @case.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.extended", "case", caseId, new Dictionary<string, string?> { ["days"] = workingDays.ToString(System.Globalization.CultureInfo.InvariantCulture), ["due"] = @case.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }) { Actor = user }, cancellationToken);
        return @case;
    }

    /// <summary>Records a member's signed authorization and gives it its number (R-3.3: per tenant, serial restarting each year).</summary>
    public async Task<MemberAuthorization> RecordAuthorizationAsync(string caseId, string memberId, string signedBy, string kind, DateOnly signedOn, DateOnly? validUntil, string? signerName, string? user, CancellationToken cancellationToken)
    {
        var member = await db.Set<CaseMember>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId && m.CaseId == caseId, cancellationToken)
            ?? throw new CaseTransitionException("The person is not a member of this case.");
        if (Intake.AuthorizationDates.Problem(signedOn, validUntil, Today()) is { } dates)
        {
            throw new CaseTransitionException(dates.Key, dates.Date);
        }

        var year = Today().Year;
        // Within the caller's transaction when there is one (intake saves households and their authorizations together).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var number = (await authorizationNumbers.NextAsync(year, 1, cancellationToken))[0];
        var authorization = new MemberAuthorization
        {
            CaseId = caseId, MemberId = member.Id, Number = number, SignedBy = signedBy, SignerName = signerName,
            Kind = kind, SignedOn = signedOn, ValidUntil = validUntil, RecordedBy = user,
        };
        db.Add(authorization);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "authorization.recorded", "authorization", authorization.Number, new Dictionary<string, string?> { ["case"] = caseId, ["member"] = memberId, ["signedBy"] = signedBy, ["kind"] = kind }) { Actor = user }, cancellationToken);
        return authorization;
    }

    public async Task RevokeAuthorizationAsync(string number, string? user, CancellationToken cancellationToken)
    {
        var authorization = await db.Set<MemberAuthorization>().FirstAsync(a => a.Number == number, cancellationToken);
        authorization.RevokedUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "authorization.revoked", "authorization", number) { Actor = user }, cancellationToken);
    }

    public DateOnly Today() => CmsTime.Today(time);
}
