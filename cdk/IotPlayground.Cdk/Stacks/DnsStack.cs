using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.Route53;
using IotPlayground.Cdk.Config;
using Constructs;

namespace IotPlayground.Cdk.Stacks;

public sealed class DnsStackProps : StackProps
{
    public required HostedZoneConfig HostedZone { get; init; }

    public required string ApiHostName { get; init; }

    public required string GrafanaHostName { get; init; }

    /// <summary>Null when another environment issues the shared frontend's certificate.</summary>
    public string? FrontendHostName { get; init; }
}

/// <summary>
/// The environment's hosted zone, imported from fixed attributes (no lookup, so synth stays offline),
/// and DNS-validated certificates for the host names the environment serves.
/// </summary>
public sealed class DnsStack : Stack
{
    public DnsStack(Construct scope, string id, DnsStackProps props)
        : base(scope, id, props)
    {
        Zone = HostedZone.FromHostedZoneAttributes(this, "Zone", new HostedZoneAttributes
        {
            HostedZoneId = props.HostedZone.Id,
            ZoneName = props.HostedZone.Name,
        });

        ApiCertificate = CertificateFor("ApiCertificate", props.ApiHostName);
        GrafanaCertificate = CertificateFor("GrafanaCertificate", props.GrafanaHostName);
        FrontendCertificate = props.FrontendHostName is null
            ? null
            : CertificateFor("FrontendCertificate", props.FrontendHostName);
    }

    public IHostedZone Zone { get; }

    public ICertificate ApiCertificate { get; }

    public ICertificate GrafanaCertificate { get; }

    /// <summary>For the frontend's host; regional, so usable by a load balancer or API in this region.</summary>
    public ICertificate? FrontendCertificate { get; }

    private Certificate CertificateFor(string id, string hostName) => new(this, id, new CertificateProps
    {
        DomainName = hostName,
        Validation = CertificateValidation.FromDns(Zone),
    });
}
