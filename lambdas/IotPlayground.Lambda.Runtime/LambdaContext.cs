namespace IotPlayground.Lambda.Runtime;

/// <summary>The invocation being handled, as every log line and metric of it needs to know.</summary>
public sealed record LambdaContext(string RequestId, DateTimeOffset Deadline, string? FunctionArn)
{
    private static readonly AsyncLocal<LambdaContext?> CurrentInvocation = new();

    /// <summary>The invocation the calling code runs for; null outside one (during init).</summary>
    public static LambdaContext? Current
    {
        get => CurrentInvocation.Value;
        internal set => CurrentInvocation.Value = value;
    }

    public TimeSpan RemainingTime(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Deadline - clock.GetUtcNow();
    }
}
