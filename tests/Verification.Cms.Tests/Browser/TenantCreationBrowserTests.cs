using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Browser;

/// <summary>
/// In Debian Chromium: the host administrator creates a tenant from the changzhou recipe, receives
/// its initial logins, and that tenant's administrator signs in to a Chinese admin menu.
/// </summary>
public sealed class TenantCreationBrowserTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    [Fact]
    [Trait("Req", "R-1.1")]
    [Trait("Category", "Browser")]
    public async Task TheHostCreatesAChangzhouTenantWhoseAdministratorSeesTheChineseAdminMenu()
    {
        using var browser = new Infrastructure.Browser();
        var driver = browser.Driver;

        driver.Navigate().GoToUrl(host.HostAdminUrl + "/login");
        Assert.Contains("登录", browser.Find("h2").Text, StringComparison.Ordinal);
        browser.Find("#UserName").SendKeys("host.admin");
        browser.Find("#Password").SendKeys(host.HostLogins["host.admin"]);
        browser.Screenshot("01-host-login");
        browser.Find("#login-submit").Click();
        browser.WaitForUrl(u => u.EndsWith("/admin", StringComparison.Ordinal));

        browser.Find("a[href='/admin/tenants']").Click();
        browser.Find("#new-tenant").Click();
        var name = "cz-" + Guid.NewGuid().ToString("N")[..6];
        browser.Find("#Name").SendKeys(name);
        browser.Find("#DisplayName").SendKeys("常州市居民家庭经济状况核对中心（测试）");
        browser.Find("#Prefix").SendKeys(name);
        browser.Find("#Recipe option[value='changzhou']").Click();
        browser.Screenshot("02-new-tenant-form");
        browser.Find("#create-tenant").Click();

        var rows = browser.Find("#initial-logins").FindElements(By.CssSelector("tbody tr"));
        var logins = rows.ToDictionary(r => r.FindElement(By.CssSelector(".user")).Text, r => r.FindElement(By.CssSelector(".password")).Text);
        browser.Screenshot("03-tenant-created");
        Assert.Contains("cz.admin", logins.Keys);
        Assert.Contains("cz.qiantai1", logins.Keys);

        driver.Navigate().GoToUrl($"{host.BaseUrl}/{name}/login");
        Assert.Equal("常州市居民家庭经济状况核对中心（测试）", browser.Find(".site-name").Text);
        browser.Find("#UserName").SendKeys("cz.admin");
        browser.Find("#Password").SendKeys(logins["cz.admin"]);
        browser.Find("#login-submit").Click();
        browser.WaitForUrl(u => u.EndsWith($"/{name}/admin", StringComparison.Ordinal));

        var menu = browser.Find("#sidenav").Text;
        browser.Screenshot("04-tenant-admin-menu");
        foreach (var item in new[] { "工作台", "组织机构", "用户", "审计日志", "安全管理" })
        {
            Assert.Contains(item, menu, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("租户管理", menu, StringComparison.Ordinal);
        Assert.Equal("zh-CN", driver.FindElement(By.TagName("html")).GetAttribute("lang"));

        // The English switch is one click away and remembered.
        browser.Find(".lang-switch a").Click();
        browser.WaitForUrl(u => u.EndsWith($"/{name}/admin", StringComparison.Ordinal));
        Assert.Contains("Organisation units", browser.Find("#sidenav").Text, StringComparison.Ordinal);
        browser.Screenshot("05-tenant-admin-menu-en");

        // The calendar reads as a chart: the Spring Festival week is marked off, its Saturdays as working days.
        driver.Navigate().GoToUrl($"{host.BaseUrl}/{name}/admin/calendar?year=2026&start=2026-02-12&days=15");
        Assert.Contains("off", browser.Find("td[data-date='2026-02-16']").GetAttribute("class"), StringComparison.Ordinal);
        Assert.Contains("adjusted", browser.Find("td[data-date='2026-02-14']").GetAttribute("class"), StringComparison.Ordinal);
        Assert.Contains("2026-03-11", browser.Find("#deadline").Text, StringComparison.Ordinal);
        browser.Screenshot("06-calendar-2026");

        // Over a real socket the audit trail records where the sign-in came from.
        var login = await host.InTenantAsync(name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents
            .Where(a => a.Action == "login.succeeded" && a.Actor == "cz.admin").SingleAsync());
        Assert.Equal("127.0.0.1", login.IpAddress);
        Assert.Contains("Chrome", login.UserAgent, StringComparison.Ordinal);
    }
}
