using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Verification.Cases.Models;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Browser;

/// <summary>
/// In Debian Chromium: an administrator builds a rule in the workflow designer — removes the default
/// start, adds "case accepted", a decision table edited in its grid and "notify", edits their properties, connects them on the canvas,
/// moves a node by dragging — publishes it, and sees it fire when a clerk accepts a case: the
/// notification in the inbox and the instance's timeline.
/// </summary>
public sealed class WorkflowDesignerBrowserTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    [Fact]
    [Trait("Req", "R-1.4")]
    [Trait("Category", "Browser")]
    public async Task AnAdministratorBuildsARuleInTheDesignerPublishesItAndSeesItFireOnACase()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var browser = new Infrastructure.Browser();
        var driver = browser.Driver;
        var root = host.BaseUrl + tenant.PathBase;
        browser.SignIn(root, "cz.admin", tenant.Logins["cz.admin"]);

        driver.Navigate().GoToUrl(root + "/admin/workflows");
        Assert.Contains("deadline-reminder", browser.Find("#workflows").Text, StringComparison.Ordinal);
        browser.Find("#new-name").SendKeys("accept-notice");
        browser.Find("#new-title").SendKeys("受理通知");
        browser.Find("#create-workflow").Click();
        browser.WaitForUrl(u => u.EndsWith("/admin/workflows/accept-notice", StringComparison.Ordinal));

        // The default manual start goes; an event and a notification come.
        browser.Find("g.wf-node[data-id='start'] rect").Click();
        browser.Find("#wf-remove").Click();
        Assert.Empty(driver.FindElements(By.CssSelector("g.wf-node")));
        browser.Find("button.wf-add[data-type='CaseStateChanged']").Click();
        SetProps(browser, """{"to":"Accepted"}""");
        // A decision table edited in its grid: the first input becomes the service item, the first rule tests it.
        browser.Find("button.wf-add[data-type='DecisionTable']").Click();
        SetCell(browser, "#wf-decision-grid th:nth-child(1) .dt-expression", "caseInfo.serviceItem");
        SetCell(browser, "#wf-decision-grid tr:nth-child(2) td:nth-child(1) .dt-cell", "ah");
        SetCell(browser, "#wf-decision-grid tr:nth-child(2) .dt-result", "Yes");
        browser.Find("g.wf-node[data-id='decisionTable1'] .wf-port[data-outcome='Yes']");
        browser.Find("button.wf-add[data-type='Notify']").Click();
        SetProps(browser, """{"toUser":"cz.admin","title":"新受理案件 {{ caseInfo.number }}"}""");
        var title = browser.Find("#wf-prop-title");
        title.Clear();
        title.SendKeys("通知管理员");

        // Connect on the canvas: the event to the table, the table's "Yes" to the notification.
        browser.Find("g.wf-node[data-id='caseStateChanged1'] .wf-port[data-outcome='Done']").Click();
        browser.Find("g.wf-node[data-id='decisionTable1'] rect").Click();
        browser.Find("g.wf-node[data-id='decisionTable1'] .wf-port[data-outcome='Yes']").Click();
        browser.Find("g.wf-node[data-id='notify1'] rect").Click();
        browser.Find("path.wf-edge[data-from='caseStateChanged1'][data-outcome='Done'][data-to='decisionTable1']");
        browser.Find("path.wf-edge[data-from='decisionTable1'][data-outcome='Yes'][data-to='notify1']");

        // Drag the notification 120 px down.
        var before = (long)((IJavaScriptExecutor)driver).ExecuteScript("return JSON.parse(document.getElementById('wf-json').value).activities.find(a => a.id === 'notify1').y;")!;
        new Actions(driver).DragAndDropToOffset(browser.Find("g.wf-node[data-id='notify1'] rect"), 0, 120).Perform();
        var after = (long)((IJavaScriptExecutor)driver).ExecuteScript("return JSON.parse(document.getElementById('wf-json').value).activities.find(a => a.id === 'notify1').y;")!;
        Assert.InRange(after - before, 100, 140);
        browser.Screenshot("workflow-designer-01-built");

        browser.Find("#wf-note").SendKeys("受理即通知");
        browser.Find("#wf-publish").Click();
        browser.WaitForText(".alert.success", "已发布为第 1 版。");
        Assert.Equal("v1", browser.Find("#published-version").Text);

        // A clerk accepts a case: the rule fires.
        var household = PipelineDriver.ChangzhouHousehold("钱多", 990);
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", household);
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.Accept));

        driver.Navigate().GoToUrl(root + "/tasks");
        Assert.Contains($"新受理案件 {c.Number}", browser.Find("#notification-list").Text, StringComparison.Ordinal);
        driver.Navigate().GoToUrl(root + "/admin/workflows/instances?definition=accept-notice");
        browser.Find("#instances a").Click();
        browser.WaitForText("#instance-status", "已完成");
        Assert.Contains("通知管理员", browser.Find("#steps").Text, StringComparison.Ordinal);
        Assert.Contains("Yes", browser.Find("#steps").Text, StringComparison.Ordinal);
        browser.Screenshot("workflow-designer-02-fired");
    }

    private static void SetCell(Infrastructure.Browser browser, string css, string value)
    {
        var cell = browser.Find(css);
        cell.Clear();
        cell.SendKeys(value + Keys.Tab);
    }

    private static void SetProps(Infrastructure.Browser browser, string json)
    {
        var props = browser.Find("#wf-prop-json");
        props.SendKeys(Keys.Control + "a");
        props.SendKeys(Keys.Delete);
        props.SendKeys(json);
        Assert.Equal(string.Empty, browser.Find("#wf-panel .field-error").Text);
    }
}
