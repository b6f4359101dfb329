using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IotPlayground.LambdaEmulator;

/// <summary>
/// The Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) for any number of functions,
/// each instance under {prefix}/{function}/{instance}: next invocation (request id, Lambda-Runtime-Deadline-Ms, function
/// ARN), response (at most 6 MB, as Lambda), invocation error and init error. A host maps it into its own server
/// (<see cref="MapRuntimeApi"/>, then <see cref="ServeAt"/>); the bench and the tests start one of its own
/// (<see cref="StartAsync"/>).
/// </summary>
public sealed class RuntimeApiEmulator(TimeProvider clock, ILoggerFactory loggers) : IAsyncDisposable
{
    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly Dictionary<string, EmulatedFunction> _functions = new(StringComparer.Ordinal);
    private WebApplication? _ownServer;
    private string? _address;

    /// <summary>host:port and the prefix the Runtime API is served under, once it is served.</summary>
    public string Address => _address ?? throw new InvalidOperationException("The Runtime API is not served yet: call ServeAt first.");

    /// <summary>A Runtime API on a server of its own, on a free loopback port.</summary>
    public static async Task<RuntimeApiEmulator> StartAsync(TimeProvider? clock = null, ILoggerFactory? loggers = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var emulator = new RuntimeApiEmulator(clock ?? TimeProvider.System, loggers ?? NullLoggerFactory.Instance) { _ownServer = app };
        emulator.MapRuntimeApi(app, "");
        await app.StartAsync();
        emulator.ServeAt(new Uri(app.Urls.First()).Authority);
        return emulator;
    }

    /// <summary>
    /// A function whose instances are processes: <paramref name="launch"/> says how to start one (the emulator adds
    /// AWS_LAMBDA_RUNTIME_API and takes its output, line by line, to <paramref name="output"/>). As Lambda does, it
    /// starts one for an invocation that finds none free, up to <paramref name="maxInstances"/> at once, and stops one
    /// that stayed free for <paramref name="idleLifetime"/> (null: never).
    /// </summary>
    public EmulatedFunction AddFunction(
        string name, int maxInstances, Func<ProcessStartInfo> launch, Action<string> output, TimeSpan? idleLifetime = null) =>
        Add(new EmulatedFunction(name, maxInstances, idleLifetime, launch, output, () => Address, clock, loggers.CreateLogger<EmulatedFunction>()));

    /// <summary>A function whose instances are runtime loops that attach themselves (<see cref="EmulatedFunction.Attach"/>).</summary>
    public EmulatedFunction AddFunction(string name) =>
        Add(new EmulatedFunction(name, 0, null, null, _ => { }, () => Address, clock, loggers.CreateLogger<EmulatedFunction>()));

    /// <summary>Maps the Runtime API into <paramref name="app"/> under <paramref name="prefix"/>.</summary>
    public void MapRuntimeApi(IEndpointRouteBuilder app, string prefix)
    {
        ArgumentNullException.ThrowIfNull(app);
        var runtime = app.MapGroup(prefix + "/{function}/{instance:int}/2018-06-01/runtime").ExcludeFromDescription();
        runtime.MapGet("/invocation/next", NextAsync);
        runtime.MapPost("/invocation/{requestId}/response", (string function, int instance, string requestId, HttpRequest request) =>
            CompleteAsync(function, instance, requestId, InvocationOutcome.Responded, request));
        runtime.MapPost("/invocation/{requestId}/error", (string function, int instance, string requestId, HttpRequest request) =>
            CompleteAsync(function, instance, requestId, InvocationOutcome.FunctionError, request));
        runtime.MapPost("/init/error", InitErrorAsync);
    }

    /// <summary>Where <see cref="MapRuntimeApi"/>'s server listens (host:port, and the prefix): what instances are given.</summary>
    public void ServeAt(string address) => _address = address;

    public async ValueTask DisposeAsync()
    {
        List<EmulatedFunction> functions;
        lock (_functions)
        {
            functions = [.. _functions.Values];
            _functions.Clear();
        }

        // Stopped first: their long polls would hold the server's shutdown until its timeout.
        functions.ForEach(f => f.Dispose());
        if (_ownServer is not null)
        {
            await _ownServer.DisposeAsync();
        }
    }

    private EmulatedFunction Add(EmulatedFunction function)
    {
        lock (_functions)
        {
            if (!_functions.TryAdd(function.Name, function))
            {
                throw new InvalidOperationException($"The Runtime API already serves a function named {function.Name}.");
            }
        }

        return function;
    }

    private EmulatedFunction? Find(string name)
    {
        lock (_functions)
        {
            return _functions.GetValueOrDefault(name);
        }
    }

    private async Task<IResult> NextAsync(string function, int instance, HttpResponse response, CancellationToken cancellationToken)
    {
        if (Find(function) is not { } target)
        {
            return Results.NotFound();
        }

        var next = await target.NextAsync(instance, cancellationToken);
        if (next.Invocation is not { } invocation)
        {
            return Results.StatusCode(next.Status);
        }

        response.Headers[RequestIdHeader] = invocation.RequestId;
        response.Headers[DeadlineHeader] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers[FunctionArnHeader] = target.Arn;
        return Results.Bytes(invocation.Payload, "application/json");
    }

    private async Task<IResult> CompleteAsync(string function, int instance, string requestId, InvocationOutcome outcome, HttpRequest request)
    {
        if (Find(function) is not { } target)
        {
            return Results.NotFound();
        }

        // Lambda refuses a larger response, and the invocation stays open for the runtime to report an error instead.
        if (await ReadAsync(request, EmulatedFunction.MaxResponseBytes) is not { } body)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        return target.Complete(instance, requestId, outcome, body, ErrorType(request)) ? Results.Accepted() : Results.NotFound();
    }

    private async Task<IResult> InitErrorAsync(string function, int instance, HttpRequest request)
    {
        if (Find(function) is not { } target)
        {
            return Results.NotFound();
        }

        target.InitFailed(instance, await ReadAsync(request, EmulatedFunction.MaxResponseBytes) ?? [], ErrorType(request));
        return Results.Accepted();
    }

    private static string? ErrorType(HttpRequest request) =>
        request.Headers.TryGetValue(ErrorTypeHeader, out var values) ? values.ToString() : null;

    /// <summary>
    /// The request's body, or null when it is longer than <paramref name="limit"/>: read to its end either way, so that
    /// the runtime hears the 413 rather than a connection reset in the middle of its upload.
    /// </summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest request, int limit)
    {
        using var body = new MemoryStream();
        var buffer = new byte[81_920];
        var tooLong = false;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            tooLong |= body.Length + read > limit;
            if (!tooLong)
            {
                body.Write(buffer, 0, read);
            }
        }

        return tooLong ? null : body.ToArray();
    }
}
