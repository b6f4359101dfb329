using IotPlayground.Domain;
using IotPlayground.Testing;

namespace IotPlayground.Stores.Tests;

/// <summary>The in-memory stores the service tests run on keep the same promises as the real ones.</summary>
public sealed class InMemoryStoreFactory : IStoreFactory
{
    public Task<StoresUnderTest> CreateAsync(int maxRunning)
    {
        var stores = new InMemoryStores(maxRunning);
        return Task.FromResult(new StoresUnderTest(stores.Runs, stores.Readings, stores));
    }

    public Task<StoresUnderTest> CreateUnreachableAsync()
    {
        var stores = new InMemoryStores { Unreachable = true };
        return Task.FromResult(new StoresUnderTest(stores.Runs, stores.Readings, stores));
    }

    /// <summary>A sensor id holding a NUL character: refused, as PostgreSQL refuses it in text.</summary>
    public SensorReading Unstorable(SensorReading valid) => valid with { SensorId = "s\0" };
}

public sealed class InMemoryRunStoreConformance() : RunStoreConformance(new InMemoryStoreFactory());

public sealed class InMemorySensorDataStoreConformance() : SensorDataStoreConformance(new InMemoryStoreFactory());
