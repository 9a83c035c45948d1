namespace B2BTrade.Domain.Audit;

/// <summary>A change to publish to the read model, written in the same transaction as the grain state (outbox).</summary>
/// <remarks><see cref="Version"/> is the aggregate's audit sequence after the change, so projections can ignore stale snapshots.</remarks>
public sealed record OutboxEnvelope(string EventId, string AggregateType, string AggregateId, string Kind, long Version, string PayloadJson, DateTimeOffset OccurredAt);

/// <summary>A row for a table beside the grain state (chat messages, stock holds), inserted in the same transaction as the state.</summary>
/// <remarks>Column names come from code, never from input; the storage provider accepts only the tables it knows.</remarks>
public sealed record AppendRow(string Table, IReadOnlyList<KeyValuePair<string, object?>> Values);

/// <summary>A row to delete by key in the same transaction as the grain state; exactly one row must match, or nothing is written.</summary>
/// <remarks>Column names come from code, never from input; the storage provider accepts only the tables it knows.</remarks>
public sealed record DeleteRow(string Table, IReadOnlyList<KeyValuePair<string, object?>> Keys);

/// <summary>
/// Grain state that carries side records to commit atomically with it: audit entries, outbox events, and rows of the
/// tables beside the state (inserted or deleted).
/// The storage provider writes them in the state's transaction; they are never part of the serialized state.
/// </summary>
public interface IJournaledState
{
    List<AuditRecord> PendingAudit { get; }

    List<OutboxEnvelope> PendingOutbox { get; }

    List<AppendRow> PendingRows { get; }

    List<DeleteRow> PendingDeletes { get; }
}

/// <summary>An append-only row collided with one already stored (a retried send): nothing of the write was applied.</summary>
public sealed class AppendConflictException(string table, Exception inner)
    : Exception($"A row in {table} with the same key already exists.", inner);

/// <summary>A row the write was to delete is not there (deleted by an earlier write): nothing of the write was applied.</summary>
public sealed class DeleteMissingException(string table)
    : Exception($"The row of {table} to delete is not there.");
