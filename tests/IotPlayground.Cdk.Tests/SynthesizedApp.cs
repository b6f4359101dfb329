using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Tests.Security;

namespace IotPlayground.Cdk.Tests;

/// <summary>
/// The whole app, from the real cdk.json, synthesized once per test run with bundling skipped.
/// Template.FromStack reuses this synthesis (the app caches its assembly).
/// </summary>
public sealed class SynthesizedApp
{
    private readonly Lazy<NagReport> awsSolutions;

    public SynthesizedApp()
    {
        RepositoryRoot = Cdk.RepositoryRoot.Locate(AppContext.BaseDirectory);
        Config = PlaygroundConfigReader.FromCdkJson(Path.Combine(RepositoryRoot, "cdk.json"));

        var context = CdkFeatureFlags.Read(Path.Combine(RepositoryRoot, "cdk.json"));
        context["aws:cdk:bundling-stacks"] = Array.Empty<string>();

        // As the CLI synthesizes: resources carry their construct path, which the AwsSolutions findings name.
        context["aws:cdk:enable-path-metadata"] = true;
        var app = new App(new AppProps { Context = context });
        Stacks = PlaygroundApp.Compose(app, Config, Config.Environments, RepositoryRoot);
        AssemblyDirectory = app.Synth().Directory;

        awsSolutions = new Lazy<NagReport>(() => AwsSolutionsPack.Run(RepositoryRoot, AssemblyDirectory));
        Templates = Stacks.All.ToDictionary(s => s.StackName, s => Template.FromStack(s));
        TemplateJson = Templates.ToDictionary(
            t => t.Key,
            t => System.Text.Json.JsonSerializer.SerializeToNode(t.Value.ToJSON())!.AsObject());
    }

    public string RepositoryRoot { get; }

    /// <summary>cdk-nag's AwsSolutions findings over this synthesis, run once when a test first asks.</summary>
    public NagReport AwsSolutions => awsSolutions.Value;

    public PlaygroundConfig Config { get; }

    public PlaygroundStacks Stacks { get; }

    /// <summary>The cloud assembly (cdk.out) of this synthesis, with the staged file assets.</summary>
    public string AssemblyDirectory { get; }

    public IReadOnlyDictionary<string, Template> Templates { get; }

    /// <summary>The same templates as plain JSON, for rules that walk every resource.</summary>
    public IReadOnlyDictionary<string, JsonObject> TemplateJson { get; }

    public EnvironmentStacks Environment(string name) => Stacks.Environments.Single(e => e.Config.Name == name);

    public Template TemplateOf(Stack stack) => Templates[stack.StackName];
}

/// <summary>jsii is not safe for parallel synthesis: every CDK test runs in this one collection.</summary>
[CollectionDefinition(Name)]
public sealed class CdkSynthesis : ICollectionFixture<SynthesizedApp>
{
    public const string Name = "CDK app";
}
