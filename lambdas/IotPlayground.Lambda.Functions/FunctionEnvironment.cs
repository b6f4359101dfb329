using IotPlayground.Domain;
using IotPlayground.DynamoDb;

namespace IotPlayground.Lambda.Functions;

/// <summary>The settings the CDK gives the functions as environment variables (cdk/…/AppSettings.cs names them too).</summary>
public static class FunctionEnvironment
{
    public const string RunsTable = "RUNS_TABLE";
    public const string SensorDataTable = "SENSOR_DATA_TABLE";
    public const string GrafanaBaseUrl = "GRAFANA_BASE_URL";

    /// <summary>A missing setting fails the function's initialization, naming the variable.</summary>
    public static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The environment variable {variable} is not set; the function cannot start without it.");

    /// <summary>The run function's stores: the runs table only, with the business rule's quota.</summary>
    public static DynamoDbStores RunStores() => DynamoDbStores.Create(DynamoDbClients.Create(), Required(RunsTable), sensorDataTable: null);

    /// <summary>The sensor function's stores: both tables.</summary>
    public static DynamoDbStores SensorStores() =>
        DynamoDbStores.Create(DynamoDbClients.Create(), Required(RunsTable), Required(SensorDataTable));

    public static GrafanaLinks Grafana() =>
        Uri.TryCreate(Required(GrafanaBaseUrl), UriKind.Absolute, out var url)
            ? new GrafanaLinks(url)
            : throw new InvalidOperationException($"{GrafanaBaseUrl} must be an absolute URL.");
}
