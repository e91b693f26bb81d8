using System.Net.Http.Json;
using System.Text.Json;
using Verification.Exchange.Contract;
using Verification.Exchange.Models;

namespace Verification.Exchange.Services;

/// <summary>
/// Online exchange over HTTP: <c>POST {base}/providers/{code}/queries</c> (acknowledged, results to
/// the callback), <c>GET {base}/providers/{code}/status/{messageId}</c>, and onboarding through
/// <c>GET …/public-key</c> and <c>POST …/clients</c>. A 5xx, a timeout or an unreadable answer is a
/// transient failure; a rejection is an answer.
/// </summary>
public sealed class HttpProviderTransport(IHttpClientFactory clients) : IProviderTransport
{
    public string Mode => ExchangeModes.Online;

    public async Task<TransportAnswer> SendAsync(ExchangeProviderRecord provider, QueryRequest request, string callbackUrl, CancellationToken cancellationToken)
    {
        using var response = await Client().PostAsJsonAsync(Url(provider, "queries"), request, MessageSigner.Json, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            return TransportAnswer.Failed($"HTTP {(int)response.StatusCode}");
        }

        try
        {
            var ack = await response.Content.ReadFromJsonAsync<Acknowledgement>(MessageSigner.Json, cancellationToken);
            return ack?.MessageId == request.Header.MessageId ? new TransportAnswer(ack, null) : TransportAnswer.Failed("The acknowledgement names another message.");
        }
        catch (JsonException ex)
        {
            return TransportAnswer.Failed("Unreadable acknowledgement: " + ex.Message);
        }
    }

    public async Task<QueryResult?> QuerySyncAsync(ExchangeProviderRecord provider, QueryRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Client().PostAsJsonAsync(Url(provider, "query-sync"), request, MessageSigner.Json, cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<QueryResult>(MessageSigner.Json, cancellationToken) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return null;
        }
    }

    public async Task<TransactionStatus?> StatusAsync(ExchangeProviderRecord provider, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            return await Client().GetFromJsonAsync<TransactionStatus>(Url(provider, "status/" + Uri.EscapeDataString(messageId)), MessageSigner.Json, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return null;
        }
    }

    public async Task<string?> ConnectAsync(ExchangeProviderRecord provider, string sender, string ourPublicKeyPem, byte[]? offlineKey, CancellationToken cancellationToken)
    {
        var client = Client();
        var key = await client.GetStringAsync(Url(provider, "public-key"), cancellationToken);
        using var registered = await client.PostAsJsonAsync(Url(provider, "clients"), new { sender, publicKeyPem = ourPublicKeyPem }, cancellationToken);
        registered.EnsureSuccessStatusCode();
        if (offlineKey is not null)
        {
            using var shared = await client.PostAsJsonAsync(Url(provider, "offline-key"), new { sender, key = Convert.ToBase64String(offlineKey) }, cancellationToken);
            shared.EnsureSuccessStatusCode();
        }

        return key;
    }

    private HttpClient Client() => clients.CreateClient("exchange");

    private static string Url(ExchangeProviderRecord provider, string path) =>
        $"{provider.BaseUrl?.TrimEnd('/')}/providers/{Uri.EscapeDataString(provider.Code)}/{path}";
}
