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

    /// <summary>
    /// The most instances (processes) a function runs at once, its concurrency limit: as in Lambda, a request that finds
    /// no idle instance starts one, and beyond the limit it waits for the first to be done. Ten by default: a burst (the
    /// tests' 200 concurrent starts) is served ten at a time instead of queueing behind a fixed few, while ten Native AOT
    /// instances hold about 20 MiB each, and a laptop gains little from more processes than its cores can run against
    /// one local DynamoDB server, which is then the bottleneck.
    /// </summary>
    [Range(1, 64)]
    public int MaxInstancesPerFunction { get; set; } = 10;

    /// <summary>
    /// How long an instance may stay unused before the host stops it, as Lambda reclaims an idle execution environment
    /// after a time it does not publish: a burst's instances do not outlive it for good, and a request after a quiet
    /// spell starts cold again, as it may in AWS.
    /// </summary>
    [Range(1, 1_440)]
    public int IdleInstanceMinutes { get; set; } = 10;

    /// <summary>How long a request may take: API Gateway's integration timeout.</summary>
    [Range(1, 900)]
    public int TimeoutSeconds { get; set; } = 29;

    private static string BuiltBootstrap(string key) =>
        typeof(LambdaHostOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
