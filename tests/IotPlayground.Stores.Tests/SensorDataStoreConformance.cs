using IotPlayground.Domain;

namespace IotPlayground.Stores.Tests;

/// <summary>What every <see cref="ISensorDataStore"/> promises; one sealed subclass per implementation.</summary>
public abstract class SensorDataStoreConformance(IStoreFactory factory)
{
    private static readonly DateTimeOffset Start = Timestamps.Truncate(DateTimeOffset.UtcNow.AddMinutes(-30));

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
        await stores.Readings.AddAsync(readings, CancellationToken.None);
        await stores.Readings.AddAsync([new SensorReading(other, "s1", Start, 30, null, null)], CancellationToken.None);

        var found = await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None);

        Assert.Equal(readings.OrderBy(r => r.Timestamp).ThenBy(r => r.SensorId, StringComparer.Ordinal), found.Readings);
        Assert.Null(found.ReadUpTo);
    }

    [Fact]
    public async Task AReadingStoredAgainReplacesItself()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        await stores.Readings.AddAsync([new SensorReading(run, "s1", Start, 20, 40, 1000)], CancellationToken.None);
        var again = new SensorReading(run, "s1", Start, 22.5, null, 1001);

        await stores.Readings.AddAsync([again], CancellationToken.None);

        Assert.Equal([again], (await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task ABatchIsStoredWhole()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var batch = Readings(run, SensorReadings.MaxBatch);

        await stores.Readings.AddAsync(batch, CancellationToken.None);

        Assert.Equal(batch, (await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task ABatchThatFailsStoresNoneOfItsReadings()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var batch = Readings(run, SensorReadings.MaxBatch).ToList();
        batch[^1] = factory.Unstorable(batch[^1]);

        await Assert.ThrowsAnyAsync<Exception>(() => stores.Readings.AddAsync(batch, CancellationToken.None));

        Assert.Empty((await stores.Readings.QueryAsync(Query(run), 100, CancellationToken.None)).Readings);
    }

    [Fact]
    public async Task AQueryKeepsToItsSensorAndToItsInclusiveTimeRange()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = await StartRunAsync(stores);
        var readings = Readings(run, 20);
        await stores.Readings.AddAsync(readings, CancellationToken.None);
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
            await stores.Readings.AddAsync(chunk, CancellationToken.None);
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
        await stores.Readings.AddAsync(readings, CancellationToken.None);

        var found = await stores.Readings.QueryAsync(Query(run), 3, CancellationToken.None);

        Assert.Equal(readings.Take(3), found.Readings);
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
