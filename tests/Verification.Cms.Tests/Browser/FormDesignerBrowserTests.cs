using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Verification.Cms.Tests.Infrastructure;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Browser;

/// <summary>
/// In Debian Chromium: an administrator builds a form in the designer — fields added, one made
/// conditional with the condition builder, a repeating group, fields reordered by drag and drop —
/// saves and publishes it; a clerk then sees the conditional field appear as they answer.
/// </summary>
public sealed class FormDesignerBrowserTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    [Fact]
    [Trait("Req", "R-1.2")]
    [Trait("Category", "Browser")]
    public async Task AnAdministratorBuildsAndPublishesAFormThatAClerkFillsIn()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var browser = new Infrastructure.Browser();
        var driver = browser.Driver;
        var root = host.BaseUrl + tenant.PathBase;
        browser.SignIn(root, "cz.admin", tenant.Logins["cz.admin"]);

        driver.Navigate().GoToUrl(root + "/admin/forms");
        browser.Find("#new-form #name").SendKeys("car-check");
        browser.Find("#new-form #title").SendKeys("车辆情况登记");
        browser.Find("#new-form button[type=submit]").Click();
        browser.WaitForUrl(u => u.EndsWith("/admin/forms/car-check", StringComparison.Ordinal));

        AddField(browser, "text", "ownerName", "车主姓名");
        browser.Find("#set-required").Click();
        AddField(browser, "choice", "hasCar", "是否有车");
        browser.Find("#set-options").SendKeys("yes=有" + Keys.Enter + "no=无");
        AddField(browser, "text", "plate", "车牌号");
        browser.Find("#cond-field option[value='hasCar']").Click();
        browser.Find("#cond-value").SendKeys("有");
        browser.Find("#cond-use").Click();
        Assert.Equal("hasCar == 'yes'", browser.Find("#set-visibleIf").GetAttribute("value"));
        AddField(browser, "group", "vehicles", "车辆");
        browser.Find("#new-target option[value='group:0:3']").Click();
        AddField(browser, "money", "value", "价值（元）");

        // Drag "plate" onto "ownerName": it moves before it. Then back down with the keyboard-friendly button.
        driver.ExecuteScript("""
            const from = document.querySelector('.field-list > li[data-key="plate"]');
            const to = document.querySelector('.field-list > li[data-key="ownerName"]');
            const data = new DataTransfer();
            from.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
            to.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
            to.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
            """);
        Assert.Equal(["plate", "ownerName", "hasCar", "vehicles"], Order(driver));
        browser.Find(".field-list > li[data-key='plate'] button[aria-label='下移']").Click();
        browser.Find(".field-list > li[data-key='plate'] button[aria-label='下移']").Click();
        Assert.Equal(["ownerName", "hasCar", "plate", "vehicles"], Order(driver));
        browser.Screenshot("designer-01-built");

        browser.Find("#designer-save").Click();
        browser.WaitForText("#designer-status", "草稿已保存。");
        browser.Find("#designer-publish").Click();
        Assert.Contains("已发布版本 1", browser.Find(".alert.success").Text, StringComparison.Ordinal);

        var published = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<FormService>().VersionAsync("car-check", 1, default));
        Assert.Equal(["ownerName", "hasCar", "plate", "vehicles"], published!.Fields.Select(f => f.Key));
        Assert.Equal("value", Assert.Single(published.Fields.Single(f => f.Key == "vehicles").Fields!).Key);

        // A clerk fills it in: the plate number appears once "有" is chosen.
        driver.Manage().Cookies.DeleteAllCookies();
        browser.SignIn(root, "cz.qiantai1", tenant.Logins["cz.qiantai1"]);
        driver.Navigate().GoToUrl(root + "/forms/car-check/new");
        var plate = browser.Find("[data-key='plate']");
        Assert.False(plate.Displayed);
        browser.Find("#f_hasCar option[value='yes']").Click();
        Assert.True(plate.Displayed);
        browser.Screenshot("designer-02-clerk-fills");
    }

    private static void AddField(Infrastructure.Browser browser, string type, string key, string label)
    {
        browser.Find($"#new-type option[value='{type}']").Click();
        browser.Find("#new-key").SendKeys(key);
        browser.Find("#new-label").SendKeys(label);
        browser.Find("#add-field").Click();
    }

    private static List<string> Order(IWebDriver driver) =>
        driver.FindElements(By.CssSelector(".field-list > li")).Select(e => e.GetAttribute("data-key")!).ToList();
}
