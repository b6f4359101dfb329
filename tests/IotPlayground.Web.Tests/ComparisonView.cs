using System.Drawing;
using System.Globalization;
using System.Net.Http.Json;
using IotPlayground.Compare;
using OpenQA.Selenium;

namespace IotPlayground.Web.Tests;

/// <summary>The page's comparison of the two backends: what the browser measured, and the latest compare report.</summary>
public sealed class ComparisonView(Playground playground) : IClassFixture<Playground>, IDisposable
{
    private static readonly string[] TwoMeasures = ["temperature", "humidity"];
    private readonly Browser _browser = new();

    public void Dispose() => _browser.Dispose();

    [Fact]
    public void EachBackendGetsAChartOfTheAnswerTimesThisPageMeasuredAgainstIt()
    {
        // The page measures the backend it polls: first one, then, switched, the other; each keeps its own chart.
        _browser.OpenPage(playground.WebPage, "serverless", "carol");
        _browser.Until(d => Samples(d, "serverless") >= 4);
        var ecsBefore = Samples(_browser.Driver, "ecs");
        _browser.Driver.ExecuteScript(
            "const s = document.getElementById('backend'); s.value = 'ecs'; s.dispatchEvent(new Event('change'));");
        _browser.Until(d => Samples(d, "ecs") >= ecsBefore + 4);

        foreach (var backend in new[] { "ecs", "serverless" })
        {
            var figure = _browser.Find($"figure.backend-latency[data-backend='{backend}']");
            Assert.NotEmpty(figure.FindElements(By.CssSelector("svg path.distribution")));
            Assert.Matches(@"p50 \d+ · p95 \d+ · p99 \d+ · max \d+ ms, \d+ calls, \d+ cold starts", figure.FindElement(By.TagName("figcaption")).Text);
        }
    }

    [Fact]
    public void TheLatestCompareReportsTablesAreShownAsTheToolWroteThem()
    {
        var report = SmallReport();
        File.WriteAllText(playground.ComparisonFile, ReportWriter.JsonDocument(report));

        _browser.OpenPage(playground.WebPage, "ecs", "dave");
        var table = _browser.Until(d => d.FindElement(By.CssSelector("table.report-table[data-profile='smoke']")));

        var expected = report.Tables.Single();
        Assert.Equal(expected.Header, table.FindElements(By.CssSelector("thead th")).Select(th => th.Text));
        var rows = table.FindElements(By.CssSelector("tbody tr")).Select(tr => tr.FindElements(By.TagName("td")).Select(td => td.Text).ToList()).ToList();
        Assert.Equal(expected.Rows.Select(r => r.ToList()), rows);
        Assert.Contains("processors", _browser.Find("#report-status").Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtAPhonesWidthThePageWithARunningRunFitsTheScreen()
    {
        var backend = playground.Backends[0];
        using (var client = new HttpClient { BaseAddress = backend.Url })
        using (var start = new HttpRequestMessage(HttpMethod.Post, "/api/runs/start")
        {
            Content = JsonContent.Create(new { duration = 60, interval = 5, @params = new { sensorCount = 2, measures = TwoMeasures } }),
        })
        {
            start.Headers.Add("X-User", "phone-user");
            (await client.SendAsync(start)).EnsureSuccessStatusCode();
        }

        _browser.Driver.Manage().Window.Size = new Size(390, 844);
        _browser.OpenPage(playground.WebPage, backend.Id, "phone-user");
        _browser.Until(d => d.FindElements(By.CssSelector("li.run")).Count > 0 && d.FindElements(By.CssSelector("#history tr")).Count > 0);

        var (scrollWidth, viewport) = (Number("return document.documentElement.scrollWidth"), Number("return window.innerWidth"));
        Assert.True(scrollWidth <= viewport, $"The page is {scrollWidth} px wide in a {viewport} px viewport.");
    }

    private long Number(string script) => Convert.ToInt64(_browser.Driver.ExecuteScript(script), CultureInfo.InvariantCulture);

    private static int Samples(IWebDriver driver, string backend) => int.Parse(
        driver.FindElement(By.CssSelector($"figure.backend-latency[data-backend='{backend}'] svg")).GetAttribute("data-samples") ?? "0",
        CultureInfo.InvariantCulture);

    /// <summary>A report of two backends, figures from samples written here: the page must show what the tool computed.</summary>
    private static ComparisonReport SmallReport()
    {
        var profile = WorkloadFile.Load(IotPlayground.Testing.Repository.Path("apps", "IotPlayground.Compare", "workloads.json"))["smoke"];
        RepetitionResult Repetition(double scale) => new(
            [
                new("POST /api/runs/start", 0, 12 * scale, 201, null, false),
                new("POST /api/sensors/data", 1, 4 * scale, 201, null, scale > 1),
                new("POST /api/sensors/data", 2, 3 * scale, 409, "run_not_running", false),
            ],
            8,
            1,
            1);
        return new ComparisonReport(
            DateTimeOffset.Parse("2026-12-01T10:00:00Z", CultureInfo.InvariantCulture),
            MachineInfo.Current("abc1234"),
            [new ProfileFigures(profile,
            [
                BackendFigures.From(new BackendTarget("container", new Uri("http://127.0.0.1:1"), "test"), profile, [Repetition(1)]),
                BackendFigures.From(new BackendTarget("serverless", new Uri("http://127.0.0.1:2"), "test"), profile, [Repetition(10)]),
            ])]);
    }
}

/// <summary>Where no Grafana runs, the page says so instead of linking to a server that is not there.</summary>
public sealed class PageWithoutGrafana(PlaygroundWithoutGrafana playground) : IClassFixture<PlaygroundWithoutGrafana>, IDisposable
{
    private readonly Browser _browser = new();

    public void Dispose() => _browser.Dispose();

    [Fact]
    public async Task ARunsCardAndItsHistoryRowSayThereIsNoGrafanaAndLinkNowhere()
    {
        var backend = playground.Backends[0];
        using (var client = new HttpClient { BaseAddress = backend.Url })
        using (var start = new HttpRequestMessage(HttpMethod.Post, "/api/runs/start") { Content = JsonContent.Create(new { duration = 60, interval = 5 }) })
        {
            start.Headers.Add("X-User", "erin");
            (await client.SendAsync(start)).EnsureSuccessStatusCode();
        }

        _browser.OpenPage(playground.WebPage, backend.Id, "erin");
        var card = _browser.Until(d => d.FindElements(By.CssSelector("li.run")).FirstOrDefault());
        Assert.Equal("no Grafana in this playground", card!.FindElement(By.CssSelector(".no-grafana")).Text);
        var link = card.FindElement(By.CssSelector("a.grafana"));
        Assert.False(link.Displayed);
        Assert.Null(link.GetAttribute("href"));
        var note = _browser.Until(d => d.FindElements(By.CssSelector("#history tr .no-grafana")).FirstOrDefault()?.Text);
        Assert.Equal("no Grafana here", note);
    }
}
