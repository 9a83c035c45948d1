using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Order.V1;
using B2BTrade.Silo.Data;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using static B2BTrade.Benchmarks.BenchApi;
using Decimal = B2BTrade.Protos.Common.V1.Decimal;

namespace B2BTrade.Benchmarks;

/// <summary>
/// W4: durable order placement on the real single-node server (a child process, SQLite) against a raw SQLite baseline of
/// the same storage shape, in one run. The server side: a verified buyer and seller, N listings with ample stock and a
/// freight rule, then closed-loop CreateOrder (listing lines, a new request id per call) at each concurrency, verified
/// afterwards (every acknowledged order is listed and stored; every listing's stock fell by exactly the ordered tonnes).
/// The raw side: the project's SqlDatabase on a fresh file, C workers each writing what one placement writes, with the
/// row sizes measured from the server's database in the same run; once with a commit per transaction (the baseline)
/// and once with the group commit the server's store uses.
/// </summary>
public static class W4
{
    private const decimal InitialStock = 1_000_000m;

    private sealed record Options(double Warmup, double Duration, int[] Concurrency, int Listings, decimal Tonnes, string? ApiDll, string? Out, bool Anatomy = false, double JitWarmup = 30, int Rounds = 3);

    private sealed record World(Metadata Buyer, string BuyerId, string SellerId, IReadOnlyList<string> ListingIds, OrderDetails Details);

    /// <summary>Row sizes (bytes) of one placement, read from the server's database after its run.</summary>
    private sealed record Shape(
        int OrderState,
        int ListingStateStart,
        int ListingState,
        (int Before, int After) OrderPlacedAudit,
        (int Before, int After) ListingAudit,
        int OrderSnapshot,
        int OrderNotice,
        int ListingSnapshot,
        string OutboxSource);

