using System.Net;
using IotPlayground.Contract.Tests.Backends;

namespace IotPlayground.Contract.Tests.Container;

/// <summary>The web frontend calls the container API from its own origin; no other origin may.</summary>
public sealed class ContainerCors(ContainerBackend backend) : IClassFixture<ContainerBackend>, IDisposable
{
    private readonly HttpClient _client = backend.CreateClient();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task TheFrontendsOriginMayStartARunWithItsUserHeader()
    {
        using var preflight = await _client.SendAsync(Preflight(ContainerBackend.FrontendOrigin));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(ContainerBackend.FrontendOrigin, Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("x-user", string.Join(',', preflight.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherOriginIsNotAllowed()
    {
        using var preflight = await _client.SendAsync(Preflight("https://evil.test"));

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/api/runs/start", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-user");
        return request;
    }
}
