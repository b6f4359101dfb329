using IotPlayground.Domain;

namespace IotPlayground.Stores.Tests;

/// <summary>One implementation's stores, on data of their own that no other test touches.</summary>
public sealed class StoresUnderTest(IRunStore runs, ISensorDataStore readings, IStoreProbe probe, Func<ValueTask>? dispose = null) : IAsyncDisposable
{
    public IRunStore Runs { get; } = runs;

    public ISensorDataStore Readings { get; } = readings;

    public IStoreProbe Probe { get; } = probe;

    public ValueTask DisposeAsync() => dispose?.Invoke() ?? ValueTask.CompletedTask;
}

/// <summary>How each implementation of the suites makes its stores.</summary>
public interface IStoreFactory
{
    /// <summary>New, empty stores configured with <paramref name="maxRunning"/>, through the implementation's own registration.</summary>
    Task<StoresUnderTest> CreateAsync(int maxRunning);

    /// <summary>Stores configured as usual but whose server cannot be reached.</summary>
    Task<StoresUnderTest> CreateUnreachableAsync();

    /// <summary>
    /// A reading of <paramref name="valid"/>'s run that this store refuses to store, so that a batch holding it fails:
    /// each store has its own way of refusing, and the batch's other readings must not be stored either.
    /// </summary>
    SensorReading Unstorable(SensorReading valid);
}
