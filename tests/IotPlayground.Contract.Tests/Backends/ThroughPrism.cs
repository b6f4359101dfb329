using IotPlayground.Domain;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>
/// A backend with Stoplight Prism in front of it, validating every exchange against the container API's OpenAPI
/// document: the contract suite runs through it, so a document that refuses what the API accepts, or an answer the
/// document does not describe, fails the test that met it (<see cref="PrismCheckedHandler"/>).
/// </summary>
public class ThroughPrism<TBackend> : IBackend, IAsyncLifetime
    where TBackend : IBackend, IAsyncLifetime, new()
{
    private PrismProxy? _prism;

    protected TBackend Backend { get; } = new();

    public Uri BaseAddress => Prism.Endpoint;

    public IRunStore RunStore => Backend.RunStore;

    public IRunStore HistoryStore => Backend.HistoryStore;

    private PrismProxy Prism => _prism ?? throw new InvalidOperationException("The proxy has not started.");

    public HttpClient CreateClient() =>
        new(new PrismCheckedHandler(Prism, Backend.BaseAddress)) { BaseAddress = Prism.Endpoint };

    public Task ResetAsync() => Backend.ResetAsync();

    public async Task InitializeAsync()
    {
        await Backend.InitializeAsync();
        _prism = await PrismProxy.StartAsync(await ApiDocument.FileAsync(), Backend.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        if (_prism is not null)
        {
            await _prism.DisposeAsync();
        }

        await Backend.DisposeAsync();
        (Backend as IDisposable)?.Dispose();
    }
}

/// <summary>A backend whose store the test stops and starts, with Prism in front of it.</summary>
public sealed class OutageThroughPrism<TBackend> : ThroughPrism<TBackend>, IOutageBackend
    where TBackend : IOutageBackend, IAsyncLifetime, new()
{
    public Task StopStoreAsync() => Backend.StopStoreAsync();

    public Task StartStoreAsync() => Backend.StartStoreAsync();
}
