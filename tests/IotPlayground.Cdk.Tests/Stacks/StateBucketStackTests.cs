using Amazon.CDK.Assertions;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class StateBucketStackTests(SynthesizedApp app)
{
    private Template Template => app.TemplateOf(app.Stacks.StateBucket);

    [Fact]
    public void TheBucketIsVersionedAndOutlivesTheStack()
    {
        Template.HasResource("AWS::S3::Bucket", Match.ObjectLike(new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["VersioningConfiguration"] = new Dictionary<string, object> { ["Status"] = "Enabled" },
            }),
        }));
    }

    [Fact]
    public void TheLockTableIsKeyedByLockIdAndOutlivesTheStack()
    {
        Template.HasResource("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["KeySchema"] = new object[]
                {
                    new Dictionary<string, object> { ["AttributeName"] = "LockID", ["KeyType"] = "HASH" },
                },
                ["DeletionProtectionEnabled"] = true,
            }),
        }));
    }
}
