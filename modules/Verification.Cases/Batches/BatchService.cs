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

    /// <param name="includeMostlyUnanswered">
    /// Why cases whose sources mostly did not answer or refused may pass this review, approval or issue too;
    /// null leaves them for a person (R-5.3: an unanswered source is no evidence of nothing found).
    /// </param>
    public async Task<BatchJob> StartAsync(string entrustmentId, CaseTrigger trigger, string? user, CancellationToken cancellationToken, string? includeMostlyUnanswered = null)
    {
        var from = Steps[trigger];
        var total = await db.Set<VerificationCase>().CountAsync(c => c.EntrustmentId == entrustmentId && c.State == from, cancellationToken);
        var reason = string.IsNullOrWhiteSpace(includeMostlyUnanswered) ? null : includeMostlyUnanswered.Trim();
        var job = new BatchJob { EntrustmentId = entrustmentId, Trigger = trigger, RequestedBy = user, Total = total, OverrideReason = reason };
        db.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditCategories.PersonalData, "batch.started", "entrustment", entrustmentId, new Dictionary<string, string?>
        {
            ["step"] = trigger.ToString(), ["cases"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture), ["includeMostlyUnanswered"] = reason,
        }) { Actor = user }, cancellationToken);
        return job;
    }

    /// <summary>The steps that judge a case on its findings: a batch passes no case most of whose sources said nothing, unless told why.</summary>
    private static readonly HashSet<CaseTrigger> Judging = [CaseTrigger.Review, CaseTrigger.Approve, CaseTrigger.IssueReport];

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
        var held = new Dictionary<string, CaseTransitionException>(StringComparer.Ordinal);
        if (Judging.Contains(job.Trigger) && job.OverrideReason is null)
        {
            var list = ids.ToList();
            foreach (var id in await db.Set<VerificationCase>().AsNoTracking().Where(c => list.Contains(c.Id) && c.SourcesAsked > 0 && c.SourcesUnanswered * 2 > c.SourcesAsked).Select(c => c.Id).ToListAsync(cancellationToken))
            {
                held[id] = new CaseTransitionException("Most of this case's sources did not answer or refused: a person looks at it, or the batch step is started again with the reason to include such cases.");
            }

            ids = list.Where(id => !held.ContainsKey(id)).ToList();
        }

        if (ids.Count == 0)
        {
            return (0, held);
        }

        var (moved, refused) = await MoveAsync(ids, job, cancellationToken);
        return (moved, held.Count == 0 ? refused : refused.Concat(held).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    private async Task<(int Moved, IReadOnlyDictionary<string, CaseTransitionException> Refused)> MoveAsync(IReadOnlyCollection<string> ids, BatchJob job, CancellationToken cancellationToken)
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
