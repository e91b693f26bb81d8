using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Verification.Cms.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven by Debian's chromedriver (never a downloaded one).
/// Screenshots go to $VCMS_SCREENSHOTS (the test command sets it under TestResults).
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "vcms-chrome-" + Guid.NewGuid().ToString("N")[..8]);

    public Browser()
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900", "--lang=en-US",
            "--user-data-dir=" + _profile);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    public ChromeDriver Driver { get; }

    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("VCMS_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Signs in through the tenant's login page and waits for the admin dashboard.</summary>
    public void SignIn(string tenantRoot, string userName, string password)
    {
        Driver.Navigate().GoToUrl(tenantRoot + "/login");
        Find("#UserName").SendKeys(userName);
        Find("#Password").SendKeys(password);
        Find("#login-submit").Click();
        WaitForUrl(u => u.EndsWith("/admin", StringComparison.Ordinal));
    }

    public IWebElement Find(string css) => Wait().Until(d => d.FindElement(By.CssSelector(css)));

    public void WaitForText(string css, string text) => Wait().Until(d => d.FindElement(By.CssSelector(css)).Text.Contains(text, StringComparison.Ordinal));

    public void WaitForUrl(Func<string, bool> condition) => Wait().Until(d => condition(d.Url));

    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var file = Path.Combine(ScreenshotFolder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(file);
        return file;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private WebDriverWait Wait()
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(30));
        // A page that reloads between finding an element and reading it is simply looked at again.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait;
    }
}
