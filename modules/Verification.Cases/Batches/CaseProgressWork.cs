using Verification.Cases.Comparison;
using Verification.Cases.Services;
using Verification.Cms.Background;

namespace Verification.Cases.Batches;

/// <summary>
/// The pipeline's background round: exchanging cases whose answers are all in move to comparing with
/// their findings; overdue supplements are terminated; batch steps advance; results are delivered.
/// </summary>
public sealed class CaseProgressWork(ComparisonService comparison, CaseActions actions, BatchService batches, ResultDeliveries deliveries) : ITenantBackgroundWork
{
    public string Name => "cases";

    public TimeSpan Interval => TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken, int max = 500)
    {
        var moved = await comparison.CompleteReadyAsync(max, cancellationToken);
        moved += await actions.TerminateOverdueSupplementsAsync(cancellationToken);
        moved += await batches.RunAsync(max, cancellationToken);
        await deliveries.DeliverAsync(cancellationToken);
        return moved;
    }
}
