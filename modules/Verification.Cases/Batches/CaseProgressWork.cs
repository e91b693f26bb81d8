using Verification.Cases.Comparison;
using Verification.Cases.Services;
using Verification.Cms.Background;
using Verification.Cms.Tenants;

namespace Verification.Cases.Batches;

/// <summary>
/// The pipeline's background round: exchanging cases whose answers are all in move to comparing with
/// their findings; overdue supplements are terminated (unless the tenant's workflows do it); batch steps advance; results are delivered.
/// </summary>
public sealed class CaseProgressWork(ComparisonService comparison, CaseActions actions, BatchService batches, ResultDeliveries deliveries, ITenantContext tenant) : ITenantBackgroundWork
{
    public const string WorkflowsFeature = "Verification.Workflows";

    public string Name => "cases";

    public TimeSpan Interval => TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken, int max = 500)
    {
        var moved = await comparison.CompleteReadyAsync(max, cancellationToken);
        if (!tenant.EnabledFeatures.Contains(WorkflowsFeature))
        {
            // With workflows enabled the rule is the tenant's "supplement-overdue" workflow, which staff may change.
            moved += await actions.TerminateOverdueSupplementsAsync(cancellationToken);
        }

        moved += await batches.RunAsync(max, cancellationToken);
        await deliveries.DeliverAsync(cancellationToken);
        return moved;
    }
}
