using Microsoft.EntityFrameworkCore;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Audit;
using Verification.Cms.Data;

namespace Verification.Cases.Batches;

/// <summary>
/// Applies one step to every case of an entrustment in the background (R-12.1: the yearly centralized
/// check of thousands of households). A job only records what was asked and counts; which cases are
/// left is read from their states each round, so after a restart the job goes on where it stopped and
/// no case is moved twice.
/// </summary>
public sealed class BatchService(TenantDbContext db, CaseActions actions, IAuditTrail audit)
{
    /// <summary>The steps a batch can take, and the state a case must be in for it.</summary>
    public static readonly IReadOnlyDictionary<CaseTrigger, CaseState> Steps = new Dictionary<CaseTrigger, CaseState>
    {
        [CaseTrigger.Accept] = CaseState.IntakeReview,
        [CaseTrigger.Confirm] = CaseState.Accepted,
        [CaseTrigger.Review] = CaseState.Comparing,
        [CaseTrigger.Approve] = CaseState.Reviewed,
        [CaseTrigger.IssueReport] = CaseState.Approved,
        [CaseTrigger.Archive] = CaseState.ReportIssued,
    };

    public const string BatchOpinion = "经集中核对比对，未发现需另行说明的情况，详见各项核对结果。";

    public async Task<BatchJob> StartAsync(string entrustmentId, CaseTrigger trigger, string? user, CancellationToken cancellationToken)
    {
        var from = Steps[trigger];
        var total = await db.Set<VerificationCase>().CountAsync(c => c.EntrustmentId == entrustmentId && c.State == from, cancellationToken);
        var job = new BatchJob { EntrustmentId = entrustmentId, Trigger = trigger, RequestedBy = user, Total = total };
        db.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "batch.started", "entrustment", entrustmentId, new Dictionary<string, string?> { ["step"] = trigger.ToString(), ["cases"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture) }) { Actor = user }, cancellationToken);
        return job;
    }

    /// <summary>Moves up to <paramref name="max"/> cases of running jobs; returns how many were moved.</summary>
    public async Task<int> RunAsync(int max, CancellationToken cancellationToken)
    {
        var moved = 0;
        var jobs = await db.Set<BatchJob>().AsNoTracking().Where(j => j.State == BatchStates.Running).OrderBy(j => j.CreatedUtc).ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            var from = Steps[job.Trigger];
            var ids = await db.Set<VerificationCase>().AsNoTracking().Where(c => c.EntrustmentId == job.EntrustmentId && c.State == from)
                .OrderBy(c => c.Number).Select(c => c.Id).Take(max - moved).ToListAsync(cancellationToken);
            var failed = 0;
            string? lastError = null;
            foreach (var id in ids)
            {
                try
                {
                    await StepAsync(id, job, cancellationToken);
                }
                catch (CaseTransitionException ex)
                {
                    // Left in its state for a person to look at (e.g. the requester accepted it and may not confirm it).
                    failed++;
                    lastError = ex.Message;
                }

                db.ChangeTracker.Clear();
            }

            moved += ids.Count - failed;
            var remaining = await db.Set<VerificationCase>().CountAsync(c => c.EntrustmentId == job.EntrustmentId && c.State == from, cancellationToken);
            // Finished when nothing is left, or when everything left refuses the step (it waits for a person).
            var done = remaining == 0 || ids.Count == failed;
            await db.Set<BatchJob>().Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Done, j => j.Total - remaining < 0 ? 0 : j.Total - remaining)
                .SetProperty(j => j.Failed, j => done ? remaining : failed)
                .SetProperty(j => j.LastError, lastError)
                .SetProperty(j => j.State, done ? BatchStates.Done : BatchStates.Running)
                .SetProperty(j => j.FinishedUtc, done ? DateTime.UtcNow : null), cancellationToken);
            if (moved >= max)
            {
                break;
            }
        }

        return moved;
    }

    private Task StepAsync(string caseId, BatchJob job, CancellationToken cancellationToken) => job.Trigger switch
    {
        CaseTrigger.Accept => actions.AcceptAsync(caseId, job.RequestedBy, cancellationToken),
        CaseTrigger.Confirm => actions.ConfirmAsync(caseId, job.RequestedBy, cancellationToken),
        CaseTrigger.Review or CaseTrigger.Approve => actions.OpinionAsync(caseId, job.Trigger, BatchOpinion, job.RequestedBy, cancellationToken),
        CaseTrigger.IssueReport => actions.IssueReportAsync(caseId, job.RequestedBy, cancellationToken),
        _ => actions.ArchiveAsync(caseId, job.RequestedBy, cancellationToken),
    };
}
