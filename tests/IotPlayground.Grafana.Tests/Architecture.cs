namespace IotPlayground.Grafana.Tests;

/// <summary>The values of IOT_ARCHITECTURE, each with its own provisioning and dashboards folders.</summary>
public static class Architecture
{
    public const string Ecs = "ecs";
    public const string Serverless = "serverless";

    public static TheoryData<string> All => new() { Ecs, Serverless };
}