    public static async Task<int> RunAsync(string[] args)
    {
        var o = new Options(3, 15, [1, 8, 32], 16, 25m, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            string V() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--warmup" => o with { Warmup = double.Parse(V(), CultureInfo.InvariantCulture) },
                "--duration" => o with { Duration = double.Parse(V(), CultureInfo.InvariantCulture) },
                "--concurrency" => o with { Concurrency = [.. V().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] },
                "--listings" => o with { Listings = int.Parse(V(), CultureInfo.InvariantCulture) },
                "--tonnes" => o with { Tonnes = decimal.Parse(V(), CultureInfo.InvariantCulture) },
                "--api-dll" => o with { ApiDll = V() },
                "--out" => o with { Out = V() },
                "--anatomy" => o with { Anatomy = true },
                "--jit-warmup" => o with { JitWarmup = double.Parse(V(), CultureInfo.InvariantCulture) },
                "--rounds" => o with { Rounds = int.Parse(V(), CultureInfo.InvariantCulture) is var r and >= 1 ? r : throw new ArgumentException("--rounds must be at least 1") },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        var report = new BenchReport();
        void Say(string line) => report.Say(line);
        if (FindApiDll(o.ApiDll) is not { } apiDll)
        {
            return 2;
        }

        SayHeader(report, "W4 durable order placement", apiDll);
        Say(string.Create(CultureInfo.InvariantCulture, $"concurrency {string.Join(",", o.Concurrency)}; one {o.JitWarmup} s warm-up at concurrency 8 per side, then warm-up {o.Warmup} s + measured {o.Duration} s each; {o.Listings} listings, {o.Tonnes} t per order"));

        var clock = Stopwatch.StartNew();
        var server = await BenchServer.StartAsync(apiDll, "w4");
        var rawSides = new List<RawSide>();
        var rounds = new List<Round>();
        var verified = false;
        Shape? shape = null;
        try
        {
            Say($"{clock.Elapsed.TotalSeconds:0.0}s: server up (pid {server.Pid}, data {server.DataDir})");
            using var channel = Channel(server.GrpcUrl);
            var world = await SetUpAsync(channel, server, o, Say, clock);
            var listingStart = await ListingStateBytesAsync(server.DatabasePath);

            // 1. Durable placement through the real server.
            var orders = new OrderService.OrderServiceClient(channel);
            var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // order id → listing id
            var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // derived order id of an errored call → listing id
            var tonnes = new Decimal { Value = o.Tonnes.ToString("0.000", CultureInfo.InvariantCulture) };
            if (o.Anatomy)
            {
                await AnatomyAsync(channel, world, o, tonnes, Say, clock);
            }

            await using var sampler = new OutboxSampler(server.DatabasePath);
            async Task PlaceOneAsync(long seq)
            {
                var listingId = world.ListingIds[(int)(seq % world.ListingIds.Count)];
                var requestId = Guid.NewGuid().ToString();
                var request = new CreateOrderRequest
                {
                    RequestId = requestId,
                    BuyerEnterpriseId = world.BuyerId,
                    Source = new OrderSource { Lines = new OrderLines { Lines = { new OrderLineInput { ListingId = listingId, QuantityTonnes = tonnes } } } },
                    Details = world.Details,
                };
                try
                {
                    var reply = await orders.CreateOrderAsync(request, world.Buyer, deadline: DateTime.UtcNow.AddSeconds(30));
                    acknowledged[reply.Order.OrderId] = listingId;
                }
                catch
                {
                    failed[Domain.Common.Ids.Derived("ord", world.BuyerId, requestId)] = listingId;
                    throw;
                }
            }

            if (o.JitWarmup > 0)
            {
                // The tiered JIT with dynamic PGO keeps recompiling the hot paths for tens of seconds after start
                // (libclrjit was 11% of the server's CPU 14 s in): measure the steady state a long-running server has.
                var warm = await Harness.RunTimedAsync("W4 CreateOrder warm-up", 8, TimeSpan.Zero, TimeSpan.FromSeconds(o.JitWarmup), PlaceOneAsync);
                Say($"{clock.Elapsed.TotalSeconds:0.0}s: warm-up: {Line(warm)}");
            }

            // The sizes the raw side writes, read from the server's database once the warm-up has filled every listing's
            // bounded list of recent changes (so the listing state no longer grows) and the sampler has seen payloads in flight.
            shape = await MeasureShapeAsync(server.DatabasePath, listingStart, sampler);
            Say(string.Create(CultureInfo.InvariantCulture,
                $"placement shape measured on the server's database: order state {shape.OrderState} B (written once), listing state {shape.ListingStateStart} B when new, {shape.ListingState} B now, audit after-json order.placed {shape.OrderPlacedAudit.After} B / listing.stock-reserved {shape.ListingAudit.Before}+{shape.ListingAudit.After} B, outbox payloads order.snapshot {shape.OrderSnapshot} B, inbox.notify {shape.OrderNotice} B, listing.snapshot {shape.ListingSnapshot} B ({shape.OutboxSource})"));

            // 2. The raw baseline of the same shape, on fresh files under the same temp folder (same disk as the server's
            // data). Raw: each of the three transactions commits on its own, as a plain transaction per write does (the
            // target's baseline). Grouped: the same transactions through SqlDatabase's group commit, the server's own path.
            foreach (var (name, groupCommit) in new[] { ("raw SQLite, 3 transactions, one commit each", false), ("raw SQLite, 3 transactions, grouped commits", true) })
            {
                var side = await RawSide.CreateAsync(name, groupCommit, shape, o.Listings);
                rawSides.Add(side);
                if (o.JitWarmup > 0)
                {
                    var warm = await Harness.RunTimedAsync(name + " warm-up", 8, TimeSpan.Zero, TimeSpan.FromSeconds(o.JitWarmup), side.Placement.PlaceAsync);
                    Say($"{clock.Elapsed.TotalSeconds:0.0}s: warm-up: {Line(warm)}");
                }
            }

            // 3. Rounds: at each concurrency, the server and both raw sides one after another, in an order that alternates
            // from round to round, so a slow spell of this shared machine hits every side alike over the rounds.
            async Task<BenchResult> MeasureServerAsync(int c)
            {
                var (serverCpu, ownCpu) = (server.CpuSeconds(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
                var before = acknowledged.Count;
                var result = await Harness.RunTimedAsync("W4 CreateOrder (server)", c, TimeSpan.FromSeconds(o.Warmup), TimeSpan.FromSeconds(o.Duration), PlaceOneAsync);
                var placed = acknowledged.Count - before;
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"{clock.Elapsed.TotalSeconds:0.0}s: {Line(result)}; server CPU {(server.CpuSeconds() - serverCpu) * 1000 / Math.Max(1, placed):0.00} ms/order, load generator CPU {(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - ownCpu) * 1000 / Math.Max(1, placed):0.00} ms/order (incl. warm-up); outbox backlog seen ≤ {sampler.MaxBacklog}"));
                return result;
            }

            async Task<BenchResult> MeasureRawAsync(RawSide side, int c)
            {
                var result = await Harness.RunTimedAsync(side.Name, c, TimeSpan.FromSeconds(o.Warmup), TimeSpan.FromSeconds(o.Duration), side.Placement.PlaceAsync);
                Say($"{clock.Elapsed.TotalSeconds:0.0}s: {Line(result)}");
                return result;
            }

            for (var r = 1; r <= o.Rounds; r++)
            {
                Say($"round {r} ({(r % 2 == 1 ? "server first" : "server last")}), load average {BenchApi.LoadAverage()}");
                foreach (var c in o.Concurrency)
                {
                    BenchResult? serverResult = null, rawResult = null, groupedResult = null;
                    if (r % 2 == 1)
                    {
                        serverResult = await MeasureServerAsync(c);
                    }

                    rawResult = await MeasureRawAsync(rawSides[0], c);
                    groupedResult = await MeasureRawAsync(rawSides[1], c);
                    serverResult ??= await MeasureServerAsync(c);
                    rounds.Add(new Round(r, c, serverResult, rawResult, groupedResult));
                }
            }

            await sampler.StopAsync();
            verified = await VerifyAsync(channel, server, world, o, acknowledged, failed, Say, clock);
            foreach (var side in rawSides)
            {
                Say($"{clock.Elapsed.TotalSeconds:0.0}s: {side.Name}: {await side.Placement.CheckAsync()}");
            }

            Say($"load average after the runs: {BenchApi.LoadAverage()}; server process peak working set {server.PeakMb()} MB");
        }
        catch
        {
            Console.Error.WriteLine(server.Tail());
            throw;
        }
        finally
        {
            await server.DisposeAsync();
            foreach (var side in rawSides)
            {
                await side.DisposeAsync();
            }
        }

        Say("");
        Say(Table(rounds.SelectMany(r => new[] { r.Server, r.Raw, r.Grouped })));
        Say(Ratios(o.Concurrency, rounds));
        Say($"load average at end: {BenchApi.LoadAverage()}");
        Say(verified ? "verification: PASSED" : "verification: FAILED (see above)");
        if (o.Out is not null)
        {
            await File.WriteAllTextAsync(o.Out, report.ToString());
        }

        return verified && rounds.All(r => r.Server.Errors == 0 && r.Raw.Errors == 0 && r.Grouped.Errors == 0) ? 0 : 1;
    }

    /// <summary>One concurrency of one round: the server and the two raw sides, measured back to back.</summary>
    private sealed record Round(int Number, int Concurrency, BenchResult Server, BenchResult Raw, BenchResult Grouped);

    /// <summary>A raw baseline on its own fresh database file, kept for all rounds.</summary>
    private sealed class RawSide(string name, string dir, SqlDatabase database, RawPlacement placement) : IAsyncDisposable
    {
        public string Name => name;

        public RawPlacement Placement => placement;

        public static async Task<RawSide> CreateAsync(string name, bool groupCommit, Shape shape, int listings)
        {
            var dir = Path.Combine(Path.GetTempPath(), "b2btrade-w4raw-" + Guid.NewGuid().ToString("N")[..8]);
            var database = SqlDatabase.ForSqlite(Path.Combine(dir, "raw.db"), groupCommit: groupCommit);
            var placement = new RawPlacement(database, shape, listings);
            await placement.SetUpAsync();
            return new RawSide(name, dir, database, placement);
        }

        public async ValueTask DisposeAsync()
        {
            await database.DisposeAsync();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    // ------------------------------------------------------------------ setup through the public API

    private static async Task<World> SetUpAsync(GrpcChannel channel, BenchServer server, Options o, Action<string> say, Stopwatch clock)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var operatorAuth = Bearer(await LoginAsync(identity, OperatorEmail, OperatorPassword));
        var seller = Bearer(await RegisterAsync(identity, server, Email("w4-seller")));
        var sellerId = await VerifiedEnterpriseAsync(channel, seller, operatorAuth, isSeller: true);
        var buyer = Bearer(await RegisterAsync(identity, server, Email("w4-buyer")));
        var buyerId = await VerifiedEnterpriseAsync(channel, buyer, operatorAuth, isSeller: false);

        var orders = new OrderService.OrderServiceClient(channel);
        await orders.SetFreightRulesAsync(new SetFreightRulesRequest
        {
            SellerEnterpriseId = sellerId,
            Rules = { new FreightRule { DestinationProvince = "江苏省", PerTonne = Cny("45.00"), LoadingPerTonne = Cny("5.00") } },
        }, seller);

        var catalog = new CatalogService.CatalogServiceClient(channel);
        var listings = new List<string>();
        string[] diameters = ["Φ12", "Φ14", "Φ16", "Φ18", "Φ20", "Φ22", "Φ25", "Φ28", "Φ32"];
        for (var i = 0; i < o.Listings; i++)
        {
            var diameter = diameters[i % diameters.Length];
            listings.Add((await catalog.CreateListingAsync(new CreateListingRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                SellerEnterpriseId = sellerId,
                Spec = new ListingSpec
                {
                    CategoryId = "steel.rebar",
                    Name = $"螺纹钢 HRB400E {diameter} 批次{i + 1}",
                    Attributes = { ["grade"] = "HRB400E", ["diameter"] = diameter, ["length"] = "12m", ["mill"] = "沙钢" },
                    Brand = "沙钢",
                    Origin = "江苏",
                    WarehouseCity = "张家港",
                    WarehouseAddress = "锦丰镇沙钢大道 1 号",
                    WeightBasis = WeightBasis.Theoretical,
                    DeliveryPriceBasis = DeliveryPriceBasis.ExWorks,
                    UnitPrice = Cny("3650.00"),
                    MoqTonnes = new Decimal { Value = "25" },
                    StockTonnes = new Decimal { Value = InitialStock.ToString("0.000", CultureInfo.InvariantCulture) },
                },
            }, seller)).Listing.ListingId);
        }

        var delivery = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(20);
        var details = new OrderDetails
        {
            DeliveryDate = new Date { Year = delivery.Year, Month = delivery.Month, Day = delivery.Day },
            DeliveryAddress = new DeliveryAddress { Province = "江苏省", City = "苏州市", District = "张家港市", Street = "锦丰镇沙钢大道 1 号 3 号库", ContactName = "张三", ContactPhone = "13800138000" },
            TransportMode = Protos.Negotiation.V1.TransportMode.Road,
            Invoice = new InvoiceDetails { Title = "江苏压测买方有限公司", TaxNumber = NewCreditCode(), BankName = "中国工商银行张家港支行", BankAccount = "1102020309000123456", Address = "江苏省张家港市锦丰镇", Phone = "0512-58581234" },
        };

        // One preview so a bad setup fails here with its reason, not as thousands of benchmark errors.
        var preview = await orders.PreviewOrderAsync(new PreviewOrderRequest
        {
            BuyerEnterpriseId = buyerId,
            Source = new OrderSource { Lines = new OrderLines { Lines = { new OrderLineInput { ListingId = listings[0], QuantityTonnes = new Decimal { Value = o.Tonnes.ToString("0.000", CultureInfo.InvariantCulture) } } } } },
            Details = details,
        }, buyer);
        say($"{clock.Elapsed.TotalSeconds:0.0}s: verified seller {sellerId} with {listings.Count} listings of {InitialStock:N0} t and a freight rule (江苏省 ¥45 + ¥5 loading per t), verified buyer {buyerId}; one order previews at ¥{preview.Price.TotalAmount.Amount}{(preview.NeedsApproval ? " (needs approval!)" : "")}");
        return new World(buyer, buyerId, sellerId, listings, details);
    }

    private static Money Cny(string amount) => new() { CurrencyCode = "CNY", Amount = amount };

    /// <summary>
    /// Where a single client's placement latency goes: an authenticated call answered by one grain (GetCart), the whole
    /// quote without writing (PreviewOrder: membership, standing, freight, listing, pricing), each at concurrency 1.
    /// </summary>
    private static async Task AnatomyAsync(GrpcChannel channel, World world, Options o, Decimal tonnes, Action<string> say, Stopwatch clock)
    {
        var orders = new OrderService.OrderServiceClient(channel);
        var cart = new CartService.CartServiceClient(channel);
        var preview = new PreviewOrderRequest
        {
            BuyerEnterpriseId = world.BuyerId,
            Source = new OrderSource { Lines = new OrderLines { Lines = { new OrderLineInput { ListingId = world.ListingIds[0], QuantityTonnes = tonnes } } } },
            Details = world.Details,
        };
        foreach (var (name, call) in new (string, Func<Task>)[]
        {
            ("GetCart (auth + one grain)", async () => await cart.GetCartAsync(new GetCartRequest(), world.Buyer)),
            ("PreviewOrder (quote, no write)", async () => await orders.PreviewOrderAsync(preview, world.Buyer)),
        })
        {
            var result = await Harness.RunTimedAsync(name, 1, TimeSpan.FromSeconds(o.Warmup), TimeSpan.FromSeconds(Math.Min(o.Duration, 10)), _ => call());
            say($"{clock.Elapsed.TotalSeconds:0.0}s: {Line(result)}");
        }
    }

    // ------------------------------------------------------------------ verification

    private static async Task<bool> VerifyAsync(GrpcChannel channel, BenchServer server, World world, Options o,
        ConcurrentDictionary<string, string> acknowledged, ConcurrentDictionary<string, string> failed, Action<string> say, Stopwatch clock)
    {
        var ok = true;

        // a. Storage: every acknowledged order has its order.placed audit entry, written with its state (read straight from the file).
        var held = new HashSet<string>(StringComparer.Ordinal);
        await using (var db = OpenServerDb(server.DatabasePath))
        {
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT aggregate_id FROM audit_log WHERE aggregate_type = 'order' AND action = 'order.placed'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                held.Add(reader.GetString(0));
            }
        }

        var notStored = acknowledged.Keys.Count(id => !held.Contains(id));
        var placedDespiteError = failed.Keys.Count(held.Contains);
        ok &= notStored == 0;
        say($"verify storage: {acknowledged.Count:N0} acknowledged orders, {notStored} without their order.placed audit entry; {failed.Count} errored calls, {placedDespiteError} of them placed anyway");

        // b. The read model: wait for the outbox to drain, then ListOrders must hold exactly the placed orders.
        var drain = Stopwatch.StartNew();
        long backlog;
        while ((backlog = await OutboxCountAsync(server.DatabasePath)) > 0 && drain.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(200);
        }

        say($"{clock.Elapsed.TotalSeconds:0.0}s: outbox drained in {drain.Elapsed.TotalSeconds:0.0} s after the last order ({backlog} left)");
        var orders = new OrderService.OrderServiceClient(channel);
        var listed = new Dictionary<string, OrderSummary>(StringComparer.Ordinal);
        var token = "";
        do
        {
            var page = await orders.ListOrdersAsync(new ListOrdersRequest { EnterpriseId = world.BuyerId, Role = OrderRole.Buyer, PageSize = 100, PageToken = token }, world.Buyer);
            foreach (var summary in page.Orders)
            {
                listed[summary.OrderId] = summary;
            }

            token = page.NextPageToken;
        }
        while (token.Length > 0);

        var missing = acknowledged.Keys.Count(id => !listed.ContainsKey(id));
        var unexpected = listed.Keys.Count(id => !acknowledged.ContainsKey(id) && !failed.ContainsKey(id));
        var wrong = listed.Values.Count(s => s.Status != OrderStatus.PendingConfirmation || decimal.Parse(s.QuantityTonnes.Value, CultureInfo.InvariantCulture) != o.Tonnes);
        ok &= missing == 0 && unexpected == 0 && wrong == 0;
        say($"verify ListOrders: {listed.Count:N0} orders listed; {missing} acknowledged orders missing, {unexpected} orders nobody placed, {wrong} not PENDING_CONFIRMATION with {o.Tonnes} t");

        // c. GetOrder on a sample.
        var sample = acknowledged.Keys.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).Take(50).ToList();
        var badSample = 0;
        foreach (var id in sample)
        {
            var order = (await orders.GetOrderAsync(new GetOrderRequest { OrderId = id }, world.Buyer)).Order;
            badSample += order.Status == OrderStatus.PendingConfirmation && order.Price.Lines.Count == 1 && order.Price.Lines[0].ListingId == acknowledged[id] ? 0 : 1;
        }

