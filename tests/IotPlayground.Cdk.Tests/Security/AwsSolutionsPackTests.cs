namespace IotPlayground.Cdk.Tests.Security;

[Collection(CdkSynthesis.Name)]
public sealed class AwsSolutionsPackTests(SynthesizedApp app)
{
    private readonly IReadOnlyList<NagAcknowledgement> acknowledgements = AwsSolutionsPack.Acknowledgements(app.RepositoryRoot);

    [Fact]
    public void ThePackReadsEveryTemplate() =>
        Assert.Equal(app.Templates.Keys.Order(StringComparer.Ordinal), app.AwsSolutions.Templates.Order(StringComparer.Ordinal));

    [Fact]
    public void EveryFindingIsFixedOrAcknowledged()
    {
        var open = app.AwsSolutions.Findings.Where(f => !acknowledgements.Any(a => a.Covers(f))).ToList();

        Assert.True(open.Count == 0, $"{open.Count} findings neither fixed nor acknowledged:{Environment.NewLine}{string.Join(Environment.NewLine, open)}");
    }

    [Fact]
    public void EveryAcknowledgementStillMatchesAFinding()
    {
        var stale = acknowledgements
            .SelectMany(a => a.Paths.Select(p => (a.Rule, Path: p)))
            .Where(a => !app.AwsSolutions.Findings.Any(f => f.Rule == a.Rule && f.Path == a.Path))
            .ToList();

        Assert.True(stale.Count == 0, "Remove acknowledgements that no longer apply: " + string.Join(", ", stale));
    }

    [Fact]
    public void EveryAcknowledgementSaysWhy() =>
        Assert.All(acknowledgements, a => Assert.True(a.Reason.Length >= 40 && a.Paths.Count > 0, $"{a.Rule}: give paths and a reason a reviewer would accept"));
}
