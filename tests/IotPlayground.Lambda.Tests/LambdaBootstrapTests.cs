using System.Text;
using System.Text.Json.Nodes;
using IotPlayground.Lambda.Runtime;
using IotPlayground.LambdaEmulator;
using IotPlayground.Testing;

namespace IotPlayground.Lambda.Tests;

public sealed class LambdaBootstrapTests : IAsyncLifetime
{
    private InProcessRuntime _runtime = null!;

    public async Task InitializeAsync() => _runtime = await InProcessRuntime.StartAsync();

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task EachInvocationIsAnsweredWithItsRequestIdAndSeesItsDeadline()
    {
        var seen = new List<LambdaContext>();
        _runtime.Run(() => new Handler((invocation, context) =>
        {
            seen.Add(context);
            Assert.Same(context, LambdaContext.Current);
            return Encoding.UTF8.GetBytes($"\"answer to {Encoding.UTF8.GetString(invocation.Payload).Trim('"')}\"");
        }));

        var sent = DateTimeOffset.UtcNow;
        var one = await _runtime.InvokeAsync("\"one\"", TimeSpan.FromSeconds(20));
        var two = await _runtime.InvokeAsync("\"two\"");

        Assert.Equal(0, await _runtime.StopAsync());
        Assert.Equal("\"answer to one\"", one.BodyText());
        Assert.Equal("\"answer to two\"", two.BodyText());
        Assert.Equal([one.RequestId, two.RequestId], seen.Select(c => c.RequestId));
        Assert.NotEqual(one.RequestId, two.RequestId);
        Assert.InRange(seen[0].Deadline, sent.AddSeconds(20).AddMilliseconds(-1), DateTimeOffset.UtcNow.AddSeconds(20));
        Assert.Equal(_runtime.Function.Arn, seen[0].FunctionArn);
    }

    [Fact]
    public async Task AFailedInvocationIsReportedAndTheLoopGoesOn()
    {
        _runtime.Run(() => new Handler((invocation, _) => Encoding.UTF8.GetString(invocation.Payload) == "\"bad\""
            ? throw new InvalidOperationException("handler broke")
            : "\"fine\""u8.ToArray()));

        var bad = await _runtime.InvokeAsync("\"bad\"");
        var good = await _runtime.InvokeAsync("\"good\"");

        Assert.Equal(InvocationOutcome.FunctionError, bad.Outcome);
        Assert.Equal(typeof(InvalidOperationException).FullName, bad.ErrorType);
        Assert.Equal("handler broke", (string?)JsonNode.Parse(bad.Body)!["errorMessage"]);
        Assert.Equal("\"fine\"", good.BodyText());
        var log = Assert.Single(_runtime.LogLines.WithMessage("invocation_failed"));
        Assert.Equal("ERROR", (string?)log["level"]);
        Assert.Equal(bad.RequestId, (string?)log["requestId"]);
    }

    [Fact]
    public async Task AFailedInitializationIsReportedAsAnInitErrorAndEndsTheProcess()
    {
        var waiting = _runtime.InvokeAsync("{}");

        _runtime.Run(() => throw new InvalidOperationException("RUNS_TABLE is not set"));

        Assert.Equal(1, await _runtime.ExitCode);
        var result = await waiting;
        Assert.Equal(InvocationOutcome.InitError, result.Outcome);
        Assert.Equal("RUNS_TABLE is not set", (string?)JsonNode.Parse(result.Body)!["errorMessage"]);
    }

    [Fact]
    public async Task AResponseTheRuntimeApiRefusesIsReportedAsAnInvocationError()
    {
        _runtime.Run(() => new Handler((_, _) => new byte[EmulatedFunction.MaxResponseBytes + 1]));

        var result = await _runtime.InvokeAsync("{}");

        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Single(_runtime.LogLines.WithMessage("response_refused"));
    }

    [Fact]
    public async Task AnswersAfterTheDeadlineAreRefusedLoggedAndTheLoopGoesOn()
    {
        // Each of the first two overruns its deadline on purpose, then answers: a response, then an error.
        var overdue = new Dictionary<string, TaskCompletionSource>
        {
            ["abandoned"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["broken"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var handled = new List<string>();
        _runtime.Run(() => new Handler(async (invocation, _, _) =>
        {
            var name = Encoding.UTF8.GetString(invocation.Payload).Trim('"');
            handled.Add(name);
            if (overdue.TryGetValue(name, out var timedOut))
            {
                await timedOut.Task;
            }

            return name == "broken" ? throw new InvalidOperationException("handler broke") : "\"late\""u8.ToArray();
        }));

        foreach (var (name, refusal) in new[] { ("abandoned", "response_refused"), ("broken", "error_refused") })
        {
            Assert.Equal(InvocationOutcome.TimedOut, (await _runtime.InvokeAsync($"\"{name}\"", TimeSpan.FromSeconds(2))).Outcome);
            overdue[name].SetResult();
            await Eventually.Async(
                () => Task.FromResult(_runtime.LogLines.WithMessage(refusal).Count == 1), TimeSpan.FromSeconds(10), $"the late answer to {name} was not refused.");
        }

        var next = await _runtime.InvokeAsync("\"next\"");

        Assert.Equal(0, await _runtime.StopAsync());
        Assert.Equal(["abandoned", "broken", "next"], handled);
        Assert.Equal("\"late\"", next.BodyText());
        Assert.Single(_runtime.LogLines.WithMessage("response_refused"));
        Assert.Single(_runtime.LogLines.WithMessage("error_refused"));
    }

    [Fact]
    public async Task AFailedNextEndsTheProcessWithAnError()
    {
        _runtime.Run(() => new Handler((_, _) => "\"done\""u8.ToArray()));
        Assert.Equal("\"done\"", (await _runtime.InvokeAsync("{}")).BodyText());

        // The emulator answers the instance's next /next with the 500 that the Runtime API documents as "exit now".
        _runtime.Function.StopInstances();

        Assert.Equal(1, await _runtime.ExitCode);
        Assert.Single(_runtime.LogLines.WithMessage("next_failed"));
    }

    [Fact]
    public async Task TheHandlerIsCancelledBeforeTheDeadlineSoThatItCanStillAnswer()
    {
        _runtime.Run(() => new Handler(async (_, _, cancellationToken) =>
        {
            var cancelled = new TaskCompletionSource();
            using var registration = cancellationToken.Register(cancelled.SetResult);
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return "\"gave up in time\""u8.ToArray();
        }));

        // The emulator ends the invocation at its deadline: an answer after it would be a timeout, not a response.
        // Two seconds on top of the margin: room for a loaded machine to hand the invocation over, well short of the
        // handler's own 10 s wait, which an uncancelled handler would sit out past the deadline.
        var result = await _runtime.InvokeAsync("{}", LambdaBootstrap.DeadlineMargin + TimeSpan.FromSeconds(2));

        Assert.Equal(InvocationOutcome.Responded, result.Outcome);
        Assert.Equal("\"gave up in time\"", result.BodyText());
    }

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
