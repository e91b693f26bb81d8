using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Verification.Cms.Tests.Infrastructure;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Browser;

/// <summary>
/// In Debian Chromium, one continuous story: an administrator builds a form in the designer —
/// fields added, one made conditional with the condition builder, a repeating group, a signature,
/// fields reordered by drag and drop — saves and publishes it; a clerk fills it in, sees Chinese
/// validation messages, draws the signature, saves a draft, resumes it and submits; the
/// administrator removes a field in the designer and publishes version 2 past the breaking-change
/// warning; the clerk's submission still renders with version 1.
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
        browser.Find("#new-target option[value='page:0']").Click();
        AddField(browser, "signature", "signature", "登记人签名");

        // Drag "plate" onto "ownerName": it moves before it. Then back down with the keyboard-friendly button.
        driver.ExecuteScript("""
            const from = document.querySelector('.field-list > li[data-key="plate"]');
            const to = document.querySelector('.field-list > li[data-key="ownerName"]');
            const data = new DataTransfer();
            from.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
            to.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
            to.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
            """);
        Assert.Equal(["plate", "ownerName", "hasCar", "vehicles", "signature"], Order(driver));
        browser.Find(".field-list > li[data-key='plate'] button[aria-label='下移']").Click();
        browser.Find(".field-list > li[data-key='plate'] button[aria-label='下移']").Click();
        Assert.Equal(["ownerName", "hasCar", "plate", "vehicles", "signature"], Order(driver));
        browser.Screenshot("designer-01-built");

        browser.Find("#designer-save").Click();
        browser.WaitForText("#designer-status", "草稿已保存。");
        browser.Find("#designer-publish").Click();
        Assert.Contains("已发布版本 1", browser.Find(".alert.success").Text, StringComparison.Ordinal);

        var published = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<FormService>().VersionAsync("car-check", 1, default));
        Assert.Equal(["ownerName", "hasCar", "plate", "vehicles", "signature"], published!.Fields.Select(f => f.Key));
        Assert.Equal("value", Assert.Single(published.Fields.Single(f => f.Key == "vehicles").Fields!).Key);

        // A clerk fills it in: the plate number appears once "有" is chosen.
        driver.Manage().Cookies.DeleteAllCookies();
        browser.SignIn(root, "cz.qiantai1", tenant.Logins["cz.qiantai1"]);
        driver.Navigate().GoToUrl(root + "/forms/car-check/new");
        var plate = browser.Find("[data-key='plate']");
        Assert.False(plate.Displayed);
        browser.Find("#f_hasCar option[value='yes']").Click();
        Assert.True(plate.Displayed);
        browser.Find("#f_plate").SendKeys("苏D12345");
        browser.Find("#submit-form").Click();
        Assert.Equal("车主姓名为必填项。", browser.Find("[data-key='ownerName'] .field-error").Text);
        browser.Screenshot("designer-02-clerk-chinese-validation");

        browser.Find("#f_ownerName").SendKeys("周建华");
        browser.Find("button.add-row").Click();
        browser.Find("#f_vehicles_0__value").SendKeys("86000");
        var canvas = browser.Find(".signature-pad canvas");
        new OpenQA.Selenium.Interactions.Actions(driver).MoveToElement(canvas, -100, 0).ClickAndHold().MoveByOffset(60, 25).MoveByOffset(60, -30).MoveByOffset(50, 20).Release().Perform();
        Assert.StartsWith("data:image/png;base64,", browser.Find(".signature-pad input[type=hidden]").GetAttribute("value"), StringComparison.Ordinal);
        browser.Find("#save-draft").Click();
        Assert.Contains("草稿已保存", browser.Find(".alert.success").Text, StringComparison.Ordinal);
        Assert.NotNull(browser.Find("img.signature-image"));
        browser.Screenshot("designer-03-draft-with-signature");

        driver.Navigate().GoToUrl(root + "/forms");
        browser.Find("a[href*='/forms/car-check/s/']").Click();
        Assert.Equal("周建华", browser.Find("#f_ownerName").GetAttribute("value"));
        Assert.Equal("86000", browser.Find("#f_vehicles_0__value").GetAttribute("value"));
        browser.Find("#submit-form").Click();
        Assert.Contains("已提交", browser.Find(".badge.ok").Text, StringComparison.Ordinal);
        var submittedUrl = driver.Url;

        // Version 2 without the plate number, published in the designer past the warning.
        driver.Manage().Cookies.DeleteAllCookies();
        browser.SignIn(root, "cz.admin", tenant.Logins["cz.admin"]);
        driver.Navigate().GoToUrl(root + "/admin/forms/car-check");
        browser.Find(".field-list > li[data-key='plate'] button[aria-label='移除']").Click();
        Assert.Equal(["ownerName", "hasCar", "vehicles", "signature"], Order(driver));
        browser.Find("#designer-save").Click();
        browser.WaitForText("#designer-status", "草稿已保存。");
        browser.Find("#designer-publish").Click();
        Assert.Contains("plate", browser.Find("#breaking-changes").Text, StringComparison.Ordinal);
        browser.Screenshot("designer-04-breaking-change");
        browser.Find("#confirm-publish").Click();
        Assert.Contains("已发布版本 2", browser.Find(".alert.success").Text, StringComparison.Ordinal);

        // The submission made with version 1 still shows version 1 and its plate number.
        driver.Navigate().GoToUrl(submittedUrl);
        Assert.Equal("v1", browser.Find("h1 .badge").Text);
        Assert.Equal("苏D12345", browser.Find("#f_plate").GetAttribute("value"));
        Assert.NotNull(browser.Find("img.signature-image"));
        browser.Screenshot("designer-05-old-submission-v1");
        driver.Navigate().GoToUrl(root + "/forms/car-check/new");
        Assert.Equal("v2", browser.Find("h1 .badge").Text);
        Assert.Empty(driver.FindElements(By.CssSelector("#f_plate")));
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
