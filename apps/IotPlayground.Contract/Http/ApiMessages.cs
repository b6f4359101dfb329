using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IotPlayground.Domain;

namespace IotPlayground.Contract.Http;

/// <summary>
/// A request as every host hands it to the application, whatever its transport (Kestrel, an API Gateway proxy event).
/// <paramref name="Query"/> holds every value given of each name, as <see cref="QueryOf"/> builds it on every host.
/// </summary>
public sealed record ApiRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Query,
    ReadOnlyMemory<byte> Body)
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoQuery = QueryOf([]);

    /// <summary>
    /// A query's values by name, names compared ignoring case (as ASP.NET Core does): <c>?limit=1&amp;LIMIT=2</c> gives
    /// limit twice on every host, and the route refuses it, rather than one host reading 1 and another 2.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> QueryOf(IEnumerable<KeyValuePair<string, IEnumerable<string>>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in parameters)
        {
            if (!query.TryGetValue(name, out var all))
            {
                query[name] = all = [];
            }

            all.AddRange(values);
        }

        return query.ToDictionary(q => q.Key, q => (IReadOnlyList<string>)q.Value, StringComparer.OrdinalIgnoreCase);
    }

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

    /// <summary>The value of a query parameter the route declares; the route has refused a request that repeats one.</summary>
    public string? QueryValue(string name) => Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
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