        ok &= badSample == 0;
        say($"verify GetOrder: {sample.Count} random acknowledged orders read back, {badSample} wrong");

        // d. Stock: each listing fell by exactly the tonnes of the orders placed on it.
        var catalog = new CatalogService.CatalogServiceClient(channel);
        var placedPerListing = acknowledged.Values.Concat(failed.Where(f => held.Contains(f.Key)).Select(f => f.Value)).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var stockWrong = 0;
        decimal totalOrdered = 0;
        foreach (var listingId in world.ListingIds)
        {
            var listing = (await catalog.GetListingAsync(new GetListingRequest { ListingId = listingId }, world.Buyer)).Listing;
            var count = placedPerListing.GetValueOrDefault(listingId);
            var expected = InitialStock - (count * o.Tonnes);
            totalOrdered += count * o.Tonnes;
            if (decimal.Parse(listing.Spec.StockTonnes.Value, CultureInfo.InvariantCulture) != expected)
            {
                stockWrong++;
                say($"  listing {listingId}: stock {listing.Spec.StockTonnes.Value} t, expected {expected:0.000} t ({count} orders)");
            }
        }

        ok &= stockWrong == 0;
        say(string.Create(CultureInfo.InvariantCulture, $"verify stock: {world.ListingIds.Count} listings, {totalOrdered:N3} t ordered in total, {stockWrong} listings whose stock is not initial − ordered"));

