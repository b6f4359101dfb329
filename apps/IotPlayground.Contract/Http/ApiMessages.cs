using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IotPlayground.Domain;

namespace IotPlayground.Contract.Http;

/// <summary>
/// A request as every host hands it to the application, whatever its transport (Kestrel, an API Gateway proxy event).
/// <paramref name="Query"/> keeps its host's key comparison: what a host's clients have always been answered.
/// </summary>
public sealed record ApiRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>A header by name, whatever its case: clients and API Gateway do not agree on one.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public string? QueryValue(string name) => Query.GetValueOrDefault(name);
}

/// <summary>What the application answers; each host writes it to its transport as it is.</summary>
public sealed record ApiResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public static ApiResponse Json<T>(int status, T value, JsonTypeInfo<T> typeInfo, params KeyValuePair<string, string>[] headers) =>
        new(status, HeadersOf(JsonContentType, headers), JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static ApiResponse Problem(ProblemResource problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(problem.Status, HeadersOf(Problems.ContentType, []), JsonSerializer.SerializeToUtf8Bytes(problem, ContractJson.Wire.ProblemResource));
    }

    public static ApiResponse Problem(DomainError error) => Problem(Problems.From(error));

    /// <summary>The same answer with <paramref name="extra"/> headers added.</summary>
    public ApiResponse With(IEnumerable<KeyValuePair<string, string>> extra)
    {
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in extra)
        {
            headers[name] = value;
        }

        return this with { Headers = headers };
    }

    private static Dictionary<string, string> HeadersOf(string contentType, KeyValuePair<string, string>[] headers)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [HeaderNames.ContentType] = contentType };
        foreach (var (name, value) in headers)
        {
            all[name] = value;
        }

        return all;
    }
}
