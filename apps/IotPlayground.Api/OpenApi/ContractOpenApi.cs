using System.Globalization;
using System.Text.Json.Nodes;
using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.Domain;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IotPlayground.Api.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, written from the route table (<see cref="ApiRoutes"/>) that every
/// endpoint carries as metadata: each operation's id, summary, success and problem answers with their codes, the
/// <see cref="HeaderNames.User"/> header where the route requires it, and the bodies as the contract has them. The
/// request bodies are parsed by hand (so that both backends parse alike), so their C# types admit anything; what the
/// contract requires of them is written here, from the same limits the parsers check. The suite holds the document to
/// both backends through a validating proxy (tests/IotPlayground.Contract.Tests).
/// </summary>
public static class ContractOpenApi
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Liveness and readiness",
        ["Runs"] = "Sensor simulations: start, watch, finish",
        ["Sensors"] = "The readings of a run",
    };

    /// <summary>What the contract requires of each body a client sends.</summary>
    private static readonly Dictionary<Type, InputShape> Inputs = new()
    {
        [typeof(StartRunInput)] = new(
            ["duration", "interval"],
            new(StringComparer.Ordinal)
            {
                ["duration"] = s => Bounds(s, RunRules.MinDuration, RunRules.MaxDuration, "Seconds the run lasts"),
                ["interval"] = s => Bounds(s, RunRules.MinInterval, RunRules.MaxInterval, "Seconds between two readings of a sensor; not above duration"),
            }),
        [typeof(RunParamsInput)] = new(
            [],
            new(StringComparer.Ordinal)
            {
                ["sensorCount"] = s => Bounds(s, 1, RunRules.MaxSensors, "Sensors the run simulates"),
                ["measures"] = s =>
                {
                    s.Description = "What each sensor measures; temperature always";
                    if (s.Items is OpenApiSchema item)
                    {
                        item.Enum = [.. Measures.Names.Select(name => (JsonNode)JsonValue.Create(name))];
                    }
                },
            }),
        [typeof(ReadingInput)] = new(
            ["runId", "sensorId", "temperature"],
            new(StringComparer.Ordinal)
            {
                ["runId"] = s => s.Format = "uuid",
                ["sensorId"] = s =>
                {
                    s.MinLength = 1;
                    s.MaxLength = SensorReadings.MaxSensorIdLength;
                    s.Pattern = "^[A-Za-z0-9._:-]+$";
                },
                ["timestamp"] = s => s.Description = "When it was measured; the server's time when absent. Not before the run started, at most a minute ahead",
                ["temperature"] = s => Bounds(s, SensorReadings.MinTemperature, SensorReadings.MaxTemperature, "°C"),
                ["humidity"] = s => Bounds(s, SensorReadings.MinHumidity, SensorReadings.MaxHumidity, "%"),
                ["pressure"] = s => Bounds(s, SensorReadings.MinPressure, SensorReadings.MaxPressure, "hPa"),
            }),
        [typeof(ReadingBatchBody)] = new(
            ["readings"],
            new(StringComparer.Ordinal)
            {
                ["readings"] = s =>
                {
                    s.MinItems = 1;
                    s.MaxItems = SensorReadings.MaxBatch;
                    s.Description = "Stored all or nothing";
                },
            }),
    };

    public static IServiceCollection AddContractOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(DescribeDocument);
            options.AddOperationTransformer(DescribeOperationAsync);
            options.AddSchemaTransformer(DescribeSchema);
        });

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "IoT Playground API";
        document.Info.Description =
            "One HTTP contract, answered alike by the container backend (ECS, PostgreSQL) and the serverless one (Lambda, " +
            "DynamoDB). Errors are RFC 9457 problem details with a stable code.";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        return Task.CompletedTask;
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiRoute>().FirstOrDefault() is not { } route)
        {
            return;
        }

        operation.OperationId = route.OperationId;
        operation.Summary = route.Summary;
        operation.Parameters = [.. Parameters(route)];
        if (route.RequestBodies.Count > 0)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/json"] = new() { Schema = await OneOfAsync(route.RequestBodies, context, cancellationToken) },
                },
            };
        }

        operation.Responses = [];
        foreach (var answer in route.Responses)
        {
            operation.Responses[answer.Status.ToString(CultureInfo.InvariantCulture)] = await ResponseAsync(answer, context, cancellationToken);
        }
    }

    private static IEnumerable<IOpenApiParameter> Parameters(ApiRoute route)
    {
        foreach (var name in route.PathParameters)
        {
            yield return new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = "The run's id",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            };
        }

        foreach (var query in route.Query)
        {
            yield return new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Required = query.Required,
                Description = query.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }

        if (route.RequiresUser)
        {
            yield return new OpenApiParameter
            {
                Name = HeaderNames.User,
                In = ParameterLocation.Header,
                Required = true,
                Description = "Who is calling; runs record it, and only a run's owner may finish it",
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    MinLength = 1,
                    MaxLength = UserName.MaxLength,
                    Pattern = "^[A-Za-z0-9._@-]+$",
                },
            };
        }
    }

    private static async Task<OpenApiResponse> ResponseAsync(ResponseSpec answer, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await OneOfAsync(answer.Bodies, context, cancellationToken);
        if (answer.IsProblem)
        {
            var codes = answer.Codes.Select(Problems.CodeOf).ToList();
            schema = new OpenApiSchema
            {
                AllOf =
                [
                    schema,
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. codes.Select(code => (JsonNode)JsonValue.Create(code))] },
                        },
                    },
                ],
            };
        }

        var response = new OpenApiResponse
        {
            Description = answer.IsProblem ? $"A problem with code {string.Join(" or ", answer.Codes.Select(Problems.CodeOf))}" : "Success",
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { [answer.ContentType] = new() { Schema = schema } },
        };
        if (answer.Headers.Count > 0)
        {
            response.Headers = answer.Headers.ToDictionary(
                name => name,
                name => (IOpenApiHeader)new OpenApiHeader
                {
                    Description = "Present, as true, when the list was cut",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
                },
                StringComparer.Ordinal);
        }

        return response;
    }

    private static async Task<IOpenApiSchema> OneOfAsync(IReadOnlyList<Type> types, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = new List<IOpenApiSchema>();
        foreach (var type in types)
        {
            schemas.Add(await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return schemas is [var one] ? one : new OpenApiSchema { OneOf = schemas };
    }

    /// <summary>
    /// The contract's JSON as it is: numbers are never strings, a member is never null (an absent value is left out),
    /// no member beyond the declared ones is accepted or answered; an answer carries every member its type does not
    /// declare nullable, and a body the client sends the members <see cref="Inputs"/> names.
    /// </summary>
    private static Task DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type.Namespace != typeof(RunResource).Namespace || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        foreach (var name in schema.Properties.Keys.ToList())
        {
            var property = NeverNull(schema.Properties[name]);
            schema.Properties[name] = property;
            if (property is OpenApiSchema inline)
            {
                Tighten(inline);
                if (inline.Items is { } items)
                {
                    inline.Items = NeverNull(items);
                    if (inline.Items is OpenApiSchema item)
                    {
                        Tighten(item);
                    }
                }
            }
        }

        schema.AdditionalPropertiesAllowed = false;
        if (Inputs.TryGetValue(type, out var input))
        {
            schema.Required = new HashSet<string>(input.Required, StringComparer.Ordinal);
            foreach (var (name, describe) in input.Members)
            {
                describe((OpenApiSchema)schema.Properties[name]);
            }
        }
        else
        {
            schema.Required = new HashSet<string>(
                context.JsonTypeInfo.Properties
                    .Where(p => Nullable.GetUnderlyingType(p.PropertyType) is null && !p.IsGetNullable)
                    .Select(p => p.Name),
                StringComparer.Ordinal);
        }

        return Task.CompletedTask;
    }

    /// <summary>A member the generator says may be null (<c>oneOf: [null, X]</c>) as the wire has it: X, or absent.</summary>
    private static IOpenApiSchema NeverNull(IOpenApiSchema schema) =>
        schema is OpenApiSchema { OneOf: [var first, var second] }
            ? first.Type == JsonSchemaType.Null ? second : second.Type == JsonSchemaType.Null ? first : schema
            : schema;

    private static void Tighten(OpenApiSchema schema)
    {
        if (schema.Type is not { } wire)
        {
            return;
        }

        wire &= ~JsonSchemaType.Null;
        if ((wire & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (wire & JsonSchemaType.String) != 0)
        {
            wire &= ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        schema.Type = wire;
    }

    private static void Bounds(OpenApiSchema schema, double minimum, double maximum, string description)
    {
        schema.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
        schema.Description = description;
    }

    private sealed record InputShape(IReadOnlyList<string> Required, Dictionary<string, Action<OpenApiSchema>> Members);
}
