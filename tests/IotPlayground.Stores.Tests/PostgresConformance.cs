using IotPlayground.Domain;
using IotPlayground.Testing;
using Npgsql;

namespace IotPlayground.Stores.Tests;

/// <summary>The PostgreSQL stores, each test on a database of its own in the shared cluster (tests/scripts/postgres.sh).</summary>
public sealed class PostgresStoreFactory : IStoreFactory
{
    public async Task<StoresUnderTest> CreateAsync(int maxRunning)
    {
        // A linguistic collation, as RDS gives a database: the stores must order sensor ids by bytes all the same.
        var stores = await PostgresTestStores.StartAsync(await TestPostgres.CreateDatabaseAsync("stores", icuLocale: "en-US"), maxRunning);
        return new StoresUnderTest(stores.Runs, stores.Readings, stores.Probe, stores.DisposeAsync);
    }

    /// <summary>A port nothing listens on.</summary>
    public async Task<StoresUnderTest> CreateUnreachableAsync()
    {
        var nowhere = new NpgsqlConnectionStringBuilder(TestPostgres.SharedCluster) { Port = ServerScript.FreeLoopbackPort() }.ConnectionString;
        var stores = await PostgresTestStores.StartAsync(nowhere, migrate: false);
        return new StoresUnderTest(stores.Runs, stores.Readings, stores.Probe, stores.DisposeAsync);
    }

    /// <summary>A sensor id holding a NUL character, which PostgreSQL's text cannot hold: the statement fails.</summary>
    public SensorReading Unstorable(SensorReading valid) => valid with { SensorId = "s\0" };
}

public sealed class PostgresRunStoreConformance() : RunStoreConformance(new PostgresStoreFactory());

public sealed class PostgresSensorDataStoreConformance() : SensorDataStoreConformance(new PostgresStoreFactory());
