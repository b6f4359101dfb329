using System.Buffers;

namespace IotPlayground.Domain;

/// <summary>The X-User header: who is calling. Required on every write.</summary>
public static class Users
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-");

    public static Outcome<string> Validate(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return new DomainError(ErrorCode.InvalidUser, "The X-User header is required on every write.");
        }

        if (header.Length > MaxLength || header.AsSpan().ContainsAnyExcept(Allowed))
        {
            return new DomainError(
                ErrorCode.InvalidUser,
                $"The X-User header must be 1 to {MaxLength} characters of letters, digits, '.', '_', '@' and '-'.");
        }

        return header;
    }
}
