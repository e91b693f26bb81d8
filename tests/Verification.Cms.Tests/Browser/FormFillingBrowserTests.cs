using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Forms;
using Verification.Cms.Tests.Infrastructure;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Browser;

/// <summary>
/// In Debian Chromium: a front-desk clerk fills in a published form — a conditional field appears as
/// they answer, Chinese validation messages, a saved draft resumed later, submission — and after the
/// form's version 2 drops a field, the old submission still shows it (version 1).
/// </summary>
public sealed class FormFillingBrowserTests(KestrelHostFixture host) : IClassFixture<KestrelHostFixture>
{
    [Fact]
    [Trait("Req", "R-1.2")]
    [Trait("Category", "Browser")]
    public async Task AClerkFillsInSavesResumesAndSubmitsAFormThatKeepsItsVersion()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await TestForms.PublishAsync(host, tenant);
        using var browser = new Infrastructure.Browser();
        var driver = browser.Driver;
        var root = host.BaseUrl + tenant.PathBase;

        browser.SignIn(root, "cz.qiantai1", tenant.Logins["cz.qiantai1"]);

        browser.Find("a[href$='/forms']").Click();
        browser.Find("a[href$='/forms/declaration-test/new']").Click();

        // The spouse's name appears only once "married" is chosen — evaluated in the browser.
        var spouse = browser.Find("[data-key='spouseName']");
        Assert.False(spouse.Displayed);
        browser.Find("#f_maritalStatus option[value='married']").Click();
        Assert.True(spouse.Displayed);

        browser.Find("#f_applicantName").SendKeys("张伟");
        browser.Find("#f_applicantId").SendKeys("44052418800101001X");
        browser.Find("#f_monthlyIncome").SendKeys("1500");
        browser.Find("#next-page").Click();
        Assert.Equal("配偶姓名为必填项。", browser.Find("[data-key='spouseName'] .field-error").Text);
        Assert.Contains("GB 11643", browser.Find("[data-key='applicantId'] .field-error").Text, StringComparison.Ordinal);
        browser.Screenshot("forms-01-chinese-validation");

        var id = browser.Find("#f_applicantId");
        id.Clear();
        id.SendKeys("440524188001010014");
        browser.Find("#f_spouseName").SendKeys("李娜");
        browser.Find("#next-page").Click();

        browser.Find("button.add-row").Click();
        browser.Find("#f_members_0__name").SendKeys("张伟");
        browser.Find("#f_members_0__idNumber").SendKeys("440524188001010014");
        browser.Find("#f_members_0__relation option[value='01']").Click();
        browser.Find("#f_members_0__income").SendKeys("1200.5");
        Assert.Equal("1200.5", browser.Find("[data-key='totalIncome'] output").Text);
        browser.Find("#save-draft").Click();
        Assert.Contains("草稿已保存", browser.Find(".alert.success").Text, StringComparison.Ordinal);
        var draftUrl = driver.Url;
        browser.Screenshot("forms-02-draft-saved");

        // Later: resume the draft from the list.
        driver.Navigate().GoToUrl(root + "/forms");
        browser.Find("a[href*='/forms/declaration-test/s/']").Click();
        Assert.Equal("张伟", browser.Find("#f_applicantName").GetAttribute("value"));
        browser.Find("#next-page").Click();
        Assert.Equal("1200.5", browser.Find("#f_members_0__income").GetAttribute("value"));
        browser.Find("#submit-form").Click();
        Assert.Contains("已提交", browser.Find(".badge.ok").Text, StringComparison.Ordinal);
        var submittedUrl = driver.Url;
        Assert.Equal(draftUrl.Split('?')[0], submittedUrl.Split('?')[0]);

        // Version 2 drops the monthly income; the submission still renders with version 1.
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var forms = sp.GetRequiredService<FormService>();
            var v1 = TestForms.Declaration;
            await forms.SaveDraftAsync(v1 with { Pages = [v1.Pages[0] with { Fields = v1.Pages[0].Fields.Where(f => f.Key != "monthlyIncome").ToList() }, v1.Pages[1]] }, default);
            Assert.Equal(2, (await forms.PublishAsync("declaration-test", "cz.admin", confirmBreakingChanges: true, default)).Version);
        });
        driver.Navigate().GoToUrl(submittedUrl);
        Assert.Equal("v1", browser.Find("h1 .badge").Text);
        Assert.Equal("1500", browser.Find("#f_monthlyIncome").GetAttribute("value"));
        browser.Screenshot("forms-03-submitted-v1");

        // Printed, the submission is a document: its values, the version line, no menu and no buttons.
        var printed = PdfText(driver.ExecuteCdpCommand("Page.printToPDF", new Dictionary<string, object?> { ["printBackground"] = false })!);
        Assert.Contains("张伟", printed, StringComparison.Ordinal);
        Assert.Contains("表单版本 1", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("退出登录", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("已提交", printed, StringComparison.Ordinal);

        driver.Navigate().GoToUrl(root + "/forms/declaration-test/new");
        Assert.Equal("v2", browser.Find("h1 .badge").Text);
        Assert.Empty(driver.FindElements(By.Id("f_monthlyIncome")));
    }

    /// <summary>The text of a PDF that Chromium printed, read by poppler's pdftotext.</summary>
    private static string PdfText(object printResult)
    {
        var file = Path.Combine(Path.GetTempPath(), $"vcms-print-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, Convert.FromBase64String((string)((Dictionary<string, object?>)printResult)["data"]!));
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pdftotext", [file, "-"]) { RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        File.Delete(file);
        return text;
    }
}
