namespace IotPlayground.LambdaHost;

/// <summary>
/// The Lambda Runtime API of both functions, on the host's own listener under /_lambda/{function}/{instance}, so that the
/// API and its functions need one port.
/// </summary>
public static class RuntimeApi
{
    public const string Prefix = "/_lambda";

    public static void MapRuntimeApi(this IEndpointRouteBuilder app) =>
        app.ServiceProvider.GetRequiredService<LocalFunctions>().Emulator.MapRuntimeApi(app, Prefix);
}
