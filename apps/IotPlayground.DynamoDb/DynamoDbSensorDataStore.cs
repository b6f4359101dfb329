using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;
using static IotPlayground.DynamoDb.RunItems;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Readings in DynamoDB, keyed by run and <c>timestamp#sensorId</c>: the readings of one run in time order are one
/// Query, and a reading stored again replaces itself. A batch is one transaction: all of it is stored, or none. The
/// runs the readings name are read from <paramref name="runsTable"/>, to check that they take them.
/// </summary>
public sealed class DynamoDbSensorDataStore(IAmazonDynamoDB client, string runsTable, string tableName) : ISensorDataStore
{
    private const string SensorId = "sensorId";
    private const string Timestamp = "timestamp";
    private const string Temperature = "temperature";
    private const string Humidity = "humidity";
    private const string Pressure = "pressure";

    /// <summary>Readings one transaction takes; a batch of the contract (25 at most) fits in one.</summary>
    public const int MaxTransaction = 100;

    /// <summary>
    /// Reads each run consistently (GetItem, one read unit for an item under 4 KB), checks it in code, then writes: one
    /// reading as a PutItem (one write unit per KB), a batch as a TransactWriteItems of Puts, the one write that is all
    /// or nothing (BatchWriteItem may store part of a batch). A transaction costs two write units per KB and item, one
    /// to prepare and one to commit, so one reading written as a transaction costs twice what its PutItem does.
    /// The run check could ride in the write instead, as a ConditionCheck on the run item inside TransactWriteItems,
    /// saving the read's round trip, but it is not the cheaper write: a ConditionCheck is one more item of the
    /// transaction, prepared and committed like the others (two units against the read's one), it would turn every
    /// single reading into a transaction of two items (four units against one read and one write unit), and it must be
    /// granted dynamodb:ConditionCheckItem. Its condition would also need the run's deadline stored as an attribute
    /// (condition expressions cannot add the duration to the start), which run items do not hold.
    /// </summary>
    public async Task<bool> TryAddAsync(IReadOnlyList<SensorReading> readings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentOutOfRangeException.ThrowIfZero(readings.Count);
        if (readings.Count > MaxTransaction)
        {
            throw new ArgumentException($"{readings.Count} readings do not fit in one transaction of {MaxTransaction}.", nameof(readings));
        }

        foreach (var ofOneRun in readings.GroupBy(r => r.RunId))
        {
            if (await RunItems.FindAsync(client, runsTable, ofOneRun.Key, cancellationToken).ConfigureAwait(false) is not { } run
                || !ofOneRun.All(r => run.TakesReading(r.Timestamp, now)))
            {
                return false;
            }
        }

        if (readings.Count == 1)
        {
            await DynamoDbGuard.RunAsync("store a reading", () => client.PutItemAsync(new PutItemRequest
            {
                TableName = tableName,
                Item = ToItem(readings[0]),
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await DynamoDbTransactions.WriteAsync(client, WriteRequest(tableName, readings), "store readings", cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// The transaction that stores a batch of <paramref name="readings"/>. Its request token makes the SDK's retry of an attempt
    /// that was applied but not answered a success rather than a second write.
    /// </summary>
    private static TransactWriteItemsRequest WriteRequest(string tableName, IReadOnlyList<SensorReading> readings)
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
