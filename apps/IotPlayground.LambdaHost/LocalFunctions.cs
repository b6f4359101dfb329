using System.Diagnostics;
using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.DynamoDb;
using IotPlayground.LambdaEmulator;
using Microsoft.Extensions.Options;

namespace IotPlayground.LambdaHost;

/// <summary>
/// The two functions of the serverless stack, configured as the CDK configures them, each a set of bootstrap processes
/// on the Runtime API emulator.
/// </summary>
public sealed partial class LocalFunctions : IDisposable
{
    public const string RunApi = ApiFunctions.RunApi;
    public const string SensorApi = ApiFunctions.SensorApi;

    private readonly LambdaHostOptions _options;
    private readonly ILogger _logger;

    public LocalFunctions(IOptions<LambdaHostOptions> options, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = loggers.CreateLogger<LocalFunctions>();
        Emulator = new RuntimeApiEmulator(clock, loggers);
        var idleLifetime = TimeSpan.FromMinutes(_options.IdleInstanceMinutes);
        Run = Emulator.AddFunction(RunApi, _options.MaxInstancesPerFunction, () => Launch(RunApi, _options.RunApiBootstrap), Console.Out.WriteLine, idleLifetime);
        Sensor = Emulator.AddFunction(SensorApi, _options.MaxInstancesPerFunction, () => Launch(SensorApi, _options.SensorApiBootstrap), Console.Out.WriteLine, idleLifetime);
    }

    public RuntimeApiEmulator Emulator { get; }

    public EmulatedFunction Run { get; }

    public EmulatedFunction Sensor { get; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(_options.TimeoutSeconds);

    /// <summary>The function a gateway resource of the route table names, or null for one this host does not run.</summary>
    public EmulatedFunction? Find(string name) => name switch
    {
        RunApi => Run,
        SensorApi => Sensor,
        _ => null,
    };

    /// <summary>Starts an instance of each function, with the Runtime API on this host's listener at <paramref name="address"/> (host:port).</summary>
    public void Start(string address)
    {
        Emulator.ServeAt(address + RuntimeApi.Prefix);
        foreach (var function in new[] { Run, Sensor })
        {
            function.StartInstances();
        }

        LogReady(address);
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

    /// <summary>How an instance of the function starts: its bootstrap, with the settings the CDK gives the function.</summary>
    private ProcessStartInfo Launch(string function, string bootstrapPath)
    {
        var bootstrap = Path.GetFullPath(bootstrapPath);

        // A built bootstrap next to its dll runs as is; a bare dll (another platform's build) through dotnet.
        var start = File.Exists(bootstrap) ? new ProcessStartInfo(bootstrap)
            : File.Exists(bootstrap + ".dll") ? new ProcessStartInfo("dotnet") { ArgumentList = { bootstrap + ".dll" } }
            : throw new FileNotFoundException($"No bootstrap for the {function} function at {bootstrap}: build the solution, or set LambdaHost:{function}Bootstrap.", bootstrap);
        start.WorkingDirectory = Path.GetDirectoryName(bootstrap)!;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = function;
        start.Environment[SettingNames.Lambda.RunsTable] = _options.RunsTable;
        start.Environment[SettingNames.Lambda.SensorDataTable] = _options.SensorDataTable;
        start.Environment[SettingNames.Lambda.GrafanaBaseUrl] = _options.GrafanaBaseUrl;
        return start;
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
