using IotPlayground.Testing;
using OpenQA.Selenium;

namespace IotPlayground.Web.Tests;

/// <summary>What a user does in the page, against each local backend.</summary>
public sealed class RunJourney(Playground playground) : IClassFixture<Playground>, IAsyncLifetime, IDisposable
{
    private readonly Browser _browser = new();

    public static TheoryData<string> Backends => ["ecs", "serverless"];

    public async Task InitializeAsync()
    {
        // The backends outlive a test: each test starts with every run interrupted.
        foreach (var backend in playground.Backends)
        {
            using var client = new HttpClient { BaseAddress = backend.Url };
            using var response = await client.Post("/api/runs/interrupt-all", "referee");
            Assert.True(response.IsSuccessStatusCode, $"interrupt-all on {backend.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}{playground.Diagnostics(backend)}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _browser.Dispose();

    [Theory]
    [MemberData(nameof(Backends))]
    public void ARunStartedInThePageSendsReadingsAndEndsInHistory(string backendId)
    {
        var user = $"alice-{backendId}";
        OpenPage(backendId, user);
        _browser.Type("#duration", "60");
        _browser.Type("#interval", "1");
        _browser.Type("#sensors", "2");
        _browser.Find("#start").Click();

        var card = _browser.Until(d => d.FindElements(By.CssSelector("li.run"))
            .FirstOrDefault(c => c.FindElement(By.CssSelector(".run-user")).Text == user))!;
        var runId = card.GetAttribute("data-run-id")!;
        _browser.Until(d => int.Parse(d.FindElement(By.CssSelector($"li.run[data-run-id='{runId}'] canvas")).GetAttribute("data-points") ?? "0",
            System.Globalization.CultureInfo.InvariantCulture) >= 4);
        Assert.StartsWith($"{Playground.GrafanaBaseUrl}/d/iot-run/run?var-runId={runId}", _browser.Find($"li.run[data-run-id='{runId}'] a.grafana").GetAttribute("href"), StringComparison.Ordinal);
        SaveScreenshot($"main-screen-{backendId}.png");

        _browser.Find($"li.run[data-run-id='{runId}'] .finish").Click();

        _browser.Until(d => d.FindElements(By.CssSelector($"li.run[data-run-id='{runId}']")).Count == 0);
        // The history's rows are drawn anew on each refresh: the row's text is read as it is found.
        var row = _browser.Until(d => d.FindElement(By.CssSelector($"#history tr[data-run-id='{runId}']")).Text);
        Assert.Contains("COMPLETED (finished)", row, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task TheSixthRunIsRefusedWithTheQuotaMessage(string backendId)
    {
        var backend = playground.Backends.Single(b => b.Id == backendId);
        using var client = new HttpClient { BaseAddress = backend.Url };
        for (var i = 0; i < 5; i++)
        {
            await client.StartedRun($"filler{i}");
        }

        OpenPage(backendId, $"latecomer-{backendId}");
        _browser.Until(d => d.FindElement(By.Id("quota")).Text.StartsWith("5/5", StringComparison.Ordinal));
        _browser.Find("#start").Click();

        var error = _browser.Until(d => d.FindElement(By.Id("error")) is { Displayed: true } e ? e : null)!;
        Assert.StartsWith("The run quota is reached.", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFormRefusesWhatTheApiWouldRefuseBeforeSendingIt()
    {
        OpenPage(playground.Backends[0].Id, "bob smith");
        RecordThePagesCalls();

        // The record hears the page's calls: its refresh asks the backend every two seconds.
        _browser.Until(_ => RecordedCalls().Any(c => c.StartsWith("GET ", StringComparison.Ordinal)));
        _browser.Type("#duration", "4");
        _browser.Find("#start").Click();

        var errors = _browser.Find("#form-errors").Text;
        Assert.Contains("duration must be between 5 and 86400", errors, StringComparison.Ordinal);
        Assert.Contains("user 1 to 64 characters", errors, StringComparison.Ordinal);

        // The click's handler runs to its first await before the click returns: a start it sent is recorded by now.
        Assert.DoesNotContain(RecordedCalls(), c => c.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Empty(_browser.Driver.FindElements(By.CssSelector("li.run")));
    }

    /// <summary>From now on, the page's fetch calls are recorded as "METHOD url" in the page itself.</summary>
    private void RecordThePagesCalls() =>
        _browser.Driver.ExecuteScript("""
            window.recordedCalls = [];
            const fetchAsThePageDoes = window.fetch;
            window.fetch = (url, options) => {
              window.recordedCalls.push(`${options?.method ?? "GET"} ${url}`);
              return fetchAsThePageDoes(url, options);
            };
            """);

    private List<string> RecordedCalls() =>
        ((IEnumerable<object>)_browser.Driver.ExecuteScript("return window.recordedCalls;")!).Select(c => (string)c).ToList();

    private void OpenPage(string backendId, string user) => _browser.OpenPage(playground.WebPage, backendId, user);

    /// <summary>Kept beside the test binaries (bin/.../screenshots), for a person to look at.</summary>
    private void SaveScreenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        _browser.Driver.GetScreenshot().SaveAsFile(path);
        Assert.True(new FileInfo(path).Length > 10_000, "The screenshot is empty.");
    }
}
