using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Runs in DynamoDB. The quota is a fixed set of slot items in the same table; a start takes a free slot and writes
/// its run in one transaction, so there is never a slot without its run nor a RUNNING run without its slot. A slot is
/// free when it has no holder, when its holder is past its deadline, or when its holder run is missing or no longer
/// RUNNING (an end whose release did not get through): slots repair themselves, and what counts as running for
/// can-start is what holds a slot for start.
/// A store configured with <see cref="RunRules.NoQuota"/> (tools and tests that store history) stores runs without a
/// slot.
/// </summary>
internal sealed class DynamoDbRunStore(IAmazonDynamoDB client, string tableName, int maxRunning) : IRunStore
{
    /// <summary>The most slot items a quota may have: every start and every list of running runs reads them all.</summary>
    public const int MaxSlots = 100;

    private const string SlotPrefix = "quota-slot-";
    private const string Holder = "holder";
    private const string ExpiresAt = "expiresAt";
    private const string StatusName = "#status";

    /// <summary>Rounds of "read the slots, try the free ones" before contention on them is an outage rather than a full quota.</summary>
    private const int MaxStartRounds = 8;

    private static readonly string Running = WireNames.Of(RunStatus.Running);

    public int MaxRunning => maxRunning;

    private bool HoldsQuota => MaxRunning != RunRules.NoQuota;

    public async Task<bool> TryStartAsync(Run run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!HoldsQuota)
        {
            await PutRunAsync(run, cancellationToken).ConfigureAwait(false);
            return true;
        }

