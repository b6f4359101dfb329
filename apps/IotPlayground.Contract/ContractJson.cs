using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using IotPlayground.Domain;

namespace IotPlayground.Contract;

/// <summary>Every JSON shape of the HTTP contract, source-generated so that the hosts stay trim- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(StartRunInput))]
[JsonSerializable(typeof(ReadingInput))]
[JsonSerializable(typeof(ReadingBatchBody))]
[JsonSerializable(typeof(RunResource))]
[JsonSerializable(typeof(List<RunResource>))]
[JsonSerializable(typeof(PageResource<RunResource>))]
[JsonSerializable(typeof(QuotaResource))]
[JsonSerializable(typeof(InterruptedResource))]
[JsonSerializable(typeof(ReadingResource))]
[JsonSerializable(typeof(ReadingBatchResource))]
[JsonSerializable(typeof(PageResource<ReadingResource>))]
[JsonSerializable(typeof(HealthResource))]
[JsonSerializable(typeof(ProblemResource))]
public sealed partial class ContractJson : JsonSerializerContext
{
    /// <summary>
    /// The context every host writes and reads with. Answers are JSON for API clients, never embedded in HTML,
    /// so '&amp;' in a Grafana link stays '&amp;' rather than \u0026.
    /// </summary>
    public static ContractJson Wire => WireContext.Instance;

    // A holder class, so that Wire is built only after the generated Default exists.
    private static class WireContext
    {
        public static readonly ContractJson Instance =
            new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
