using System.Data.Common;

namespace B2BTrade.Silo.Data;

/// <summary>
/// Where the message center's tables live. In a cluster they share the PostgreSQL database (row locks keep notice
/// fan-out and chat writes apart). On a single node they are a SQLite file of their own, because SQLite has one
/// writer per file: posting a notice to every member of a large seller would otherwise hold the writer that chat
/// messages, quotes and orders wait for.
/// </summary>
public sealed class InboxDatabase : IAsyncDisposable
{
    private readonly SqlDatabase? _legacySource;
    private readonly Lazy<Task> _ready;

    private InboxDatabase(SqlDatabase database, SqlDatabase? legacySource)
    {
        Database = database;
        _legacySource = legacySource;
        _ready = new Lazy<Task>(MoveLegacyItemsAsync);
    }

    public SqlDatabase Database { get; }

    /// <summary>True when the inbox tables are in the main database, so a projection can share the outbox transaction.</summary>
    public bool SharesMainDatabase => _legacySource is null;

    public static InboxDatabase InMainDatabase(SqlDatabase main) => new(main, null);

    public static InboxDatabase ForSqlite(SqlDatabase main, string path, bool synchronousFull = false) =>
        new(SqlDatabase.ForSqlite(path, synchronousFull, "sql/sqlite-inbox.sql"), main);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await _ready.Value.WaitAsync(cancellationToken);
        return await Database.OpenAsync(cancellationToken);
    }

    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await _ready.Value.WaitAsync(cancellationToken);
        return await Database.InTransactionAsync(work, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!SharesMainDatabase)
        {
            await Database.DisposeAsync();
        }
    }

    /// <summary>
    /// A data folder from before the split keeps its notifications in the main file: copy them here, then drop the
    /// old table. Both steps are idempotent, so a crash between them only repeats the copy at the next start.
    /// </summary>
    private async Task MoveLegacyItemsAsync()
    {
        if (_legacySource?.SqlitePath is not { } mainPath)
        {
            return;
        }

        await using (var main = await _legacySource.OpenAsync())
        {
            var legacy = await main.QueryAsync("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'inbox_items'", r => r.GetInt64(0));
            if (legacy[0] == 0)
            {
                return;
            }
        }

        // Nothing else touches this file until the move is done (every use waits for it), and ATTACH is refused inside
        // a transaction: one autocommit INSERT is the atomic copy.
        await using (var connection = await Database.OpenAsync())
        {
            await connection.ExecuteAsync("ATTACH DATABASE @path AS legacy", null, ("@path", mainPath));
            await connection.ExecuteAsync(
                """
                INSERT OR IGNORE INTO inbox_items (notification_id, user_id, kind, subject_id, title_zh, title_en, body_zh, body_en, event_count, created_micros, read)
                SELECT notification_id, user_id, kind, subject_id, title_zh, title_en, body_zh, body_en, event_count, created_micros, read FROM legacy.inbox_items
                """);
            await connection.ExecuteAsync("DETACH DATABASE legacy");
        }

        await _legacySource.InTransactionAsync((connection, transaction) => connection.ExecuteAsync("DROP TABLE IF EXISTS inbox_items", transaction));
    }
}
