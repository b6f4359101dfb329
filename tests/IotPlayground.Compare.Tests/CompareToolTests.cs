using System.Diagnostics;
using System.Text.Json;
using IotPlayground.Testing;

namespace IotPlayground.Compare.Tests;

/// <summary>The tool as a user runs it, once for the class: the smoke profile against both local backends, which it starts and stops itself.</summary>
public sealed class SmokeComparison : IAsyncLifetime
{
    public string Out { get; } = Directory.CreateTempSubdirectory("compare-").FullName;

    public string Output { get; private set; } = "";

    public int ExitCode { get; private set; } = -1;

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "IotPlayground.Compare.dll"),
            "--profile", "smoke",
            "--workloads", Repository.Path("apps", "IotPlayground.Compare", "workloads.json"),
            "--no-build",
            "--functions", TestFunctions.NativeAot,
            "--out", Out,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var tool = Process.Start(start)!;
        var output = tool.StandardOutput.ReadToEndAsync();
        var errors = tool.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await tool.WaitForExitAsync(deadline.Token);
        ExitCode = tool.ExitCode;
        Output = await output + await errors;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Out, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class CompareToolTests(SmokeComparison smoke) : IClassFixture<SmokeComparison>
{

    [Fact]
    public void TheReportHoldsBothBackendsFiguresForEveryEndpointTheWorkloadCalled()
    {
        Assert.True(smoke.ExitCode == 0, smoke.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(smoke.Out, "compare.json")));
        var profile = Assert.Single(report.RootElement.GetProperty("profiles").EnumerateArray());
        var backends = profile.GetProperty("backends").EnumerateArray().ToList();
        Assert.Equal(["container", "serverless"], backends.Select(b => b.GetProperty("backend").GetString()));
        foreach (var backend in backends)
        {
            var endpoints = backend.GetProperty("endpoints").EnumerateArray()
                .ToDictionary(e => e.GetProperty("endpoint").GetString()!, e => e.GetProperty("latency"));
            Assert.Equal(2, endpoints["POST /api/runs/start"].GetProperty("count").GetInt32());
            Assert.Equal(2, endpoints["POST /api/runs/{id}/finish"].GetProperty("count").GetInt32());
            foreach (var polled in new[] { "GET /api/runs/can-start", "GET /api/runs/running", "GET /api/sensors/data", "GET /api/runs" })
            {
                Assert.True(endpoints[polled].GetProperty("count").GetInt32() > 0, polled);
            }

            // 3 sensors in batches of 2: each interval sends one batch and one reading alone.
            var batches = endpoints["POST /api/sensors/data (batch)"].GetProperty("count").GetInt32();
            var singles = endpoints["POST /api/sensors/data"].GetProperty("count").GetInt32();
            Assert.Equal(batches, singles);
            Assert.Empty(backend.GetProperty("errors").EnumerateArray());
            var latency = endpoints["POST /api/sensors/data"];
            Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p95").GetDouble());
            Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());
            var readings = backend.GetProperty("usage").GetProperty("counters").GetProperty("readingsAcknowledged");
            Assert.Equal(3.0 * batches, readings.GetProperty("total").GetDouble());
            Assert.Equal(3.0 * batches / (8 / 60.0), readings.GetProperty("perMinute").GetDouble(), 6);
        }
    }

    [Fact]
    public void TheUsageJsonHoldsEachBackendsOwnCountersOfWhatDrivesItsCost()
    {
        Assert.True(smoke.ExitCode == 0, smoke.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(smoke.Out, "compare.json")));
        var backends = Assert.Single(report.RootElement.GetProperty("profiles").EnumerateArray()).GetProperty("backends").EnumerateArray()
            .ToDictionary(b => b.GetProperty("backend").GetString()!, b => b.GetProperty("usage"));
        double Total(string backend, string counter) => backends[backend].GetProperty("counters").GetProperty(counter).GetProperty("total").GetDouble();
        foreach (var (backend, usage) in backends)
        {
            Assert.Empty(usage.GetProperty("notMeasured").EnumerateArray());
            foreach (var counter in usage.GetProperty("counters").EnumerateObject())
            {
                Assert.Equal(counter.Value.GetProperty("total").GetDouble() / (8 / 60.0), counter.Value.GetProperty("perMinute").GetDouble(), 6);
            }

            Assert.True(Total(backend, "requests") > 0, backend);
        }

        // Every request the serverless side answered was one invocation, each billed a whole millisecond at least.
        var invocations = Total("serverless", "lambdaInvocations");
        Assert.Equal(Total("serverless", "requests"), invocations);
        Assert.True(Total("serverless", "lambdaBilledMs") >= invocations);
        Assert.True(backends["serverless"].GetProperty("lambdaBilledMsPerInvocation").GetDouble() >= 1);
        Assert.True(Total("serverless", "lambdaDurationMs") > 0);
        Assert.True(Total("serverless", "lambdaColdStarts") >= 0);
        Assert.True(Total("serverless", "lambdaInitMs") >= 0);
        Assert.True(Total("serverless", "dynamoDbReadCapacityUnits") > 0);
        Assert.True(Total("serverless", "dynamoDbWriteCapacityUnits") >= Total("serverless", "readingsAcknowledged"));
        Assert.False(backends["serverless"].GetProperty("counters").TryGetProperty("postgresRowsWritten", out _));

        // Each reading is a row, and so is each run, which its finish updates.
        Assert.True(Total("container", "postgresRowsInserted") >= Total("container", "readingsAcknowledged") + 2);
        Assert.True(Total("container", "postgresRowsUpdated") >= 2);
        Assert.Equal(
            Total("container", "postgresRowsInserted") + Total("container", "postgresRowsUpdated") + Total("container", "postgresRowsDeleted"),
            Total("container", "postgresRowsWritten"));
        Assert.True(Total("container", "postgresWalBytes") > 0);
        Assert.False(backends["container"].GetProperty("counters").TryGetProperty("lambdaInvocations", out _));
    }

    [Fact]
    public void TheMarkdownAndTheHtmlPageGiveBothBackendsSideBySideWithALatencyChartPerEndpoint()
    {
        Assert.True(smoke.ExitCode == 0, smoke.Output);
        var markdown = File.ReadAllText(Path.Combine(smoke.Out, "compare.md"));
        Assert.Contains("| latency, ms: p50 · p95 · p99 · max (requests) | container | serverless |", markdown, StringComparison.Ordinal);
        Assert.Contains("| usage: total · per simulated minute | container | serverless |", markdown, StringComparison.Ordinal);
        Assert.Contains("| DynamoDB write capacity units | – |", markdown, StringComparison.Ordinal);
        var html = File.ReadAllText(Path.Combine(smoke.Out, "compare.html"));
        Assert.Contains("aria-label=\"Latency distribution of POST /api/sensors/data (batch)\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Throughput over time\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }
}
