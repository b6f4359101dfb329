using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Runs in DynamoDB. The quota is a fixed set of slot items in the same table, each taken with a conditional write
/// that only succeeds when the slot is free or its holder is past its deadline; the run item is written after. A
/// host that dies between the two writes leaks the slot only until the run's deadline, when it is free again.
/// No transactions are needed, so the local DynamoDB server (which has none) behaves as AWS does.
/// A quota above <see cref="MaxSlots"/> is no quota this system sets (tools seed history with int.MaxValue):
/// such a run is stored without a slot.
/// </summary>
public sealed class DynamoDbRunStore(IAmazonDynamoDB client, string tableName) : IRunStore
{
    public const int MaxSlots = 100;

    private const string SlotPrefix = "quota-slot-";
    private const string Holder = "holder";
    private const string ExpiresAt = "expiresAt";
    private const string StatusName = "#status";

    private static readonly string Running = WireNames.Of(RunStatus.Running);

    public async Task<bool> TryStartAsync(Run run, int maxRunning, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (maxRunning > MaxSlots)
        {
            await PutRunAsync(run, slot: null, cancellationToken).ConfigureAwait(false);
            return true;
        }

        var slots = await ReadSlotsAsync(maxRunning, cancellationToken).ConfigureAwait(false);
        var free = slots.Where(s => s.IsFreeAt(now)).Select(s => s.Index).ToList();

        // Concurrent starters begin at different slots, so that most of them win or lose at the first write.
        var offset = free.Count == 0 ? 0 : Random.Shared.Next(free.Count);
        for (var i = 0; i < free.Count; i++)
        {
            var slot = free[(offset + i) % free.Count];
            if (!await TryTakeSlotAsync(slot, run, now, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await PutRunAsync(run, slot, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException)
            {
                await ReleaseSlotQuietlyAsync(slot, run.Id).ConfigureAwait(false);
                throw;
            }

            return true;
        }

        return false;
    }

    public async Task<Run?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var response = await DynamoDbGuard.RunAsync("read a run", () => client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = RunItems.Key(id),
            ConsistentRead = true,
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? RunItems.FromItem(item) : null;
    }

    /// <summary>
    /// The RUNNING runs, read consistently. The status index finds them all, overdue ones included, but is only
    /// eventually consistent: the slot holders add the runs started a moment ago, and every run is read again.
    /// </summary>
    public async Task<IReadOnlyList<Run>> ListRunningAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in await ReadSlotsAsync(RunRules.MaxRunning, cancellationToken).ConfigureAwait(false))
        {
            if (slot.Holder is { } holder)
            {
                ids.Add(holder);
            }
        }

        var request = new QueryRequest
        {
            TableName = tableName,
            IndexName = DynamoDbSchema.Runs.ByStatusIndex,
            KeyConditionExpression = $"{StatusName} = :running",
            ExpressionAttributeNames = new() { [StatusName] = DynamoDbSchema.Runs.ByStatusPartitionKey },
            ExpressionAttributeValues = new() { [":running"] = RunItems.S(Running) },
            ProjectionExpression = DynamoDbSchema.Runs.PartitionKey,
        };
        await foreach (var item in QueryAllAsync(request, "list running runs", cancellationToken).ConfigureAwait(false))
        {
            ids.Add(item[DynamoDbSchema.Runs.PartitionKey].S);
        }

        var items = await DynamoDbBatches.GetAsync(
            client, tableName, ids.Select(id => new Dictionary<string, AttributeValue> { [DynamoDbSchema.Runs.PartitionKey] = RunItems.S(id) }), cancellationToken)
            .ConfigureAwait(false);
        return items.Select(RunItems.FromItem).OfType<Run>().Where(r => r.Status == RunStatus.Running).ToList();
    }

    public async Task<bool> TryEndAsync(Run ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        var values = new Dictionary<string, AttributeValue>
        {
            [":running"] = RunItems.S(Running),
            [":status"] = RunItems.S(WireNames.Of(ended.Status)),
        };
        var set = new List<string> { $"{StatusName} = :status" };
        if (ended.FinishedAt is { } finishedAt)
        {
            values[":finishedAt"] = RunItems.S(ItemKeys.Instant(finishedAt));
            set.Add($"{RunItems.FinishedAt} = :finishedAt");
        }

        if (ended.EndReason is { } reason)
        {
            values[":endReason"] = RunItems.S(WireNames.Of(reason));
            set.Add($"{RunItems.EndReason} = :endReason");
        }

        UpdateItemResponse response;
        try
        {
            response = await DynamoDbGuard.RunAsync("end a run", () => client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = RunItems.Key(ended.Id),
                UpdateExpression = "SET " + string.Join(", ", set),
                ConditionExpression = $"{StatusName} = :running",
                ExpressionAttributeNames = new() { [StatusName] = DynamoDbSchema.Runs.ByStatusPartitionKey },
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_OLD,
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }

        // The run has ended whatever happens next: a slot that is not released now frees itself at the run's deadline.
        if (response.Attributes?.TryGetValue(RunItems.QuotaSlot, out var slot) == true)
        {
            await ReleaseSlotQuietlyAsync(RunItems.Int(slot), ended.Id).ConfigureAwait(false);
        }

        return true;
    }

    public async Task<IReadOnlyList<Run>> ListNewestAsync(int limit, RunCursor? after, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":partition"] = RunItems.S(RunItems.RunsPartition) };
        var condition = "#partition = :partition";
        if (after is not null)
        {
            values[":after"] = RunItems.S(ItemKeys.RunStart(after.StartedAt, after.Id));
            condition += $" AND {DynamoDbSchema.Runs.StartSortKey} < :after";
        }

