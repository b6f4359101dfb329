using System.Net;
using System.Text;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Tests;

/// <summary>
/// The Runtime API as Lambda serves it, in memory: hands out the queued invocations, records what the runtime posts
/// back, and, once the queue is empty, stops the loop the way a frozen execution environment never returns.
/// </summary>
internal sealed class FakeRuntimeApi : HttpMessageHandler
{
    private readonly Queue<(string RequestId, DateTimeOffset Deadline, string Payload)> _invocations = new();
    private readonly CancellationTokenSource _drained = new();

    public List<(string Path, string Body, string? ErrorType)> Posts { get; } = [];

    public CancellationToken Drained => _drained.Token;

    /// <summary>Answers responses as Lambda answers one over its size limit.</summary>
    public bool RefuseResponses { get; set; }

    /// <summary>Answers every response and error post as Lambda answers one for an invocation that is over (404).</summary>
    public bool RefuseEveryPost { get; set; }

    /// <summary>Once the queue is empty, answers /next with the 500 that the Runtime API documents as "exit now".</summary>
    public bool FailNextWhenDrained { get; set; }

    public RuntimeApiClient Client => new(new HttpClient(this) { BaseAddress = new Uri("http://runtime.test/2018-06-01/runtime/") });

    public FakeRuntimeApi Enqueue(string requestId, string payload, DateTimeOffset? deadline = null)
    {
        _invocations.Enqueue((requestId, deadline ?? DateTimeOffset.UtcNow.AddSeconds(30), payload));
        return this;
    }

    public string ResponseTo(string requestId) => Assert.Single(Posts, p => p.Path == $"invocation/{requestId}/response").Body;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath["/2018-06-01/runtime/".Length..];
        if (request.Method == HttpMethod.Get && path == "invocation/next")
        {
            if (!_invocations.TryDequeue(out var next))
            {
                if (FailNextWhenDrained)
                {
                    return new HttpResponseMessage(HttpStatusCode.InternalServerError);
                }

                await _drained.CancelAsync();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(next.Payload, Encoding.UTF8, "application/json") };
            response.Headers.Add("Lambda-Runtime-Aws-Request-Id", next.RequestId);
            response.Headers.Add("Lambda-Runtime-Deadline-Ms", next.Deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.Headers.Add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:test");
            return response;
        }

        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var errorType = request.Headers.TryGetValues("Lambda-Runtime-Function-Error-Type", out var values) ? values.Single() : null;
        Posts.Add((path, body, errorType));
        return RefuseEveryPost && path.StartsWith("invocation/", StringComparison.Ordinal) ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : RefuseResponses && path.EndsWith("/response", StringComparison.Ordinal) ? new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge)
            : new HttpResponseMessage(HttpStatusCode.Accepted);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _drained.Dispose();
        }

        base.Dispose(disposing);
    }
}
