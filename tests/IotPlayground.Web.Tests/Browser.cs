using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace IotPlayground.Web.Tests;

/// <summary>Debian's headless Chromium, driven through Debian's ChromeDriver, with a profile of its own.</summary>
public sealed class Browser : IDisposable
{
    private readonly string _profile = Directory.CreateTempSubdirectory("iotplayground-chromium-").FullName;

    public Browser()
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1400,1000", $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    /// <summary>Waits, bounded, for what the page shows next: the page polls its backend every two seconds.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, int seconds = 30)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(200) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException timeout)
        {
            // What the page told its user is the clue: its error line and each simulator's status.
            var said = Driver.FindElements(By.CssSelector("#error, .sim-status, #quota")).Select(e => e.Text).Where(t => t.Length > 0);
            throw new WebDriverTimeoutException($"{timeout.Message} The page shows: {string.Join(" | ", said)}", timeout);
        }
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    /// <summary>Opens the page once it has shown the quota, on <paramref name="backendId"/>, as <paramref name="user"/>.</summary>
    public void OpenPage(Uri page, string backendId, string user)
    {
        Driver.Navigate().GoToUrl(page);
        Until(d => d.FindElement(By.Id("quota")).Text.Contains("running", StringComparison.Ordinal));
        // As a user's pick does: the select's value changes and the page hears a change event.
        Driver.ExecuteScript(
            "const s = document.getElementById('backend'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", backendId);
        Until(d => d.FindElement(By.Id("backend")).GetAttribute("value") == backendId);
        Type("#user", user);
        Find("#user").SendKeys(Keys.Tab);
    }

    public void Type(string css, string text)
    {
        var input = Find(css);
        input.Clear();
        input.SendKeys(text);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
