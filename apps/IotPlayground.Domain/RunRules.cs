namespace IotPlayground.Domain;

/// <summary>The limits of the business logic, the same on every backend.</summary>
public static class RunRules
{
    /// <summary>RUNNING runs allowed at once, all users together.</summary>
    public const int MaxRunning = 5;

    /// <summary>The quota of a store that holds none: tools and tests that store history configure theirs so.</summary>
    public const int NoQuota = int.MaxValue;

    public const int MinDuration = 5;
    public const int MaxDuration = 86_400;
    public const int MinInterval = 1;
    public const int MaxInterval = 3_600;
    public const int MaxSensors = 20;

    /// <summary>A late client is given twice its interval, and never less than this, before its run expires.</summary>
    public static readonly TimeSpan MinGrace = TimeSpan.FromSeconds(10);

    public static TimeSpan GraceFor(int interval) =>
        TimeSpan.FromSeconds(Math.Max(2 * interval, MinGrace.TotalSeconds));

    public static DateTimeOffset DeadlineOf(DateTimeOffset startedAt, int duration, int interval) =>
        startedAt + TimeSpan.FromSeconds(duration) + GraceFor(interval);
}
