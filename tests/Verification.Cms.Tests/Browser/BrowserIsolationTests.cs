using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;
using Verification.Users.Models;

namespace Verification.Cms.Tests.Browser;

/// <summary>
/// In Debian Chromium, from the attacker's side: a tenant administrator writes script into
/// the centre's public home page. Opened by another centre's administrator (same origin, URL prefixes),
/// by the centre's own security approver (with a role grant waiting) and by the host administrator
/// (signed in on the host's own name), the script never runs: nothing is read, nothing is approved.
/// </summary>
public sealed class BrowserIsolationTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    [Fact]
    [Trait("Req", "R-18.5")]
    [Trait("Req", "R-2.4")]
    [Trait("Category", "Browser")]
    public async Task ATenantTemplatesScriptReachesNeitherAnotherTenantNorTheHostNorTheTwoPersonRule()
    {
        var a = await host.CreateTenantAsync("changzhou");
        var b = await host.CreateTenantAsync("changzhou");

        // A pending role grant waits for A's security approver.
        using (var requester = host.ClientFor(a))
        {
            await requester.SignInOrFailAsync("cz.admin");
            var filed = await requester.PostFormAsync("admin/users/cz.qiantai1", "admin/users/cz.qiantai1/roles", [new("roles", "系统管理员"), new("reason", "测试")]);
            Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
            var attack = $$"""
                <!DOCTYPE html><html><head><title>A</title></head><body><h1 id="page">A 中心</h1>
                <script>
                  window.__ran = 'inline';
                  fetch('{{b.PathBase}}/admin/users').then(r => r.text()).then(t => { document.title = 'PWNED ' + t.length; });
                  fetch('{{a.PathBase}}/admin/approvals').then(r => r.text()).then(h => {
                    const f = new DOMParser().parseFromString(h, 'text/html').querySelector('form[action*="/approve"]');
                    return fetch(f.action, { method: 'POST', body: new FormData(f), credentials: 'same-origin' });
                  });
                </script>
                <img src="none.png" onerror="window.__ran = 'handler'">
                <svg onload="window.__ran = 'svg'"><rect width="1" height="1"></rect></svg>
                <a id="link" href="javascript:window.__ran = 'link'">更多</a>
                </body></html>
                """;
            var saved = await requester.PostFormAsync("admin/public-site", "admin/public-site", [new("name", "home"), new("source", attack), new("stamp", string.Empty)]);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using var browser = new Infrastructure.Browser();
        var driver = browser.Driver;
        browser.SignIn(host.BaseUrl + b.PathBase, "cz.admin", b.Logins["cz.admin"]);
        browser.SignIn(host.BaseUrl + a.PathBase, "cz.admin2", a.Logins["cz.admin2"]);
        browser.SignIn(host.HostAdminUrl, "host.admin", host.HostLogins["host.admin"]);

        // The host's session cookie belongs to the host's own name: the tenants' origin never receives it.
        driver.Navigate().GoToUrl(host.BaseUrl + a.PathBase + "/");
        browser.Find("#page");
        Assert.DoesNotContain(driver.Manage().Cookies.AllCookies, c => c.Name == ".vcms.Default");
        await Task.Delay(1500);
        browser.Screenshot("isolation-01-hostile-home");
        Assert.Null(driver.ExecuteScript("return window.__ran === undefined ? null : window.__ran;"));
        Assert.DoesNotContain("PWNED", driver.Title, StringComparison.Ordinal);
        Assert.Null(driver.FindElement(By.Id("link")).GetAttribute("href"));
        driver.FindElement(By.Id("link")).Click();
        Assert.Null(driver.ExecuteScript("return window.__ran === undefined ? null : window.__ran;"));

        var pending = await host.InTenantAsync(a.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<SecurityChangeRequest>().AsNoTracking().SingleAsync(r => r.Subject == "cz.qiantai1"));
        Assert.Equal(SecurityChangeStatus.Pending, pending.Status);

        // The host administration is not served on the tenants' origin, and no tenant is served on the host's name.
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/admin/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/login")).StatusCode);
        using var onHostName = new HttpRequestMessage(HttpMethod.Get, a.PathBase + "/login");
        onHostName.Headers.Host = CmsHostFixture.HostAdminHost;
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(onHostName)).StatusCode);

        // Every page carries the policy; the tenant's page keeps its markup but not its script.
        var home = await http.GetAsync(a.PathBase + "/");
        var csp = string.Join(' ', home.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'nonce-", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(' ', home.Headers.GetValues("X-Content-Type-Options")));
        var html = await home.Content.ReadAsStringAsync();
        Assert.Contains("A 中心", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
    }
}
