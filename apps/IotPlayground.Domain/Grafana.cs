using System.Globalization;

namespace IotPlayground.Domain;

/// <summary>The Run dashboard as provisioned from apps/grafana/dashboards; a test holds these to that file.</summary>
public static class RunDashboard
{
    public const string Uid = "iot-run";
    public const string Slug = "run";
    public const string RunIdVariable = "runId";
}

/// <summary>Builds each run's link to the Run dashboard, filtered on that run and its time window.</summary>
public sealed class GrafanaLinks
{
    private readonly string _baseUrl;

    public GrafanaLinks(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The Grafana base URL must be an absolute http(s) URL, not '{baseUrl}'.", nameof(baseUrl));
        }

        _baseUrl = baseUrl.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>The window is the run's planned one until it ends, then the one it really had.</summary>
    public string ForRun(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var to = run.FinishedAt ?? run.StartedAt.AddSeconds(run.Duration);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{_baseUrl}/d/{RunDashboard.Uid}/{RunDashboard.Slug}?var-{RunDashboard.RunIdVariable}={run.Id:D}&from={run.StartedAt.ToUnixTimeMilliseconds()}&to={to.ToUnixTimeMilliseconds()}");
    }
}
