using Npgsql;

namespace IotPlayground.Grafana.Tests.Live;

/// <summary>The PostgreSQL cluster tests/run-all.sh starts for the whole test run; each fixture takes a database of its own.</summary>
public static class TestPostgres
{
    public const string SharedClusterVariable = "IOTPLAYGROUND_TEST_POSTGRES";

    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var cluster = Environment.GetEnvironmentVariable(SharedClusterVariable)
            ?? throw new InvalidOperationException(
                $"{SharedClusterVariable} is not set: run the tests with 'bash tests/run-all.sh', which starts a PostgreSQL cluster for them.");
        var name = $"{purpose}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(cluster))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(cluster) { Database = name }.ConnectionString;
    }
}
