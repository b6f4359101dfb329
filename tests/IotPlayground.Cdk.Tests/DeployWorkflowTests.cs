using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace IotPlayground.Cdk.Tests;

/// <summary>The deploy workflow names only stacks the app really has, per environment and component.</summary>
[Collection(CdkSynthesis.Name)]
public sealed class DeployWorkflowTests(SynthesizedApp app)
{
    private static readonly string[] Components = ["backend", "lambdas", "grafana", "frontend", "full"];

    private YamlMappingNode Workflow
    {
        get
        {
            using var reader = new StreamReader(Path.Combine(app.RepositoryRoot, ".github", "workflows", "deploy.yml"));
            var yaml = new YamlStream();
            yaml.Load(reader);
            return (YamlMappingNode)yaml.Documents[0].RootNode;
        }
    }

    private YamlMappingNode Inputs =>
        (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Workflow["on"])["workflow_dispatch"])["inputs"];

    private Dictionary<string, Dictionary<string, string[]>> ComponentStacks =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string[]>>>(
            ((YamlScalarNode)((YamlMappingNode)Workflow["env"])["COMPONENT_STACKS"]).Value!)!;

    [Fact]
    public void TheEnvironmentChoicesAreTheEnvironmentsOfCdkJson() =>
        Assert.Equal(app.Config.Environments.Select(e => e.Name).Order(), Options("environment").Order());

    [Fact]
    public void TheComponentAndActionChoicesAreTheDocumentedOnes()
    {
        Assert.Equal(Components.Order(), Options("component").Order());
        Assert.Equal(["deploy", "destroy"], Options("action").Order());
    }

    [Fact]
    public void EveryEnvironmentAndOnlyThoseHaveAMapping() =>
        Assert.Equal(Options("environment").Order(), ComponentStacks.Keys.Order());

    [Fact]
    public void EveryMappedStackExistsAndBelongsToItsEnvironment()
    {
        foreach (var (environment, components) in ComponentStacks)
        {
            var allowed = app.Environment(environment).All.Select(s => s.StackName).Append(app.Stacks.StateBucket.StackName);
            Assert.All(components, component =>
            {
                Assert.NotEmpty(component.Value);
                Assert.All(component.Value, stack => Assert.Contains(stack, allowed));
            });
        }
    }

    [Fact]
    public void EveryComponentMapsOntoStacksInSomeEnvironment() =>
        Assert.All(Components, c => Assert.Contains(ComponentStacks.Values, m => m.ContainsKey(c)));

    [Fact]
    public void FullCoversTheWholeEnvironmentAndGrafanaOnlyGrafana()
    {
        foreach (var environment in app.Stacks.Environments)
        {
            var mapping = ComponentStacks[environment.Config.Name];

            Assert.Equal(
                environment.All.Select(s => s.StackName).Append(app.Stacks.StateBucket.StackName).Order(),
                mapping["full"].Order());
            Assert.Equal([environment.Grafana.StackName], mapping["grafana"]);
        }
    }

    [Fact]
    public void TheLambdasComponentExistsOnlyWhereThereAreLambdas()
    {
        foreach (var environment in app.Stacks.Environments)
        {
            var mapping = ComponentStacks[environment.Config.Name];
            Assert.Equal(environment.Serverless is not null, mapping.ContainsKey("lambdas"));
        }
    }

    [Fact]
    public void TheFrontendComponentIsOnlyTheFrontendStackOfTheEnvironmentHostingIt()
    {
        foreach (var environment in app.Stacks.Environments)
        {
            var mapping = ComponentStacks[environment.Config.Name];
            if (environment.Frontend is null)
            {
                Assert.False(mapping.ContainsKey("frontend"), $"{environment.Config.Name} hosts no frontend");
            }
            else
            {
                Assert.Equal([environment.Frontend.StackName], mapping["frontend"]);
            }
        }
    }

    private IEnumerable<string> Options(string input) =>
        ((YamlSequenceNode)((YamlMappingNode)Inputs[input])["options"]).Children.Select(n => ((YamlScalarNode)n).Value!);
}
