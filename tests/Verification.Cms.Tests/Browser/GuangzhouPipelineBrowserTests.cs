using OpenQA.Selenium;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Browser;

/// <summary>
/// In Debian Chromium, the Guangzhou flow from the counter to the public check page (G 8.1, R-7.1): a
/// street clerk fills in the declaration form and receives the case, records the members'
/// authorizations and accepts; a second street clerk requests the exchange; the district writes its
/// preliminary opinion; the city approves and issues; the report's check link confirms it.
/// </summary>
public sealed class GuangzhouPipelineBrowserTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    [Fact]
    [Trait("Req", "R-3.1")]
    [Trait("Req", "R-7.1")]
    [Trait("Req", "R-7.3")]
    [Trait("Category", "Browser")]
    public async Task FromTheCounterToTheIssuedReportAndItsCheckPage()
    {
        var tenant = await host.CreateTenantAsync("guangzhou");
        using var browser = new Infrastructure.Browser();
        var driver = browser.Driver;
        var root = host.BaseUrl + tenant.PathBase;
        var head = TestSubjects.IdNumber(801, "440106");
        var spouse = TestSubjects.IdNumber(802, "440106");

        void SignInAs(string user)
        {
            driver.Manage().Cookies.DeleteAllCookies();
            browser.SignIn(root, user, tenant.Logins[user]);
        }

        void Fill(string css, string value)
        {
            var field = browser.Find(css);
            field.Clear();
            field.SendKeys(value);
        }

        // The counter: the declaration form, page by page.
        SignInAs("gz.jiedao1");
        driver.Navigate().GoToUrl(root + "/cases");
        browser.Find("a[href$='/cases/new']").Click();
        browser.WaitForUrl(u => u.Contains("/forms/household-declaration/new", StringComparison.Ordinal));
        Fill("#f_applicantName", "陈伟强");
        Fill("#f_applicantIdNumber", head);
        Fill("#f_applicantPhone", "13800138000");
        Fill("#f_residenceAddress", "广州市天河区五山路1号");
        browser.Find("#f_serviceItem option[value='aa']").Click();
        browser.Find("#next-page").Click();
        browser.Find("button.add-row").Click();
        Fill("#f_members_0__name", "陈伟强");
        Fill("#f_members_0__idNumber", head);
        browser.Find("#f_members_0__relation option[value='01']").Click();
        browser.Find("#f_members_0__employmentStatus option[value='employed']").Click();
        browser.Find("#f_members_0__healthStatus option[value='healthy']").Click();
        browser.Find("button.add-row").Click();
        Fill("#f_members_1__name", "林美玲");
        Fill("#f_members_1__idNumber", spouse);
        browser.Find("#f_members_1__relation option[value='10']").Click();
        browser.Find("#f_members_1__employmentStatus option[value='employed']").Click();
        browser.Find("#f_members_1__healthStatus option[value='healthy']").Click();
        browser.Find("#next-page").Click();

        foreach (var income in new[] { "wageIncome", "businessNetIncome", "propertyNetIncome", "transferIncome", "otherIncome" })
        {
            Fill("#f_" + income, "0");
        }

        browser.Find("#next-page").Click();
        foreach (var property in new[] { "realEstateCount", "depositsAndWealth", "securities", "savingsInsurance" })
        {
            Fill("#f_" + property, "0");
        }

        browser.Find("#next-page").Click();
        browser.Find("#next-page").Click();
        browser.Find("#f_promise").Click();
        driver.ExecuteScript("arguments[0].value = '2026-11-24';", browser.Find("#f_declarationDate"));
        browser.Find("#submit-form").Click();

        browser.Find("a[href*='/cases/new?declaration=']").Click();
        browser.Find("#department option[value='th-mzj']").Click();
        browser.Find("#create-case").Click();
        browser.WaitForText("#case-state", "初审中");
        var casePage = driver.Url;
        browser.Screenshot("pipeline-01-case-received");

        // Both members' authorizations, then acceptance at the street.
        for (var i = 0; i < 2; i++)
        {
            browser.Find("#record-authorization").Click();
            browser.WaitForText(".alert.success", "已登记授权书");
        }

        browser.Find("#step-Accept").Click();
        browser.WaitForText("#case-state", "已受理");

        // A second street clerk requests the exchange (the acceptor may not, R-2.3).
        SignInAs("gz.jiedao2");
        driver.Navigate().GoToUrl(casePage);
        browser.Find("#step-Confirm").Click();
        browser.WaitForText("#case-state", "信息查询中");
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name);

        // The district compares and writes its preliminary opinion.
        SignInAs("gz.hedui1");
        driver.Navigate().GoToUrl(casePage);
        browser.WaitForText("#case-state", "信息比对中");
        Assert.NotEmpty(driver.FindElements(By.CssSelector("table.findings")));
        browser.Screenshot("pipeline-02-findings");
        Fill("#text-Review", "经比对，该户情况详见核对结果，提请市级审核。");
        browser.Find("#step-Review").Click();
        browser.WaitForText("#case-state", "已审核");

        // The city approves and issues.
        SignInAs("gz.shenhe1");
        driver.Navigate().GoToUrl(casePage);
        Fill("#text-Approve", "同意出具核对报告。");
        browser.Find("#step-Approve").Click();
        browser.WaitForText("#case-state", "已审批");
        browser.Find("#step-IssueReport").Click();
        browser.WaitForText("#case-state", "已出具报告");
        var number = browser.Find("#report-number").Text;
        Assert.Matches(@"^第440100\d{6}00001aaf1号$", number);

        driver.Navigate().GoToUrl(browser.Find("#report-html").GetAttribute("href")!);
        browser.WaitForText("body", "居民家庭经济状况核对报告");
        Assert.Contains("林美玲", driver.PageSource, StringComparison.Ordinal);
        browser.Screenshot("pipeline-03-report");
        var check = browser.Find("#check-link").GetAttribute("href")!;

        // The public check page, signed out.
        driver.Manage().Cookies.DeleteAllCookies();
        driver.Navigate().GoToUrl(check);
        browser.WaitForText("#check-result", "内容未被改动");
        Assert.Contains(number, driver.PageSource, StringComparison.Ordinal);
        Assert.DoesNotContain("陈伟强", driver.PageSource, StringComparison.Ordinal);
        browser.Screenshot("pipeline-04-check-page");
    }
}
