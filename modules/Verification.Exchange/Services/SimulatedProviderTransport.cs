using System.Collections.Concurrent;
using Verification.Cms.Hosting;
using Verification.Exchange.Catalogue;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;
using Verification.Exchange.Simulation;

namespace Verification.Exchange.Services;

/// <summary>
/// The shipped simulators in process (the demo tenants): one simulated world for the whole process.
/// Callbacks wait in memory per tenant until the tenant's dispatcher takes them into its inbox; lost
/// in a crash, they are recovered by the status query like a lost HTTP callback.
/// </summary>
public static class InProcessSimulators
{
    private static readonly ConcurrentDictionary<string, Lazy<ProviderSimulatorEngine>> Engines = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<(string Provider, string Body)>> Callbacks = new();

    /// <summary>The installation's simulated world; its providers' keys and registered clients survive a restart (App_Data/simulators).</summary>
    public static ProviderSimulatorEngine For(CmsPaths paths) =>
        Engines.GetOrAdd(Path.Combine(paths.AppData, "simulators", "in-process.json"), file =>
            new Lazy<ProviderSimulatorEngine>(() => new ProviderSimulatorEngine(DataSourceCatalogue.Shipped, new SimulationFaults(), TimeProvider.System, file))).Value;

    public static void Deliver(string sender, string provider, IEnumerable<string> bodies)
    {
        var queue = Callbacks.GetOrAdd(sender, _ => new());
        foreach (var body in bodies)
        {
            queue.Enqueue((provider, body));
        }
    }

    public static IEnumerable<(string Provider, string Body)> Drain(string sender)
    {
        if (!Callbacks.TryGetValue(sender, out var queue))
        {
            yield break;
        }

        while (queue.TryDequeue(out var callback))
        {
            yield return callback;
        }
    }
}

public sealed class SimulatedProviderTransport(CmsPaths paths) : IProviderTransport
{
    private ProviderSimulatorEngine Engine => InProcessSimulators.For(paths);

    public string Mode => ExchangeModes.Simulated;

    public Task<TransportAnswer> SendAsync(ExchangeProviderRecord provider, QueryRequest request, string callbackUrl, CancellationToken cancellationToken)
    {
        var answer = Engine.Receive(provider.Code, request);
        InProcessSimulators.Deliver(request.Header.Sender, provider.Code, answer.Callbacks);
        return Task.FromResult(answer.Outcome switch
        {
            SimulatedOutcome.Acknowledged => new TransportAnswer(answer.Acknowledgement, null),
            SimulatedOutcome.Timeout => TransportAnswer.Failed("Timed out."),
            _ => TransportAnswer.Failed("HTTP 503"),
        });
    }

    public Task<QueryResult?> QuerySyncAsync(ExchangeProviderRecord provider, QueryRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Engine.ReceiveSync(provider.Code, request, out _));

    public Task<TransactionStatus?> StatusAsync(ExchangeProviderRecord provider, string messageId, CancellationToken cancellationToken) =>
        Task.FromResult<TransactionStatus?>(Engine.Status(provider.Code, messageId));

    public Task<string?> ConnectAsync(ExchangeProviderRecord provider, string sender, string ourPublicKeyPem, byte[]? offlineKey, CancellationToken cancellationToken)
    {
        Engine.RegisterClient(provider.Code, sender, ourPublicKeyPem);
        if (offlineKey is not null)
        {
            Engine.RegisterOfflineKey(provider.Code, sender, offlineKey);
        }

        return Task.FromResult(Engine.PublicKey(provider.Code));
    }
}
