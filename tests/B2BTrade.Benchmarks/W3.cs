using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using B2BTrade.Silo.Search;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace B2BTrade.Benchmarks;

/// <summary>W3: catalog filter + facets. In-memory <see cref="CatalogSearchIndex"/> vs the plain SQL implementation
/// (WHERE + GROUP BY per facet over listings + listing_attributes) in SQLite and optionally PostgreSQL, same data and
/// same queries in one run.</summary>
public static class W3
{
    private sealed record Row(string Engine, string Mode, int Threads, int Ops, double Seconds, double P50, double P99, double Max)
    {
        public double Qps => Ops / Seconds;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        int listings = 200_000, sqlQueries = 40, rate = 100;
        double duration = 10, sqlSeconds = 120;
        string? postgres = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--listings": listings = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--postgres": postgres = Value(); break;
                case "--duration": duration = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--rate": rate = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--sql-queries": sqlQueries = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--sql-seconds": sqlSeconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine("usage: w3 [--listings 1000000] [--postgres CONN] [--duration 10] [--rate 100] [--sql-queries 40] [--sql-seconds 120]");
                    return 2;
            }
        }

        Console.WriteLine($"W3 catalog search, {listings:N0} listings, {Environment.ProcessorCount} CPUs, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        _ = TradeTokenizer.Shared.QueryTokens("螺纹钢"); // load jieba outside the measured build
        var mem0 = Mem();
        var sw = Stopwatch.StartNew();
        var docs = CatalogGenerator.Generate(listings).ToList();
        var genSeconds = sw.Elapsed.TotalSeconds;
        var mem1 = Mem();
        sw.Restart();
        using var index = new CatalogSearchIndex();
        index.UpsertMany(docs);
        var buildSeconds = sw.Elapsed.TotalSeconds;
        var mem2 = Mem();
        Console.WriteLine($"generate {genSeconds:0.0} s; index build {buildSeconds:0.0} s ({listings / buildSeconds:N0} docs/s)");
        Console.WriteLine($"managed memory: documents {(mem1 - mem0) / 1048576.0:N0} MB, index structures {(mem2 - mem1) / 1048576.0:N0} MB (total {(mem2 - mem0) / 1048576.0:N0} MB)");

        var rng = new Random(2024);
        var queries = Enumerable.Range(0, 2000).Select(_ => CatalogGenerator.RandomQuery(rng)).ToArray();
        var rows = new List<Row>();
        for (var i = 0; i < 300; i++)
        {
            index.Search(queries[i % queries.Length]);
        }

        var avgTotal = queries.Take(200).Average(q => index.Search(q).Total);
        Console.WriteLine($"query mix: category + 1–3 attribute filters, 70% price band, 30% diameter/thickness range, 30% city, 30% keyword; all with facets; mean matches {avgTotal:N0}");
        rows.Add(Steady("index", rate, duration, q => index.Search(q), queries));
        rows.Add(Closed("index", 2, duration, int.MaxValue, q => index.Search(q), queries));
        rows.Add(Closed("index", 1, duration / 2, int.MaxValue, q => index.Search(q), queries));
        Console.WriteLine(Table(rows));

        var sqlite = Path.Combine(Path.GetTempPath(), $"w3-{Environment.ProcessId}.db");
        try
        {
            sw.Restart();
            await using (var c = new SqliteConnection($"Data Source={sqlite};Pooling=False"))
            {
                await c.OpenAsync();
                await Exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
                await Load(c, docs, postgres: false);
            }

            Console.WriteLine($"SQLite load + indexes {sw.Elapsed.TotalSeconds:0} s");
            var sqlRows = RunSql("SQLite", () => new SqliteConnection($"Data Source={sqlite};Pooling=False;Mode=ReadOnly"), index, queries, sqlQueries, sqlSeconds);
            rows.AddRange(sqlRows);
            if (postgres is not null)
            {
                sw.Restart();
                await using (var c = new NpgsqlConnection(postgres))
                {
                    await c.OpenAsync();
                    await Load(c, docs, postgres: true);
                }

                Console.WriteLine($"PostgreSQL load + indexes {sw.Elapsed.TotalSeconds:0} s");
                rows.AddRange(RunSql("PostgreSQL", () => new NpgsqlConnection(postgres), index, queries, sqlQueries, sqlSeconds));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { sqlite, sqlite + "-wal", sqlite + "-shm" })
            {
                File.Delete(f);
            }
        }

        Console.WriteLine();
        Console.WriteLine(Table(rows));
        var idx = rows.First(r => r.Engine == "index" && r.Threads == 2);
        foreach (var s in rows.Where(r => r.Engine != "index" && r.Threads == 2))
        {
            Console.WriteLine($"index / {s.Engine} max QPS: {idx.Qps / s.Qps:N0}×; p99 {s.P99 / idx.P99:N0}× lower");
        }

        Console.WriteLine($"build {buildSeconds:0.0} s, index structures {(mem2 - mem1) / 1048576.0:N0} MB + documents {(mem1 - mem0) / 1048576.0:N0} MB per {listings:N0} listings");
        GC.KeepAlive(docs);
        return 0;
    }

    private static long Mem()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static Row Steady(string engine, int rate, double seconds, Action<SearchQuery> op, SearchQuery[] queries)
    {
        var lat = new List<double>();
        var interval = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();
        var n = (int)(rate * seconds);
        for (var i = 0; i < n; i++)
        {
            var due = start + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(0);
            }

            var t0 = Stopwatch.GetTimestamp();
            op(queries[i % queries.Length]);
            lat.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        return Summarise(engine, $"steady {rate}/s", 1, lat, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static Row Closed(string engine, int threads, double seconds, int maxOps, Action<SearchQuery> op, SearchQuery[] queries, Func<int, Action<SearchQuery>>? perThread = null)
    {
        var lats = new List<double>[threads];
        var next = -1;
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var mine = lats[t] = [];
            var run = perThread?.Invoke(t) ?? op;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= maxOps)
                {
                    break;
                }

                var t0 = Stopwatch.GetTimestamp();
                run(queries[i % queries.Length]);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return Summarise(engine, "max throughput", threads, lats.SelectMany(l => l).ToList(), Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private static Row Summarise(string engine, string mode, int threads, List<double> lat, double seconds)
    {
        lat.Sort();
        double P(double p) => lat.Count == 0 ? double.NaN : lat[Math.Min(lat.Count - 1, (int)Math.Ceiling(p * lat.Count) - 1)];
        return new Row(engine, mode, threads, lat.Count, seconds, P(0.50), P(0.99), lat.Count == 0 ? double.NaN : lat[^1]);
    }

    private static string Table(IEnumerable<Row> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| engine | mode | threads | queries | p50 ms | p99 ms | max ms | QPS |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Engine} | {r.Mode} | {r.Threads} | {r.Ops:N0} | {r.P50:0.00} | {r.P99:0.00} | {r.Max:0.00} | {r.Qps:N1} |");
        }

        return sb.ToString();
    }

    // ---------------------------------------------------------------- SQL baseline

    private static readonly string[] s_attributeKeys =
        [CatalogGenerator.Grade, CatalogGenerator.Mill, CatalogGenerator.Spec, CatalogGenerator.Length, CatalogGenerator.Weighing, CatalogGenerator.Width, CatalogGenerator.Variety];

    private static async Task Exec(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task Load(DbConnection c, List<SearchDocument> docs, bool postgres)
    {
        var money = postgres ? "numeric(18,4)" : "REAL";
        await Exec(c, "DROP TABLE IF EXISTS listing_attributes; DROP TABLE IF EXISTS listings;");
        await Exec(c, $"""
            CREATE TABLE listings (id TEXT PRIMARY KEY, seller_id TEXT NOT NULL, c1 TEXT NOT NULL, c2 TEXT, c3 TEXT, name TEXT NOT NULL,
              brand TEXT NOT NULL, origin TEXT NOT NULL, city TEXT NOT NULL, price_min {money} NOT NULL, price_max {money} NOT NULL,
              stock {money} NOT NULL, moq {money} NOT NULL, updated_at BIGINT NOT NULL, diameter {money}, thickness {money}, search_text TEXT NOT NULL);
            CREATE TABLE listing_attributes (listing_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
            """);
        if (c is SqliteConnection)
        {
            // SQLite: one prepared single-row INSERT per table, reused inside one transaction (fastest there).
            await using var tx = await c.BeginTransactionAsync();
            await using var li = c.CreateCommand();
            li.Transaction = tx;
            li.CommandText = "INSERT INTO listings VALUES (" + string.Join(',', Enumerable.Range(0, 17).Select(i => "@p" + i)) + ")";
            for (var i = 0; i < 17; i++)
            {
                Add(li, "p" + i, null);
            }

            await using var ai = c.CreateCommand();
            ai.Transaction = tx;
            ai.CommandText = "INSERT INTO listing_attributes VALUES (@a0,@a1,@a2)";
            Add(ai, "a0", null);
            Add(ai, "a1", null);
            Add(ai, "a2", null);
            li.Prepare();
            ai.Prepare();
            foreach (var d in docs)
            {
                var values = RowValues(d);
                for (var v = 0; v < values.Length; v++)
                {
                    li.Parameters[v].Value = values[v] ?? DBNull.Value;
                }

                li.ExecuteNonQuery();
                foreach (var (k, v) in d.EnumAttributes)
                {
                    ai.Parameters[0].Value = d.ListingId;
                    ai.Parameters[1].Value = k;
                    ai.Parameters[2].Value = v;
                    ai.ExecuteNonQuery();
                }
            }

            await tx.CommitAsync();
        }
        else
        {
            const int batch = 500;
            for (var start = 0; start < docs.Count; start += batch)
            {
                await using var tx = await c.BeginTransactionAsync();
                var chunk = docs.Skip(start).Take(batch).ToList();
                await using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    var sb = new StringBuilder("INSERT INTO listings VALUES ");
                    var p = 0;
                    foreach (var d in chunk)
                    {
                        sb.Append(p == 0 ? "(" : ",(");
                        var values = RowValues(d);
                        for (var v = 0; v < values.Length; v++)
                        {
                            sb.Append(v == 0 ? "" : ",").Append("@p").Append(p);
                            Add(cmd, "p" + p++, values[v]);
                        }

                        sb.Append(')');
                    }

                    cmd.CommandText = sb.ToString();
                    await cmd.ExecuteNonQueryAsync();
                }

                await using (var cmd = c.CreateCommand())
                {
                    cmd.Transaction = tx;
                    var sb = new StringBuilder("INSERT INTO listing_attributes VALUES ");
                    var p = 0;
                    foreach (var d in chunk)
                    {
                        foreach (var (k, v) in d.EnumAttributes)
                        {
                            sb.Append(p == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@a{p},@a{p + 1},@a{p + 2})");
                            Add(cmd, $"a{p++}", d.ListingId);
                            Add(cmd, $"a{p++}", k);
                            Add(cmd, $"a{p++}", v);
                        }
                    }

                    cmd.CommandText = sb.ToString();
                    await cmd.ExecuteNonQueryAsync();
                }

                await tx.CommitAsync();
            }
        }

        await Exec(c, """
            CREATE INDEX ix_l_c2 ON listings (c2); CREATE INDEX ix_l_c3 ON listings (c3); CREATE INDEX ix_l_c1 ON listings (c1);
            CREATE INDEX ix_l_city ON listings (city); CREATE INDEX ix_l_origin ON listings (origin); CREATE INDEX ix_l_seller ON listings (seller_id);
            CREATE INDEX ix_l_price ON listings (price_min); CREATE INDEX ix_l_updated ON listings (updated_at); CREATE INDEX ix_l_stock ON listings (stock);
            CREATE INDEX ix_a_kv ON listing_attributes (key, value, listing_id); CREATE INDEX ix_a_listing ON listing_attributes (listing_id, key);
            """);
        await Exec(c, postgres ? "ANALYZE listings; ANALYZE listing_attributes;" : "ANALYZE;");
    }

    private static object?[] RowValues(SearchDocument d) =>
    [
        d.ListingId, d.SellerId, d.CategoryPath[0], d.CategoryPath.ElementAtOrDefault(1), d.CategoryPath.ElementAtOrDefault(2), d.Name,
        d.Brand, d.Origin, d.WarehouseCity, d.PriceMin, d.PriceMax, d.StockTonnes, d.MoqTonnes, d.UpdatedAt.UtcTicks,
        d.NumberAttributes.TryGetValue(CatalogGenerator.Diameter, out var dia) ? dia : null,
        d.NumberAttributes.TryGetValue(CatalogGenerator.Thickness, out var th) ? th : null,
        string.Join(' ', new[] { d.Name, d.Brand, d.Origin }.Concat(d.KeySpecs)).ToLowerInvariant(),
    ];

    private static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    private static string Lit(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Lit(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static string Where(SearchQuery q, string? exclude)
    {
        var w = new List<string>();
        if (q.CategoryId is not null)
        {
            var depth = CatalogGenerator.Categories.Select(c => Array.IndexOf(c.Path, q.CategoryId)).Max();
            w.Add($"l.c{depth + 1} = {Lit(q.CategoryId)}");
        }

        if (q.Keyword is not null)
        {
            // The baseline has no segmenter: each query token must occur as a substring (LIKE).
            w.AddRange(TradeTokenizer.Shared.QueryTokens(q.Keyword).Select(t => $"l.search_text LIKE {Lit("%" + t + "%")}"));
        }

        if (q.PriceMax is { } pmax)
        {
            w.Add($"l.price_min <= {Lit(pmax)}");
        }

        if (q.PriceMin is { } pmin)
        {
            w.Add($"l.price_max >= {Lit(pmin)}");
        }

        foreach (var (key, r) in q.Numbers ?? new Dictionary<string, NumberRange>())
        {
            var col = key == CatalogGenerator.Diameter ? "l.diameter" : "l.thickness";
            w.Add($"{col} IS NOT NULL" + (r.Min is { } lo ? $" AND {col} >= {Lit(lo)}" : "") + (r.Max is { } hi ? $" AND {col} <= {Lit(hi)}" : ""));
        }

        void In(string field, string col, IReadOnlyCollection<string>? values)
        {
            if (values is { Count: > 0 } && exclude != field)
            {
                w.Add($"{col} IN ({string.Join(',', values.Select(Lit))})");
            }
        }

        In(SearchFields.City, "l.city", q.Cities);
        In(SearchFields.Origin, "l.origin", q.Origins);
        In(SearchFields.Seller, "l.seller_id", q.SellerIds);
        foreach (var (key, values) in q.Attributes ?? new Dictionary<string, IReadOnlyCollection<string>>())
        {
            if (exclude != SearchFields.Attribute(key))
            {
                w.Add($"EXISTS (SELECT 1 FROM listing_attributes x WHERE x.listing_id = l.id AND x.key = {Lit(key)} AND x.value IN ({string.Join(',', values.Select(Lit))}))");
            }
        }

        return w.Count == 0 ? "1=1" : string.Join(" AND ", w);
    }

    /// <summary>The plain SQL search: count, one page, then one GROUP BY per facet (disjunctive: each facet's WHERE
    /// drops that field's own filter). Returns the total.</summary>
    private static long SqlSearch(DbConnection c, SearchQuery q)
    {
        long Scalar(string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.CommandTimeout = 0;
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        void Drain(string sql)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.CommandTimeout = 0;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                _ = r.GetValue(0);
            }
        }

        var where = Where(q, null);
        var total = Scalar($"SELECT COUNT(*) FROM listings l WHERE {where}");
        var order = q.Sort switch
        {
            SearchSort.PriceAsc => "l.price_min, l.id",
            SearchSort.PriceDesc => "l.price_min DESC, l.id",
            SearchSort.StockDesc => "l.stock DESC, l.id",
            _ => "l.updated_at DESC, l.id",
        };
        Drain($"SELECT l.id, l.name, l.brand, l.price_min, l.price_max, l.stock, l.moq, l.seller_id, l.city, l.updated_at FROM listings l WHERE {where} ORDER BY {order} LIMIT {q.PageSize}");
        var depth = q.CategoryId is null ? 0 : CatalogGenerator.Categories.Select(x => Array.IndexOf(x.Path, q.CategoryId)).Max() + 1;
        if (depth < 3)
        {
            Drain($"SELECT l.c{depth + 1}, COUNT(*) FROM listings l WHERE {where} GROUP BY l.c{depth + 1}");
        }

        Drain($"SELECT l.city, COUNT(*) FROM listings l WHERE {Where(q, SearchFields.City)} GROUP BY l.city");
        Drain($"SELECT l.origin, COUNT(*) FROM listings l WHERE {Where(q, SearchFields.Origin)} GROUP BY l.origin");
        Drain($"SELECT l.seller_id, COUNT(*) FROM listings l WHERE {Where(q, SearchFields.Seller)} GROUP BY l.seller_id");
        foreach (var key in s_attributeKeys)
        {
            Drain($"SELECT a.value, COUNT(*) FROM listing_attributes a JOIN listings l ON l.id = a.listing_id WHERE a.key = {Lit(key)} AND {Where(q, SearchFields.Attribute(key))} GROUP BY a.value");
        }

        return total;
    }

    private static List<Row> RunSql(string engine, Func<DbConnection> connect, CatalogSearchIndex index, SearchQuery[] queries, int count, double seconds)
    {
        // Correctness cross-check on a few queries without keywords (the baseline's LIKE differs from segmentation).
        using (var c = connect())
        {
            c.Open();
            var checkedN = 0;
            var mismatches = 0;
            foreach (var q in queries.Where(q => q.Keyword is null).Take(3))
            {
                checkedN++;
                if (SqlSearch(c, q) != index.Search(q).Total)
                {
                    mismatches++;
                }
            }

            Console.WriteLine($"{engine}: totals cross-checked on {checkedN} queries, mismatches: {mismatches}");
        }

        var conns = new DbConnection[2];
        try
        {
            var single = Closed(engine, 1, seconds / 2, Math.Max(2, count / 2), q => SqlSearch(OpenOnce(conns, 0, connect), q), queries);
            var two = Closed(engine, 2, seconds / 2, count, null!, queries, t => q => SqlSearch(OpenOnce(conns, t, connect), q));
            Console.WriteLine(Table([single, two]));
            return [single, two];
        }
        finally
        {
            foreach (var c in conns)
            {
                c?.Dispose();
            }
        }
    }

    private static DbConnection OpenOnce(DbConnection[] conns, int t, Func<DbConnection> connect)
    {
        if (conns[t] is null)
        {
            conns[t] = connect();
            conns[t].Open();
        }

        return conns[t];
    }
}
