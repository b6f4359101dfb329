using Amazon.CDK.AWS.EC2;

namespace IotPlayground.Cdk.Constructs;

/// <summary>
/// Where tasks run. Without NAT, private subnets have no route out (image pulls, AWS APIs), so tasks
/// run in public subnets with public IPs; their security groups still admit only the load balancer.
/// </summary>
public sealed record WorkloadPlacement(SubnetSelection Subnets, bool AssignPublicIp);
