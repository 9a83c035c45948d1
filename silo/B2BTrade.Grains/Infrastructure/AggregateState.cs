using B2BTrade.Domain.Audit;

namespace B2BTrade.Grains.Infrastructure;

/// <summary>
/// Stored state of an aggregate grain: the aggregate, the head of its audit chain, and (not serialized)
/// the audit entries and outbox events that the storage provider commits in the same transaction.
/// </summary>
[GenerateSerializer, Alias("b2btrade.aggregate-state")]
public sealed class AggregateState<T> : IJournaledState
    where T : class
{
    [Id(0)] public T? Aggregate { get; set; }
    [Id(1)] public long AuditSequence { get; set; }
    [Id(2)] public string AuditHead { get; set; } = "";

    [NonSerialized]
    private readonly List<AuditRecord> _pendingAudit = [];

    [NonSerialized]
    private readonly List<OutboxEnvelope> _pendingOutbox = [];

    [NonSerialized]
    private readonly List<AppendRow> _pendingRows = [];

    [NonSerialized]
    private readonly List<DeleteRow> _pendingDeletes = [];

    List<AuditRecord> IJournaledState.PendingAudit => _pendingAudit;

    List<AppendRow> IJournaledState.PendingRows => _pendingRows;

    List<DeleteRow> IJournaledState.PendingDeletes => _pendingDeletes;

    List<OutboxEnvelope> IJournaledState.PendingOutbox => _pendingOutbox;
}

/// <summary>What a command decided: the next aggregate (null or the same instance when nothing changed), the audit action, and the reply.</summary>
public readonly record struct Decision<T, TResult>(T? Next, string Action, TResult Result)
    where T : class
{
    /// <summary>Further outbox events committed with the change (notifications), as (kind, payload) pairs.</summary>
    public IReadOnlyList<(string Kind, object Payload)> Events { get; init; } = [];

    /// <summary>Rows inserted beside the state in the same transaction.</summary>
    public IReadOnlyList<AppendRow> Rows { get; init; } = [];

    /// <summary>Rows deleted beside the state in the same transaction (each must exist).</summary>
    public IReadOnlyList<DeleteRow> Deletes { get; init; } = [];

    public static Decision<T, TResult> Unchanged(TResult result) => new(null, "", result);
}

/// <summary>Names the storage provider every grain state uses.</summary>
public static class StorageNames
{
    public const string Grains = "b2btrade";
}
