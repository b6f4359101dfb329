using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IotPlayground.Lambda.Runtime;

/// <summary>
/// The event API Gateway (REST API, Lambda proxy integration) sends; only the members the functions read. These shapes
/// are the transport's, as Amazon.Lambda.APIGatewayEvents would give them: what they mean to the API is the functions'.
/// </summary>
public sealed record ApiGatewayProxyRequest
{
    public string? Resource { get; init; }

    public string? Path { get; init; }

    public string? HttpMethod { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>Each name's last value; <see cref="MultiValueQueryStringParameters"/> holds them all.</summary>
    public Dictionary<string, string>? QueryStringParameters { get; init; }

    public Dictionary<string, string[]>? MultiValueQueryStringParameters { get; init; }

    public Dictionary<string, string>? PathParameters { get; init; }

    public ProxyRequestContext? RequestContext { get; init; }

    public string? Body { get; init; }

    public bool IsBase64Encoded { get; init; }

    /// <summary>The body as sent: API Gateway passes text as is and binary content base64-encoded.</summary>
    public byte[] BodyBytes() =>
        Body is null ? [] : IsBase64Encoded ? Convert.FromBase64String(Body) : Encoding.UTF8.GetBytes(Body);
}

public sealed record ProxyRequestContext
{
    public string? RequestId { get; init; }

    public string? Stage { get; init; }

    public string? ResourcePath { get; init; }
}

/// <summary>What a proxy integration answers; API Gateway turns it into the HTTP response.</summary>
public sealed record ApiGatewayProxyResponse
{
    public required int StatusCode { get; init; }

    public Dictionary<string, string> Headers { get; init; } = [];

    public string Body { get; init; } = "";

    public bool IsBase64Encoded { get; init; }
}

/// <summary>The runtime's own JSON: events are read leniently, since API Gateway sends far more than is modelled here.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
[JsonSerializable(typeof(RuntimeError))]
[JsonSerializable(typeof(ScheduledEvent))]
public sealed partial class LambdaJson : JsonSerializerContext;

/// <summary>An EventBridge event, such as a schedule's: only what tells it apart from an API Gateway request.</summary>
public sealed record ScheduledEvent
{
    public const string EventBridgeSource = "aws.events";

    public string? Source { get; init; }

    [JsonPropertyName("detail-type")]
    public string? DetailType { get; init; }
}

/// <summary>The error document of the Runtime API's error endpoints.</summary>
public sealed record RuntimeError(string ErrorMessage, string ErrorType, IReadOnlyList<string> StackTrace)
{
    public static RuntimeError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(
            exception.Message,
            exception.GetType().FullName ?? exception.GetType().Name,
            (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
