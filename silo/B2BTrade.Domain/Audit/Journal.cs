namespace B2BTrade.Domain.Audit;

/// <summary>A change to publish to the read model, written in the same transaction as the grain state (outbox).</summary>
/// <remarks><see cref="Version"/> is the aggregate's audit sequence after the change, so projections can ignore stale snapshots.</remarks>
public sealed record OutboxEnvelope(string EventId, string AggregateType, string AggregateId, string Kind, long Version, string PayloadJson, DateTimeOffset OccurredAt);

/// <summary>
/// Grain state that carries side records to commit atomically with it: audit entries and outbox events.
/// The storage provider writes them in the state's transaction; they are never part of the serialized state.
/// </summary>
public interface IJournaledState
{
    List<AuditRecord> PendingAudit { get; }

    List<OutboxEnvelope> PendingOutbox { get; }
}
