using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace IotPlayground.Cdk.Stacks;

/// <summary>
/// Shared state storage for tooling outside CloudFormation: a versioned bucket and a lock table.
/// Losing either loses state, so both outlive the stack and the stack is termination-protected.
/// </summary>
public sealed class StateBucketStack : Stack
{
    /// <summary>Partition key of the lock table, the name state-locking tools expect.</summary>
    public const string LockTablePartitionKey = "LockID";

    public StateBucketStack(Construct scope, string id, StackProps props)
        : base(scope, id, props)
    {
        TerminationProtection = true;

        // Who read or changed state is worth keeping; the log bucket logs nothing of its own.
        AccessLogs = new Bucket(this, "AccessLogs", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules = [new LifecycleRule { Id = "ExpireAccessLogs", Expiration = Duration.Days(365) }],
        });

        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            ServerAccessLogsBucket = AccessLogs,
            ServerAccessLogsPrefix = "state/",
            Versioned = true,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ExpireOldStateVersions",
                    NoncurrentVersionExpiration = Duration.Days(90),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
            ],
        });

        LockTable = new Table(this, "LockTable", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = LockTablePartitionKey, Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            Encryption = TableEncryption.AWS_MANAGED,
            PointInTimeRecovery = true,
            DeletionProtection = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    public Bucket Bucket { get; }

    public Bucket AccessLogs { get; }

    public Table LockTable { get; }
}
