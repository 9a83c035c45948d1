using System.Globalization;
using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.Reminders;

/// <summary>Durable reminders over SQLite or PostgreSQL, so deadlines (expiries, escalations) survive restarts.</summary>
public sealed class RelationalReminderTable(SqlDatabase database) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period_ms, etag";

    public Task Init() => Task.CompletedTask;

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        await using var connection = await database.OpenAsync();
        return new ReminderTableData(await connection.QueryAsync($"SELECT {Columns} FROM reminders WHERE grain_id = @grain", Map, null, ("@grain", grainId.ToString())));
    }

    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        // The ring range (begin, end] may wrap around the top of the hash space.
        var sql = begin < end
            ? $"SELECT {Columns} FROM reminders WHERE grain_hash > @begin AND grain_hash <= @end"
            : $"SELECT {Columns} FROM reminders WHERE grain_hash > @begin OR grain_hash <= @end";
        await using var connection = await database.OpenAsync();
        return new ReminderTableData(await connection.QueryAsync(sql, Map, null, ("@begin", (long)begin), ("@end", (long)end)));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync($"SELECT {Columns} FROM reminders WHERE grain_id = @grain AND reminder_name = @name", Map, null,
            ("@grain", grainId.ToString()), ("@name", reminderName));
        return rows.FirstOrDefault();
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var etag = Guid.NewGuid().ToString("N");
        await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period_ms, etag) VALUES (@grain, @name, @hash, @start, @period, @etag)
            ON CONFLICT (grain_id, reminder_name) DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, etag = excluded.etag
            """,
            transaction, ("@grain", entry.GrainId.ToString()), ("@name", entry.ReminderName), ("@hash", (long)entry.GrainId.GetUniformHashCode()),
            ("@start", new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc))), ("@period", (long)entry.Period.TotalMilliseconds), ("@etag", etag)));
        return etag;
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var removed = await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
            "DELETE FROM reminders WHERE grain_id = @grain AND reminder_name = @name AND etag = @etag",
            transaction, ("@grain", grainId.ToString()), ("@name", reminderName), ("@etag", eTag)));
        return removed == 1;
    }

    public Task TestOnlyClearTable() =>
        database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync("DELETE FROM reminders", transaction));

    private ReminderEntry Map(System.Data.Common.DbDataReader reader) => new()
    {
        GrainId = GrainId.Parse(reader.GetString(0)),
        ReminderName = reader.GetString(1),
        StartAt = reader.GetInstant(2).UtcDateTime,
        Period = TimeSpan.FromMilliseconds(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture)),
        ETag = reader.GetString(4),
    };
}
