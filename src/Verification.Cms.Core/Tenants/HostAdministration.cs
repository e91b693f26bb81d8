using Verification.Cms.Hosting;

namespace Verification.Cms.Tenants;

/// <summary>
/// The host administration lives on its own host names (<see cref="CmsOptions.HostAdminHosts"/>), so the
/// browser keeps it apart from every tenant's pages: the host's cookie is never sent to a tenant's
/// origin, and a tenant's page cannot read the host's.
/// </summary>
public static class HostAdministration
{
    public static IReadOnlyList<string> Hosts(CmsOptions options) =>
        (options.HostAdminHosts ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether the host administration is kept to its own host names.</summary>
    public static bool IsSeparate(CmsOptions options) => Hosts(options).Count > 0;

    public static bool IsAdminHost(CmsOptions options, string hostName) =>
        Hosts(options).Any(h => string.Equals(h, hostName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The host administration's address: the public base URL with the first admin host name.</summary>
    public static string BaseUrl(CmsOptions options, string publicBaseUrl)
    {
        if (!IsSeparate(options) || !Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri))
        {
            return publicBaseUrl.TrimEnd('/');
        }

        return new UriBuilder(uri) { Host = Hosts(options)[0] }.Uri.ToString().TrimEnd('/');
    }
}
