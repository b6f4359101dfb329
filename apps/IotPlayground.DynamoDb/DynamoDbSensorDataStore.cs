using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;
using static IotPlayground.DynamoDb.RunItems;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Readings in DynamoDB, keyed by run and <c>timestamp#sensorId</c>: the readings of one run in time order are one
/// Query, and a reading stored again replaces itself. A batch is one transaction: all of it is stored, or none.
/// </summary>
public sealed class DynamoDbSensorDataStore(IAmazonDynamoDB client, string tableName) : ISensorDataStore
{
    private const string SensorId = "sensorId";
    private const string Timestamp = "timestamp";
    private const string Temperature = "temperature";
    private const string Humidity = "humidity";
    private const string Pressure = "pressure";

    /// <summary>Readings one transaction takes; a batch of the contract (25 at most) fits in one.</summary>
    public const int MaxTransaction = 100;

    public Task AddAsync(IReadOnlyList<SensorReading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count > MaxTransaction)
        {
            throw new ArgumentException($"{readings.Count} readings do not fit in one transaction of {MaxTransaction}.", nameof(readings));
        }

        return DynamoDbTransactions.WriteAsync(client, WriteRequest(tableName, readings), "store readings", cancellationToken);
    }

    /// <summary>
    /// The transaction that stores <paramref name="readings"/>. Its request token makes the SDK's retry of an attempt
    /// that was applied but not answered a success rather than a second write.
    /// </summary>
    public static TransactWriteItemsRequest WriteRequest(string tableName, IReadOnlyList<SensorReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        return new TransactWriteItemsRequest
        {
            ClientRequestToken = Guid.NewGuid().ToString("D"),
            TransactItems = readings.Select(r => new TransactWriteItem { Put = new Put { TableName = tableName, Item = ToItem(r) } }).ToList(),
        };
    }

    /// <summary>
    /// Reads at most <paramref name="limit"/> items (and the cursor's own) per request, whatever the filter: a sensor's
    /// readings are found among the run's, and when the read ends before the limit is found, the slice says where it
    /// stopped and the next page goes on from there.
    /// </summary>
    public async Task<ReadingSlice> QueryAsync(ReadingQuery query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // The cursor's key is included in the range and skipped below: one KeyCondition cannot hold both "> cursor" and "<= to".
        var afterKey = query.After is { } after ? ItemKeys.Reading(after.Timestamp, after.SensorId) : null;
        var lower = Max(query.From is { } from ? ItemKeys.ReadingsFrom(from) : null, afterKey);
        var upper = query.To is { } to ? ItemKeys.ReadingsTo(to) : null;
        if (lower is not null && upper is not null && string.CompareOrdinal(lower, upper) > 0)
        {
            return new ReadingSlice([]);
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

        var budget = limit + (afterKey is null ? 0 : 1);
        var evaluated = 0;
        var readings = new List<SensorReading>(Math.Min(limit, 1_024));
        do
        {
            request.Limit = budget - evaluated;
            var response = await DynamoDbGuard.RunAsync("query readings", () => client.QueryAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            evaluated += response.ScannedCount ?? 0;
            foreach (var item in response.Items ?? [])
            {
                if (afterKey is not null && item[sortKey].S == afterKey)
                {
                    continue;
                }

                readings.Add(FromItem(item));
                if (readings.Count == limit)
                {
                    return new ReadingSlice(readings);
                }
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null && evaluated < budget);

        return new ReadingSlice(readings, request.ExclusiveStartKey is { } stoppedAt ? CursorAt(stoppedAt[sortKey].S) : null);
    }

    private static ReadingCursor CursorAt(string readingKey)
    {
        var (timestamp, sensorId) = ItemKeys.ParseReading(readingKey);
        return new ReadingCursor(timestamp, sensorId);
    }

    private static string? Max(string? a, string? b) =>
        a is null ? b : b is null ? a : string.CompareOrdinal(a, b) >= 0 ? a : b;

    public static Dictionary<string, AttributeValue> ToItem(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
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
