using System.Text;
using System.Text.Json.Nodes;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Tests;

public sealed class LambdaBootstrapTests : IDisposable
{
    private readonly FakeRuntimeApi _api = new();
    private readonly StringWriter _output = new();

    [Fact]
    public async Task EachInvocationIsAnsweredWithItsRequestIdAndSeesItsDeadline()
    {
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(20).ToUnixTimeMilliseconds());
        _api.Enqueue("req-1", "\"one\"", deadline).Enqueue("req-2", "\"two\"");
        var seen = new List<LambdaContext>();

        var exitCode = await RunAsync(new Handler((invocation, context) =>
        {
            seen.Add(context);
            Assert.Same(context, LambdaContext.Current);
            return Encoding.UTF8.GetBytes($"\"answer to {Encoding.UTF8.GetString(invocation.Payload).Trim('"')}\"");
        }));

        Assert.Equal(0, exitCode);
        Assert.Equal(["req-1", "req-2"], seen.Select(c => c.RequestId));
        Assert.Equal(deadline, seen[0].Deadline);
        Assert.Equal("\"answer to one\"", _api.ResponseTo("req-1"));
        Assert.Equal("\"answer to two\"", _api.ResponseTo("req-2"));
    }

    [Fact]
    public async Task AFailedInvocationIsReportedAndTheLoopGoesOn()
    {
        _api.Enqueue("bad", "{}").Enqueue("good", "{}");

        await RunAsync(new Handler((invocation, _) => invocation.RequestId == "bad"
            ? throw new InvalidOperationException("handler broke")
            : "\"fine\""u8.ToArray()));

        var error = Assert.Single(_api.Posts, p => p.Path == "invocation/bad/error");
        Assert.Equal(typeof(InvalidOperationException).FullName, error.ErrorType);
        Assert.Equal("handler broke", (string?)JsonNode.Parse(error.Body)!["errorMessage"]);
        Assert.Equal("\"fine\"", _api.ResponseTo("good"));
        var log = JsonNode.Parse(Assert.Single(Lines(), l => l.Contains("invocation_failed", StringComparison.Ordinal)))!;
        Assert.Equal("ERROR", (string?)log["level"]);
        Assert.Equal("bad", (string?)log["requestId"]);
    }

    [Fact]
    public async Task AFailedInitializationIsReportedAsAnInitErrorAndEndsTheProcess()
    {
        _api.Enqueue("never", "{}");

        var exitCode = await LambdaBootstrap.RunAsync(
            () => throw new InvalidOperationException("RUNS_TABLE is not set"), _api.Client, Log(), TimeProvider.System, _api.Drained);

        Assert.Equal(1, exitCode);
        var error = Assert.Single(_api.Posts);
        Assert.Equal("init/error", error.Path);
        Assert.Equal("RUNS_TABLE is not set", (string?)JsonNode.Parse(error.Body)!["errorMessage"]);
    }

    [Fact]
    public async Task AResponseTheRuntimeApiRefusesIsReportedAsAnInvocationError()
    {
        _api.Enqueue("huge", "{}");
        _api.RefuseResponses = true;

        await RunAsync(new Handler((_, _) => "\"too big\""u8.ToArray()));

        Assert.Single(_api.Posts, p => p.Path == "invocation/huge/error");
    }

    [Fact]
    public async Task RefusedResponsesAndErrorsAreLoggedAndTheLoopGoesOn()
    {
        _api.Enqueue("abandoned", "{}").Enqueue("broken", "{}").Enqueue("next", "{}");
        _api.RefuseEveryPost = true;
        var handled = new List<string>();

        var exitCode = await RunAsync(new Handler((invocation, _) =>
        {
            handled.Add(invocation.RequestId);
            return invocation.RequestId == "broken" ? throw new InvalidOperationException("handler broke") : "\"late\""u8.ToArray();
        }));

        Assert.Equal(0, exitCode);
        Assert.Equal(["abandoned", "broken", "next"], handled);
        Assert.Equal(2, Lines().Count(l => l.Contains("response_refused", StringComparison.Ordinal)));
        Assert.Single(Lines(), l => l.Contains("error_refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedNextEndsTheProcessWithAnError()
    {
        _api.Enqueue("last", "{}");
        _api.FailNextWhenDrained = true;

        var exitCode = await RunAsync(new Handler((_, _) => "\"done\""u8.ToArray()));

        Assert.Equal(1, exitCode);
        Assert.Equal("\"done\"", _api.ResponseTo("last"));
        Assert.Single(Lines(), l => l.Contains("next_failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHandlerIsCancelledBeforeTheDeadlineSoThatItCanStillAnswer()
    {
        _api.Enqueue("slow", "{}", DateTimeOffset.UtcNow.AddMilliseconds(LambdaBootstrap.DeadlineMargin.TotalMilliseconds + 300));

        await RunAsync(new Handler(async (_, _, cancellationToken) =>
        {
            var cancelled = new TaskCompletionSource();
            using var registration = cancellationToken.Register(cancelled.SetResult);
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return "\"gave up in time\""u8.ToArray();
        }));

        Assert.Equal("\"gave up in time\"", _api.ResponseTo("slow"));
    }

    public void Dispose()
    {
        _api.Dispose();
        _output.Dispose();
    }

    private Task<int> RunAsync(IInvocationHandler handler) =>
        LambdaBootstrap.RunAsync(() => handler, _api.Client, Log(), TimeProvider.System, _api.Drained);

    private JsonLog Log() => new(_output, "test", TimeProvider.System);

    private string[] Lines() => _output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private sealed class Handler(Func<Invocation, LambdaContext, CancellationToken, Task<byte[]>> handle) : IInvocationHandler
    {
        public Handler(Func<Invocation, LambdaContext, byte[]> handle)
            : this((invocation, context, _) => Task.FromResult(handle(invocation, context)))
        {
        }

        public Task<byte[]> HandleAsync(Invocation invocation, LambdaContext context, CancellationToken cancellationToken) =>
            handle(invocation, context, cancellationToken);
    }
}
