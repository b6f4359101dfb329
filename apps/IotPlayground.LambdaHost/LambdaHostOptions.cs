using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace IotPlayground.LambdaHost;

/// <summary>The "LambdaHost" configuration section; any of it may be given on the command line (--LambdaHost:RunsTable=...).</summary>
public sealed class LambdaHostOptions
{
    public const string Section = "LambdaHost";

    [Required]
    public string RunsTable { get; set; } = "";

    [Required]
    public string SensorDataTable { get; set; } = "";

    [Required]
    [Url]
    public string GrafanaBaseUrl { get; set; } = "";

    /// <summary>The run function's bootstrap; by default the one this configuration built. Point it at a published one to run that.</summary>
    public string RunApiBootstrap { get; set; } = BuiltBootstrap(nameof(RunApiBootstrap));

    public string SensorApiBootstrap { get; set; } = BuiltBootstrap(nameof(SensorApiBootstrap));

    /// <summary>Processes per function: Lambda runs concurrent requests in separate instances, and so does this host.</summary>
    [Range(1, 32)]
    public int InstancesPerFunction { get; set; } = 2;

    /// <summary>How long a request may take: API Gateway's integration timeout.</summary>
    [Range(1, 900)]
    public int TimeoutSeconds { get; set; } = 29;

    private static string BuiltBootstrap(string key) =>
        typeof(LambdaHostOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
