namespace IotPlayground.LambdaEmulator;

/// <summary>What became of an invocation.</summary>
public enum InvocationOutcome
{
    /// <summary>The runtime posted a response: <see cref="InvocationResult.Body"/> is the function's document.</summary>
    Responded,

    /// <summary>The runtime posted an invocation error, or its instance exited while it held the invocation.</summary>
    FunctionError,

    /// <summary>The instance started for the invocation reported an init error instead of asking for it.</summary>
    InitError,

    /// <summary>The deadline passed first; the instance that held the invocation, if any, was stopped.</summary>
    TimedOut,

    /// <summary>No instance runs and none could be started.</summary>
    NoInstance,
}

/// <summary>
/// The end of one invocation: the document or error the runtime posted, the instance that handled it, and, when that
/// instance was started for it, what the cold start took.
/// </summary>
public sealed record InvocationResult(InvocationOutcome Outcome, byte[] Body)
{
    /// <summary>The Lambda-Runtime-Aws-Request-Id the invocation was given; null when it found no instance.</summary>
    public string? RequestId { get; init; }

    /// <summary>Lambda-Runtime-Function-Error-Type of an error post, or the emulator's own (Runtime.ExitError).</summary>
    public string? ErrorType { get; init; }

    public EmulatedInstance? Instance { get; init; }

    /// <summary>Set on the first invocation an instance handled: Lambda's cold start.</summary>
    public ColdStart? ColdStart { get; init; }
}

/// <summary>
/// An instance's cold start: from its start to its first call of /next (its initialization, Lambda's "Init Duration"),
/// and from its start to its answer to the first invocation.
/// </summary>
public sealed record ColdStart(TimeSpan Init, TimeSpan UntilAnswer);

/// <summary>One invocation queued for, or held by, an instance.</summary>
internal sealed record PendingInvocation(string RequestId, byte[] Payload, DateTimeOffset Deadline)
{
    public TaskCompletionSource<InvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stopwatch timestamp of its hand-over to an instance: where Lambda's duration of it starts.</summary>
    public long HandedOverAt { get; set; }
}
