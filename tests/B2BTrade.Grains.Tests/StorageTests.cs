using B2BTrade.Domain.Audit;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Grains.Infrastructure;
using B2BTrade.Silo.Data;
using B2BTrade.Silo.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;
using Orleans.Storage;

namespace B2BTrade.Grains.Tests;

/// <summary>Runs over each store; see the concrete classes beside <see cref="ClusterFixture"/>.</summary>
public abstract class StorageTests(ClusterFixture fixture)
{
    private sealed class TestState<T>(T state) : IGrainState<T>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = state;
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    private IGrainStorage Storage => fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

    [Fact]
    public async Task AWriteWithAStaleEtagIsRefusedAndChangesNothing()
    {
        var grainId = GrainId.Create("test", Guid.NewGuid().ToString("N"));
        var first = new TestState<string>("one");
        await Storage.WriteStateAsync("test", grainId, first);
        Assert.Equal("1", first.ETag);

        var stale = new TestState<string>("stale") { ETag = null };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("test", grainId, stale));
        first.State = "two";
        await Storage.WriteStateAsync("test", grainId, first);
        var older = new TestState<string>("older") { ETag = "1" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("test", grainId, older));

        var read = new TestState<string>("");
        await Storage.ReadStateAsync("test", grainId, read);
        Assert.Equal(("two", "2", true), (read.State, read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task RowsBesideTheStateCommitWithItAndADeleteOfAMissingRowWritesNothing()
    {
        var listingId = "lst_" + Guid.NewGuid().ToString("N")[..22];
        var grainId = GrainId.Create("test", listingId);
        var state = new TestState<AggregateState<string>>(new AggregateState<string> { Aggregate = "one" });
        IJournaledState journal = state.State;
        journal.PendingRows.Add(new AppendRow("listing_holds",
            [new("listing_id", listingId), new("order_id", "ord_a"), new("tonnes", "25.000"), new("held_at", DateTimeOffset.UtcNow)]));
        await Storage.WriteStateAsync("test", grainId, state);
        journal.PendingRows.Clear();
        Assert.Equal(1, await HoldRowsAsync(listingId));

        // A delete that matches no row (a hold released already) fails the whole write: the state keeps its value and etag.
        state.State.Aggregate = "two";
        journal.PendingDeletes.Add(new DeleteRow("listing_holds", [new("listing_id", listingId), new("order_id", "ord_b")]));
        await Assert.ThrowsAsync<DeleteMissingException>(() => Storage.WriteStateAsync("test", grainId, state));
        journal.PendingDeletes.Clear();
        var read = new TestState<AggregateState<string>>(new());
        await Storage.ReadStateAsync("test", grainId, read);
        Assert.Equal(("one", "1"), (read.State.Aggregate, read.ETag));

        journal.PendingDeletes.Add(new DeleteRow("listing_holds", [new("listing_id", listingId), new("order_id", "ord_a")]));
        await Storage.WriteStateAsync("test", grainId, state);
        journal.PendingDeletes.Clear();
        Assert.Equal(0, await HoldRowsAsync(listingId));

        // Only the tables a grain owns rows in may be touched.
        journal.PendingDeletes.Add(new DeleteRow("grain_state", [new("grain_id", grainId.ToString())]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.WriteStateAsync("test", grainId, state));
        journal.PendingDeletes.Clear();
        journal.PendingRows.Add(new AppendRow("audit_log", [new("aggregate_id", "x")]));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.WriteStateAsync("test", grainId, state));
        await Storage.ReadStateAsync("test", grainId, read);
        Assert.Equal(("two", "2"), (read.State.Aggregate, read.ETag));
    }

    [Fact]
    public async Task AFailedTransactionLeavesNothingAndTheWritesAfterItCommit()
    {
        var database = fixture.Database;
        var key = Guid.NewGuid().ToString("N");
        await database.InTransactionAsync((c, t) => c.ExecuteAsync("CREATE TABLE IF NOT EXISTS test_transactions (k TEXT PRIMARY KEY)", t));

        // A failure in the caller's code and a failure in the database (a duplicate key) both roll back what ran before them.
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.InTransactionAsync<int>(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-a"));
            throw new InvalidOperationException("refused");
        }));
        await database.InTransactionAsync((c, t) => c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-b")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-c"));
            return await c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-b"));
        }));

        // Concurrent writers after the failures all commit, each once.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            database.InTransactionAsync((c, t) => c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", $"{key}-n{i:D2}"))))));

        await using var connection = await database.OpenAsync();
        var keys = await connection.QueryAsync("SELECT k FROM test_transactions WHERE k LIKE @prefix ORDER BY k", r => r.GetString(0), null, ("@prefix", key + "%"));
        Assert.Equal([key + "-b", .. Enumerable.Range(0, 20).Select(i => $"{key}-n{i:D2}")], keys);
    }

    [Fact]
    public async Task WritesQueuedBehindABusyWriterCommitTogetherAndAFailedOneFailsAlone()
    {
        var database = fixture.Database;
        var key = Guid.NewGuid().ToString("N");
        await database.InTransactionAsync((c, t) => c.ExecuteAsync("CREATE TABLE IF NOT EXISTS test_transactions (k TEXT PRIMARY KEY)", t));
        await database.InTransactionAsync((c, t) => c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-taken")));
        var (writesBefore, commitsBefore) = database.SqliteWriteCounts;

        // One writer holds the writer inside its transaction while thirty more queue behind it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = Task.Run(() => database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-holder"));
            entered.SetResult();
            await gate.Task;
            return 0;
        }));
        await entered.Task;
        var queued = Enumerable.Range(0, 30).Select(i => Task.Run(() => database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", $"{key}-q{i:D2}"));
            switch (i % 3)
            {
                case 0:
                    throw new InvalidOperationException($"refused {i}");
                case 1:
                    return await c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-taken"));
                default:
                    return i;
            }
        }))).ToList();
        await Task.Delay(300);
        gate.SetResult();
        await holder;

        for (var i = 0; i < queued.Count; i++)
        {
            switch (i % 3)
            {
                case 0:
                    Assert.Equal($"refused {i}", (await Assert.ThrowsAsync<InvalidOperationException>(() => queued[i])).Message);
                    break;
                case 1:
                    await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => queued[i]);
                    break;
                default:
                    Assert.Equal(i, await queued[i]);
                    break;
            }
        }

        await using var connection = await database.OpenAsync();
        var keys = await connection.QueryAsync("SELECT k FROM test_transactions WHERE k LIKE @prefix ORDER BY k", r => r.GetString(0), null, ("@prefix", key + "%"));
        Assert.Equal([key + "-holder", .. Enumerable.Range(0, 30).Where(i => i % 3 == 2).Select(i => $"{key}-q{i:D2}"), key + "-taken"], keys);
        if (database.Dialect == SqlDialect.Sqlite)
        {
            // The ten writes that succeeded and the holder are stored; the thirty queued ones shared at most a few commits.
            var (writes, commits) = database.SqliteWriteCounts;
            Assert.Equal(31, writes - writesBefore);
            Assert.InRange(commits - commitsBefore, 2, 4);

            // The writer kept the test's INSERT prepared across the group, its failures and the commits.
            Assert.InRange(database.SqliteWriterKeptStatements, 1, SqlCommandExtensions.MaxKeptStatements);
        }

        // The writer is still usable after the failures inside a group.
        Assert.Equal(1, await database.InTransactionAsync((c, t) => c.ExecuteAsync("INSERT INTO test_transactions (k) VALUES (@k)", t, ("@k", key + "-after"))));
    }

    private async Task<long> HoldRowsAsync(string listingId)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return (await connection.QueryAsync("SELECT COUNT(*) FROM listing_holds WHERE listing_id = @id",
            r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), null, ("@id", listingId)))[0];
    }

    [Fact]
    public async Task ReminderTableReadsHashRangesIncludingTheWrapAround()
    {
        var table = new RelationalReminderTable(fixture.Database);
        var grains = Enumerable.Range(0, 40).Select(_ => GrainId.Create("reminder-test", Guid.NewGuid().ToString("N"))).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "due", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(5) });
        }

        var mine = grains.ToHashSet();
        uint begin = uint.MaxValue / 3, end = uint.MaxValue / 3 * 2;
        var inside = (await table.ReadRows(begin, end)).Reminders.Where(r => mine.Contains(r.GrainId)).Select(r => r.GrainId).ToHashSet();
        Assert.Equal(grains.Where(g => g.GetUniformHashCode() > begin && g.GetUniformHashCode() <= end).ToHashSet(), inside);
        var wrapped = (await table.ReadRows(end, begin)).Reminders.Where(r => mine.Contains(r.GrainId)).Select(r => r.GrainId).ToHashSet();
        Assert.Equal(grains.Where(g => g.GetUniformHashCode() > end || g.GetUniformHashCode() <= begin).ToHashSet(), wrapped);

        var row = await table.ReadRow(grains[0], "due");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.False(await table.RemoveRow(grains[0], "due", "wrong-etag"));
        Assert.True(await table.RemoveRow(grains[0], "due", row.ETag!));
        Assert.Null(await table.ReadRow(grains[0], "due"));
    }

    [Fact]
    public void ListingStateWithDecimalTonnesRoundTripsThroughTheGrainSerializer()
    {
        var serializer = fixture.SiloServices.GetRequiredService<Serializer>();
        var tree = Domain.Catalog.CatalogSeed.Taxonomy();
        Domain.Catalog.Tonnes T(string text) => Domain.Catalog.Tonnes.Parse(text, "q");
        var listing = Domain.Catalog.ListingRules.Create("l_roundtrip", new Domain.Catalog.ListingDraft
        {
            Name = "沙钢 HRB400E 螺纹钢",
            CategoryId = "steel.rebar",
            Attributes = new Dictionary<string, string> { ["grade"] = "HRB400E", ["diameter"] = "Φ25", ["length"] = "12m", ["mill"] = "沙钢" },
            Origin = "江苏张家港",
            Warehouse = new Domain.Catalog.Warehouse("上海", "宝山区蕴川路 1000 号"),
            WeightBasis = Domain.Catalog.WeightBasis.Theoretical,
            PriceBasis = new Domain.Catalog.PriceBasis(TaxIncluded: true, Domain.Catalog.DeliveryTerm.ExWorks),
            Pricing = new Domain.Catalog.ListingPricing { UnitPrice = 3650m, Tiers = [new Domain.Catalog.PriceTier(T("500"), DiscountPerTonne: 30m)] },
            MinOrder = T("25.125"),
        }, tree, new Domain.Catalog.SellerFacts("ent_seller", true, true, [MemberRole.Sales]), T("1234.567"), "u_sales", DateTimeOffset.UtcNow);

        var copy = serializer.Deserialize<Domain.Catalog.ListingState>(serializer.SerializeToArray(listing))!;

        Assert.Equal("1234.567", copy.Stock.ToString());
        Assert.Equal(listing.MinOrder, copy.MinOrder);
        Assert.Equal(listing.Attributes.OrderBy(a => a.Key), copy.Attributes.OrderBy(a => a.Key));
        Assert.Equal(Domain.Catalog.ListingRules.ComputePrice(listing).UnitPrice, Domain.Catalog.ListingRules.ComputePrice(copy).UnitPrice);
    }

    /// <summary>Stored state is a versioned contract: bytes written by version 1 must stay readable as members are added.</summary>
    [Fact]
    public void EnterpriseStateSerializedByVersionOneStillReads()
    {
        var serializer = fixture.SiloServices.GetRequiredService<Serializer>();
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "enterprise-state-v1.bin");
        if (Environment.GetEnvironmentVariable("B2BTRADE_WRITE_FIXTURES") == "1")
        {
            var state = new AggregateState<EnterpriseState>
            {
                Aggregate = EnterpriseRules.Create("ent_fixture", new EnterpriseProfile
                {
                    LegalName = "固定样本钢铁有限公司",
                    UnifiedSocialCreditCode = "91350100M000100Y43",
                    LegalRepresentative = "样本",
                    RegisteredAddress = "上海市黄浦区样本路1号",
                    ContactName = "样本联系人",
                    ContactPhone = "13800138000",
                    IsBuyer = true,
                }, "u_fixture", "样本用户", "request-fixture", new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)),
                AuditSequence = 1,
                AuditHead = "abc",
            };
            var source = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures", "enterprise-state-v1.bin");
            File.WriteAllBytes(source, serializer.SerializeToArray(state));
            return;
        }

        var read = serializer.Deserialize<AggregateState<EnterpriseState>>(File.ReadAllBytes(path))!;
        Assert.Equal("固定样本钢铁有限公司", read.Aggregate!.Profile.LegalName);
        Assert.Equal(MemberRole.Admin, Assert.Single(read.Aggregate.Members["u_fixture"].Roles));
        Assert.Equal(1, read.AuditSequence);
        Assert.Equal("request-fixture", read.Aggregate.CreationRequestId);
    }
}

