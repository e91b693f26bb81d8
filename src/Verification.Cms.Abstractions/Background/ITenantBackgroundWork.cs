namespace Verification.Cms.Background;

/// <summary>
/// Work a feature does in the background for its tenant (sending the provider outbox, sweeping
/// timeouts, timers). Registered as a scoped service by the feature's startup; the host runs it
/// for every running tenant, in a fresh scope, at most once per <see cref="Interval"/>.
/// Implementations must be safe to run again after a crash (state lives in the tenant database).
/// </summary>
public interface ITenantBackgroundWork
{
    string Name { get; }

    TimeSpan Interval { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
