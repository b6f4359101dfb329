using System.Text.Json;
using System.Text.Json.Serialization;

namespace IotPlayground.Cost;

/// <summary>
/// A dated table of AWS prices per region, each with its source, and the resource types that cost nothing by
/// themselves with the reason. Nothing is looked up at run time: the table is the repository's.
/// </summary>
public sealed record PriceTable(
    DateOnly ReadOn,
    string Currency,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PriceEntry>> Regions,
    IReadOnlyDictionary<string, string> Free)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PriceTable Load(string file) =>
        JsonSerializer.Deserialize<PriceTable>(File.ReadAllText(file), Json)
            ?? throw new InvalidDataException($"{file} holds no price table.");

    /// <summary>The price of <paramref name="key"/> in <paramref name="region"/>; a missing one is an error, never zero.</summary>
    public double Of(string region, string key) =>
        Regions.TryGetValue(region, out var prices) && prices.TryGetValue(key, out var entry) && entry.Price is { } price
            ? price
            : throw new MissingPriceException(region, key, ReadOn);

    /// <summary>The price of <paramref name="key"/> in <paramref name="region"/>, or null when the table has none.</summary>
    public double? Find(string region, string key) =>
        Regions.TryGetValue(region, out var prices) && prices.TryGetValue(key, out var entry) ? entry.Price : null;

    public bool IsFree(string resourceType) => Free.ContainsKey(resourceType);
}

/// <param name="Source">Where the figure can be checked: an AWS offer file (with its SKU), feed or page, or a third party's page.</param>
/// <param name="Date">When the figure was read from its source, or the date the source states.</param>
/// <param name="AwsOwn">Whether the figure is AWS's own (a Price List record, the Spot feed, AWS documentation), not a third party's.</param>
/// <param name="Via">The public copy the figure was read from, when AWS's own source was not reachable.</param>
public sealed record PriceEntry(
    double? Price,
    string Unit,
    string Source,
    string? Note,
    DateOnly? Date = null,
    bool AwsOwn = false,
    string? Via = null);

/// <summary>The table has no price for a key in a region: the resource is reported unpriced, never as free.</summary>
public sealed class MissingPriceException(string region, string key, DateOnly readOn)
    : Exception($"The price table ({readOn:yyyy-MM-dd}) has no price '{key}' for {region}: add it with its source.")
{
    public string Region { get; } = region;

    public string Key { get; } = key;
}
