using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;
using static IotPlayground.DynamoDb.RunItems;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Readings in DynamoDB, keyed by run and <c>timestamp#sensorId</c>: the readings of one run in time order are one
/// Query, and a reading stored again replaces itself.
/// </summary>
public sealed class DynamoDbSensorDataStore(IAmazonDynamoDB client, string tableName) : ISensorDataStore
{
    private const string SensorId = "sensorId";
    private const string Timestamp = "timestamp";
    private const string Temperature = "temperature";
    private const string Humidity = "humidity";
    private const string Pressure = "pressure";

    public Task AddAsync(IReadOnlyList<SensorReading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        return DynamoDbBatches.PutAsync(client, tableName, readings.Select(ToItem), cancellationToken);
    }

    public async Task<IReadOnlyList<SensorReading>> QueryAsync(ReadingQuery query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // The cursor's key is included in the range and skipped below: one KeyCondition cannot hold both "> cursor" and "<= to".
        var afterKey = query.After is { } after ? ItemKeys.Reading(after.Timestamp, after.SensorId) : null;
        var lower = Max(query.From is { } from ? ItemKeys.ReadingsFrom(from) : null, afterKey);
        var upper = query.To is { } to ? ItemKeys.ReadingsTo(to) : null;
        if (lower is not null && upper is not null && string.CompareOrdinal(lower, upper) > 0)
        {
            return [];
        }

        var values = new Dictionary<string, AttributeValue> { [":run"] = S(query.RunId.ToString("D")) };
        var condition = $"{DynamoDbSchema.SensorData.PartitionKey} = :run";
        const string sortKey = DynamoDbSchema.SensorData.SortKey;
        if (lower is not null)
        {
            values[":lower"] = S(lower);
        }

        if (upper is not null)
        {
            values[":upper"] = S(upper);
        }

        condition += (lower, upper) switch
        {
            (not null, not null) => $" AND {sortKey} BETWEEN :lower AND :upper",
            (not null, null) => $" AND {sortKey} >= :lower",
            (null, not null) => $" AND {sortKey} <= :upper",
            _ => "",
        };

        var request = new QueryRequest
        {
            TableName = tableName,
            KeyConditionExpression = condition,
            ExpressionAttributeValues = values,
            ConsistentRead = true,
        };
        if (query.SensorId is { } sensorId)
        {
            request.FilterExpression = $"{SensorId} = :sensor";
            values[":sensor"] = S(sensorId);
        }

        var readings = new List<SensorReading>(Math.Min(limit, 1_024));
        do
        {
            // A filter applies after the limit, so a filtered query reads whole pages and keeps what it needs.
            request.Limit = query.SensorId is null ? limit - readings.Count + (afterKey is null ? 0 : 1) : null;
            var response = await DynamoDbGuard.RunAsync("query readings", () => client.QueryAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            foreach (var item in response.Items ?? [])
            {
                if (afterKey is not null && item[sortKey].S == afterKey)
                {
                    continue;
                }

                readings.Add(FromItem(item));
                if (readings.Count == limit)
                {
                    return readings;
                }
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);

        return readings;
    }

    private static string? Max(string? a, string? b) =>
        a is null ? b : b is null ? a : string.CompareOrdinal(a, b) >= 0 ? a : b;

    private static Dictionary<string, AttributeValue> ToItem(SensorReading reading)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [DynamoDbSchema.SensorData.PartitionKey] = S(reading.RunId.ToString("D")),
            [DynamoDbSchema.SensorData.SortKey] = S(ItemKeys.Reading(reading.Timestamp, reading.SensorId)),
            [SensorId] = S(reading.SensorId),
            [Timestamp] = S(ItemKeys.Instant(reading.Timestamp)),
            [Temperature] = Number(reading.Temperature),
        };
        if (reading.Humidity is { } humidity)
        {
            item[Humidity] = Number(humidity);
        }

        if (reading.Pressure is { } pressure)
        {
            item[Pressure] = Number(pressure);
        }

        return item;
    }

    private static SensorReading FromItem(Dictionary<string, AttributeValue> item) => new(
        Guid.ParseExact(item[DynamoDbSchema.SensorData.PartitionKey].S, "D"),
        item[SensorId].S,
        ItemKeys.ParseInstant(item[Timestamp].S),
        Double(item[Temperature]),
        item.TryGetValue(Humidity, out var humidity) ? Double(humidity) : null,
        item.TryGetValue(Pressure, out var pressure) ? Double(pressure) : null);

    private static AttributeValue Number(double value) => new() { N = value.ToString("R", CultureInfo.InvariantCulture) };

    private static double Double(AttributeValue value) => double.Parse(value.N, NumberStyles.Float, CultureInfo.InvariantCulture);
}
