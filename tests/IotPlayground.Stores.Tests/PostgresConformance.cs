using IotPlayground.Domain;
using IotPlayground.Testing;
using Npgsql;

namespace IotPlayground.Stores.Tests;

/// <summary>The PostgreSQL stores, each test on a database of its own in the shared cluster (tests/scripts/postgres.sh).</summary>
public sealed class PostgresStoreFactory : IStoreFactory
{
    public async Task<StoresUnderTest> CreateAsync(int maxRunning)
    {
        var stores = await PostgresTestStores.StartAsync(await TestPostgres.CreateDatabaseAsync("stores"), maxRunning);
        return new StoresUnderTest(stores.Runs, stores.Readings, stores.Probe, stores.DisposeAsync);
    }

    /// <summary>A port nothing listens on.</summary>
    public async Task<StoresUnderTest> CreateUnreachableAsync()
    {
        var nowhere = new NpgsqlConnectionStringBuilder(TestPostgres.SharedCluster) { Port = ServerScript.FreeLoopbackPort() }.ConnectionString;
        var stores = await PostgresTestStores.StartAsync(nowhere, migrate: false);
        return new StoresUnderTest(stores.Runs, stores.Readings, stores.Probe, stores.DisposeAsync);
    }

    /// <summary>A reading of a run that is not stored: the foreign key of sensor_data refuses it.</summary>
    public SensorReading Unstorable(SensorReading valid) => valid with { RunId = Guid.NewGuid() };
}

public sealed class PostgresRunStoreConformance() : RunStoreConformance(new PostgresStoreFactory());

public sealed class PostgresSensorDataStoreConformance() : SensorDataStoreConformance(new PostgresStoreFactory());
