using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.SecretsManager;

namespace IotPlayground.Cdk.Stacks;

/// <summary>
/// What Grafana reads in the ECS environment. The security groups are handed over so that Grafana's
/// stack can add its own ingress rules to them; the rules live in Grafana's stack, which keeps every
/// dependency pointing from Grafana to the backend and never back.
/// </summary>
public sealed record EcsDataSources(
    string PrometheusUrl,
    ISecurityGroup PrometheusSecurityGroup,
    string DatabaseHost,
    string DatabaseName,
    string DatabaseUsername,
    ISecret DatabaseSecret,
    ISecurityGroup DatabaseSecurityGroup,
    int DatabasePort);

/// <summary>
/// The backend's load balancer, as plain attributes, for a stack that adds a host-name rule of its own to it (Grafana
/// with access "shared"). Attributes, not the constructs: a rule added to the backend's own listener would live in
/// the backend's stack and make it depend on Grafana's.
/// </summary>
public sealed record SharedLoadBalancer(
    string LoadBalancerArn,
    string DnsName,
    string CanonicalHostedZoneId,
    string SecurityGroupId,
    string HttpsListenerArn);
