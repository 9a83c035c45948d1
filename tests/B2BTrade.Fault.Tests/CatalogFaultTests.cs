using System.Diagnostics;
using System.Globalization;
using B2BTrade.Fault.Tests.Infrastructure;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Operations.V1;
using Grpc.Core;
using Xunit.Abstractions;

namespace B2BTrade.Fault.Tests;

/// <summary>
/// The catalog's read model and each API node's search index agree with the listing grains after crashes: after a
/// SIGKILL of the single node or of a silo, and after an API node restarts. Search is checked against GetListing
/// (served by the grains) as a whole: exactly the active listings, the same price, stock, grade and origin, facet
/// counts that add up.
/// </summary>
public sealed class CatalogFaultTests(ITestOutputHelper output)
{
    private const int Listings = 30;
    private const int CreatedBeforeTraffic = 20;

    // Per call, retries included (cluster): a killed silo's grains come back once Orleans has declared it dead.
    private static readonly TimeSpan s_retryBudget = TimeSpan.FromSeconds(45);

    // The read model is projected asynchronously and each API node polls it; after a restart it also catches up
    // with events left in the outbox. A few seconds is normal; 15 s is the promise.
    private static readonly TimeSpan s_convergence = TimeSpan.FromSeconds(15);

    // A change made through one API node shows in another node's search within this time.
    private static readonly TimeSpan s_crossNode = TimeSpan.FromSeconds(2);

    /// <summary>
    /// 20 listings are created, then 10 more are created while all 30 are repriced, restocked, re-graded,
    /// delisted and relisted (6 at a time, each listing's changes in order, each call tried once); the server is
    /// SIGKILLed when half of those writes are acknowledged. After the restart every listing holds what its last
    /// acknowledged answer said, or the outcome of the one call that was cut off, and search converges to exactly that.
    /// </summary>
    [Fact]
    public async Task SingleNodeSearchMatchesListingsAfterKill9MidWrites()
    {
        await using var node = await SingleNodeServer.StartAsync("catalog-kill9");
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var clock = Stopwatch.StartNew();
                var scripts = Enumerable.Range(0, Listings).Select(i => new ListingScript(i)).ToArray();
                var writes = scripts.Sum(s => s.Steps.Count) + Listings;
                var killAfter = CreatedBeforeTraffic + ((writes - CreatedBeforeTraffic) / 2);
                DateTime? killedAt = null;
                Seller seller;
                CatalogTraffic traffic;

                using (var channel = node.OpenChannel())
                {
                    var identity = new IdentityService.IdentityServiceClient(channel);
                    var operatorAuth = Accounts.Bearer(await Accounts.LoginAsync(identity, SingleNodeServer.OperatorEmail, SingleNodeServer.OperatorPassword, s_retryBudget));
                    seller = await Sellers.VerifiedAsync(channel, new OutboxFileCodes(node.DataDir), operatorAuth, "kill9");
                    traffic = new CatalogTraffic(new CatalogService.CatalogServiceClient(channel), seller, retryBudget: null)
                    {
                        OnAcknowledged = n =>
                        {
                            if (n == killAfter)
                            {
                                killedAt = DateTime.UtcNow;
                                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {n} of {writes} writes acknowledged, SIGKILL the server (pid {node.Process.Id})");
                                node.Process.Kill();
                            }
                        },
                    };

                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: seller {seller.EnterpriseId} verified");
                    await traffic.RunAsync(scripts.Take(CreatedBeforeTraffic), 4, createOnly: true);
                    Assert.True(traffic.Failures.IsEmpty, $"creating listings before any fault failed:\n{string.Join('\n', traffic.Failures.Select(f => f.What))}");
                    await traffic.RunAsync(scripts, 6).WaitAsync(TimeSpan.FromMinutes(2));
                }

                Assert.True(killedAt is not null, $"the server was never killed: {traffic.AcknowledgedCalls} of {writes} writes acknowledged. Failures:\n{string.Join('\n', traffic.Failures.Select(f => f.What))}");
                var early = traffic.Failures.Where(f => f.At < killedAt).Select(f => f.What).ToList();
                Assert.True(early.Count == 0, $"writes failed before the server was killed:\n{string.Join('\n', early)}");
                var cutOff = scripts.Count(s => s.Failed is not null);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {traffic.AcknowledgedCalls} writes acknowledged, {cutOff} listings' scripts cut off by the kill, "
                    + $"{scripts.Count(s => s.Acknowledged < 0)} creates unacknowledged");
                Assert.True(cutOff > 0, "no write was in flight or pending when the server was killed");

