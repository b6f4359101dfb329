using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace IotPlayground.Domain;

/// <summary>Who is calling: 1 to 64 characters of letters, digits, '.', '_', '@' and '-'. Runs record it.</summary>
public sealed record UserName
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-");

    private UserName(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? value, [NotNullWhen(true)] out UserName? name)
    {
        name = !string.IsNullOrEmpty(value) && value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(Allowed)
            ? new UserName(value)
            : null;
        return name is not null;
    }

    public override string ToString() => Value;
}

/// <summary>A run's id as clients spell it: a UUID in its hyphenated form.</summary>
public readonly record struct RunId(Guid Value)
{
    public static bool TryParse(string? value, out RunId id)
    {
        var parsed = Guid.TryParseExact(value, "D", out var guid);
        id = new RunId(guid);
        return parsed;
    }

    public override string ToString() => Value.ToString("D");
}

/// <summary>One page of a keyset-paged list: how many items at most, strictly after which position.</summary>
public sealed record PageRequest<TCursor>(int Size, TCursor? After)
    where TCursor : class;