        // e. Each placed order holds its tonnes on its listing: one hold row per order, none for anything else.
        long holdRows;
        await using (var db = OpenServerDb(server.DatabasePath))
        {
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM listing_holds";
            holdRows = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        var placedOrders = placedPerListing.Values.Sum();
        ok &= holdRows == placedOrders;
        say($"verify holds: {holdRows:N0} hold rows for {placedOrders:N0} placed orders");
        return ok;
    }

    // ------------------------------------------------------------------ the server's storage shape

    private static SqliteConnection OpenServerDb(string path)
    {
        // Reads only; a connection of its own per use, so it never holds a WAL snapshot between samples.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static async Task<long> OutboxCountAsync(string path)
    {
        await using var db = OpenServerDb(path);
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<double> ListingStateBytesAsync(string path)
    {
        await using var db = OpenServerDb(path);
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT AVG(LENGTH(data)) FROM grain_state WHERE state_name = 'listing'";
        return Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<Shape> MeasureShapeAsync(string path, double listingStart, OutboxSampler sampler)
    {
        await using var db = OpenServerDb(path);
        async Task<double> Scalar(string sql)
        {
            await using var command = db.CreateCommand();
            command.CommandText = sql;
            var value = await command.ExecuteScalarAsync();
            return value is DBNull or null ? 0 : Convert.ToDouble(value, CultureInfo.InvariantCulture);
        }

        async Task<(int, int)> Audit(string action) =>
            ((int)await Scalar($"SELECT AVG(LENGTH(CAST(before_json AS BLOB))) FROM audit_log WHERE action = '{action}'"),
             (int)await Scalar($"SELECT AVG(LENGTH(CAST(after_json AS BLOB))) FROM audit_log WHERE action = '{action}'"));

        var orderState = (int)await Scalar("SELECT AVG(LENGTH(data)) FROM grain_state WHERE state_name = 'order'");
        var listingNow = await Scalar("SELECT AVG(LENGTH(data)) FROM grain_state WHERE state_name = 'listing'");
        var (orderSnapshot, notice, listingSnapshot, source) = sampler.PayloadSizes();
        return new Shape(orderState, (int)listingStart, (int)listingNow, await Audit("order.placed"), await Audit("listing.stock-reserved"),
            orderSnapshot, notice, listingSnapshot, source);
    }

    /// <summary>
    /// Samples the server's outbox while orders are placed: how far the projector lags, and the real payload sizes
    /// (events are deleted once projected, so they can only be seen in flight).
    /// </summary>
    private sealed class OutboxSampler : IAsyncDisposable
    {
        private readonly string _path;
        private readonly CancellationTokenSource _stop = new();
        private readonly Dictionary<string, (long Count, long Bytes)> _sizes = new(StringComparer.Ordinal);
        private readonly Task _loop;

        public OutboxSampler(string path)
        {
            _path = path;
            _loop = Task.Run(LoopAsync);
        }

        public long MaxBacklog { get; private set; }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await using var db = OpenServerDb(_path);
                    await using var command = db.CreateCommand();
                    command.CommandText = "SELECT kind, COUNT(*), SUM(LENGTH(CAST(payload AS BLOB))) FROM outbox GROUP BY kind";
                    await using var reader = await command.ExecuteReaderAsync();
                    long backlog = 0;
                    lock (_sizes)
                    {
                        while (reader.Read())
                        {
                            var (kind, count, bytes) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
                            backlog += count;
                            var seen = _sizes.GetValueOrDefault(kind);
                            _sizes[kind] = (seen.Count + count, seen.Bytes + bytes);
                        }
                    }

                    MaxBacklog = Math.Max(MaxBacklog, backlog);
                }
                catch (SqliteException)
                {
                }

                try
                {
                    await Task.Delay(1000, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        public (int OrderSnapshot, int Notice, int ListingSnapshot, string Source) PayloadSizes()
        {
            lock (_sizes)
            {
                int Size(string kind, int fallback) => _sizes.TryGetValue(kind, out var s) && s.Count > 0 ? (int)(s.Bytes / s.Count) : fallback;
                var seen = new[] { "order.snapshot", "inbox.notify", "listing.snapshot" }.Count(_sizes.ContainsKey);
                return (Size("order.snapshot", 600), Size("inbox.notify", 600), Size("listing.snapshot", 3000),
                    seen == 3 ? "sampled in flight" : $"{seen} of 3 kinds sampled in flight, the others estimated");
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }

    // ------------------------------------------------------------------ the raw baseline

    /// <summary>
    /// What one placement writes, straight through SqlDatabase (same pragmas, same single writer): the order grain's
    /// activation read, then (1) the listing's state UPDATE (etag-checked, one listing at a time like its grain) + its
    /// hold row + audit + outbox snapshot, (2) the reminder upsert, (3) INSERT order state + audit + outbox snapshot +
    /// notice. Payloads have the sizes measured on the server.
    /// </summary>
    private sealed class RawPlacement(SqlDatabase database, Shape shape, int listings)
    {
        private readonly string _run = Guid.NewGuid().ToString("N")[..6];
        private long _placed;
        private readonly ListingSlot[] _listings = [.. Enumerable.Range(0, listings).Select(i => new ListingSlot($"listing/lst_raw{i:D4}"))];

        private sealed class ListingSlot(string grainId)
        {
            public string GrainId { get; } = grainId;

            public SemaphoreSlim Gate { get; } = new(1, 1);

            public long Etag { get; set; } = 1;

            public long Orders { get; set; }
        }

        public async Task SetUpAsync()
        {
            foreach (var listing in _listings)
            {
                await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
                    "INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES ('listing', @grain, '1', @data, @now)",
                    transaction, ("@grain", listing.GrainId), ("@data", Bytes(shape.ListingStateStart)), ("@now", DateTimeOffset.UtcNow)));
            }
        }

        /// <param name="seq">Unused: the harness restarts its sequence at every concurrency, and order ids must stay unique across them.</param>
        public async Task PlaceAsync(long seq)
        {
            var n = Interlocked.Increment(ref _placed);
            var orderId = $"ord_raw{_run}{n:D9}";
            var grainId = "order/" + orderId;
            await using (var connection = await database.OpenAsync())
            {
                await connection.QueryAsync("SELECT etag, data FROM grain_state WHERE state_name = 'order' AND grain_id = @grain",
                    r => r.GetString(0), null, ("@grain", grainId));
            }

            var listing = _listings[(int)(n % _listings.Length)];
            await listing.Gate.WaitAsync();
            try
            {
                var size = shape.ListingState;
                await database.InTransactionAsync(async (connection, transaction) =>
                {
                    var now = DateTimeOffset.UtcNow;
                    var affected = await connection.ExecuteAsync("UPDATE grain_state SET etag = @etag, data = @data, updated_at = @now WHERE state_name = 'listing' AND grain_id = @grain AND etag = @expected",
                        transaction, ("@etag", (listing.Etag + 1).ToString(CultureInfo.InvariantCulture)), ("@data", Bytes(size)), ("@now", now), ("@grain", listing.GrainId),
                        ("@expected", listing.Etag.ToString(CultureInfo.InvariantCulture)));
                    if (affected != 1)
                    {
                        throw new InvalidOperationException($"listing {listing.GrainId} etag conflict");
                    }

                    await connection.ExecuteAsync("INSERT INTO listing_holds (listing_id, order_id, tonnes, held_at) VALUES (@listing, @order, '25.000', @now)",
                        transaction, ("@listing", listing.GrainId[8..]), ("@order", orderId), ("@now", now));
                    await AuditAsync(connection, transaction, "listing", listing.GrainId, listing.Etag + 1, "listing.stock-reserved", shape.ListingAudit, now);
                    await OutboxAsync(connection, transaction, "listing", listing.GrainId, "listing.snapshot", listing.Etag + 1, shape.ListingSnapshot, now);
                    return 0;
                });
                listing.Etag++;
                listing.Orders++;
            }
            finally
            {
                listing.Gate.Release();
            }

            await ReminderAsync(grainId);

            await database.InTransactionAsync(async (connection, transaction) =>
            {
                var now = DateTimeOffset.UtcNow;
                var affected = await connection.ExecuteAsync("INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES ('order', @grain, '1', @data, @now) ON CONFLICT DO NOTHING",
                    transaction, ("@grain", grainId), ("@data", Bytes(shape.OrderState)), ("@now", now));
                if (affected != 1)
                {
                    throw new InvalidOperationException($"order {orderId} exists");
                }

                await AuditAsync(connection, transaction, "order", orderId, 1, "order.placed", shape.OrderPlacedAudit, now);
                await OutboxAsync(connection, transaction, "order", orderId, "order.snapshot", 1, shape.OrderSnapshot, now);
                await OutboxAsync(connection, transaction, "order", orderId, "inbox.notify", 1, shape.OrderNotice, now);
                return 0;
            });
        }

        /// <summary>Every placement's rows are there: order states, listing etags = orders + 1, hold rows, audit and outbox counts.</summary>
        public async Task<string> CheckAsync()
        {
            await using var connection = await database.OpenAsync();
            var orders = (await connection.QueryAsync("SELECT COUNT(*) FROM grain_state WHERE state_name = 'order'", r => r.GetInt64(0)))[0];
            var holds = (await connection.QueryAsync("SELECT COUNT(*) FROM listing_holds", r => r.GetInt64(0)))[0];
            var audit = (await connection.QueryAsync("SELECT COUNT(*) FROM audit_log", r => r.GetInt64(0)))[0];
            var outbox = (await connection.QueryAsync("SELECT COUNT(*) FROM outbox", r => r.GetInt64(0)))[0];
            var reserved = _listings.Sum(l => l.Orders);
            return $"{orders:N0} orders stored, {reserved:N0} listing updates, {holds:N0} hold rows, {audit:N0} audit rows (expected {2 * orders:N0}), {outbox:N0} outbox rows (expected {3 * orders:N0})";
        }

        private Task ReminderAsync(string grainId) =>
            database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
                """
                INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at, period_ms, etag) VALUES (@grain, 'order-housekeeping', @hash, @start, 600000, @etag)
                ON CONFLICT (grain_id, reminder_name) DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, etag = excluded.etag
                """,
                transaction, ("@grain", grainId), ("@hash", (long)grainId.GetHashCode(StringComparison.Ordinal)), ("@start", DateTimeOffset.UtcNow.AddMinutes(1)), ("@etag", Guid.NewGuid().ToString("N"))));

        private static Task<int> AuditAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string type, string id, long sequence, string action, (int Before, int After) size, DateTimeOffset now) =>
            connection.ExecuteAsync(
                """
                INSERT INTO audit_log (aggregate_type, aggregate_id, sequence, actor, action, before_json, after_json, occurred_at, previous_hash, hash)
                VALUES (@type, @id, @sequence, @actor, @action, @before, @after, @at, @previous, @hash)
                """,
                transaction, ("@type", type), ("@id", id), ("@sequence", sequence), ("@actor", "usr_raw0000000000000000000"), ("@action", action),
                ("@before", new string('b', size.Before)), ("@after", new string('a', size.After)), ("@at", now), ("@previous", Hex()), ("@hash", Hex()));

        private static Task<int> OutboxAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string type, string id, string kind, long version, int size, DateTimeOffset now) =>
            connection.ExecuteAsync(
                "INSERT INTO outbox (event_id, aggregate_type, aggregate_id, kind, version, payload, occurred_at) VALUES (@id, @type, @aggregate, @kind, @version, @payload, @at)",
                transaction, ("@id", "evt_" + Guid.NewGuid().ToString("N")), ("@type", type), ("@aggregate", id), ("@kind", kind), ("@version", version),
                ("@payload", new string('p', size)), ("@at", now));

        private static byte[] Bytes(int size)
        {
            var bytes = new byte[Math.Max(1, size)];
            Random.Shared.NextBytes(bytes);
            return bytes;
        }

        private static string Hex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    }

