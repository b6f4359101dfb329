using System.Net.Http.Json;
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
        using var client = new HttpClient();
        foreach (var backend in playground.Backends)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(backend.Url, "/api/runs/interrupt-all"));
            request.Headers.Add("X-User", "referee");
            using var response = await client.SendAsync(request);
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
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs/start") { Content = JsonContent.Create(new { duration = 600, interval = 5 }) };
            request.Headers.Add("X-User", $"filler{i}");
            (await client.SendAsync(request)).EnsureSuccessStatusCode();
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
        _browser.Type("#duration", "4");
        _browser.Find("#start").Click();

        var errors = _browser.Find("#form-errors").Text;
        Assert.Contains("duration must be between 5 and 86400", errors, StringComparison.Ordinal);
        Assert.Contains("user 1 to 64 characters", errors, StringComparison.Ordinal);
        Assert.Empty(_browser.Driver.FindElements(By.CssSelector("li.run")));
    }

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
