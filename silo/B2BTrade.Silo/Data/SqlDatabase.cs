using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace B2BTrade.Silo.Data;

public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The relational store behind grain state, reminders, the outbox, the audit log and the read model:
/// one SQLite file on a single node, one PostgreSQL database in a cluster. Keeping them in one database lets
/// a grain write commit its audit entry and read-model event in the same transaction (outbox semantics).
/// </summary>
public sealed class SqlDatabase : IAsyncDisposable
{
    private readonly string? _sqliteConnectionString;
    private readonly string _sqlitePragmas = "";
    private readonly string _schemaResource;
    private readonly NpgsqlDataSource? _postgres;
    private readonly SemaphoreSlim _sqliteWriteLock = new(1, 1);

    /// <summary>
    /// SQLite's one writer connection, opened on first write and kept (guarded by <see cref="_sqliteWriteLock"/>). A
    /// pooled connection per write ran the pragmas again each time and, since another pooled connection had written
    /// meanwhile, found its page cache stale and re-read the pages it needed; this one is the only writer, so its
    /// cache stays valid between writes. After any failed write it is closed and the next write opens a fresh one.
    /// </summary>
    private SqliteConnection? _sqliteWriter;

    /// <summary>SQLite writes waiting for the writer, oldest first (guarded by itself), and whether a leader is applying writes.</summary>
    private readonly Queue<QueuedWrite> _queuedWrites = new();
    private bool _leading;

    /// <summary>The most writes one commit carries, so the first of a long queue is not held back for long.</summary>
    private const int MaxWritesPerGroup = 64;

    /// <summary><see cref="MaxWritesPerGroup"/>, or 1 when group commit is off (each write commits on its own).</summary>
    private int _maxWritesPerCommit = MaxWritesPerGroup;

    private long _sqliteWrites;
    private long _sqliteCommits;

    /// <summary>How many statements the SQLite writer keeps prepared; 0 before its first write and on PostgreSQL.</summary>
    internal int SqliteWriterKeptStatements => _sqliteWriter?.KeptStatementCount() ?? 0;

    /// <summary>SQLite writes applied and the commits that carried them since start (diagnostics; zero on PostgreSQL).</summary>
    public (long Writes, long Commits) SqliteWriteCounts => (Interlocked.Read(ref _sqliteWrites), Interlocked.Read(ref _sqliteCommits));
    private readonly Lazy<Task> _schema;
    private readonly Timer? _checkpointer;
    private int _checkpointing;

    private SqlDatabase(SqlDialect dialect, string? sqliteConnectionString, string sqlitePragmas, NpgsqlDataSource? postgres, string schemaResource)
    {
        Dialect = dialect;
        _schemaResource = schemaResource;
        _sqliteConnectionString = sqliteConnectionString;
        _sqlitePragmas = sqlitePragmas;
        _postgres = postgres;
        _schema = new Lazy<Task>(ApplySchemaAsync);
        if (dialect == SqlDialect.Sqlite)
        {
            _checkpointer = new Timer(_ => _ = CheckpointAsync(), null, s_checkpointInterval, s_checkpointInterval);
        }
    }

    /// <summary>
    /// SQLite's automatic checkpoint runs inside the commit that crosses the WAL threshold, i.e. while that writer holds
    /// the one write slot, so every few seconds one write (a chat message) waited for a checkpoint. Checkpoints run
    /// here instead, PASSIVE (they never block writers or readers), on their own connection.
    /// </summary>
    private static readonly TimeSpan s_checkpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>WAL size (4 KiB pages) above which a checkpoint briefly holds the write slot so the WAL restarts (≈ 32 MiB).</summary>
    private const long WalFramesBeforeRestart = 8192;

    public SqlDialect Dialect { get; }

