using Npgsql;

namespace IotPlayground.Testing;

/// <summary>The PostgreSQL servers the tests use, run by tests/scripts/postgres.sh.</summary>
public static class TestPostgres
{
    public const string SharedClusterVariable = "IOTPLAYGROUND_TEST_POSTGRES";

    public static string SharedCluster => ServerScript.SharedServer(SharedClusterVariable, "a PostgreSQL cluster");

    /// <summary>A new, empty database on the shared cluster.</summary>
    /// <param name="icuLocale">
    /// The database's collation, an ICU locale such as "en-US" that orders text linguistically as RDS's en_US.UTF-8
    /// databases do; by default the cluster's, which orders by bytes (tests/scripts/postgres.sh makes it without a locale).
    /// </param>
    public static async Task<string> CreateDatabaseAsync(string purpose, string? icuLocale = null)
    {
        var name = $"{purpose}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(SharedCluster))
        {
            await connection.OpenAsync();
            var collation = icuLocale is null ? "" : $" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale}'";
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}{collation}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(SharedCluster) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// A new, empty database on the shared cluster, owned by a login role of its own that may create roles and
    /// databases but is no superuser: what RDS's master user is. Its connection string logs in as that owner.
    /// </summary>
    public static async Task<string> CreateOwnedDatabaseAsync(string purpose)
    {
        var owner = UniqueRoleName($"{purpose}_owner");
        var password = NewPassword();
        var name = $"{purpose}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(SharedCluster))
        {
            await connection.OpenAsync();
            await using var role = new NpgsqlCommand($"CREATE ROLE {owner} LOGIN CREATEROLE CREATEDB PASSWORD '{password}'", connection);
            await role.ExecuteNonQueryAsync();
            await using var database = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {owner}", connection);
            await database.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(SharedCluster) { Database = name, Username = owner, Password = password }.ConnectionString;
    }

    /// <summary>Roles belong to the whole cluster: a name of its own per test keeps tests that run at once apart.</summary>
    public static string UniqueRoleName(string purpose) => $"{purpose}_{Guid.NewGuid():N}";

    public static string NewPassword() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The same database, logged in as another role.</summary>
    public static string As(string connectionString, string username, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = username, Password = password }.ConnectionString;

    /// <summary>A cluster of the caller's own, in a new folder: for tests that stop their server.</summary>
    public static async Task<OwnCluster> StartOwnClusterAsync()
    {
        var folder = Directory.CreateTempSubdirectory("iotplayground-pg-");
        // The cluster runs as the postgres user when the tests run as root: it must reach the folder.
        if (!OperatingSystem.IsWindows())
        {
            folder.UnixFileMode |= UnixFileMode.OtherExecute | UnixFileMode.GroupExecute;
        }

        var cluster = new OwnCluster(folder.FullName);
        await cluster.StartAsync();
        return cluster;
    }

    public sealed class OwnCluster(string parent) : IAsyncDisposable
    {
        private readonly string _folder = System.IO.Path.Combine(parent, "cluster");

        public string ConnectionString { get; private set; } = "";

        /// <summary>Starts the cluster, on the same port and with the same data after a stop.</summary>
        public async Task StartAsync() => ConnectionString = await ServerScript.RunAsync("postgres.sh", "start", _folder);

        public Task StopAsync() => ServerScript.RunAsync("postgres.sh", "stop", _folder);

        public async ValueTask DisposeAsync()
        {
            await ServerScript.RunAsync("postgres.sh", "remove", _folder);
            Directory.Delete(parent, recursive: true);
        }
    }
}
