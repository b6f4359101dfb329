using System.Net;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Container;

/// <summary>
/// The container API's liveness (<c>/alive</c>, what the load balancer and ECS ask) apart from its readiness
/// (<c>/health</c>): a database outage makes it unready, never dead, so that ECS does not replace every task.
/// </summary>
public sealed class ContainerLiveness(ContainerOutageBackend backend) : IClassFixture<ContainerOutageBackend>, IDisposable
{
    private readonly HttpClient _client = backend.CreateClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task TheApiStaysAliveWhileItsDatabaseIsDown()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync("/alive"));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync("/health"));

        await backend.StopStoreAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, await StatusOfAsync("/alive"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOfAsync("/health"));
            Assert.Equal(HttpStatusCode.OK, await StatusOfAsync("/alive"));
        }
        finally
        {
            await backend.StartStoreAsync();
        }

        await Eventually.Async(
            async () => await StatusOfAsync("/health") == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/health did not recover after the database's restart.");

        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync("/alive"));
    }

    private async Task<HttpStatusCode> StatusOfAsync(string path)
    {
        using var response = await _client.Get(path);
        return response.StatusCode;
    }
}