    /// <param name="synchronousFull">FULL survives power loss; NORMAL (WAL) survives process crashes (kill -9), which is the default's promise.</param>
    /// <param name="schemaResource">The embedded schema script: the main store's, or that of a store split off into a file of its own (the message center).</param>
    /// <param name="groupCommit">False commits every write on its own, as a plain transaction per write would (the benchmarks' raw baseline).</param>
    public static SqlDatabase ForSqlite(string path, bool synchronousFull = false, string schemaResource = "sql/sqlite.sql", bool groupCommit = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        var pragmas = $"PRAGMA synchronous = {(synchronousFull ? "FULL" : "NORMAL")}; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;";
        return new SqlDatabase(SqlDialect.Sqlite, connectionString, pragmas, null, schemaResource)
        {
            SqlitePath = Path.GetFullPath(path),
            _maxWritesPerCommit = groupCommit ? MaxWritesPerGroup : 1,
        };
    }

    public static SqlDatabase ForPostgres(string connectionString) =>
        new(SqlDialect.Postgres, null, "", NpgsqlDataSource.Create(connectionString), "sql/postgres.sql");

    /// <summary>The database file on a single node; null on PostgreSQL.</summary>
    public string? SqlitePath { get; private init; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>
    /// Runs work in one transaction and commits it; the work is applied entirely or not at all. On SQLite, writers
    /// queue for the one writer connection instead of spinning on SQLITE_BUSY, and the writes that queue up while one
    /// commits are applied together (see <see cref="LeadWritesAsync"/>). A cancellation is honoured until the work is queued.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (Dialect == SqlDialect.Postgres)
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await CommitAsync(connection, work, cancellationToken);
        }

