using IotPlayground.Domain;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>One backend behind the HTTP contract, on a store of its own that no other test class touches.</summary>
public interface IBackend
{
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