    // ------------------------------------------------------------------ output

    private static string Line(BenchResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Scenario} x{r.Concurrency}: {r.Ops:N0} orders, {r.OpsPerSecond:N1} orders/s, p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms, max {r.MaxMs:0.00} ms, {r.Errors} errors{(r.FirstError is null ? "" : $" (first: {r.FirstError})")}");

    private static string Table(IEnumerable<BenchResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | concurrency | measured | orders | errors | orders/s | p50 ms | p99 ms | max ms | mean ms |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Concurrency} | {r.Run} | {r.Ops:N0} | {r.Errors} | {r.OpsPerSecond:N1} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.MaxMs:0.00} | {r.MeanMs:0.00} |");
        }

        return sb.ToString();
    }

    private static string Ratios(int[] concurrency, List<Round> rounds)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| round | concurrency | W4 orders/s | raw orders/s (a commit per tx) | **W4 / raw** | raw orders/s (grouped commits) | W4 / raw grouped | W4 p99 ms | raw p99 ms |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rounds)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Number} | {r.Concurrency} | {r.Server.OpsPerSecond:N1} | {r.Raw.OpsPerSecond:N1} | **{r.Server.OpsPerSecond / r.Raw.OpsPerSecond:0.00}×** | {r.Grouped.OpsPerSecond:N1} | {r.Server.OpsPerSecond / r.Grouped.OpsPerSecond:0.00}× | {r.Server.P99Ms:0.00} | {r.Raw.P99Ms:0.00} |");
        }

        sb.AppendLine();
        sb.AppendLine("| concurrency | rounds | **median W4 / raw** | range | median W4 / raw grouped | range |");
        sb.AppendLine("|---:|---:|---:|---|---:|---|");
        foreach (var c in concurrency)
        {
            var mine = rounds.Where(r => r.Concurrency == c).ToList();
            var toRaw = mine.Select(r => r.Server.OpsPerSecond / r.Raw.OpsPerSecond).Order().ToArray();
            var toGrouped = mine.Select(r => r.Server.OpsPerSecond / r.Grouped.OpsPerSecond).Order().ToArray();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {c} | {mine.Count} | **{Harness.Median(toRaw):0.00}×** | {toRaw[0]:0.00}–{toRaw[^1]:0.00}× | {Harness.Median(toGrouped):0.00}× | {toGrouped[0]:0.00}–{toGrouped[^1]:0.00}× |");
        }

        sb.Append("target: W4 / raw ≥ 0.6×");
        return sb.ToString();
    }
}