        for (var round = 1; round <= MaxStartRounds; round++)
        {
            var free = (await ReadSlotsAsync(MaxRunning, cancellationToken).ConfigureAwait(false)).Where(s => s.IsFreeAt(now)).ToList();
            if (free.Count == 0)
            {
                return false;
            }

            // Concurrent starters begin at different slots, so that most of them win or lose at the first write.
            var offset = Random.Shared.Next(free.Count);
            var contended = false;
            for (var i = 0; i < free.Count; i++)
            {
                switch (await TryTakeSlotAsync(free[(offset + i) % free.Count], run, cancellationToken).ConfigureAwait(false))
                {
                    case SlotAttempt.Taken:
                        return true;
                    case SlotAttempt.Contended:
                        contended = true;
                        break;
                }
            }

            // Every free slot went to someone else: the quota is reached, unless a slot was only locked by a
            // concurrent transaction (which may have been cancelled too), in which case the slots are read again.
            if (!contended)
            {
                return false;
            }

            var backoff = TimeSpan.FromMilliseconds(5 * round);
            await Task.Delay(backoff + (backoff * Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
        }

        throw new StoreUnavailableException(
            $"Quota slots stayed contended for {MaxStartRounds} rounds; the run was not started.",
            new TransactionConflictException("Concurrent transactions kept cancelling each other."));
    }

    public Task<Run?> FindAsync(Guid id, CancellationToken cancellationToken) => RunItems.FindAsync(client, tableName, id, cancellationToken);

    /// <summary>
    /// The RUNNING runs, read consistently. The status index finds them all, overdue ones included, but is only
    /// eventually consistent: the slot holders add the runs started a moment ago, and every run is read again.
    /// A slot whose holder turns out to be missing or ended is released on the way, so that the sweep repairs it.
    /// </summary>
    public async Task<IReadOnlyList<Run>> ListRunningAsync(CancellationToken cancellationToken)
    {
        var slots = HoldsQuota ? await ReadSlotsAsync(MaxRunning, cancellationToken).ConfigureAwait(false) : [];
        var ids = new HashSet<string>(slots.Select(s => s.Holder).OfType<string>(), StringComparer.Ordinal);
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
        var running = items.Select(RunItems.FromItem).OfType<Run>().Where(r => r.Status == RunStatus.Running).ToList();
        var runningIds = running.Select(r => r.Id.ToString("D")).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in slots.Where(s => s.Holder is { } holder && !runningIds.Contains(holder)))
        {
            await ReleaseSlotQuietlyAsync(stale.Index, stale.Holder!).ConfigureAwait(false);
        }

        return running;
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

        // The run has ended whatever happens next, so the release does not depend on the caller still waiting; a slot
        // that is not released now is free all the same, as its holder is no longer RUNNING.
        if (response.Attributes?.TryGetValue(RunItems.QuotaSlot, out var slot) == true)
        {
            await ReleaseSlotQuietlyAsync(RunItems.Int(slot), ended.Id.ToString("D")).ConfigureAwait(false);
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

    private async Task PutRunAsync(Run run, CancellationToken cancellationToken) =>
        await DynamoDbGuard.RunAsync("store a run", () => client.PutItemAsync(new PutItemRequest
        {
            TableName = tableName,
            Item = RunItems.ToItem(run, quotaSlot: null),
            ConditionExpression = "attribute_not_exists(id)",
        }, cancellationToken), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes <paramref name="slot"/> for <paramref name="run"/> and stores the run, in one transaction that holds only
    /// if the slot still has the holder it was read with. The request token is the run's and the slot's: an SDK retry
    /// of an attempt that was applied but not answered succeeds instead of failing its own condition.
    /// </summary>
    private async Task<SlotAttempt> TryTakeSlotAsync(SlotState slot, Run run, CancellationToken cancellationToken)
    {
        var take = new Update
        {
            TableName = tableName,
            Key = SlotKey(slot.Index),
            UpdateExpression = $"SET {Holder} = :run, {ExpiresAt} = :deadline",
            ExpressionAttributeValues = new()
            {
                [":run"] = RunItems.S(run.Id.ToString("D")),
                [":deadline"] = RunItems.N(run.Deadline.ToUnixTimeMilliseconds()),
            },
        };
        if (slot.Holder is { } previous)
        {
            take.ConditionExpression = $"{Holder} = :previous";
            take.ExpressionAttributeValues[":previous"] = RunItems.S(previous);
        }
        else
        {
            take.ConditionExpression = $"attribute_not_exists({Holder})";
        }

        var request = new TransactWriteItemsRequest
        {
            ClientRequestToken = string.Create(CultureInfo.InvariantCulture, $"{run.Id:N}-{slot.Index}"),
            TransactItems =
            [
                new TransactWriteItem { Update = take },
                new TransactWriteItem
                {
                    Put = new Put
                    {
                        TableName = tableName,
                        Item = RunItems.ToItem(run, slot.Index),
                        ConditionExpression = "attribute_not_exists(id)",
                    },
                },
            ],
        };
        try
        {
            await DynamoDbGuard.RunAsync("start a run", () => client.TransactWriteItemsAsync(request, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            return SlotAttempt.Taken;
        }
        catch (TransactionCanceledException ex)
        {
            return ex.CancellationReasons?.Any(r => r.Code == "ConditionalCheckFailed") == true ? SlotAttempt.TakenByAnother : SlotAttempt.Contended;
        }
        catch (TransactionConflictException)
        {
            return SlotAttempt.Contended;
        }
    }

    /// <summary>
    /// Frees a slot if <paramref name="holder"/> still holds it. It runs to its end even when the request that ended the
    /// run has gone (the client's own timeouts bound it); failing that, the slot is free all the same, since its holder
    /// is no longer RUNNING, and the next start or sweep reads it so.
    /// </summary>
    private async Task ReleaseSlotQuietlyAsync(int slot, string holder)
    {
        try
        {
            await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = tableName,
                Key = SlotKey(slot),
                UpdateExpression = $"REMOVE {Holder}, {ExpiresAt}",
                ConditionExpression = $"{Holder} = :run",
                ExpressionAttributeValues = new() { [":run"] = RunItems.S(holder) },
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another run took the slot meanwhile.
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or TimeoutException or TaskCanceledException)
        {
            // Unreachable now: the slot reads as free anyway.
        }
    }

    /// <summary>The slots with their holders, and whether each holder still holds its slot: RUNNING and within its deadline.</summary>
    private async Task<IReadOnlyList<SlotState>> ReadSlotsAsync(int count, CancellationToken cancellationToken)
    {
        var items = await DynamoDbBatches.GetAsync(client, tableName, Enumerable.Range(0, count).Select(SlotKey), cancellationToken).ConfigureAwait(false);
        var byId = items.ToDictionary(i => i[DynamoDbSchema.Runs.PartitionKey].S, StringComparer.Ordinal);
        var slots = Enumerable.Range(0, count).Select(index =>
        {
            byId.TryGetValue(SlotId(index), out var item);
            var holder = item?.GetValueOrDefault(Holder)?.S;
            var expiresAt = item?.GetValueOrDefault(ExpiresAt) is { N: { } n } ? long.Parse(n, CultureInfo.InvariantCulture) : 0;
            return (Index: index, Holder: holder, ExpiresAt: expiresAt);
        }).ToList();

        // Read after the slots: a holder written by a start's transaction is there with its run.
        var holders = await DynamoDbBatches.GetAsync(
            client,
            tableName,
            slots.Select(s => s.Holder).OfType<string>().Distinct(StringComparer.Ordinal)
                .Select(id => new Dictionary<string, AttributeValue> { [DynamoDbSchema.Runs.PartitionKey] = RunItems.S(id) }),
            cancellationToken,
            projection: DynamoDbSchema.Runs.PartitionKey + ", " + StatusName,
            projectionNames: new() { [StatusName] = DynamoDbSchema.Runs.ByStatusPartitionKey }).ConfigureAwait(false);
        var runningHolders = holders
            .Where(h => h.GetValueOrDefault(DynamoDbSchema.Runs.ByStatusPartitionKey)?.S == Running)
            .Select(h => h[DynamoDbSchema.Runs.PartitionKey].S)
            .ToHashSet(StringComparer.Ordinal);
        return slots.Select(s => new SlotState(s.Index, s.Holder, s.ExpiresAt, s.Holder is { } h && runningHolders.Contains(h))).ToList();
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

    private sealed record SlotState(int Index, string? Holder, long ExpiresAtMs, bool HolderIsRunning)
    {
        public bool IsFreeAt(DateTimeOffset now) => !HolderIsRunning || ExpiresAtMs < now.ToUnixTimeMilliseconds();
    }

    private enum SlotAttempt
    {
        Taken,

        /// <summary>Its condition failed: another start took it since it was read.</summary>
        TakenByAnother,

        /// <summary>A concurrent transaction on the same item cancelled this one; the slot may still be free.</summary>
        Contended,
    }
}
