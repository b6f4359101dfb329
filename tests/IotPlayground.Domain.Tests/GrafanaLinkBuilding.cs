using IotPlayground.Domain;

namespace IotPlayground.Domain.Tests;

public sealed class GrafanaLinkBuilding
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public void ARunningRunLinksToItsPlannedWindow()
    {
        var run = Run.Start(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), "alice", Start, new RunRequest(60, 5, RunParams.Default));

        Assert.Equal(
            "https://grafana.example.com/d/iot-run/run?var-runId=6f9619ff-8b86-d011-b42d-00cf4fc964ff&from=1700000000000&to=1700000060000",
            new GrafanaLinks(new Uri("https://grafana.example.com/")).ForRun(run));
    }

    [Fact]
    public void AnEndedRunLinksToTheWindowItHad()
    {
        var run = Run.Start(Guid.NewGuid(), "alice", Start, new RunRequest(60, 5, RunParams.Default))
            .End(RunStatus.Interrupted, EndReason.Interrupted, Start.AddSeconds(12));

        Assert.EndsWith("&from=1700000000000&to=1700000012000", new GrafanaLinks(new Uri("https://g.example.com/grafana")).ForRun(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://grafana.example.com")]
    [InlineData("/grafana")]
    public void OnlyAbsoluteHttpBaseUrlsAreAccepted(string baseUrl)
    {
        Assert.Throws<ArgumentException>(() => new GrafanaLinks(new Uri(baseUrl, UriKind.RelativeOrAbsolute)));
    }
}
