using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// Tenants never see each other's data: a signed-in user of one tenant, with
/// its cookie copied, renamed, or sent with a forged Host header or prefix, never gets a page or
/// an API answer of another tenant; anonymous users reach only the public pages.
/// </summary>
public abstract partial class IsolationTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    private static readonly string[] TenantPages =
    [
        "admin", "admin/users", "admin/users/new", "admin/users/cz.admin", "admin/roles", "admin/roles/edit", "admin/approvals",
        "admin/audit", "admin/audit/export", "admin/settings", "admin/features", "admin/recipes", "admin/recipes/export",
        "admin/public-site", "admin/org-units", "account/password",
    ];

    private static readonly string[] HostOnlyPages = ["admin/tenants", "admin/tenants/new", "api/tenants", "openapi/v1.json"];

    [Fact]
    [Trait("Req", "R-1.1")]
    [Trait("Req", "R-18.5")]
    public async Task AUserOfOneTenantGetsNothingFromAnother()
    {
        var a = await host.CreateTenantAsync("changzhou");
        var b = await host.CreateTenantAsync("changzhou");
        var cookies = await SignInAsync(a, "cz.admin");
        using var http = RawClient();

        foreach (var page in TenantPages)
        {
            // A's cookies sent to B's prefix.
            AssertRefused(await SendAsync(http, $"{b.PathBase}/{page}", cookies), b.PathBase, page);

            // A's auth cookie renamed to B's cookie name: B cannot decrypt it (its own keys).
            var renamed = cookies.Replace($".vcms.{a.Name}=", $".vcms.{b.Name}=", StringComparison.Ordinal);
            AssertRefused(await SendAsync(http, $"{b.PathBase}/{page}", renamed), b.PathBase, page);

            // Path tricks that try to reach B through A's prefix.
            var tricked = await SendAsync(http, $"{a.PathBase}/..{b.PathBase}/{page}", cookies);
            Assert.False(tricked.StatusCode == HttpStatusCode.OK && (await tricked.Content.ReadAsStringAsync()).Contains(b.Name, StringComparison.Ordinal), $"{page} through a dot-dot prefix");
        }

        foreach (var page in HostOnlyPages)
        {
            AssertRefused(await SendAsync(http, $"/{page}", cookies), string.Empty, page);
            AssertRefused(await SendAsync(http, $"{a.PathBase}/{page}", cookies), a.PathBase, page, allowNotFound: true);
        }

        // Sanity: the same cookies do open A's own pages.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, $"{a.PathBase}/admin/users", cookies)).StatusCode);
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task AForgedHostHeaderDoesNotCarryASessionToAHostNamedTenant()
    {
        var a = await host.CreateTenantAsync("changzhou");
        var hostName = $"{Guid.NewGuid():N}"[..8] + ".centre.example";
        var h = await host.CreateTenantAsync("changzhou", host: hostName, withPrefix: false);
        var cookies = await SignInAsync(a, "cz.admin");
        using var http = RawClient();
        foreach (var page in TenantPages)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/" + page);
            request.Headers.Host = hostName;
            request.Headers.Add("Cookie", cookies.Replace($".vcms.{a.Name}=", $".vcms.{h.Name}=", StringComparison.Ordinal) + "; " + cookies);
            AssertRefused(await http.SendAsync(request), string.Empty, page);
        }

        // The host-named tenant itself answers on its host, and H's own users sign in there.
        using var own = host.ClientFor(h);
        await own.SignInOrFailAsync("cz.admin");
        Assert.Contains(h.Name, await own.GetPageAsync("admin"), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task AnonymousUsersReachOnlyPublicPages()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var http = RawClient();
        foreach (var page in TenantPages)
        {
            AssertRefused(await http.GetAsync($"{tenant.PathBase}/{page}"), tenant.PathBase, page);
        }

        foreach (var page in HostOnlyPages)
        {
            AssertRefused(await http.GetAsync($"/{page}"), string.Empty, page);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{tenant.PathBase}/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{tenant.PathBase}/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{tenant.PathBase}/theme/admin.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{tenant.PathBase}/theme/..%2F..%2Fappsettings.json")).StatusCode);
        // The host administration answers only on its own host name.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/login")).StatusCode);
    }

    private static void AssertRefused(HttpResponseMessage response, string pathBase, string page, bool allowNotFound = true)
    {
        var status = response.StatusCode;
        if (status == HttpStatusCode.Redirect)
        {
            var location = response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.AbsolutePath : response.Headers.Location.OriginalString;
            Assert.True(location.StartsWith($"{pathBase}/login", StringComparison.Ordinal) || location.Contains($"{pathBase}/access-denied", StringComparison.Ordinal), $"{page} redirected to {location}");
            return;
        }

        Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (allowNotFound && status == HttpStatusCode.NotFound), $"{pathBase}/{page} answered {(int)status}");
    }

    private HttpClient RawClient() => host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string url, string cookies)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookies);
        return http.SendAsync(request);
    }

    /// <summary>Signs in through the form and returns the Cookie header the browser would send.</summary>
    private async Task<string> SignInAsync(TestTenant tenant, string userName)
    {
        using var http = RawClient();
        var page = await http.GetAsync($"{tenant.PathBase}/login");
        var jar = Cookies(page);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value);
        var post = new HttpRequestMessage(HttpMethod.Post, $"{tenant.PathBase}/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = tenant.Logins[userName], ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        var response = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        foreach (var (k, v) in Cookies(response))
        {
            jar[k] = v;
        }

        Assert.Contains($".vcms.{tenant.Name}", jar.Keys);
        return string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}"));
    }

    private static Dictionary<string, string> Cookies(HttpResponseMessage response) =>
        (response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            .Select(v => v.Split(';')[0].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed class IsolationOnSqlite(SqliteHostFixture host) : IsolationTests<SqliteHostFixture>(host);

public sealed class IsolationOnPostgres(PostgresHostFixture host) : IsolationTests<PostgresHostFixture>(host);
