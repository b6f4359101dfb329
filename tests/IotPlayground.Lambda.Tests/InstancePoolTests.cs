using System.Diagnostics;
using System.Text;
using IotPlayground.LambdaEmulator;
using IotPlayground.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IotPlayground.Lambda.Tests;

/// <summary>
/// How many instances a function runs, as Lambda decides it: an invocation that finds no instance free starts one, up
/// to the function's limit, a free instance is used before a new one is started, and one left free for the function's
/// idle lifetime is stopped. The instances are processes that hold every invocation until the test releases them
/// (holding-bootstrap.sh).
/// </summary>
public sealed class InstancePoolTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("instance-pool-");
    private RuntimeApiEmulator _emulator = null!;

    private string Holding => Path.Combine(_work.FullName, "holding");

    private string Release => Path.Combine(_work.FullName, "release");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Holding);
        _emulator = await RuntimeApiEmulator.StartAsync();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _work.Delete(recursive: true);

    [Theory]
    [InlineData(2, 3)]
    [InlineData(7, 3)]
    public async Task ABurstStartsAnInstanceForEachConcurrentInvocationUpToTheLimit(int burst, int limit)
    {
        var function = _emulator.AddFunction("burst", limit, HoldingBootstrap, _ => { });
        var expected = Math.Min(burst, limit);

        var invocations = Enumerable.Range(0, burst).Select(_ => Invoke(function)).ToList();

        Assert.Equal(expected, function.RunningInstances);

        // Each instance takes an invocation and holds it: then every one of them is busy, and none takes another.
        await Eventually.Async(() => Task.FromResult(HeldCount() == expected), Timeout, $"{expected} instances did not each take an invocation.");
        File.Create(Release).Dispose();
        var results = await Task.WhenAll(invocations);

        Assert.All(results, r => Assert.Equal(InvocationOutcome.Responded, r.Outcome));
        Assert.Equal(expected, results.Select(r => r.Instance!.Id).Distinct().Count());
        Assert.Equal(expected, results.Count(r => r.ColdStart is not null));
        Assert.Equal(expected, function.RunningInstances);
    }

    [Fact]
    public async Task SequentialInvocationsReuseOneInstance()
    {
        File.Create(Release).Dispose();
        var function = _emulator.AddFunction("sequential", maxInstances: 3, HoldingBootstrap, _ => { });

        var results = new List<InvocationResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await Invoke(function));
        }

        Assert.All(results, r => Assert.Equal(InvocationOutcome.Responded, r.Outcome));
        Assert.Single(results.Select(r => r.Instance!.Id).Distinct());
        Assert.Equal([true, false, false, false], results.Select(r => r.ColdStart is not null));
        Assert.Equal(1, function.RunningInstances);
    }

    [Fact]
    public async Task AnInstanceThatWasStartedIsFreeForTheInvocationThatFollows()
    {
        File.Create(Release).Dispose();
        var function = _emulator.AddFunction("started", maxInstances: 3, HoldingBootstrap, _ => { });
        Assert.Equal(1, function.StartInstances());

        var result = await Invoke(function);

        Assert.Equal(InvocationOutcome.Responded, result.Outcome);
        Assert.Equal(1, function.RunningInstances);
    }

    [Fact]
    public async Task AnInstanceLeftFreeForItsIdleLifetimeIsStoppedAndTheNextInvocationStartsCold()
    {
        File.Create(Release).Dispose();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await RuntimeApiEmulator.StartAsync(clock);
        var function = emulator.AddFunction("idle", maxInstances: 3, HoldingBootstrap, _ => { }, idleLifetime: TimeSpan.FromMinutes(10));

        var first = await Invoke(function);
        clock.Advance(TimeSpan.FromMinutes(9));
        var warm = await Invoke(function);

        // Nine minutes free, then used: it is the same instance, and its lifetime starts again from that use.
        Assert.Equal(first.Instance!.Id, warm.Instance!.Id);
        Assert.Null(warm.ColdStart);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(1, function.RunningInstances);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, function.RunningInstances);
        await Eventually.Async(() => Task.FromResult(first.Instance.ExitCode is not null), Timeout, "The idle instance's process did not exit.");

        var cold = await Invoke(function);
        Assert.Equal(InvocationOutcome.Responded, cold.Outcome);
        Assert.NotEqual(first.Instance.Id, cold.Instance!.Id);
        Assert.NotNull(cold.ColdStart);
    }

    private int HeldCount() => Directory.GetFiles(Holding).Length;

    private static Task<InvocationResult> Invoke(EmulatedFunction function) =>
        function.InvokeAsync(Encoding.UTF8.GetBytes("{}"), Timeout, CancellationToken.None);

    private ProcessStartInfo HoldingBootstrap() => new("bash")
    {
        ArgumentList = { Path.Combine(AppContext.BaseDirectory, "holding-bootstrap.sh") },
        Environment = { ["HOLDING"] = Holding, ["RELEASE"] = Release },
    };
}
