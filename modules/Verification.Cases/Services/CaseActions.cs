using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Notices;
using Verification.Cases.Reports;
using Verification.Cms.Calendar;
using Verification.Cms.Data;

namespace Verification.Cases.Services;

/// <summary>
/// The steps people take on a case, each with what must go with it: a supplement notice and due date
/// when returned, a termination notice when withdrawn or overdue, a suspension notice
/// at once (within 3 working days, R-8.2), an extension notice, the exchange started on
/// confirmation (G 8.1.4), an opinion with each review level, the report when issued.
/// Who may take a step is <see cref="CaseAccess"/>'s question, asked by the callers.
/// </summary>
public sealed class CaseActions(
    TenantDbContext db, CaseService cases, CaseExchange exchange, AuthorizationGate gate, NoticeService notices, ReportIssuer reports, PipelineSettings pipeline, IWorkingDayCalendar calendar)
{
    public Task StartIntakeAsync(string caseId, string? user, CancellationToken cancellationToken) => cases.FireAsync(caseId, CaseTrigger.StartIntake, user, null, cancellationToken);

    /// <summary>Accepts after intake review; every member must hold an authorization (R-3.2, H 8.2.3 "未经核对对象本人授权").</summary>
    public async Task AcceptAsync(string caseId, string? user, CancellationToken cancellationToken)
    {
        if ((await AcceptManyAsync([caseId], user, cancellationToken)).Refused.TryGetValue(caseId, out var refusal))
        {
            throw refusal;
        }
    }

    /// <summary>Accepts many cases at once; those with a member lacking an authorization stay in intake review, with the reason.</summary>
    public async Task<BulkTransition> AcceptManyAsync(IReadOnlyCollection<string> caseIds, string? user, CancellationToken cancellationToken)
    {
        var unauthorized = (await db.Set<CaseMember>().AsNoTracking()
                .Where(m => caseIds.Contains(m.CaseId) && !db.Set<MemberAuthorization>().Any(a => a.CaseId == m.CaseId && a.MemberId == m.Id && a.RevokedUtc == null))
                .Select(m => new { m.CaseId, m.Name }).ToListAsync(cancellationToken))
            .GroupBy(m => m.CaseId).ToDictionary(g => g.Key, g => new CaseTransitionException("No authorization is recorded for: {0}.", string.Join("、", g.Select(m => m.Name))));
        var result = await cases.FireManyAsync(caseIds.Where(id => !unauthorized.ContainsKey(id)).ToList(), CaseTrigger.Accept, user, null, cancellationToken);
        return new BulkTransition(result.Moved, result.Refused.Concat(unauthorized).ToDictionary());
    }

    /// <summary>Confirms and at once asks the providers (提请信息交换); members without a valid authorization are never queried.</summary>
    public async Task<ExchangeStart> ConfirmAsync(string caseId, string? user, CancellationToken cancellationToken)
    {
        if ((await gate.WithoutAnyAuthorizationAsync([caseId], cases.Today(), cancellationToken)).Count > 0)
        {
            throw new CaseTransitionException(NoAuthorization);
        }

        await cases.FireAsync(caseId, CaseTrigger.Confirm, user, null, cancellationToken);
        db.ChangeTracker.Clear();
        return await exchange.StartAsync(caseId, user, cancellationToken);
    }

    public async Task<BulkTransition> ConfirmManyAsync(IReadOnlyCollection<string> caseIds, string? user, CancellationToken cancellationToken)
    {
        // A case whose members hold no valid authorization would be confirmed and then wait forever.
        var blocked = await gate.WithoutAnyAuthorizationAsync(caseIds, cases.Today(), cancellationToken);
        var result = await cases.FireManyAsync(caseIds.Where(id => !blocked.Contains(id)).ToList(), CaseTrigger.Confirm, user, null, cancellationToken);
        if (blocked.Count > 0)
        {
            result = result with { Refused = result.Refused.Concat(blocked.Select(id => KeyValuePair.Create(id, new CaseTransitionException(NoAuthorization)))).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) };
        }

        db.ChangeTracker.Clear();
        if (result.Moved.Count > 0)
        {
            await exchange.StartManyAsync(result.Moved.Select(c => c.Id).ToList(), user, cancellationToken);
        }

        return result;
    }

    public async Task ReturnForSupplementAsync(string caseId, string reason, string? user, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        var profile = await pipeline.GetAsync(cancellationToken);
        var due = await calendar.AddWorkingDaysAsync(cases.Today(), profile.SupplementWorkingDays, cancellationToken);
        // The due date is saved with the transition, so whoever reacts to it (a workflow's timer) sees it.
        var tracked = await db.Set<VerificationCase>().FirstAsync(c => c.Id == caseId, cancellationToken);
        tracked.SupplementDueOn = due;
        try
        {
            await cases.FireAsync(caseId, CaseTrigger.ReturnForSupplement, user, reason, cancellationToken);
        }
        catch (CaseTransitionException)
        {
            await db.Entry(tracked).ReloadAsync(cancellationToken);
            throw;
        }

        await notices.IssueAsync(caseId, NoticeKinds.Supplement, reason, due, user, cancellationToken);
    }

    public async Task SupplementAsync(string caseId, string? note, string? user, CancellationToken cancellationToken)
    {
        var @case = await cases.FireAsync(caseId, CaseTrigger.Supplement, user, note, cancellationToken);
        @case.SupplementDueOn = null;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SuspendAsync(string caseId, string reason, string? user, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        await cases.FireAsync(caseId, CaseTrigger.Suspend, user, reason, cancellationToken);
        await notices.IssueAsync(caseId, NoticeKinds.Suspension, reason, null, user, cancellationToken);
    }

    public Task ResumeAsync(string caseId, string? user, CancellationToken cancellationToken) => cases.FireAsync(caseId, CaseTrigger.Resume, user, null, cancellationToken);

    public async Task ExtendAsync(string caseId, int workingDays, string reason, string? user, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        await cases.ExtendAsync(caseId, workingDays, user, cancellationToken);
        await notices.IssueAsync(caseId, NoticeKinds.Extension, reason, null, user, cancellationToken);
    }

    /// <summary>The department withdrew (撤销核对需求通知书): terminated with a notice.</summary>
    public async Task WithdrawAsync(string caseId, string reason, string? user, CancellationToken cancellationToken)
    {
        RequireReason(reason);
        await cases.FireAsync(caseId, CaseTrigger.Withdraw, user, reason, cancellationToken);
        await notices.IssueAsync(caseId, NoticeKinds.Termination, reason, null, user, cancellationToken);
    }

    public async Task OpinionAsync(string caseId, CaseTrigger stage, string opinion, string? user, CancellationToken cancellationToken)
    {
        RequireReason(opinion);
        await cases.FireAsync(caseId, stage, user, null, cancellationToken);
        db.Add(new CaseOpinion { CaseId = caseId, Stage = stage, Text = opinion.Trim(), By = user });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The same opinion at one review level for many cases (a batch).</summary>
    public async Task<BulkTransition> OpinionManyAsync(IReadOnlyCollection<string> caseIds, CaseTrigger stage, string opinion, string? user, CancellationToken cancellationToken)
    {
        RequireReason(opinion);
        var result = await cases.FireManyAsync(caseIds, stage, user, null, cancellationToken);
        db.AddRange(result.Moved.Select(c => new CaseOpinion { CaseId = c.Id, Stage = stage, Text = opinion.Trim(), By = user }));
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    public Task<VerificationReport> IssueReportAsync(string caseId, string? user, CancellationToken cancellationToken) => reports.IssueAsync(caseId, user, cancellationToken);

    public Task ArchiveAsync(string caseId, string? user, CancellationToken cancellationToken) => cases.FireAsync(caseId, CaseTrigger.Archive, user, null, cancellationToken);

    /// <summary>Terminates cases whose supplement is overdue (G 8.1.9.2 b), each with its notice; returns how many.</summary>
    public async Task<int> TerminateOverdueSupplementsAsync(CancellationToken cancellationToken)
    {
        var today = cases.Today();
        var overdue = await db.Set<VerificationCase>().AsNoTracking()
            .Where(c => c.State == CaseState.ReturnedForSupplement && c.SupplementDueOn != null && c.SupplementDueOn < today)
            .Select(c => c.Id).Take(200).ToListAsync(cancellationToken);
        foreach (var id in overdue)
        {
            await TerminateOverdueSupplementAsync(id, null, cancellationToken);
        }

        return overdue.Count;
    }

    /// <summary>Terminates one case whose supplement is overdue, with its 终止核对通知书 (G 8.1.9.2 b).</summary>
    public async Task TerminateOverdueSupplementAsync(string caseId, string? user, CancellationToken cancellationToken)
    {
        // Whoever asks (the coded rule, a workflow), only once the period has run out.
        var due = await db.Set<VerificationCase>().AsNoTracking().Where(c => c.Id == caseId).Select(c => c.SupplementDueOn).FirstOrDefaultAsync(cancellationToken);
        if (due is { } until && until >= cases.Today())
        {
            throw new CaseTransitionException("The supplement period runs until {0}; the case cannot be terminated for it before then.", until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        await cases.FireAsync(caseId, CaseTrigger.SupplementOverdue, user, "逾期未补正资料", cancellationToken);
        db.ChangeTracker.Clear();
        await notices.IssueAsync(caseId, NoticeKinds.Termination, "你单位收到《补正资料通知书》后逾期未补正资料", null, user, cancellationToken);
    }

    private const string NoAuthorization = "No member of this case holds a valid authorization today (missing, expired or revoked): record one before confirming.";

    private static void RequireReason(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CaseTransitionException("Please give a reason.");
        }
    }
}
