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
}

/// <summary>
/// The environment's hosted zone, imported from fixed attributes (no lookup, so synth stays offline),
/// and DNS-validated certificates for the host names the environment serves. The frontend's certificate
/// is not here: CloudFront takes certificates from us-east-1 only, so the Frontend stack issues it.
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
    }

    public IHostedZone Zone { get; }

    public ICertificate ApiCertificate { get; }

    public ICertificate GrafanaCertificate { get; }

    private Certificate CertificateFor(string id, string hostName) => new(this, id, new CertificateProps
    {
        DomainName = hostName,
        Validation = CertificateValidation.FromDns(Zone),
    });
}