        var request = new QueryRequest
        {
            TableName = tableName,
            IndexName = DynamoDbSchema.Runs.ByStartIndex,
            KeyConditionExpression = condition,
            ExpressionAttributeNames = new() { ["#partition"] = DynamoDbSchema.Runs.ByStartPartitionKey },
            ExpressionAttributeValues = values,
            ScanIndexForward = false,
        };
        var runs = new List<Run>(Math.Min(limit, 1_024));
        await foreach (var item in QueryAllAsync(request, "list runs", cancellationToken, () => limit - runs.Count).ConfigureAwait(false))
        {
            if (RunItems.FromItem(item) is { } run)
            {
                runs.Add(run);
            }

            if (runs.Count == limit)
            {
                break;
            }
        }

        return runs;
    }

    /// <summary>Throws <see cref="StoreUnavailableException"/> unless the table answers a read.</summary>
    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        DynamoDbGuard.RunAsync("health check", () => client.GetItemAsync(new GetItemRequest
        {
            TableName = tableName,
            Key = SlotKey(0),
        }, cancellationToken), cancellationToken);

    private async Task PutRunAsync(Run run, int? slot, CancellationToken cancellationToken) =>
        await DynamoDbGuard.RunAsync("store a run", () => client.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = RunItems.ToItem(run, slot),
            ConditionExpression = "attribute_not_exists(id)",
        }, cancellationToken), cancellationToken).ConfigureAwait(false);

    private async Task<bool> TryTakeSlotAsync(int slot, Run run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await DynamoDbGuard.RunAsync("take a quota slot", () => client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = SlotKey(slot),
                UpdateExpression = $"SET {Holder} = :run, {ExpiresAt} = :deadline",
                ConditionExpression = $"attribute_not_exists({Holder}) OR {ExpiresAt} < :now",
                ExpressionAttributeValues = new()
                {
                    [":run"] = RunItems.S(run.Id.ToString("D")),
                    [":deadline"] = RunItems.N(run.Deadline.ToUnixTimeMilliseconds()),
                    [":now"] = RunItems.N(now.ToUnixTimeMilliseconds()),
                },
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Frees a slot if <paramref name="runId"/> still holds it; failing that, the slot frees itself at the run's deadline.</summary>
    private async Task ReleaseSlotQuietlyAsync(int slot, Guid runId)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = SlotKey(slot),
                UpdateExpression = $"REMOVE {Holder}, {ExpiresAt}",
                ConditionExpression = $"{Holder} = :run",
                ExpressionAttributeValues = new() { [":run"] = RunItems.S(runId.ToString("D")) },
            }).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another run took the slot after this one's deadline.
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or TimeoutException or TaskCanceledException)
        {
            // Unreachable now: the slot expires at the run's deadline.
        }
    }

    private async Task<IReadOnlyList<SlotState>> ReadSlotsAsync(int count, CancellationToken cancellationToken)
    {
        var items = await DynamoDbBatches.GetAsync(client, tableName, Enumerable.Range(0, count).Select(SlotKey), cancellationToken).ConfigureAwait(false);
        var byId = items.ToDictionary(i => i[DynamoDbSchema.Runs.PartitionKey].S, StringComparer.Ordinal);
        return Enumerable.Range(0, count).Select(index =>
        {
            byId.TryGetValue(SlotId(index), out var item);
            var holder = item?.GetValueOrDefault(Holder)?.S;
            var expiresAt = item?.GetValueOrDefault(ExpiresAt) is { N: { } n } ? long.Parse(n, CultureInfo.InvariantCulture) : 0;
            return new SlotState(index, holder, expiresAt);
        }).ToList();
    }

    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAllAsync(
        QueryRequest request,
        string operation,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken,
        Func<int>? remaining = null)
    {
        do
        {
            if (remaining is not null)
            {
                request.Limit = remaining();
            }

            var response = await DynamoDbGuard.RunAsync(operation, () => client.QueryAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            foreach (var item in response.Items ?? [])
            {
                yield return item;
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);
    }

    private static string SlotId(int index) => SlotPrefix + index.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, AttributeValue> SlotKey(int index) => new() { [DynamoDbSchema.Runs.PartitionKey] = RunItems.S(SlotId(index)) };

    private sealed record SlotState(int Index, string? Holder, long ExpiresAtMs)
    {
        public bool IsFreeAt(DateTimeOffset now) => Holder is null || ExpiresAtMs < now.ToUnixTimeMilliseconds();
    }
}
