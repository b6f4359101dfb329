namespace IotPlayground.Cdk.Tests;

/// <summary>`cdk destroy &lt;env&gt;-Grafana` must work alone: no stack may depend on a Grafana stack.</summary>
[Collection(CdkSynthesis.Name)]
public sealed class GrafanaIndependenceTests(SynthesizedApp app)
{
    private IEnumerable<Amazon.CDK.Stack> Grafanas => app.Stacks.Environments.Select(e => e.Grafana);

    [Fact]
    public void NoStackDependsOnAGrafanaStack()
    {
        var grafanaNames = Grafanas.Select(g => g.StackName).ToHashSet();

        Assert.All(app.Stacks.All, stack =>
            Assert.DoesNotContain(stack.Dependencies, d => grafanaNames.Contains(d.StackName)));
    }

    [Fact]
    public void GrafanaStacksExportNothing()
    {
        Assert.All(Grafanas, grafana =>
        {
            var outputs = app.TemplateJson[grafana.StackName]["Outputs"]?.AsObject() ?? [];
            Assert.DoesNotContain(outputs, o => o.Value?["Export"] is not null);
        });
    }

    [Fact]
    public void GrafanaDependsOnlyOnItsOwnEnvironmentsStacks()
    {
        foreach (var environment in app.Stacks.Environments)
        {
            Assert.All(environment.Grafana.Dependencies, d => Assert.StartsWith(environment.Config.Name + "-", d.StackName, StringComparison.Ordinal));
        }
    }
}
