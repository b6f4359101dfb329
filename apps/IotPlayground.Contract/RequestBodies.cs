using System.Text.Json;
using IotPlayground.Domain;

namespace IotPlayground.Contract;

/// <summary>Reads request bodies strictly, the same way on every backend: unknown members and wrong types are refused.</summary>
public static class RequestBodies
{
    public const int MaxBytes = 32 * 1024;

    /// <summary>The one media type a body is read as; its parameters (a charset) do not matter, JSON being UTF-8.</summary>
    public const string MediaType = "application/json";

    /// <summary>Whether a Content-Type header names <see cref="MediaType"/>, in any case, with or without parameters.</summary>
    public static bool IsJson(string? contentType) =>
        contentType is not null
        && string.Equals(contentType.Split(';', 2)[0].Trim(), MediaType, StringComparison.OrdinalIgnoreCase);

    public static Outcome<StartRunInput?> ParseStartRun(ReadOnlySpan<byte> body) =>
        Parse(body, ContractJson.Wire.StartRunInput);

    /// <summary>One reading, or <c>{"readings": [...]}</c>; the flag tells which form was sent.</summary>
    public static Outcome<(IReadOnlyList<ReadingInput?> Readings, bool IsBatch)> ParseReadings(ReadOnlySpan<byte> body)
    {
        if (IsBatch(body))
        {
            var batch = Parse(body, ContractJson.Wire.ReadingBatchBody);
            return batch.Error ?? (Outcome<(IReadOnlyList<ReadingInput?>, bool)>)((batch.Value?.Readings ?? []), true);
        }

        var single = Parse(body, ContractJson.Wire.ReadingInput);
        return single.Error ?? (Outcome<(IReadOnlyList<ReadingInput?>, bool)>)([single.Value], false);
    }

    private static bool IsBatch(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("readings"u8))
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is reported by the full parse that follows.
        }

        return false;
    }

    private static Outcome<T?> Parse<T>(ReadOnlySpan<byte> body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        if (body.IsEmpty)
        {
            return DomainError.Invalid("body", "is required");
        }

        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return DomainError.Invalid(field, ex.Path is null or "$"
                ? "is not a JSON object of the expected shape"
                : "has the wrong type, or is not a member of this request");
        }
    }
}
