using Amazon.CDK;
using IotPlayground.Cdk;
using IotPlayground.Cdk.Config;

var app = new App();

PlaygroundConfig config;
IReadOnlyList<EnvironmentConfig> environments;
try
{
    config = PlaygroundConfigReader.FromContextValue(app.Node.TryGetContext(PlaygroundConfig.ContextKey));
    environments = config.Select(app.Node.TryGetContext(PlaygroundConfig.EnvironmentSelectorKey) as string);
}
catch (ConfigurationException error)
{
    // A configuration mistake is the operator's to fix: the message, not a stack trace.
    Console.Error.WriteLine(error.Message);
    return 1;
}

PlaygroundApp.Compose(app, config, environments, RepositoryRoot.Locate(Directory.GetCurrentDirectory()));
app.Synth();
return 0;
