namespace IotPlayground.Contract.Tests.Backends;

/// <summary>
/// The OpenAPI document the container API serves, written once per test run to a file for Prism: one document
/// describes both backends, since both answer one contract.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";

    private static readonly Lazy<Task<string>> File = new(WriteAsync);

    public static Task<string> FileAsync() => File.Value;

    private static async Task<string> WriteAsync()
    {
        var container = new ContainerBackend();
        await container.InitializeAsync();
        try
        {
            using var client = container.CreateClient();
            var document = await client.GetStringAsync(new Uri(Path, UriKind.Relative));
            var file = System.IO.Path.Combine(Directory.CreateTempSubdirectory("iotplayground-openapi-").FullName, "openapi.json");
            await System.IO.File.WriteAllTextAsync(file, document);
            return file;
        }
        finally
        {
            await container.DisposeAsync();
        }
    }
}
