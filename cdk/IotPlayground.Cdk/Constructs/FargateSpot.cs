using Amazon.CDK.AWS.ECS;

namespace IotPlayground.Cdk.Constructs;

/// <summary>
/// Fargate Spot: the same tasks on spare capacity, which AWS may reclaim with a two-minute warning; the service then
/// starts a replacement. Fit for a task that keeps no state, such as a provisioned Grafana.
/// </summary>
public static class FargateSpot
{
    public static CapacityProviderStrategy Strategy { get; } = new() { CapacityProvider = "FARGATE_SPOT", Weight = 1 };
}
