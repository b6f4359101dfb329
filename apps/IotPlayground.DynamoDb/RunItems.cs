using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>How a run is kept in the Runs table, next to the quota's slot items.</summary>
internal static class RunItems
{
    /// <summary>The one partition of the RunsByStart index: every run, none of the slot items.</summary>
    public const string RunsPartition = "run";

    public const string Username = "username";
    public const string StartedAt = "startedAt";
    public const string FinishedAt = "finishedAt";
    public const string Duration = "duration";
    public const string Interval = "interval";
    public const string SensorCount = "sensorCount";
    public const string Measures = "measures";
    public const string EndReason = "endReason";

    /// <summary>Which quota slot the run took, so that ending it releases that one.</summary>
    public const string QuotaSlot = "quotaSlot";

    public static Dictionary<string, AttributeValue> Key(Guid id) => new() { [DynamoDbSchema.Runs.PartitionKey] = S(id.ToString("D")) };

    public static Dictionary<string, AttributeValue> ToItem(Run run, int? quotaSlot)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [DynamoDbSchema.Runs.PartitionKey] = S(run.Id.ToString("D")),
            [DynamoDbSchema.Runs.ByStartPartitionKey] = S(RunsPartition),
            [DynamoDbSchema.Runs.ByStatusPartitionKey] = S(WireNames.Of(run.Status)),
            [DynamoDbSchema.Runs.StartSortKey] = S(ItemKeys.RunStart(run.StartedAt, run.Id)),
            [Username] = S(run.Username),
            [StartedAt] = S(ItemKeys.Instant(run.StartedAt)),
            [Duration] = N(run.Duration),
            [Interval] = N(run.Interval),
            [SensorCount] = N(run.Params.SensorCount),
            [Measures] = new AttributeValue { L = run.Params.Measures.Select(m => S(IotPlayground.Domain.Measures.NameOf(m))).ToList() },
        };
        if (quotaSlot is { } slot)
        {
            item[QuotaSlot] = N(slot);
        }

        if (run.FinishedAt is { } finishedAt)
        {
            item[FinishedAt] = S(ItemKeys.Instant(finishedAt));
        }

        if (run.EndReason is { } reason)
        {
            item[EndReason] = S(WireNames.Of(reason));
        }

        return item;
    }

    /// <summary>The run stored under <paramref name="id"/>, read consistently (a run started a moment ago is there), or null.</summary>
    public static async Task<Run?> FindAsync(IAmazonDynamoDB client, string tableName, Guid id, CancellationToken cancellationToken)
    {
        var response = await DynamoDbGuard.RunAsync("read a run", () => client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = Key(id),
            ConsistentRead = true,
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    /// <summary>A run item, or null for anything else the table holds (the quota's slot items).</summary>
    public static Run? FromItem(Dictionary<string, AttributeValue> item)
    {
        if (!item.TryGetValue(DynamoDbSchema.Runs.ByStatusPartitionKey, out var status)
            || !Guid.TryParseExact(item[DynamoDbSchema.Runs.PartitionKey].S, "D", out var id))
        {
            return null;
        }

        var measures = item[Measures].L.Select(m => IotPlayground.Domain.Measures.TryParse(m.S, out var measure)
            ? measure
            : throw new FormatException($"Run {id} has the unknown measure '{m.S}'.")).ToList();
        return new Run(
            id,
            item[Username].S,
            WireNames.ParseStatus(status.S),
            ItemKeys.ParseInstant(item[StartedAt].S),
            item.TryGetValue(FinishedAt, out var finishedAt) ? ItemKeys.ParseInstant(finishedAt.S) : null,
            Int(item[Duration]),
            Int(item[Interval]),
            new RunParams(Int(item[SensorCount]), measures),
            item.TryGetValue(EndReason, out var reason) ? WireNames.ParseEndReason(reason.S) : null);
    }

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static int Int(AttributeValue value) => int.Parse(value.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
