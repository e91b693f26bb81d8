using Verification.Exchange.Contract;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <summary>What came back from sending a request: an acknowledgement, or a transient failure to retry.</summary>
public sealed record TransportAnswer(Acknowledgement? Acknowledgement, string? TransientError)
{
    public static TransportAnswer Failed(string error) => new(null, error);
}

/// <summary>How requests reach a provider: over HTTP (online) or to the in-process simulators (simulated).</summary>
public interface IProviderTransport
{
    string Mode { get; }

    Task<TransportAnswer> SendAsync(ExchangeProviderRecord provider, QueryRequest request, string callbackUrl, CancellationToken cancellationToken);

    /// <summary>The synchronous variant for single lookups: the signed result at once, or null when the provider refused or failed.</summary>
    Task<QueryResult?> QuerySyncAsync(ExchangeProviderRecord provider, QueryRequest request, CancellationToken cancellationToken);

    Task<TransactionStatus?> StatusAsync(ExchangeProviderRecord provider, string messageId, CancellationToken cancellationToken);

    /// <summary>Onboarding: fetches the provider's public key and gives it ours (and, for offline exchange, the shared file key).</summary>
    Task<string?> ConnectAsync(ExchangeProviderRecord provider, string sender, string ourPublicKeyPem, byte[]? offlineKey, CancellationToken cancellationToken);
}
