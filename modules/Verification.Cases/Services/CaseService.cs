using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cms.Audit;
using Verification.Cms.Calendar;
using Verification.Cms.Data;
using Verification.Cms.Localization;
using Verification.Cms.Numbering;
using Verification.Cms.People;
using Verification.Cms.Settings;

namespace Verification.Cases.Services;

public sealed record NewMember(string Name, string IdNumber, string Relation, bool CoResident = true, bool MaintenanceObligor = false);

/// <summary>Cases: created from an entrustment with their members, moved through the lifecycle (every step on the timeline and in the audit trail), and their members' authorizations.</summary>
public sealed class CaseService(TenantDbContext db, IWorkingDayCalendar calendar, ISerialNumberAllocator serials, SiteSettingsService site, IAuditTrail audit, TimeProvider time)
{
    /// <summary>Working days to complete a case .</summary>
    public const int WorkingDaysToComplete = 15;

    /// <summary>At most this many working days of extension .</summary>
    public const int MaxExtensionDays = 10;

    public async Task<VerificationCase> CreateAsync(Entrustment entrustment, IReadOnlyList<NewMember> members, string? user, CancellationToken cancellationToken)
    {
        foreach (var member in members)
        {
            if (!CitizenIdNumber.TryParse(member.IdNumber, out _, out _))
            {
                throw new ArgumentException($"The ID number of {member.Name} is not valid (GB 11643).", nameof(members));
            }
        }

        var receivedOn = Today();
        var @case = new VerificationCase
        {
            EntrustmentId = entrustment.Id,
            ServiceItem = entrustment.ServiceItem,
            ReceivedOn = receivedOn,
            DueOn = await calendar.AddWorkingDaysAsync(receivedOn, WorkingDaysToComplete, cancellationToken),
        };
        entrustment.ReceivedBy ??= user;
        db.Add(entrustment);
        db.Add(@case);
        db.AddRange(members.Select(m => new CaseMember { CaseId = @case.Id, Name = m.Name, IdNumber = m.IdNumber, Relation = m.Relation, CoResident = m.CoResident, MaintenanceObligor = m.MaintenanceObligor }));
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.received", "case", @case.Id, new Dictionary<string, string?> { ["item"] = @case.ServiceItem, ["members"] = members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ["channel"] = entrustment.Channel }) { Actor = user }, cancellationToken);
        return @case;
    }

    /// <summary>Moves the case (see <see cref="CaseLifecycle"/>); the transition is on the case's timeline and in the audit trail.</summary>
    public async Task<VerificationCase> FireAsync(string caseId, CaseTrigger trigger, string? user, string? note, CancellationToken cancellationToken)
    {
        var @case = await db.Set<VerificationCase>().FirstAsync(c => c.Id == caseId, cancellationToken);
        var from = @case.State;
        CaseLifecycle.Fire(@case, trigger, user);
        @case.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        db.Add(new CaseEvent { CaseId = caseId, Actor = user, From = from, To = @case.State, Trigger = trigger, Note = note, AtUtc = time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case." + trigger, "case", caseId, new Dictionary<string, string?> { ["from"] = from.ToString(), ["to"] = @case.State.ToString(), ["note"] = note }) { Actor = user }, cancellationToken);
        return @case;
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
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "case.extended", "case", caseId, new Dictionary<string, string?> { ["days"] = workingDays.ToString(System.Globalization.CultureInfo.InvariantCulture), ["due"] = @case.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }) { Actor = user }, cancellationToken);
        return @case;
    }

    /// <summary>Records a member's signed authorization and gives it its number (R-3.3: per tenant, serial restarting each year).</summary>
    public async Task<MemberAuthorization> RecordAuthorizationAsync(string caseId, string memberId, string signedBy, string kind, DateOnly signedOn, DateOnly? validUntil, string? signerName, string? user, CancellationToken cancellationToken)
    {
        var member = await db.Set<CaseMember>().AsNoTracking().FirstAsync(m => m.Id == memberId && m.CaseId == caseId, cancellationToken);
        var division = (await site.GetAsync(cancellationToken)).DivisionCode ?? throw new InvalidOperationException("The centre has no division code.");
        var year = Today().Year;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var serial = await serials.NextAsync(DocumentNumbers.AuthorizationCounter(year), cancellationToken);
        var authorization = new MemberAuthorization
        {
            CaseId = caseId, MemberId = member.Id, Number = DocumentNumbers.Authorization(division, year, serial), SignedBy = signedBy, SignerName = signerName,
            Kind = kind, SignedOn = signedOn, ValidUntil = validUntil, RecordedBy = user,
        };
        db.Add(authorization);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
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
