using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Verification.Cms.Tenants;

/// <summary>
/// A running tenant: its own service provider and request pipeline, built from its enabled
/// features. Replaced (not mutated) when features change; the old one is disposed once its
/// last in-flight request has finished.
/// </summary>
public sealed class ShellContext(ShellSettings settings, ServiceProvider services, RequestDelegate pipeline, IReadOnlySet<string> features) : IAsyncDisposable
{
    private int _activeRequests;
    private int _released;
    private int _disposed;

    public ShellSettings Settings { get; } = settings;

    public IServiceProvider Services => services;

    public RequestDelegate Pipeline { get; } = pipeline;

    public IReadOnlySet<string> Features { get; } = features;

    public bool IsReleased => Volatile.Read(ref _released) == 1;

    public void Enter() => Interlocked.Increment(ref _activeRequests);

    public async ValueTask ExitAsync()
    {
        if (Interlocked.Decrement(ref _activeRequests) == 0 && IsReleased)
        {
            await DisposeAsync();
        }
    }

    /// <summary>No new requests come here; dispose when idle.</summary>
    public async ValueTask ReleaseAsync()
    {
        Interlocked.Exchange(ref _released, 1);
        if (Volatile.Read(ref _activeRequests) == 0)
        {
            await DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await services.DisposeAsync();
        }
    }
}
