using System.Text.Json;
using B2BTrade.Domain.Audit;
using B2BTrade.Domain.Common;
using Orleans.Storage;

namespace B2BTrade.Grains.Infrastructure;

/// <summary>
/// Runs an aggregate command: decide on the current state, then persist the next state together with an audit
/// entry (hash-chained) and a read-model snapshot event in one storage transaction, before answering.
/// On an etag conflict the state is re-read and the command decided again; on any other failure the in-memory
/// state is restored so nothing half-applied is ever served.
/// </summary>
public sealed class AggregateJournal<T>(
    IPersistentState<AggregateState<T>> store,
    string aggregateType,
    string aggregateId,
    TimeProvider time,
    Func<T, object> auditView,
    Func<T, object>? readModelSnapshot)
    where T : class
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// The last state staged and its audit JSON. The next entry's "before" is usually that same (immutable) state, so
    /// its JSON is reused instead of serialised again.
    /// </summary>
    private (T State, string Json)? _lastAudited;

    public T? Current => store.State.Aggregate;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<TResult> ExecuteAsync<TResult>(string actor, Func<T?, Decision<T, TResult>> decide)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = store.State;
            var before = state.Aggregate;
            var decision = decide(before);
            if (decision.Next is null || ReferenceEquals(decision.Next, before))
            {
                return decision.Result;
            }

            var (previousSequence, previousHead) = (state.AuditSequence, state.AuditHead);
            Stage(state, actor, decision.Action, before, decision.Next, decision.Events);
            ((IJournaledState)state).PendingRows.AddRange(decision.Rows);
            ((IJournaledState)state).PendingDeletes.AddRange(decision.Deletes);
            try
            {
                await store.WriteStateAsync();
                return decision.Result;
            }
            catch (InconsistentStateException) when (attempt < MaxAttempts)
            {
                await store.ReadStateAsync();
            }
            catch (InconsistentStateException)
            {
                Restore(state, before, previousSequence, previousHead);
                await TryReReadAsync();
                throw new DomainException(ErrorKind.Aborted, "CONCURRENT_MODIFICATION", "The record was changed concurrently; retry the request.", "数据已被并发修改，请重试。");
            }
            catch
            {
                Restore(state, before, previousSequence, previousHead);
                await TryReReadAsync();
                throw;
            }
            finally
            {
                ((IJournaledState)state).PendingAudit.Clear();
                ((IJournaledState)state).PendingOutbox.Clear();
                ((IJournaledState)state).PendingRows.Clear();
                ((IJournaledState)state).PendingDeletes.Clear();
            }
        }
    }

    /// <summary>Queues the current snapshot for the read model again (used by rebuild and after recovery).</summary>
    public async Task RepublishAsync()
    {
        var state = store.State;
        if (state.Aggregate is null || readModelSnapshot is null)
        {
            return;
        }

        ((IJournaledState)state).PendingOutbox.Add(Envelope(state.Aggregate, state.AuditSequence));
        try
        {
            await store.WriteStateAsync();
        }
        finally
        {
            ((IJournaledState)state).PendingOutbox.Clear();
        }
    }

    private void Stage(AggregateState<T> state, string actor, string action, T? before, T next, IReadOnlyList<(string Kind, object Payload)> events)
    {
        var beforeJson = before is null ? AuditChain.ToJson(null)
            : _lastAudited is { } last && ReferenceEquals(last.State, before) ? last.Json
            : AuditChain.ToJson(auditView(before));
        var afterJson = AuditChain.ToJson(auditView(next));
        var record = AuditChain.AppendJson(aggregateType, aggregateId, state.AuditSequence, state.AuditHead, actor, action, beforeJson, afterJson, Now);
        _lastAudited = (next, afterJson);
        state.Aggregate = next;
        state.AuditSequence = record.Sequence;
        state.AuditHead = record.Hash;
        ((IJournaledState)state).PendingAudit.Add(record);
        if (readModelSnapshot is not null)
        {
            ((IJournaledState)state).PendingOutbox.Add(Envelope(next, record.Sequence));
        }

        foreach (var (kind, payload) in events)
        {
            ((IJournaledState)state).PendingOutbox.Add(Event(kind, payload, record.Sequence));
        }
    }

    /// <summary>An outbox event other than the read-model snapshot (a notification), at the aggregate's version.</summary>
    public OutboxEnvelope Event(string kind, object payload, long version) =>
        new(Ids.NewId("evt"), aggregateType, aggregateId, kind, version, JsonSerializer.Serialize(payload), Now);

    private OutboxEnvelope Envelope(T aggregate, long version) =>
        new(Ids.NewId("evt"), aggregateType, aggregateId, aggregateType + ".snapshot", version, JsonSerializer.Serialize(readModelSnapshot!(aggregate)), Now);

    private static void Restore(AggregateState<T> state, T? before, long sequence, string head)
    {
        state.Aggregate = before;
        state.AuditSequence = sequence;
        state.AuditHead = head;
    }

    private async Task TryReReadAsync()
    {
        try
        {
            await store.ReadStateAsync();
        }
        catch (Exception)
        {
            // The restored in-memory state stands; the next command re-reads if storage was ahead.
        }
    }
}
