using System.Text;
using IotPlayground.Api;
using IotPlayground.Api.Endpoints;
using IotPlayground.Api.Metrics;
using IotPlayground.Api.OpenApi;
using IotPlayground.Postgres;

if (args is [MigrateCommand.Name, ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

// A header value that is not ASCII reaches the contract, which answers it with a problem (an invalid X-User), as the
// serverless backend does; Kestrel would otherwise refuse the request with a bare 400.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1);
builder.AddPostgresStores();
builder.AddRunDomain();
builder.Services.AddContractHandlers();
builder.AddFrontendCors();
builder.Services.AddPrometheusMetrics();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddProblemDetails();
builder.Services.AddContractOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseCors();
app.MapOpenApi();
app.MapHealthApi();
app.MapPrometheusMetrics();
app.MapContractApi();

await app.RunAsync();
return 0;

public partial class Program;
