using Microsoft.AspNetCore.Http;

namespace Verification.Cms.Tenants;

/// <summary>
/// Picks the tenant of a request by host name and/or first path segment. A tenant with both
/// host and prefix must match both; prefix beats host alone; the Default tenant catches the rest.
/// Nothing in a request body, query or custom header can select a tenant.
/// </summary>
public static class TenantResolver
{
    public static ShellSettings? Resolve(IReadOnlyList<ShellSettings> tenants, HostString host, PathString path)
    {
        var hostName = host.Host;
        var firstSegment = FirstSegment(path);
        ShellSettings? best = null;
        var bestScore = -1;
        foreach (var tenant in tenants)
        {
            var hasHost = !string.IsNullOrWhiteSpace(tenant.RequestUrlHost);
            var hasPrefix = !string.IsNullOrWhiteSpace(tenant.RequestUrlPrefix);
            if (hasHost && !HostMatches(tenant.RequestUrlHost!, hostName))
            {
                continue;
            }

            if (hasPrefix && !string.Equals(tenant.RequestUrlPrefix, firstSegment, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var score = (hasPrefix ? 2 : 0) + (hasHost ? 1 : 0);
            if (!hasHost && !hasPrefix && !tenant.IsDefault)
            {
                continue;
            }

            if (score > bestScore)
            {
                best = tenant;
                bestScore = score;
            }
        }

        return best;
    }

    private static bool HostMatches(string configured, string hostName) =>
        configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(h => string.Equals(h, hostName, StringComparison.OrdinalIgnoreCase));

    private static string? FirstSegment(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value) || value == "/")
        {
            return null;
        }

        var end = value.IndexOf('/', 1);
        return end < 0 ? value[1..] : value[1..end];
    }
}
