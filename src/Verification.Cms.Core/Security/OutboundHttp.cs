using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Verification.Cms.Security;

/// <summary>
/// HTTP calls whose address a tenant's staff write (a workflow's HTTP call, a department's callback) reach
/// public addresses only: loopback, private, link-local (cloud metadata), carrier-grade NAT and unique-local
/// addresses are refused unless the host is on <c>Cms:OutboundAllowList</c> (comma-separated host names or
/// addresses, optionally with :port). The check runs on the address actually connected to, for every
/// connection (redirects and DNS tricks included).
/// </summary>
public static class OutboundHttp
{
    public const string AllowListKey = "Cms:OutboundAllowList";

    public static IHttpClientBuilder AddGuardedHttpClient(this IServiceCollection services, string name) =>
        services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            return new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = (context, cancellationToken) => ConnectAsync(configuration, context.DnsEndPoint, cancellationToken),
            };
        });

    /// <summary>Whether an address is one a tenant may not reach (no host of this network is public).</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && b[1] is 18 or 19);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    private static async ValueTask<Stream> ConnectAsync(IConfiguration configuration, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var allowed = (configuration[AllowListKey] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(entry => string.Equals(entry, endpoint.Host, StringComparison.OrdinalIgnoreCase) || string.Equals(entry, $"{endpoint.Host}:{endpoint.Port}", StringComparison.OrdinalIgnoreCase));
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var reachable = allowed ? addresses : addresses.Where(a => !IsInternal(a)).ToArray();
        if (reachable.Length == 0)
        {
            throw new HttpRequestException($"拒绝访问内部网络地址 {endpoint.Host}（如确需访问，请由平台管理员加入 Cms:OutboundAllowList）。");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(reachable, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
