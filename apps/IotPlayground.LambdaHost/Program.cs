using System.Text;
using IotPlayground.Contract;
using IotPlayground.LambdaHost;

// A development host for the serverless backend, as SAM's local API is: API Gateway's routes in front of the two
// real bootstrap executables, on DynamoDB tables it creates when they are missing (AWS_ENDPOINT_URL_DYNAMODB).
// `publish FOLDER` publishes both functions Native AOT, as the CDK ships them, for the host to run instead.
if (args is [FunctionPublishing.Verb, ..])
{
    return await FunctionPublishing.RunAsync(args);
}

LocalFunctions.DefaultLocalAwsEnvironment();

// Its settings sit next to the binary, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// API Gateway passes any header value on; Kestrel would refuse non-ASCII ones before the function could answer.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1);
builder.Services.AddOptions<LambdaHostOptions>().BindConfiguration(LambdaHostOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<LocalFunctions>();
builder.Services.AddSingleton(TimeProvider.System);

// API Gateway answers the browser's CORS preflight itself, as the stack configures it; the functions add the origin
// to their own answers (they inherit the origin's variable from this process).
var frontendOrigin = Environment.GetEnvironmentVariable(SettingNames.Lambda.CorsAllowedOrigin);
builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
    .WithOrigins(frontendOrigin is { Length: > 0 } ? [frontendOrigin] : [])
    .WithMethods([.. CorsRule.Methods])
    .WithHeaders([.. CorsRule.RequestHeaders])
    .WithExposedHeaders([.. CorsRule.ExposedHeaders])
    .SetPreflightMaxAge(CorsRule.PreflightMaxAge)));

var app = builder.Build();
app.UseCors();
app.MapRuntimeApi();
app.MapUsageApi();
app.MapApiGateway();

var functions = app.Services.GetRequiredService<LocalFunctions>();

// Stopped first: their long polls on the Runtime API would hold the server's shutdown until its timeout.
app.Lifetime.ApplicationStopping.Register(functions.Dispose);
await functions.EnsureTablesAsync(app.Lifetime.ApplicationStopping);
await app.StartAsync();
var address = new Uri(app.Urls.First());
functions.Start($"127.0.0.1:{address.Port}");
await app.WaitForShutdownAsync();
return 0;
