using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.DynamoDb;
using Microsoft.Extensions.Options;

namespace IotPlayground.LambdaHost;

/// <summary>The two functions of the serverless stack, configured as the CDK configures them.</summary>
public sealed partial class LocalFunctions(IOptions<LambdaHostOptions> options, ILoggerFactory loggers) : IDisposable
{
    public const string RunApi = ApiFunctions.RunApi;
    public const string SensorApi = ApiFunctions.SensorApi;

    private readonly LambdaHostOptions _options = options.Value;
    private readonly ILogger _logger = loggers.CreateLogger<LocalFunctions>();

    public LocalFunction Run { get; } = new(RunApi, options.Value.RunApiBootstrap, loggers.CreateLogger<LocalFunction>());

    public LocalFunction Sensor { get; } = new(SensorApi, options.Value.SensorApiBootstrap, loggers.CreateLogger<LocalFunction>());

    public TimeSpan Timeout => TimeSpan.FromSeconds(_options.TimeoutSeconds);

    public LocalFunction? Find(string name) => name switch
    {
        RunApi => Run,
        SensorApi => Sensor,
        _ => null,
    };

    /// <summary>Starts every instance, with the Runtime API at <paramref name="runtimeApi"/> (host:port).</summary>
    public void Start(string runtimeApi)
    {
        foreach (var function in new[] { Run, Sensor })
        {
            var environment = new Dictionary<string, string>
            {
                ["AWS_LAMBDA_FUNCTION_NAME"] = function.Name,
                [SettingNames.Lambda.RunsTable] = _options.RunsTable,
                [SettingNames.Lambda.SensorDataTable] = _options.SensorDataTable,
                [SettingNames.Lambda.GrafanaBaseUrl] = _options.GrafanaBaseUrl,
            };
            // A path below host:port keeps the functions apart on one listener.
            function.Start(_options.InstancesPerFunction, $"{runtimeApi}/_lambda/{function.Name}", environment);
        }

        LogReady(runtimeApi);
    }

    public async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        using var client = DynamoDbClients.Create();
        await DynamoDbSchema.EnsureTablesAsync(client, _options.RunsTable, _options.SensorDataTable, cancellationToken);
    }

    /// <summary>
    /// A local DynamoDB server takes any credentials; the SDK still wants some, and a region. Set for this process and,
    /// inherited, for the functions, unless the environment has its own.
    /// </summary>
    public static void DefaultLocalAwsEnvironment()
    {
        if (Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB") is null)
        {
            return;
        }

        SetIfMissing("AWS_REGION", "us-east-1");
        if (Environment.GetEnvironmentVariable("AWS_PROFILE") is null)
        {
            SetIfMissing("AWS_ACCESS_KEY_ID", "local");
            SetIfMissing("AWS_SECRET_ACCESS_KEY", "local");
        }
    }

    public void Dispose()
    {
        Run.Dispose();
        Sensor.Dispose();
    }

    /// <summary>The line a script or test waits for before it sends requests.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Serverless backend ready on http://{Address}")]
    private partial void LogReady(string address);

    private static void SetIfMissing(string variable, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }
}
