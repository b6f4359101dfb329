using IotPlayground.Domain;

namespace IotPlayground.Stores.Tests;

/// <summary>What every <see cref="ISensorDataStore"/> promises; one sealed subclass per implementation.</summary>
public abstract class SensorDataStoreConformance(IStoreFactory factory)
{
    private static readonly DateTimeOffset Start = Timestamps.Truncate(DateTimeOffset.UtcNow.AddMinutes(-30));

    /// <summary>When the readings arrive: a minute into runs that started at <see cref="Start"/> and last an hour.</summary>
    private static readonly DateTimeOffset Now = Start.AddMinutes(1);

    /// <summary>Ids whose byte order (B, _, a, é: 0x42, 0x5F, 0x61, 0xC3 0xA9) a linguistic collation does not keep.</summary>
    private static readonly string[] IdsOrderedOtherwiseByCollations = ["a", "B", "_", "é", "a-2", "A"];

    [Fact]
    public async Task ReadingsOfARunComeBackByKeyInTimeThenSensorOrder()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var other = await StartRunAsync(stores);
        var readings = new[]
        {
            new SensorReading(run, "s2", Start.AddSeconds(1), 21.5, 40, 1013.25),
            new SensorReading(run, "s1", Start.AddSeconds(1), -3.25, null, null),
            new SensorReading(run, "s1", Start, 20, 55.5, null),
            new SensorReading(run, "s3", Start.AddMilliseconds(1), 149.9, null, 300),
        };
        await StoreAsync(stores, readings);
        await StoreAsync(stores, new SensorReading(other, "s1", Start, 30, null, null));

