using IotPlayground.Contract.Tests.Backends;

namespace IotPlayground.Contract.Tests.Contract;

/// <summary>
/// A behaviour of the HTTP contract, written once and run against every backend: each backend has a sealed
/// subclass that supplies it. Every test starts on an empty store.
/// </summary>
public abstract class ContractTest(IBackend backend) : IAsyncLifetime
{
    protected IBackend Backend { get; } = backend;

    protected HttpClient Client { get; } = backend.CreateClient();

    public virtual Task InitializeAsync() => Backend.ResetAsync();

    public virtual Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }
}