        await _schema.Value.WaitAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work);
        bool lead;
        lock (_queuedWrites)
        {
            _queuedWrites.Enqueue(write);
            lead = !_leading;
            _leading = true;
        }

        if (lead || await write.Turn.Task == WriteTurn.Lead)
        {
            await LeadWritesAsync(write);
        }

        return write.Result();
    }

    /// <summary>
    /// Group commit. The writer that finds no leader becomes it: it takes the writes queued at that moment (its own first,
    /// at most <see cref="MaxWritesPerGroup"/>), applies each inside a savepoint of one transaction, and commits once. A
    /// write that fails is rolled back to its savepoint and fails alone; the others commit. If the transaction itself
    /// is lost (the commit fails, or a rollback to a savepoint does), every write in it fails and nothing is stored.
    /// Then the leader answers the writes it carried and hands the lead to the oldest waiting writer, if any. One commit
    /// per group instead of one per write, and no hand-off of the writer between writes, is what lets a single SQLite
    /// writer keep up with many concurrent grains; a lone writer commits at once, as before.
    /// </summary>
    private async Task LeadWritesAsync(QueuedWrite own)
    {
        var group = new List<QueuedWrite>();
        try
        {
            lock (_queuedWrites)
            {
                while (group.Count < _maxWritesPerCommit && _queuedWrites.TryDequeue(out var next))
                {
                    group.Add(next);
                }
            }

            System.Diagnostics.Debug.Assert(ReferenceEquals(group[0], own), "the leader's own write heads its group");
            await _sqliteWriteLock.WaitAsync();
            try
            {
                await CommitGroupAsync(group);
            }
            finally
            {
                _sqliteWriteLock.Release();
            }
        }
        catch (Exception e)
        {
            foreach (var write in group)
            {
                write.Fail(e);
            }
        }
        finally
        {
            QueuedWrite? successor;
            lock (_queuedWrites)
            {
                _leading = _queuedWrites.TryPeek(out successor);
            }

            foreach (var write in group)
            {
                if (!ReferenceEquals(write, own))
                {
                    write.Turn.TrySetResult(WriteTurn.Done);
                }
            }

            successor?.Turn.TrySetResult(WriteTurn.Lead);
        }
    }

    private async Task CommitGroupAsync(List<QueuedWrite> group)
    {
        if (_sqliteWriter is null)
        {
            _sqliteWriter = (SqliteConnection)await OpenRawAsync(CancellationToken.None);
            _sqliteWriter.KeepPreparedStatements();
        }

        var writer = _sqliteWriter;
        try
        {
            await using var transaction = await writer.BeginTransactionAsync();
            if (group.Count == 1)
            {
                await group[0].ApplyAsync(writer, transaction);
            }
            else
            {
                foreach (var write in group)
                {
                    await transaction.SaveAsync("w");
                    try
                    {
                        await write.ApplyAsync(writer, transaction);
                    }
                    catch (Exception e)
                    {
                        // Undo this write only; if the transaction itself is gone this throws and the whole group fails.
                        write.Fail(e);
                        await transaction.RollbackAsync("w");
                    }

                    await transaction.ReleaseAsync("w");
                }
            }

            await transaction.CommitAsync();
            Interlocked.Add(ref _sqliteWrites, group.Count);
            Interlocked.Increment(ref _sqliteCommits);
        }
        catch (Exception e) when (group.Count == 1 && group[0].Failed is null)
        {
            group[0].Fail(e);
            await DropWriterAsync();
            return;
        }
        catch
        {
            await DropWriterAsync();
            throw;
        }
    }

    /// <summary>Closes the writer after a failure, so a connection in an unknown state is never reused.</summary>
    private async Task DropWriterAsync()
    {
        if (_sqliteWriter is { } writer)
        {
            _sqliteWriter = null;
            await writer.DisposeAsync();
        }
    }

    private static async Task<T> CommitAsync<T>(DbConnection connection, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_sqliteWriter is not null)
        {
            await _sqliteWriteLock.WaitAsync();
            await DropWriterAsync();
        }

        _sqliteWriteLock.Dispose();
    }

    /// <summary>
    /// Copies the WAL into the database file in two steps. The first, PASSIVE and outside the write slot, does the bulk
    /// of the copying while writers go on. Under a steady stream of writes that alone never lets the WAL restart (a
    /// writer restarts it only when every frame is copied, and new frames keep arriving), so the WAL would grow without
    /// bound; once it passes a threshold, the second step takes the write slot briefly and copies the few frames
    /// written meanwhile, so the next writer starts the WAL from the beginning again. Below the threshold writers are
    /// never held (the locked step's fsync would show in chat latency every second).
    /// </summary>
    private async Task CheckpointAsync()
    {
        if (!_schema.IsValueCreated || !_schema.Value.IsCompletedSuccessfully || Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }

        try
        {
            await using var connection = new SqliteConnection(_sqliteConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync("PRAGMA busy_timeout = 1000;");
            var walFrames = (await connection.QueryAsync("PRAGMA wal_checkpoint(PASSIVE);", r => r.GetInt64(1)))[0];
            if (walFrames > WalFramesBeforeRestart && await _sqliteWriteLock.WaitAsync(s_checkpointInterval))
            {
                try
                {
                    await connection.ExecuteAsync("PRAGMA wal_checkpoint(PASSIVE);");
                }
                finally
                {
                    _sqliteWriteLock.Release();
                }
            }
        }
        catch (SqliteException)
        {
            // Busy or shutting down: the next tick checkpoints what this one could not.
        }
        catch (ObjectDisposedException)
        {
            // The database is being disposed.
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = _sqlitePragmas;
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task ApplySchemaAsync()
    {
        await using var stream = typeof(SqlDatabase).Assembly.GetManifestResourceStream(_schemaResource)
            ?? throw new InvalidOperationException($"Schema resource {_schemaResource} is missing.");
        var script = await new StreamReader(stream).ReadToEndAsync();
        await using var connection = await OpenRawAsync(CancellationToken.None);
        if (Dialect == SqlDialect.Postgres)
        {
            // Several nodes may start at once: serialise schema creation with an advisory lock.
            await connection.ExecuteAsync("SELECT pg_advisory_lock(4242001)");
            try
            {
                await connection.ExecuteAsync(script);
            }
            finally
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(4242001)");
            }
        }
        else
        {
            // SQLite cannot ADD COLUMN IF NOT EXISTS: bring a data folder from before projected_at up to date first.
            var hasListings = await connection.QueryAsync("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'rm_listings'", r => r.GetInt64(0));
            var hasColumn = await connection.QueryAsync("SELECT COUNT(*) FROM pragma_table_info('rm_listings') WHERE name = 'projected_at'", r => r.GetInt64(0));
            if (hasListings[0] == 1 && hasColumn[0] == 0)
            {
                await connection.ExecuteAsync("ALTER TABLE rm_listings ADD COLUMN projected_at INTEGER NOT NULL DEFAULT 0");
            }

            await connection.ExecuteAsync(script);
        }
    }
}

internal enum WriteTurn
{
    /// <summary>The write was applied (or failed) as part of another writer's group.</summary>
    Done,

    /// <summary>The previous leader finished: this writer leads the next group.</summary>
    Lead,
}

/// <summary>One caller's transaction work waiting for the SQLite writer (see <see cref="SqlDatabase.InTransactionAsync{T}"/>).</summary>
internal abstract class QueuedWrite
{
    /// <summary>Completed by the leader that carried this write, or to hand this writer the lead. Continuations never run on the leader.</summary>
    public TaskCompletionSource<WriteTurn> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Exception? Failed { get; private set; }

    public abstract Task ApplyAsync(DbConnection connection, DbTransaction transaction);

    /// <summary>The first failure sticks: a write that failed alone stays failed when its whole group fails later.</summary>
    public void Fail(Exception e) => Failed ??= e;
}

internal sealed class QueuedWrite<T>(Func<DbConnection, DbTransaction, Task<T>> work) : QueuedWrite
{
    private T? _result;

    public override async Task ApplyAsync(DbConnection connection, DbTransaction transaction) => _result = await work(connection, transaction);

    public T Result()
    {
        if (Failed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Failed);
        }

        return _result!;
    }
}

