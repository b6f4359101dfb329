using Amazon.CDK;
using IotPlayground.Cdk;
using IotPlayground.Cdk.Config;

var app = new App();

// `-c bundling=false` writes templates without publishing the Lambda functions. The CDK's own switch,
// context aws:cdk:bundling-stacks, is reserved: the CLI refuses it on the command line.
if (app.Node.TryGetContext("bundling") is "false")
{
    app.Node.SetContext("aws:cdk:bundling-stacks", Array.Empty<string>());
}

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
