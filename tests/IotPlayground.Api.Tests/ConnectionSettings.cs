using IotPlayground.Postgres;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace IotPlayground.Api.Tests;

public sealed class ConnectionSettings
{
    [Fact]
    public void SecretsFromTheEnvironmentOverrideTheConnectionString()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=db.internal;Database=iotplayground;Username=placeholder",
            ["Postgres:Username"] = "iot",
            ["Postgres:Password"] = "s3cret;with=odd chars",
        }).Build();

        var built = new NpgsqlConnectionStringBuilder(PostgresSetup.BuildConnectionString(configuration));

        Assert.Equal("db.internal", built.Host);
        Assert.Equal("iot", built.Username);
        Assert.Equal("s3cret;with=odd chars", built.Password);
        Assert.Equal(3, built.Timeout);
        Assert.Equal(5, built.CommandTimeout);
    }

    [Fact]
    public void AMissingConnectionStringSaysWhichVariableToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresSetup.BuildConnectionString(new ConfigurationBuilder().Build()));

        Assert.Contains("ConnectionStrings__Postgres", error.Message, StringComparison.Ordinal);
    }
}
