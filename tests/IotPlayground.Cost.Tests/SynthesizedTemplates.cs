using Amazon.CDK;
using IotPlayground.Cdk;
using IotPlayground.Cdk.Config;

namespace IotPlayground.Cost.Tests;

/// <summary>The real app from cdk.json, synthesized once (templates only) into a cloud assembly the cost tool reads.</summary>
public sealed class SynthesizedTemplates : IDisposable
{
    private readonly string assemblyDirectory = Path.Combine(Path.GetTempPath(), $"cost-tests-{Guid.NewGuid():N}");

    public SynthesizedTemplates()
    {
        RepositoryRoot = Cdk.RepositoryRoot.Locate(AppContext.BaseDirectory);
        var cdkJson = Path.Combine(RepositoryRoot, "cdk.json");
        var context = CdkFeatureFlags.Read(cdkJson);
        context["aws:cdk:bundling-stacks"] = Array.Empty<string>();
        var app = new App(new AppProps { Context = context, Outdir = assemblyDirectory });
        var config = PlaygroundConfigReader.FromCdkJson(cdkJson);
        PlaygroundApp.Compose(app, config, config.Environments, RepositoryRoot);
        app.Synth();
        Stacks = CloudAssembly.Read(assemblyDirectory);
    }

    public string RepositoryRoot { get; }

    public IReadOnlyList<StackTemplate> Stacks { get; }

    public StackTemplate Stack(string name) => Stacks.Single(s => s.Name == name);

    public void Dispose() => Directory.Delete(assemblyDirectory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class CdkSynthesis : ICollectionFixture<SynthesizedTemplates>
{
    public const string Name = "synthesized templates";
}