/// <summary>Small ADO.NET helpers so SQL stays readable at the call site.</summary>
public static class SqlCommandExtensions
{
    /// <summary>Above this many distinct statements a connection stops keeping more; the rest are prepared per call.</summary>
    internal const int MaxKeptStatements = 256;

    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> s_keptStatements = new();

    /// <summary>
    /// Keeps every statement run on this connection prepared, keyed by its SQL text, for as long as the connection lives.
    /// Microsoft.Data.Sqlite prepares a statement per command object and drops it with the command, so without this
    /// SQLite parses and plans the same few dozen statements again for every write. Only for a connection used by one
    /// caller at a time that lives long (the SQLite writer); its commands are finalised when it closes.
    /// </summary>
    public static void KeepPreparedStatements(this DbConnection connection) => s_keptStatements.AddOrUpdate(connection, new(StringComparer.Ordinal));

    /// <summary>How many statements the connection keeps prepared (diagnostics and tests).</summary>
    public static int KeptStatementCount(this DbConnection connection) => s_keptStatements.TryGetValue(connection, out var kept) ? kept.Count : 0;

    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, transaction, parameters);
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var (command, kept) = Statement(connection, sql, transaction, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await ReturnAsync(command, kept);
        }
    }

    public static async Task<List<T>> QueryAsync<T>(this DbConnection connection, string sql, Func<DbDataReader, T> map, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var (command, kept) = Statement(connection, sql, transaction, parameters);
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<T>();
            while (await reader.ReadAsync())
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            await ReturnAsync(command, kept);
        }
    }

    private static (DbCommand Command, bool Kept) Statement(DbConnection connection, string sql, DbTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        if (!s_keptStatements.TryGetValue(connection, out var kept))
        {
            return (connection.Command(sql, transaction, parameters), false);
        }

        if (!kept.TryGetValue(sql, out var command))
        {
            if (kept.Count >= MaxKeptStatements)
            {
                return (connection.Command(sql, transaction, parameters), false);
            }

            command = connection.CreateCommand();
            command.CommandText = sql;
            kept.Add(sql, command);
        }

        Bind(command, transaction, parameters);
        return (command, true);
    }

    private static void Bind(DbCommand command, DbTransaction? transaction, (string Name, object? Value)[] parameters)
    {
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>A kept statement lets go of this call's values and transaction; any other command is disposed.</summary>
    private static async ValueTask ReturnAsync(DbCommand command, bool kept)
    {
        if (!kept)
        {
            await command.DisposeAsync();
            return;
        }

        command.Parameters.Clear();
        command.Transaction = null;
    }

    public static DateTimeOffset GetInstant(this DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal).ToUniversalTime();

    public static DateTimeOffset? GetNullableInstant(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInstant(ordinal);

    public static string? GetNullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
