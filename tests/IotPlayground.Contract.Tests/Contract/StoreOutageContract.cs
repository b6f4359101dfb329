using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;

namespace IotPlayground.Contract.Tests.Contract;

/// <summary>
/// The store goes away while a sensor is sending: the API answers 503 quickly, never hangs, recovers by itself
/// when the store is back, and every reading it acknowledged is stored.
/// </summary>
public abstract class StoreOutageContract(IOutageBackend backend) : ContractTest(backend)
{
    private static readonly TimeSpan QuickAnswer = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task AStoreOutageIsA503AndLosesNothingAcknowledged()
    {
        var run = await Client.StartedRun("alice", duration: 3_600, interval: 1);
        var start = ApiCalls.Now();
        var acknowledged = new List<DateTimeOffset>();
        var sent = 0;

        async Task<HttpStatusCode> SendNextReading()
        {
            var at = start.AddMilliseconds(sent++);
            var watch = Stopwatch.StartNew();
            using var response = await Client.PostReading("alice", run.Id(), "outage-sensor", 20, at);
            Assert.True(watch.Elapsed < QuickAnswer, $"A reading took {watch.Elapsed} to be answered.");
            if (response.StatusCode == HttpStatusCode.Created)
            {
                acknowledged.Add(at);
            }
            else
            {
                await response.AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
            }

            return response.StatusCode;
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Created, await SendNextReading());
        }

        await backend.StopStoreAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SendNextReading());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SendNextReading());
        await (await Client.StartRun("bob")).AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
        await (await Client.Get("/api/runs/can-start")).AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
        using (var health = await Client.Get("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await backend.StartStoreAsync();
        await UntilAsync(async () => await SendNextReading() == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Created, await SendNextReading());
        }

        var page = await Client.GetJson($"/api/sensors/data?runId={run.Id()}&limit=1000");
        var stored = ((JsonArray)page["items"]!)
            .Select(r => DateTimeOffset.Parse((string)r!["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        Assert.Subset(stored, acknowledged.ToHashSet());
        Assert.True(acknowledged.Count >= 41);
        using var healthAfter = await Client.Get("/health");
        Assert.Equal(HttpStatusCode.OK, healthAfter.StatusCode);
    }

    /// <summary>Polls a condition that depends on a server coming back: bounded, and each try is a real request.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < limit, $"Not recovered within {limit}.");
            await Task.Delay(200);
        }
    }
}

public sealed class ContainerStoreOutage(OutageThroughPrism<ContainerOutageBackend> backend) : StoreOutageContract(backend), IClassFixture<OutageThroughPrism<ContainerOutageBackend>>;
public sealed class ServerlessStoreOutage(OutageThroughPrism<ServerlessOutageBackend> backend) : StoreOutageContract(backend), IClassFixture<OutageThroughPrism<ServerlessOutageBackend>>;