        var found = await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None);

        Assert.Equal(readings.OrderBy(r => r.Timestamp).ThenBy(r => r.SensorId, StringComparer.Ordinal), found.Readings);
        Assert.Null(found.ReadUpTo);
    }

    [Fact]
    public async Task AReadingStoredAgainReplacesItself()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        await StoreAsync(stores, new SensorReading(run, "s1", Start, 20, 40, 1000));
        var again = new SensorReading(run, "s1", Start, 22.5, null, 1001);

        await StoreAsync(stores, again);

        Assert.Equal([again], (await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task ABatchIsStoredWhole()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var batch = Readings(run, SensorReadings.MaxBatch);

        await StoreAsync(stores, batch);

        Assert.Equal(batch, (await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task ABatchThatFailsStoresNoneOfItsReadings()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var batch = Readings(run, SensorReadings.MaxBatch).ToList();
        batch[^1] = factory.Unstorable(batch[^1]);

        await Assert.ThrowsAnyAsync<Exception>(() => stores.Readings.TryAddAsync(batch, Now, CancellationToken.None));

        Assert.Empty((await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task AQueryKeepsToItsSensorAndToItsInclusiveTimeRange()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var readings = Readings(run, 20);
        await StoreAsync(stores, readings);
        var from = readings[4].Timestamp;
        var to = readings[15].Timestamp;

        var found = await ReadAllAsync(stores, Query(run) with { SensorId = "s1", From = from, To = to }, pageSize: 100);

        Assert.Equal(readings.Where(r => r.SensorId == "s1" && r.Timestamp >= from && r.Timestamp <= to), found);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("s2")]
    public async Task PagesFollowEachOtherFromTheirCursorsWithEveryReadingOnce(string? sensorId)
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var readings = Readings(run, 23);
        foreach (var chunk in readings.Chunk(SensorReadings.MaxBatch))
        {
            await StoreAsync(stores, chunk);
        }

        var found = await ReadAllAsync(stores, Query(run) with { SensorId = sensorId }, pageSize: 4);

        Assert.Equal(readings.Where(r => sensorId is null || r.SensorId == sensorId), found);
    }

    [Fact]
    public async Task AQueryNeverReturnsMoreThanItsLimit()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var readings = Readings(run, 10);
        await StoreAsync(stores, readings);

        var found = await stores.Readings.QueryAsync(Query(run), 3, CancellationToken.None);

        Assert.Equal(readings.Take(3), found.Readings);
    }

    [Fact]
    public async Task SensorIdsOfOneInstantComeBackInByteOrderOnEveryPage()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var readings = IdsOrderedOtherwiseByCollations.Select(id => new SensorReading(run, id, Start, 20, null, null)).ToArray();
        await StoreAsync(stores, readings);
        var byBytes = readings.OrderBy(r => r.SensorId, StringComparer.Ordinal).ToList();

        Assert.Equal(byBytes, (await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
        Assert.Equal(byBytes, await ReadAllAsync(stores, Query(run), pageSize: 1));
    }

    [Fact]
    public async Task ABatchNamingAnUnknownRunIsRefusedAndStoresNothing()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var batch = Readings(run, 5).ToList();
        batch[^1] = batch[^1] with { RunId = Guid.NewGuid() };

        Assert.False(await stores.Readings.TryAddAsync(batch, Now, CancellationToken.None));

        Assert.Empty((await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task ABatchSpanningARunningAndAnEndedRunStoresNothing()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var running = await StartRunAsync(stores);
        var ended = RunStoreConformance.NewRun(Start);
        Assert.True(await stores.Runs.TryStartAsync(ended, Start, CancellationToken.None));
        Assert.True(await stores.Runs.TryEndAsync(ended.End(RunStatus.Completed, EndReason.Finished, Start.AddSeconds(30)), CancellationToken.None));
        var batch = Readings(running, 4).Concat(Readings(ended.Id, 4)).ToList();

        Assert.False(await stores.Readings.TryAddAsync(batch, Now, CancellationToken.None));

        Assert.Empty((await stores.Readings.QueryAsync(Query(running), 100, CancellationToken.None)).Readings);
        Assert.Empty((await stores.Readings.QueryAsync(Query(ended.Id), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task ARunTakesReadingsUpToItsDeadlineAndNoneAfter()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = RunStoreConformance.NewRun(Start, duration: 60, interval: 5);
        Assert.True(await stores.Runs.TryStartAsync(run, Start, CancellationToken.None));
        var atDeadline = new SensorReading(run.Id, "s1", run.Deadline, 20, null, null);

        Assert.False(await stores.Readings.TryAddAsync([atDeadline with { SensorId = "late" }], run.Deadline.AddMilliseconds(1), CancellationToken.None));
        Assert.True(await stores.Readings.TryAddAsync([atDeadline], run.Deadline, CancellationToken.None));

        Assert.Equal([atDeadline], (await stores.Readings.QueryAsync(Query(run.Id), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task AReadingBeforeItsRunsStartLessTheAllowedSkewIsRefused()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var runId = await StartRunAsync(stores);
        var run = (await stores.Runs.FindAsync(runId, CancellationToken.None))!;
        var earliest = new SensorReading(runId, "s1", run.EarliestReading, 20, null, null);
        var tooEarly = new SensorReading(runId, "s2", run.EarliestReading.AddMilliseconds(-1), 20, null, null);

        Assert.False(await stores.Readings.TryAddAsync([earliest, tooEarly], Now, CancellationToken.None));
        Assert.Empty((await stores.Readings.QueryAsync(Query(runId), 100, CancellationToken.None)).Readings);
        Assert.True(await stores.Readings.TryAddAsync([earliest], Now, CancellationToken.None));

        Assert.Equal([earliest], (await stores.Readings.QueryAsync(Query(runId), 100, CancellationToken.None)).Readings);
    }

    /// <summary>Every page in turn, each from the last reading of the one before or from where the store said it stopped.</summary>
    private static async Task<List<SensorReading>> ReadAllAsync(StoresUnderTest stores, ReadingQuery query, int pageSize)
    {
        var all = new List<SensorReading>();
        ReadingCursor? after = null;
        for (var page = 0; page < 100; page++)
        {
            var slice = await stores.Readings.QueryAsync(query with { After = after }, pageSize, CancellationToken.None);
            Assert.True(slice.Readings.Count <= pageSize);
            all.AddRange(slice.Readings);
            after = slice.Readings.Count == pageSize ? new ReadingCursor(slice.Readings[^1].Timestamp, slice.Readings[^1].SensorId) : slice.ReadUpTo;
            if (after is null)
            {
                return all;
            }
        }

        throw new InvalidOperationException("The pages did not end within 100 requests.");
    }

    private static ReadingQuery Query(Guid run) => new(run, null, null, null, null);

    private static async Task StoreAsync(StoresUnderTest stores, params SensorReading[] readings) =>
        Assert.True(await stores.Readings.TryAddAsync(readings, Now, CancellationToken.None), "The store refused readings of a running run.");

    /// <summary>Three sensors reporting every second; the stored order is by timestamp, then sensor id.</summary>
    private static SensorReading[] Readings(Guid run, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new SensorReading(run, $"s{(i % 3) + 1}", Start.AddSeconds(i / 3), 20 + (i / 10.0), i % 2 == 0 ? 50 : null, null))
            .ToArray();

    private static async Task<Guid> StartRunAsync(StoresUnderTest stores)
    {
        var run = RunStoreConformance.NewRun(Start);
        Assert.True(await stores.Runs.TryStartAsync(run, Start, CancellationToken.None));
        return run.Id;
    }
}
