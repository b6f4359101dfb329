using IotPlayground.Domain;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>One backend behind the HTTP contract, on a store of its own that no other test class touches.</summary>
public interface IBackend
{
    /// <summary>Where the backend listens on loopback, for a proxy that stands in front of it.</summary>
    Uri BaseAddress { get; }

    HttpClient CreateClient();

    /// <summary>The backend's own store, to set up what the API cannot, such as a run that started long ago.</summary>
    IRunStore RunStore { get; }

    /// <summary>The same runs through a store configured with no quota: to store more history than the quota lets run at once.</summary>
    IRunStore HistoryStore { get; }

    /// <summary>Empties the store, so that every test starts with the whole quota free.</summary>
    Task ResetAsync();
}

/// <summary>A backend whose store the test may stop and start again.</summary>
public interface IOutageBackend : IBackend
{
    Task StopStoreAsync();

    Task StartStoreAsync();
}

public static class LoopbackClient
{
    /// <summary>
    /// A client that sends non-ASCII header values (as UTF-8) instead of refusing them, so that hostile-user tests
    /// reach the server.
    /// </summary>
    public static HttpClient Create(Uri baseAddress) =>
        new(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 }) { BaseAddress = baseAddress };
}
