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
public sealed class BatchService(TenantDbContext db, CaseActions actions, CaseService cases, Reports.ReportIssuer reports, IAuditTrail audit)
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

    /// <summary>Moves up to <paramref name="max"/> cases of running jobs, a chunk at a time; returns how many were moved.</summary>
    public async Task<int> RunAsync(int max, CancellationToken cancellationToken)
    {
        var moved = 0;
        var jobs = await db.Set<BatchJob>().AsNoTracking().Where(j => j.State == BatchStates.Running).OrderBy(j => j.CreatedUtc).ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            var from = Steps[job.Trigger];
            var failed = 0;
            string? lastError = null;
            var skip = 0;
            while (moved < max)
            {
                // Cases a person must look at stay in the state; skip past them.
                var ids = await db.Set<VerificationCase>().AsNoTracking().Where(c => c.EntrustmentId == job.EntrustmentId && c.State == from)
                    .OrderBy(c => c.Number).Skip(skip).Select(c => c.Id).Take(Math.Min(Chunk, max - moved)).ToListAsync(cancellationToken);
                if (ids.Count == 0)
                {
                    break;
                }

                var (count, refused) = await StepAsync(ids, job, cancellationToken);
                db.ChangeTracker.Clear();
                moved += count;
                failed += refused.Count;
                skip += refused.Count;
                lastError = refused.Values.Select(e => e.Message).FirstOrDefault() ?? lastError;
            }

            var remaining = await db.Set<VerificationCase>().CountAsync(c => c.EntrustmentId == job.EntrustmentId && c.State == from, cancellationToken);
            // Finished when nothing is left but what waits for a person.
            var done = remaining <= failed;
            await db.Set<BatchJob>().Where(j => j.Id == job.Id).ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Done, j => j.Total - remaining < 0 ? 0 : j.Total - remaining)
                .SetProperty(j => j.Failed, remaining < failed ? remaining : failed)
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

    /// <summary>Cases moved together in one transition (and, for issuing, one transaction).</summary>
    public const int Chunk = 250;

    private async Task<(int Moved, IReadOnlyDictionary<string, CaseTransitionException> Refused)> StepAsync(IReadOnlyCollection<string> ids, BatchJob job, CancellationToken cancellationToken)
    {
        if (job.Trigger == CaseTrigger.IssueReport)
        {
            var (issued, notIssued) = await reports.IssueManyAsync(ids, job.RequestedBy, cancellationToken);
            return (issued.Count, notIssued);
        }

        var result = job.Trigger switch
        {
            CaseTrigger.Accept => await actions.AcceptManyAsync(ids, job.RequestedBy, cancellationToken),
            CaseTrigger.Confirm => await actions.ConfirmManyAsync(ids, job.RequestedBy, cancellationToken),
            CaseTrigger.Review or CaseTrigger.Approve => await actions.OpinionManyAsync(ids, job.Trigger, BatchOpinion, job.RequestedBy, cancellationToken),
            _ => await cases.FireManyAsync(ids, CaseTrigger.Archive, job.RequestedBy, null, cancellationToken),
        };
        return (result.Moved.Count, result.Refused);
    }
}
