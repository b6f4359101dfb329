using IotPlayground.Contract;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;

namespace IotPlayground.Lambda.Functions;

/// <summary>Reads the settings (<see cref="SettingNames.Lambda"/>) the CDK gives the functions as environment variables.</summary>
public static class FunctionEnvironment
{
    /// <summary>A missing setting fails the function's initialization, naming the variable.</summary>
    public static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The environment variable {variable} is not set; the function cannot start without it.");

    /// <summary>The run function's stores: the runs table only, with the business rule's quota; their consumed capacity goes to <paramref name="capacity"/>.</summary>
    public static DynamoDbStores RunStores(CapacityMeter capacity) =>
        DynamoDbStores.Create(DynamoDbClients.Create(capacity), Required(SettingNames.Lambda.RunsTable), sensorDataTable: null);

    /// <summary>The sensor function's stores: both tables.</summary>
    public static DynamoDbStores SensorStores(CapacityMeter capacity) =>
        DynamoDbStores.Create(DynamoDbClients.Create(capacity), Required(SettingNames.Lambda.RunsTable), Required(SettingNames.Lambda.SensorDataTable));

    public static GrafanaLinks Grafana() =>
        Uri.TryCreate(Required(SettingNames.Lambda.GrafanaBaseUrl), UriKind.Absolute, out var url)
            ? new GrafanaLinks(url)
            : throw new InvalidOperationException($"{SettingNames.Lambda.GrafanaBaseUrl} must be an absolute URL.");

    public static string? CorsOrigin() => Environment.GetEnvironmentVariable(SettingNames.Lambda.CorsAllowedOrigin);
}
