using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IotPlayground.Lambda.Runtime;

/// <summary>One invocation as the Runtime API hands it out.</summary>
public sealed record Invocation(string RequestId, DateTimeOffset Deadline, string? FunctionArn, string? TraceId, byte[] Payload);

/// <summary>
/// The Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): the only four calls a
/// custom runtime makes.
/// </summary>
public sealed class RuntimeApiClient(HttpClient http)
{
    public const string Variable = "AWS_LAMBDA_RUNTIME_API";
    private const string Version = "2018-06-01";
    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    private const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    /// <summary>A client for the Runtime API that <c>AWS_LAMBDA_RUNTIME_API</c> names.</summary>
    public static RuntimeApiClient FromEnvironment()
    {
        var api = Environment.GetEnvironmentVariable(Variable)
            ?? throw new InvalidOperationException($"{Variable} is not set: this executable runs inside Lambda or a local Lambda host.");

        // Waiting for the next invocation is a long poll that may last as long as the function stays idle.
        return new RuntimeApiClient(new HttpClient { BaseAddress = new Uri($"http://{api}/{Version}/runtime/"), Timeout = Timeout.InfiniteTimeSpan });
    }

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.GetAsync(new Uri("invocation/next", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var requestId = Single(response.Headers, RequestIdHeader)
            ?? throw new InvalidOperationException($"The Runtime API sent an invocation without {RequestIdHeader}.");
        var deadline = long.TryParse(Single(response.Headers, DeadlineHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new InvalidOperationException($"The Runtime API sent invocation {requestId} without a valid {DeadlineHeader}.");
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new Invocation(requestId, deadline, Single(response.Headers, FunctionArnHeader), Single(response.Headers, TraceIdHeader), payload);
    }

    public Task RespondAsync(string requestId, byte[] response, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{requestId}/response", response, errorType: null, cancellationToken);

    public Task ReportInvocationErrorAsync(string requestId, Exception exception, CancellationToken cancellationToken) =>
        PostErrorAsync($"invocation/{requestId}/error", exception, cancellationToken);

    public Task ReportInitErrorAsync(Exception exception, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", exception, cancellationToken);

    private Task PostErrorAsync(string path, Exception exception, CancellationToken cancellationToken)
    {
        var error = RuntimeError.From(exception);
        return PostAsync(path, JsonSerializer.SerializeToUtf8Bytes(error, LambdaJson.Default.RuntimeError), error.ErrorType, cancellationToken);
    }

    private async Task PostAsync(string path, byte[] body, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static string? Single(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
