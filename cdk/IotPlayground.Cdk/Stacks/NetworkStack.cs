using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.Logs;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Constructs;
using Constructs;

namespace IotPlayground.Cdk.Stacks;

public sealed class NetworkStackProps : StackProps
{
    public required string VpcCidr { get; init; }

    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    public required NatMode Nat { get; init; }

    public required RetentionDays LogRetention { get; init; }
}

/// <summary>
/// The environment's VPC over two availability zones: public subnets for load balancers (and for
/// tasks when there is no NAT), private subnets with NAT egress for tasks, and isolated subnets for
/// data that never need the internet.
/// </summary>
public sealed class NetworkStack : Stack
{
    /// <summary>The smallest instance that forwards a dev environment's traffic.</summary>
    public const string NatInstanceType = "t4g.nano";

    private const string PublicSubnets = "Public";
    private const string ApplicationSubnets = "Application";
    private const string DataSubnetGroup = "Data";

    public NetworkStack(Construct scope, string id, NetworkStackProps props)
        : base(scope, id, props)
    {
        // The configured zones answer the CDK's availability-zone lookup, so synth never calls AWS.
        Node.SetContext(
            $"availability-zones:account={Account}:region={Region}",
            props.AvailabilityZones.ToArray());

        var natInstance = props.Nat == NatMode.Instance
            ? NatProvider.InstanceV2(new NatInstanceProps
            {
                InstanceType = new InstanceType(NatInstanceType),

                // The default admits all traffic from anywhere into an instance with a public IP.
                DefaultAllowedTraffic = NatTrafficDirection.OUTBOUND_ONLY,
                MachineImage = MachineImage.LatestAmazonLinux2023(new AmazonLinux2023ImageSsmParameterProps
                {
                    CpuType = AmazonLinuxCpuType.ARM_64,
                }),
            })
            : null;

        List<ISubnetConfiguration> subnets =
        [
            new SubnetConfiguration { Name = PublicSubnets, SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
            new SubnetConfiguration { Name = DataSubnetGroup, SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 },
        ];
        if (props.Nat != NatMode.None)
        {
            subnets.Add(new SubnetConfiguration
            {
                Name = ApplicationSubnets,
                SubnetType = SubnetType.PRIVATE_WITH_EGRESS,
                CidrMask = 24,
            });
        }

        var vpc = new Vpc(this, "Vpc", new VpcProps
        {
            IpAddresses = IpAddresses.Cidr(props.VpcCidr),
            AvailabilityZones = [.. props.AvailabilityZones.Take(2)],
            SubnetConfiguration = [.. subnets],
            NatGateways = props.Nat == NatMode.None ? 0 : 1,
            NatGatewayProvider = natInstance ?? (props.Nat == NatMode.Gateway ? NatProvider.Gateway() : null),
            RestrictDefaultSecurityGroup = true,
        });

        // Rejected traffic only: what a security review asks about, at a fraction of the cost of logging every flow.
        vpc.AddFlowLog("FlowLog", new FlowLogOptions
        {
            TrafficType = FlowLogTrafficType.REJECT,
            Destination = FlowLogDestination.ToCloudWatchLogs(new LogGroup(this, "FlowLogs", new LogGroupProps
            {
                Retention = props.LogRetention,
                RemovalPolicy = RemovalPolicy.DESTROY,
            })),
        });

        // The NAT instance forwards traffic of the VPC's own subnets and nothing else.
        natInstance?.Connections.AllowFrom(Peer.Ipv4(vpc.VpcCidrBlock), Port.AllTraffic(), "Traffic from the VPC to the internet");

        Vpc = vpc;
        Placement = props.Nat == NatMode.None
            ? new WorkloadPlacement(new SubnetSelection { SubnetGroupName = PublicSubnets }, AssignPublicIp: true)
            : new WorkloadPlacement(new SubnetSelection { SubnetGroupName = ApplicationSubnets }, AssignPublicIp: false);
        DataSubnets = new SubnetSelection { SubnetGroupName = DataSubnetGroup };
    }

    public IVpc Vpc { get; }

    /// <summary>Where service tasks run, given the environment's NAT choice.</summary>
    public WorkloadPlacement Placement { get; }

    /// <summary>Isolated subnets for databases: no route to or from the internet.</summary>
    public SubnetSelection DataSubnets { get; }
}
