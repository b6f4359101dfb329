namespace IotPlayground.Contract;

/// <summary>The headers of the HTTP contract.</summary>
public static class HeaderNames
{
    /// <summary>Names the caller; required on every write.</summary>
    public const string User = "X-User";

    /// <summary>"true" on a list that was cut at its limit.</summary>
    public const string Truncated = "X-Truncated";

    public const string ContentType = "Content-Type";

    /// <summary>
    /// "true" on the answer of the first invocation a new function instance handled, set by the local serverless host,
    /// which starts the instances: how the compare tool and the web page mark cold starts.
    /// </summary>
    public const string ColdStart = "X-Cold-Start";
}

/// <summary>What the local serverless host serves beside the contract, to tools on the same machine.</summary>
public static class LocalHostPaths
{
    /// <summary>Each function's usage since the host started: invocations, billed duration, cold starts, EMF metric sums.</summary>
    public const string Usage = "/_lambda/usage";
}

/// <summary>
/// What the web frontend's origin may do from a browser: the one CORS rule the container API's middleware, API
/// Gateway's preflight (the CDK), the local host's preflight and the functions' answers are all built from.
/// </summary>
public static class CorsRule
{
    public static IReadOnlyList<string> Methods { get; } = ["GET", "POST"];

    public static IReadOnlyList<string> RequestHeaders { get; } = [HeaderNames.ContentType, HeaderNames.User];

    public static IReadOnlyList<string> ExposedHeaders { get; } = [HeaderNames.Truncated, HeaderNames.ColdStart];

    /// <summary>How long a browser may keep a preflight's answer.</summary>
    public static readonly TimeSpan PreflightMaxAge = TimeSpan.FromHours(1);

    public const string AllowOriginHeader = "Access-Control-Allow-Origin";

    /// <summary>What an answer carries for a host whose gateway answers the preflight itself (API Gateway).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders(string origin) =>
    [
        new(AllowOriginHeader, origin),
        new("Access-Control-Expose-Headers", string.Join(',', ExposedHeaders)),
        new("Vary", "Origin"),
    ];
}

/// <summary>The settings the hosts read from their environment, as the CDK sets them.</summary>
public static class SettingNames
{
    /// <summary>Environment variables of both Lambda functions.</summary>
    public static class Lambda
    {
        public const string RunsTable = "RUNS_TABLE";
        public const string SensorDataTable = "SENSOR_DATA_TABLE";
        public const string GrafanaBaseUrl = "GRAFANA_BASE_URL";

        /// <summary>The web frontend's origin; unset when the frontend is served from the API's own origin.</summary>
        public const string CorsAllowedOrigin = "CORS_ALLOWED_ORIGIN";
    }

    /// <summary>Configuration of the container API: sections, and the environment variables that set them.</summary>
    public static class ContainerApi
    {
        public const string GrafanaSection = "Grafana";
        public const string GrafanaBaseUrl = GrafanaSection + "__BaseUrl";

        /// <summary>The section holding <c>AllowedOrigins</c>, the frontend origins CORS allows.</summary>
        public const string CorsSection = "Cors";

        /// <summary>The first entry of <c>Cors:AllowedOrigins</c>.</summary>
        public const string CorsAllowedOrigin = CorsSection + "__AllowedOrigins__0";
    }
}