/// <summary>A data folder written before rm_listings.projected_at existed opens and is brought up to date.</summary>
public sealed class SqliteSchemaUpgradeTests
{
    [Fact]
    public async Task AnOlderListingsTableGainsTheProjectionClockColumn()
    {
        var path = Path.Combine(Path.GetTempPath(), $"b2b-upgrade-{Guid.NewGuid():N}.db");
        try
        {
            await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
            {
                await old.OpenAsync();
                await using var create = old.CreateCommand();
                create.CommandText = """
                    CREATE TABLE rm_listings (listing_id TEXT PRIMARY KEY, seller_enterprise_id TEXT NOT NULL, category_id TEXT NOT NULL, name TEXT NOT NULL,
                      status INTEGER NOT NULL, price_min TEXT NOT NULL, price_max TEXT NOT NULL, stock_tonnes TEXT NOT NULL, updated_at TEXT NOT NULL,
                      version INTEGER NOT NULL, document TEXT NOT NULL);
                    INSERT INTO rm_listings VALUES ('lst_old', 'ent_x', 'steel.rebar', 'old', 1, '1', '1', '1', '2026-01-01', 1, '{}');
                    """;
                await create.ExecuteNonQueryAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var database = B2BTrade.Silo.Data.SqlDatabase.ForSqlite(path, synchronousFull: false);
            await using var connection = await database.OpenAsync();
            var rows = await B2BTrade.Silo.Data.SqlCommandExtensions.QueryAsync(connection, "SELECT listing_id, projected_at FROM rm_listings", r => (r.GetString(0), r.GetInt64(1)));
            Assert.Equal(("lst_old", 0L), Assert.Single(rows));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}

/// <summary>A data folder from before the message center had a file of its own keeps its notifications.</summary>
public sealed class InboxFileMoveTests
{
    [Fact]
    public async Task NotificationsInTheMainFileMoveToTheInboxFileOnce()
    {
        var dir = Directory.CreateTempSubdirectory("b2b-inbox-move-").FullName;
        try
        {
            var mainPath = Path.Combine(dir, "b2btrade.db");
            await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={mainPath}"))
            {
                await old.OpenAsync();
                await using var create = old.CreateCommand();
                create.CommandText = """
                    CREATE TABLE inbox_items (notification_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind INTEGER NOT NULL, subject_id TEXT NOT NULL,
                      title_zh TEXT NOT NULL, title_en TEXT NOT NULL, body_zh TEXT NOT NULL, body_en TEXT NOT NULL, event_count INTEGER NOT NULL,
                      created_micros INTEGER NOT NULL, read INTEGER NOT NULL DEFAULT 0);
                    INSERT INTO inbox_items VALUES ('ntf_old', 'u_buyer', 2, 'thr_old', '新报价', 'New quote', '螺纹钢', 'Rebar', 3, 1764000000000000, 0);
                    """;
                await create.ExecuteNonQueryAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            for (var start = 0; start < 2; start++)
            {
                await using var main = B2BTrade.Silo.Data.SqlDatabase.ForSqlite(mainPath);
                await using var inbox = B2BTrade.Silo.Data.InboxDatabase.ForSqlite(main, Path.Combine(dir, "inbox.db"));
                var queries = new B2BTrade.Silo.ReadModel.NegotiationQueries(main, inbox);
                var item = Assert.Single((await queries.ListInboxAsync("u_buyer", unreadOnly: true, 10, null)).Items);
                Assert.Equal(("ntf_old", "thr_old", 3), (item.NotificationId, item.SubjectId, item.Count));
                await using var connection = await main.OpenAsync();
                var left = await B2BTrade.Silo.Data.SqlCommandExtensions.QueryAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'inbox_items'", r => r.GetInt64(0));
                Assert.Equal(0L, left[0]);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>The SQLite writer keeps its statements prepared; each call still runs with its own values only.</summary>
public sealed class KeptStatementTests
{
    [Fact]
    public async Task AKeptStatementRunsWithEachCallsOwnValuesAndSurvivesFailures()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        connection.KeepPreparedStatements();
        await connection.ExecuteAsync("CREATE TABLE kept (k TEXT PRIMARY KEY, v TEXT)");
        const string insert = "INSERT INTO kept (k, v) VALUES (@k, @v)";
        const string select = "SELECT k, v FROM kept WHERE k >= @from ORDER BY k";

        for (var i = 0; i < 50; i++)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            Assert.Equal(1, await connection.ExecuteAsync(insert, transaction, ("@k", $"k{i:D2}"), ("@v", i % 5 == 0 ? null : $"v{i}")));
            if (i % 7 == 0)
            {
                // A duplicate key fails in SQLite; the kept statement is still usable afterwards.
                await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => connection.ExecuteAsync(insert, transaction, ("@k", $"k{i:D2}"), ("@v", "again")));
            }

            await transaction.CommitAsync();
            var rows = await connection.QueryAsync(select, r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), null, ("@from", $"k{i:D2}"));
            Assert.Equal(($"k{i:D2}", i % 5 == 0 ? null : $"v{i}"), Assert.Single(rows));
        }

        // A call that forgets a value is refused instead of running with the previous call's.
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ExecuteAsync(insert, null, ("@k", "k-missing-v")));

        // One prepared statement per SQL text (the CREATE, the INSERT and the SELECT).
        Assert.Equal(3, connection.KeptStatementCount());

        // Past the cap, further statements are prepared per call and still work.
        for (var i = 0; i < SqlCommandExtensions.MaxKeptStatements + 10; i++)
        {
            Assert.Equal([i], await connection.QueryAsync($"SELECT {i}", r => (int)r.GetInt64(0)));
        }

        Assert.Equal(SqlCommandExtensions.MaxKeptStatements, connection.KeptStatementCount());
        // Fifty rows, one per loop: neither the refused duplicates nor the call without a value stored anything.
        Assert.Equal(50, (await connection.QueryAsync("SELECT COUNT(*) FROM kept", r => r.GetInt64(0)))[0]);
    }

    [Fact]
    public async Task AConnectionThatDoesNotKeepStatementsKeepsNone()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        Assert.Equal([1L], await connection.QueryAsync("SELECT 1", r => r.GetInt64(0)));
        Assert.Equal(0, connection.KeptStatementCount());
    }
}
