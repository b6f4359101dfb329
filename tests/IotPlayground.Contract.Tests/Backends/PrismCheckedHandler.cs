using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>
/// Sends a test's request through Prism (started with <c>--errors</c>) and gives the test the backend's answer, or
/// throws <see cref="DocumentViolationException"/> where the OpenAPI document and the backend disagree:
/// <list type="bullet">
/// <item>Prism forwarded the request and found the answer outside the document;</item>
/// <item>Prism refused the request as outside the document (or as no route of it) and the backend, asked directly, did
/// not refuse it as bad input (a 4xx problem with code <c>validation_failed</c> or <c>invalid_user</c>).</item>
/// </list>
/// A request the document refuses and the backend refuses too is the contract's own bad input: the test gets the
/// backend's answer. Prism re-encodes the JSON it forwards, so a body it would change on the way (not strict JSON,
/// a duplicate member, a number not in its shortest form, padding past the size limit) goes straight to the backend,
/// which must see what the test sent.
/// </summary>
public sealed class PrismCheckedHandler(PrismProxy prism, Uri backend)
    : DelegatingHandler(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 })
{
    private static readonly string[] BadInputCodes = ["validation_failed", "invalid_user"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body is { Length: > 0 } && !PrismForwardsUnchanged(body))
        {
            return await base.SendAsync(Copy(request, body, backend), cancellationToken);
        }

        var proxied = await base.SendAsync(Copy(request, body, prism.Endpoint), cancellationToken);
        if (proxied.Headers.TryGetValues("sl-violations", out var violations))
        {
            throw new DocumentViolationException(
                $"{Describe(request)} answered {(int)proxied.StatusCode} {await proxied.Content.ReadAsStringAsync(cancellationToken)}: Prism reports {string.Join(' ', violations)}");
        }

        if (await PrismErrorAsync(proxied, cancellationToken) is not { } error)
        {
            return proxied;
        }

        var type = (string?)error["type"];
        if (type == PrismProxy.AnswerViolates)
        {
            throw new DocumentViolationException($"{Describe(request)}: the backend's answer is not what the document says: {error.ToJsonString()}");
        }

        if (!IsRefusal((int)proxied.StatusCode, type))
        {
            throw new InvalidOperationException($"{Describe(request)}: Prism failed: {error.ToJsonString()}\n{prism.Log}");
        }

        var direct = await base.SendAsync(Copy(request, body, backend), cancellationToken);
        if (!await IsBadInputProblemAsync(direct, cancellationToken))
        {
            throw new DocumentViolationException(
                $"{Describe(request)}: the document refuses it ({error.ToJsonString()}), but the backend answered {(int)direct.StatusCode} " +
                await direct.Content.ReadAsStringAsync(cancellationToken));
        }

        return direct;
    }

    /// <summary>Whether Prism, parsing this body with JSON.parse and sending JSON.stringify of it, sends what it was given.</summary>
    public static bool PrismForwardsUnchanged(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > RequestBodies.MaxBytes)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return NumbersInShortestForm(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool NumbersInShortestForm(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetRawText() is var raw && raw != "-0"
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value.ToString("R", CultureInfo.InvariantCulture) == raw,
        JsonValueKind.Object => element.EnumerateObject().All(member => NumbersInShortestForm(member.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(NumbersInShortestForm),
        _ => true,
    };

    /// <summary>Prism's refusals: the request breaks the document, or names no path or method of it.</summary>
    private static bool IsRefusal(int status, string? type) =>
        type == PrismProxy.RequestRefused || (status is 404 or 405 && type is not null && type.StartsWith(PrismProxy.ErrorTypePrefix, StringComparison.Ordinal));

    private static async Task<JsonObject?> PrismErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (await ProblemAsync(response, cancellationToken) is { } problem
            && ((string?)problem["type"])?.StartsWith(PrismProxy.ErrorTypePrefix, StringComparison.Ordinal) == true)
        {
            return problem;
        }

        return null;
    }

    private static async Task<bool> IsBadInputProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (int)response.StatusCode is >= 400 and < 500
        && await ProblemAsync(response, cancellationToken) is { } problem
        && BadInputCodes.Contains((string?)problem["code"]);

    private static async Task<JsonObject?> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        // Buffered, so that the test can still read the body it is given.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body, Uri server)
    {
        var uri = request.RequestUri!;
        var copy = new HttpRequestMessage(request.Method, new Uri(server, uri.PathAndQuery)) { Version = request.Version };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var (name, values) in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return copy;
    }

    private static string Describe(HttpRequestMessage request) => $"{request.Method} {request.RequestUri?.PathAndQuery}";
}

/// <summary>The OpenAPI document and a backend disagree on an exchange.</summary>
public sealed class DocumentViolationException(string message) : Exception(message);
