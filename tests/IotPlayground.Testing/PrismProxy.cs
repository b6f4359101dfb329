namespace IotPlayground.Testing;

/// <summary>
/// Stoplight Prism as a validating proxy (tests/scripts/prism.sh) in front of one backend: it checks every request and
/// answer against an OpenAPI document and, started with <c>--errors</c>, answers a violation with a problem of its own
/// whose <c>type</c> starts with <see cref="ErrorTypePrefix"/>.
/// </summary>
public sealed class PrismProxy : IAsyncDisposable
{
    public const string ErrorTypePrefix = "https://stoplight.io/prism/errors#";

    /// <summary>The request broke the document (Prism refused to forward it).</summary>
    public const string RequestRefused = ErrorTypePrefix + "UNPROCESSABLE_ENTITY";

    /// <summary>The backend's answer broke the document.</summary>
    public const string AnswerViolates = ErrorTypePrefix + "VIOLATIONS";

    private readonly string _folder;

    private PrismProxy(string folder, Uri endpoint) => (_folder, Endpoint) = (folder, endpoint);

    public Uri Endpoint { get; }

    /// <summary>What Prism logged (its violations among it): the clue when a test fails.</summary>
    public string Log => File.Exists(Path.Combine(_folder, "prism.log")) ? File.ReadAllText(Path.Combine(_folder, "prism.log")) : "";

    public static async Task<PrismProxy> StartAsync(string document, Uri upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var folder = Directory.CreateTempSubdirectory("iotplayground-prism-").FullName;
        var endpoint = await ServerScript.RunAsync("prism.sh", "start", folder, document, upstream.GetLeftPart(UriPartial.Authority));
        return new PrismProxy(folder, new Uri(endpoint));
    }

    public async ValueTask DisposeAsync() => await ServerScript.RunAsync("prism.sh", "remove", _folder);
}
