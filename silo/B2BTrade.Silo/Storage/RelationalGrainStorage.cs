using System.Data.Common;
using System.Globalization;
using B2BTrade.Domain.Audit;
using B2BTrade.Silo.Data;
using B2BTrade.Silo.ReadModel;
using Orleans.Serialization;
using Orleans.Storage;

namespace B2BTrade.Silo.Storage;

/// <summary>
/// The project's IGrainStorage over SQLite or PostgreSQL. Optimistic concurrency on an etag counter; a grain
/// state that carries audit entries and outbox events (<see cref="IJournaledState"/>) has them committed in the same
/// transaction, so an acknowledged change always reaches the audit trail and the read model.
/// </summary>
public sealed class RelationalGrainStorage(SqlDatabase database, Serializer serializer, OutboxSignal outboxSignal, TimeProvider time) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            "SELECT etag, data FROM grain_state WHERE state_name = @state AND grain_id = @grain",
            r => (ETag: r.GetString(0), Data: (byte[])r.GetValue(1)),
            null, ("@state", stateName), ("@grain", grainId.ToString()));
        if (rows.Count == 0)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = serializer.Deserialize<T>(rows[0].Data);
        grainState.ETag = rows[0].ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.SerializeToArray(grainState.State);
        var expected = grainState.ETag;
        var next = expected is null ? "1" : (long.Parse(expected, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        var journal = grainState.State as IJournaledState;
        var wroteOutbox = false;
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var affected = expected is null
                ? await connection.ExecuteAsync(
                    "INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES (@state, @grain, @etag, @data, @now) ON CONFLICT DO NOTHING",
                    transaction, ("@state", stateName), ("@grain", grainId.ToString()), ("@etag", next), ("@data", data), ("@now", now))
                : await connection.ExecuteAsync(
                    "UPDATE grain_state SET etag = @etag, data = @data, updated_at = @now WHERE state_name = @state AND grain_id = @grain AND etag = @expected",
                    transaction, ("@state", stateName), ("@grain", grainId.ToString()), ("@etag", next), ("@data", data), ("@now", now), ("@expected", expected));
            if (affected != 1)
            {
                throw new InconsistentStateException($"The stored state of {grainId} changed concurrently.", "unknown", expected ?? "none");
            }

            if (journal is not null)
            {
                foreach (var entry in journal.PendingAudit)
                {
                    await InsertAuditAsync(connection, transaction, entry);
                }

                foreach (var envelope in journal.PendingOutbox)
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO outbox (event_id, aggregate_type, aggregate_id, kind, version, payload, occurred_at) VALUES (@id, @type, @aggregate, @kind, @version, @payload, @at)",
                        transaction, ("@id", envelope.EventId), ("@type", envelope.AggregateType), ("@aggregate", envelope.AggregateId), ("@kind", envelope.Kind),
                        ("@version", envelope.Version), ("@payload", envelope.PayloadJson), ("@at", envelope.OccurredAt));
                    wroteOutbox = true;
                }

                foreach (var row in journal.PendingRows)
                {
                    await InsertRowAsync(connection, transaction, row);
                }

                foreach (var row in journal.PendingDeletes)
                {
                    await DeleteRowAsync(connection, transaction, row);
                }
            }

            return affected;
        });
        grainState.ETag = next;
        grainState.RecordExists = true;
        if (wroteOutbox)
        {
            outboxSignal.Notify();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var affected = await connection.ExecuteAsync(
                "DELETE FROM grain_state WHERE state_name = @state AND grain_id = @grain AND etag = @expected",
                transaction, ("@state", stateName), ("@grain", grainId.ToString()), ("@expected", grainState.ETag ?? ""));
            if (grainState.ETag is not null && affected != 1)
            {
                throw new InconsistentStateException($"The stored state of {grainId} changed concurrently.", "unknown", grainState.ETag);
            }

            return affected;
        });
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    /// <summary>Tables grains may insert into beside their state; anything else is a programming error.</summary>
    private static readonly HashSet<string> s_appendTables = ["thread_messages", "listing_holds"];

    /// <summary>Tables grains may delete from beside their state (chat messages are never deleted).</summary>
    private static readonly HashSet<string> s_deleteTables = ["listing_holds"];

    private static async Task InsertRowAsync(DbConnection connection, DbTransaction transaction, AppendRow row)
    {
        if (!s_appendTables.Contains(row.Table))
        {
            throw new InvalidOperationException($"Grains may not append to table '{row.Table}'.");
        }

        var columns = string.Join(", ", row.Values.Select(v => v.Key));
        var parameters = string.Join(", ", row.Values.Select(v => "@" + v.Key));
        try
        {
            await connection.ExecuteAsync($"INSERT INTO {row.Table} ({columns}) VALUES ({parameters})", transaction,
                [.. row.Values.Select(v => ("@" + v.Key, v.Value))]);
        }
        catch (DbException e) when (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" })
        {
            throw new AppendConflictException(row.Table, e);
        }
    }

    private static async Task DeleteRowAsync(DbConnection connection, DbTransaction transaction, DeleteRow row)
    {
        if (!s_deleteTables.Contains(row.Table) || row.Keys.Count == 0)
        {
            throw new InvalidOperationException($"Grains may not delete from table '{row.Table}'.");
        }

        var where = string.Join(" AND ", row.Keys.Select(k => $"{k.Key} = @{k.Key}"));
        var affected = await connection.ExecuteAsync($"DELETE FROM {row.Table} WHERE {where}", transaction, [.. row.Keys.Select(k => ("@" + k.Key, k.Value))]);
        if (affected != 1)
        {
            throw new DeleteMissingException(row.Table);
        }
    }

    private static Task<int> InsertAuditAsync(DbConnection connection, DbTransaction transaction, AuditRecord entry) =>
        connection.ExecuteAsync(
            """
            INSERT INTO audit_log (aggregate_type, aggregate_id, sequence, actor, action, before_json, after_json, occurred_at, previous_hash, hash)
            VALUES (@type, @id, @sequence, @actor, @action, @before, @after, @at, @previous, @hash)
            """,
            transaction, ("@type", entry.AggregateType), ("@id", entry.AggregateId), ("@sequence", entry.Sequence), ("@actor", entry.Actor), ("@action", entry.Action),
            ("@before", entry.BeforeJson), ("@after", entry.AfterJson), ("@at", entry.OccurredAt), ("@previous", entry.PreviousHash), ("@hash", entry.Hash));
}
