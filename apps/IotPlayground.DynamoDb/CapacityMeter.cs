using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace IotPlayground.DynamoDb;

/// <summary>Capacity units, as DynamoDB bills an on-demand table: read request units and write request units.</summary>
public readonly record struct CapacityUnits(double Read, double Write)
{
    public static readonly CapacityUnits None = new(0, 0);

    public static CapacityUnits operator +(CapacityUnits left, CapacityUnits right) => new(left.Read + right.Read, left.Write + right.Write);
}

/// <summary>
/// The capacity that a client's requests consumed, as DynamoDB reports it on each answer: a
/// <see cref="MeteredDynamoDbClient"/> asks every request for its consumed capacity (TOTAL) and adds what the answer
/// reports here. A request DynamoDB refuses (a failed condition, a cancelled transaction) consumes capacity too, but
/// its error does not report it, so it is not counted.
/// </summary>
public sealed class CapacityMeter
{
    private readonly Lock _gate = new();
    private CapacityUnits _consumed;

    /// <summary>What was consumed since the last call: for a Lambda instance, which handles one invocation at a time, that invocation's.</summary>
    public CapacityUnits Take()
    {
        lock (_gate)
        {
            var consumed = _consumed;
            _consumed = CapacityUnits.None;
            return consumed;
        }
    }

    internal void Add(CapacityUnits units)
    {
        lock (_gate)
        {
            _consumed += units;
        }
    }

    /// <summary>TOTAL, unless the caller asked for more (INDEXES).</summary>
    internal static void AskForConsumedCapacity(AmazonWebServiceRequest request)
    {
        switch (request)
        {
            case GetItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case BatchGetItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case QueryRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case ScanRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case TransactGetItemsRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case PutItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case UpdateItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case DeleteItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case BatchWriteItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case TransactWriteItemsRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
        }
    }

    /// <summary>
    /// What an answer reports: its read and write units where DynamoDB splits them (a transaction's answer may), else
    /// its capacity units, as reads or writes by the operation.
    /// </summary>
    internal static CapacityUnits ConsumedBy(AmazonWebServiceResponse response) => response switch
    {
        GetItemResponse r => Reads(r.ConsumedCapacity),
        BatchGetItemResponse r => Reads(r.ConsumedCapacity),
        QueryResponse r => Reads(r.ConsumedCapacity),
        ScanResponse r => Reads(r.ConsumedCapacity),
        TransactGetItemsResponse r => Reads(r.ConsumedCapacity),
        PutItemResponse r => Writes(r.ConsumedCapacity),
        UpdateItemResponse r => Writes(r.ConsumedCapacity),
        DeleteItemResponse r => Writes(r.ConsumedCapacity),
        BatchWriteItemResponse r => Writes(r.ConsumedCapacity),
        TransactWriteItemsResponse r => Writes(r.ConsumedCapacity),
        _ => CapacityUnits.None,
    };

    private static CapacityUnits Reads(ConsumedCapacity? consumed) => Of(consumed, asReads: true);

    private static CapacityUnits Reads(List<ConsumedCapacity>? consumed) => Of(consumed, asReads: true);

    private static CapacityUnits Writes(ConsumedCapacity? consumed) => Of(consumed, asReads: false);

    private static CapacityUnits Writes(List<ConsumedCapacity>? consumed) => Of(consumed, asReads: false);

    private static CapacityUnits Of(List<ConsumedCapacity>? consumed, bool asReads) =>
        consumed?.Aggregate(CapacityUnits.None, (sum, table) => sum + Of(table, asReads)) ?? CapacityUnits.None;

    private static CapacityUnits Of(ConsumedCapacity? consumed, bool asReads)
    {
        if (consumed is null)
        {
            return CapacityUnits.None;
        }

        if (consumed.ReadCapacityUnits is not null || consumed.WriteCapacityUnits is not null)
        {
            return new CapacityUnits(consumed.ReadCapacityUnits ?? 0, consumed.WriteCapacityUnits ?? 0);
        }

        var units = consumed.CapacityUnits ?? 0;
        return asReads ? new CapacityUnits(units, 0) : new CapacityUnits(0, units);
    }
}
