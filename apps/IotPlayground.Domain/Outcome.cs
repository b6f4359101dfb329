namespace IotPlayground.Domain;

/// <summary>The stable problem codes of the HTTP contract.</summary>
public enum ErrorCode
{
    ValidationFailed,
    QuotaExceeded,
    RunNotFound,
    RunNotRunning,
    NotOwner,
    InvalidUser,
    Unavailable,
}

/// <param name="Errors">Per-field messages for <see cref="ErrorCode.ValidationFailed"/>, keyed by the field's JSON name.</param>
public sealed record DomainError(ErrorCode Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static DomainError Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(ErrorCode.ValidationFailed, "One or more fields are invalid.", errors);

    public static DomainError Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static DomainError RunNotFound(Guid id) => new(ErrorCode.RunNotFound, $"Run {id} does not exist.");
}

/// <summary>A result or the business rule that refused it.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, DomainError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DomainError? Error { get; }

    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(DomainError error) => new(default, error);

    public Outcome<TNext> Then<TNext>(Func<T, Outcome<TNext>> next) => Error ?? next(Value!);

    public async Task<Outcome<TNext>> ThenAsync<TNext>(Func<T, Task<Outcome<TNext>>> next) =>
        Error is null ? await next(Value!).ConfigureAwait(false) : Error;
}