                await node.StartProcessAsync();
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: restarted, /healthz 200");
                using var restarted = node.OpenChannel();
                var catalog = new CatalogService.CatalogServiceClient(restarted);
                await VerifyAcknowledgedAndSearchAsync(catalog, seller, scripts, clock);
            },
            node.Tails);
    }

    /// <summary>
    /// Cluster of two silos and two API nodes: listings are created and changed through API node 1 (retrying as a
    /// client must) while silo1 is SIGKILLed. Every listing ends in its script's final state, both API nodes'
    /// search converge to it, and afterwards a change made through either API node shows in the other's search
    /// within 2 s.
    /// </summary>
    [Fact]
    public async Task ClusterSearchConvergesOnEveryApiNodeAfterSiloKill()
    {
        await using var cluster = await LocalCluster.StartFromEnvironmentAsync("catalog-silo", apiNodes: 2);
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var clock = Stopwatch.StartNew();
                using var channel1 = cluster.ApiNodes[0].OpenChannel();
                using var channel2 = cluster.ApiNodes[1].OpenChannel();
                var catalog1 = new CatalogService.CatalogServiceClient(channel1);
                var catalog2 = new CatalogService.CatalogServiceClient(channel2);
                var seller = await ClusterSellerAsync(channel1, "silokill");
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: seller {seller.EnterpriseId} verified");

                var scripts = Enumerable.Range(0, Listings).Select(i => new ListingScript(i)).ToArray();
                var writes = scripts.Sum(s => s.Steps.Count) + Listings;
                var killAfter = CreatedBeforeTraffic + ((writes - CreatedBeforeTraffic) / 3);
                var killed = false;
                var traffic = new CatalogTraffic(catalog1, seller, s_retryBudget)
                {
                    OnAcknowledged = n =>
                    {
                        if (n == killAfter)
                        {
                            killed = true;
                            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {n} of {writes} writes acknowledged, SIGKILL silo1 (pid {cluster.Silo1.Id})");
                            cluster.Silo1.Kill();
                        }
                    },
                };

                await traffic.RunAsync(scripts.Take(CreatedBeforeTraffic), 4, createOnly: true);
                Assert.True(traffic.Failures.IsEmpty, $"creating listings before any fault failed:\n{string.Join('\n', traffic.Failures.Select(f => f.What))}");
                await traffic.RunAsync(scripts, 4).WaitAsync(TimeSpan.FromMinutes(3));
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: traffic done, {traffic.AcknowledgedCalls} writes acknowledged");
                Assert.True(killed, $"silo1 was never killed: {traffic.AcknowledgedCalls} of {writes} writes acknowledged");
                Assert.True(traffic.Failures.IsEmpty, $"writes failed within the retry budget:\n{string.Join('\n', traffic.Failures.Select(f => f.What))}");
                cluster.Silo2.ThrowIfExited("after silo1 was killed");
                foreach (var api in cluster.ApiNodes)
                {
                    api.Process.ThrowIfExited("after silo1 was killed");
                }

                var truth = await CatalogSearchCheck.GetAllAsync(catalog1, seller.Auth, scripts.Select(s => s.ListingId!));
                var lost = scripts.Where(s => ListingShape.Of(truth[s.ListingId!]) != s.Final)
                    .Select(s => $"listing {s.Index} ({s.ListingId}): GetListing shows [{ListingShape.Of(truth[s.ListingId!])}], acknowledged [{s.Final}]")
                    .ToList();
                Assert.True(lost.Count == 0, $"acknowledged changes are missing:\n{string.Join('\n', lost)}");

                await AssertSearchConvergesAsync(catalog1, seller, truth, "API node 1", clock, cluster.DescribeReadModelAsync);
                await AssertSearchConvergesAsync(catalog2, seller, truth, "API node 2", clock, cluster.DescribeReadModelAsync);

                // Each API node keeps its own index, fed from the shared read model: a change through one shows on the other.
                await AssertChangeShowsOnOtherNodeAsync(catalog2, catalog1, seller, scripts, truth, 0, "API node 2 → API node 1", cluster.DescribeReadModelAsync);
                await AssertChangeShowsOnOtherNodeAsync(catalog1, catalog2, seller, scripts, truth, 1, "API node 1 → API node 2", cluster.DescribeReadModelAsync);

                // A buyer's live view on API node 2 follows a stock count made through API node 1.
                var watched = (await CatalogSearchCheck.GetAllAsync(catalog1, seller.Auth, scripts.Select(s => s.ListingId!))).Values.First(l => l.Status == ListingStatus.Active);
                using var watchTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using var watch = catalog2.WatchListings(new WatchListingsRequest { ListingIds = { watched.ListingId } }, seller.Auth, cancellationToken: watchTimeout.Token);
                Assert.True(await watch.ResponseStream.MoveNext(watchTimeout.Token), "the watch on API node 2 sent no opening state");
                Assert.Equal(watched.Spec.StockTonnes.Value, watch.ResponseStream.Current.Listing.Spec.StockTonnes.Value);
                var counted = Stopwatch.StartNew();
                await catalog1.UpdateListingStockAsync(new UpdateListingStockRequest { RequestId = Guid.NewGuid().ToString(), ListingId = watched.ListingId, StockTonnes = new Protos.Common.V1.Decimal { Value = "4321.125" } }, seller.Auth);
                while (await watch.ResponseStream.MoveNext(watchTimeout.Token) && watch.ResponseStream.Current.Listing.Spec?.StockTonnes?.Value != "4321.125")
                {
                }

                Assert.Equal("4321.125", watch.ResponseStream.Current.Listing.Spec?.StockTonnes?.Value);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: the watch on API node 2 saw the stock count through API node 1 after {counted.ElapsedMilliseconds} ms");
                Assert.True(counted.Elapsed < TimeSpan.FromSeconds(5), $"the live update took {counted.ElapsedMilliseconds} ms");
            },
            cluster.Tails);
    }

    /// <summary>
    /// The API node's index lives in memory: SIGKILL the API process (silos keep running), start it again, and
    /// the first search once /healthz answers 200 returns every active listing with current price, stock and facets.
    /// </summary>
    [Fact]
    public async Task RestartedApiNodeSearchesTheWholeCatalogOnceHealthy()
    {
        await using var cluster = await LocalCluster.StartFromEnvironmentAsync("catalog-api-restart");
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var clock = Stopwatch.StartNew();
                var api = cluster.ApiNodes[0];
                Seller seller;
                var scripts = Enumerable.Range(0, Listings).Select(i => new ListingScript(i)).ToArray();
                Dictionary<string, Listing> truth;
                using (var channel = api.OpenChannel())
                {
                    var catalog = new CatalogService.CatalogServiceClient(channel);
                    seller = await ClusterSellerAsync(channel, "apirestart");
                    var traffic = new CatalogTraffic(catalog, seller, s_retryBudget);
                    await traffic.RunAsync(scripts, 4).WaitAsync(TimeSpan.FromMinutes(2));
                    Assert.True(traffic.Failures.IsEmpty, $"writes failed without any fault:\n{string.Join('\n', traffic.Failures.Select(f => f.What))}");
                    truth = await CatalogSearchCheck.GetAllAsync(catalog, seller.Auth, scripts.Select(s => s.ListingId!));
                    await AssertSearchConvergesAsync(catalog, seller, truth, "API node before the restart", clock, cluster.DescribeReadModelAsync);
                }

                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: SIGKILL the API node (pid {api.Process.Id})");
                api.Process.Kill();
                var restart = Stopwatch.StartNew();
                await api.StartAsync(pollInterval: TimeSpan.FromMilliseconds(50));
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: /healthz 200 {restart.Elapsed.TotalSeconds:0.0}s after the restart");

                using var restarted = api.OpenChannel();
                var search = await CatalogSearchCheck.SearchSellerAsync(new CatalogService.CatalogServiceClient(restarted), seller.Auth, seller.EnterpriseId);
                var differences = CatalogSearchCheck.Differences(truth, search);
                Assert.True(
                    differences.Count == 0,
                    $"the first search after /healthz answered 200 is not the whole catalog ({search.TotalCount} hits, "
                    + $"{truth.Values.Count(l => l.Status == ListingStatus.Active)} active listings):\n{string.Join('\n', differences)}");
            },
            cluster.Tails);
    }

    /// <summary>Logs in the operator (doubling as the readiness check) and makes a verified seller through <paramref name="channel"/>.</summary>
    private static async Task<Seller> ClusterSellerAsync(Grpc.Net.Client.GrpcChannel channel, string tag)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var operatorAuth = Accounts.Bearer(await Accounts.LoginAsync(identity, LocalCluster.OperatorEmail, LocalCluster.OperatorPassword, TimeSpan.FromSeconds(60)));
        var codes = new OperatorOutboxCodes(new OperatorService.OperatorServiceClient(channel), operatorAuth);
        return await Sellers.VerifiedAsync(channel, codes, operatorAuth, tag);
    }

    /// <summary>
    /// After a crash: listings whose create was cut off are created again with the same request id (a client's
    /// retry); every listing holds its acknowledged state or the outcome of the call that was cut off; search converges.
    /// </summary>
    private async Task VerifyAcknowledgedAndSearchAsync(CatalogService.CatalogServiceClient catalog, Seller seller, ListingScript[] scripts, Stopwatch clock)
    {
        var retry = new CatalogTraffic(catalog, seller, s_retryBudget);
        foreach (var script in scripts.Where(s => s.Acknowledged < 0))
        {
            await retry.CreateAsync(script);
        }

        var truth = await CatalogSearchCheck.GetAllAsync(catalog, seller.Auth, scripts.Select(s => s.ListingId!));
        var lost = new List<string>();
        foreach (var script in scripts)
        {
            var listing = truth[script.ListingId!];
            var shape = ListingShape.Of(listing);
            var allowed = script.Allowed();
            if (!allowed.Contains(shape))
            {
                lost.Add($"listing {script.Index} ({script.ListingId}): GetListing shows [{shape}]; acknowledged step {script.Acknowledged} [{allowed[0]}]"
                    + (allowed.Count > 1 ? $", step {script.Failed} cut off [{allowed[1]}]" : ""));
            }
            else if (script.Acknowledged >= 0 && Version(listing.Etag) < Version(script.Etag))
            {
                lost.Add($"listing {script.Index} ({script.ListingId}): etag {listing.Etag} is older than the acknowledged {script.Etag}");
            }
        }

        Assert.True(lost.Count == 0, $"acknowledged listing changes were lost:\n{string.Join('\n', lost)}");
        await AssertSearchConvergesAsync(catalog, seller, truth, "restarted server", clock);
    }

    private async Task AssertSearchConvergesAsync(
        CatalogService.CatalogServiceClient catalog,
        Seller seller,
        IReadOnlyDictionary<string, Listing> truth,
        string where,
        Stopwatch clock,
        Func<IReadOnlyCollection<string>, Task<string>>? describeReadModel = null)
    {
        var (differences, took) = await CatalogSearchCheck.WaitForMatchAsync(catalog, seller.Auth, seller.EnterpriseId, truth, s_convergence);
        if (differences.Count > 0)
        {
            var readModel = describeReadModel is null ? "" : await describeReadModel([.. truth.Keys.Where(id => differences.Any(d => d.Contains(id, StringComparison.Ordinal)))]);
            Assert.Fail($"search on the {where} still differs from GetListing after {took.TotalSeconds:0.0} s:\n{string.Join('\n', differences)}\n{readModel}");
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: search on the {where} matches GetListing for {truth.Count} listings "
            + $"({truth.Values.Count(l => l.Status == ListingStatus.Active)} active) after {took.TotalMilliseconds:0} ms");
    }

    /// <summary>
    /// Through <paramref name="from"/>: restock two active listings, delist one and relist a delisted one (or
    /// delist a second when none is delisted); <paramref name="to"/>'s search must show all of it within 2 s.
    /// </summary>
    private async Task AssertChangeShowsOnOtherNodeAsync(
        CatalogService.CatalogServiceClient from,
        CatalogService.CatalogServiceClient to,
        Seller seller,
        ListingScript[] scripts,
        Dictionary<string, Listing> truth,
        int round,
        string direction,
        Func<IReadOnlyCollection<string>, Task<string>> describeReadModel)
    {
        var active = scripts.Select(s => truth[s.ListingId!]).Where(l => l.Status == ListingStatus.Active).OrderBy(l => l.ListingId, StringComparer.Ordinal).ToList();
        var delisted = scripts.Select(s => truth[s.ListingId!]).Where(l => l.Status != ListingStatus.Active).OrderBy(l => l.ListingId, StringComparer.Ordinal).ToList();
        Assert.True(active.Count >= 6, $"only {active.Count} active listings to change");
        var changed = new List<Listing>();
        for (var i = 0; i < 2; i++)
        {
            var listing = active[i + (round * 3)];
            var stock = decimal.Parse(listing.Spec.StockTonnes.Value, CultureInfo.InvariantCulture) + 111.111m;
            var request = new UpdateListingStockRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                ListingId = listing.ListingId,
                StockTonnes = new Protos.Common.V1.Decimal { Value = stock.ToString("0.000", CultureInfo.InvariantCulture) },
            };
            changed.Add((await Transient.RetryAsync(d => from.UpdateListingStockAsync(request, seller.Auth, d).ResponseAsync, s_retryBudget)).Listing);
        }

        var delist = active[2 + (round * 3)].ListingId;
        changed.Add((await Transient.RetryAsync(d => from.DelistListingAsync(new DelistListingRequest { ListingId = delist }, seller.Auth, d).ResponseAsync, s_retryBudget)).Listing);
        if (delisted.Count > 0)
        {
            var relist = delisted[round % delisted.Count].ListingId;
            changed.Add((await Transient.RetryAsync(d => from.RelistListingAsync(new RelistListingRequest { ListingId = relist }, seller.Auth, d).ResponseAsync, s_retryBudget)).Listing);
        }

        var acknowledged = Stopwatch.StartNew();
        foreach (var listing in changed)
        {
            truth[listing.ListingId] = listing;
        }

        var (differences, took) = await CatalogSearchCheck.WaitForMatchAsync(to, seller.Auth, seller.EnterpriseId, truth, s_crossNode);
        if (differences.Count > 0)
        {
            Assert.Fail($"{direction}: {changed.Count} changes acknowledged by one node are not all in the other node's search after {acknowledged.Elapsed.TotalSeconds:0.0} s:\n"
                + $"{string.Join('\n', differences)}\n{await describeReadModel([.. changed.Select(l => l.ListingId)])}");
        }

        output.WriteLine($"{direction}: {changed.Count} changes visible in the other node's search {took.TotalMilliseconds:0} ms after the last acknowledgement");
    }

    private static long Version(string etag) => long.TryParse(etag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1;
}
