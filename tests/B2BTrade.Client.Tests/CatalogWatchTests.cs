using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Identity.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

/// <summary>The long-lived watch stream: token expiry, reconnects, errors and cancellation.</summary>
public sealed class CatalogWatchTests
{
    private const string Watch = "/b2btrade.catalog.v1.CatalogService/WatchListings";

    private static FakeReply Unauthenticated(string reason) =>
        FakeReply.Error(new Google.Rpc.Status { Code = (int)Code.Unauthenticated, Message = "token", Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = "b2btrade" }) } });

    private static WatchListingsResponse Snapshot(string listingId, string price) =>
        new() { Listing = new Listing { ListingId = listingId, Status = ListingStatus.Active, DisplayPrice = CatalogValues.Cny(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)) } };

    private static FakeReply Refreshed(string access, string refresh) =>
        FakeReply.Ok(new RefreshTokenResponse { Tokens = TestSupport.Pair(access, refresh, TimeSpan.FromMinutes(15)) });

    private static Task<FakeReply> Forever => new TaskCompletionSource<FakeReply>().Task;

    private static async Task<List<Listing>> TakeAsync(IAsyncEnumerable<Listing> stream, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var taken = new List<Listing>();
        await foreach (var listing in stream.WithCancellation(timeout.Token))
        {
            taken.Add(listing);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    [Fact]
    public async Task AnExpiredAccessTokenIsRefreshedAndTheStreamReopensWithoutADeadline()
    {
        var watches = 0;
        using var server = new FakeGrpcServer(call => call.Method switch
        {
            TestSupport.RefreshToken => Task.FromResult(Refreshed("a2", "r2")),
            Watch => ++watches switch
            {
                1 => Task.FromResult(new FakeReply([Snapshot("lst_1", "3650"), Snapshot("lst_2", "3700")], StatusCode.Unauthenticated, "expired", Unauthenticated("ACCESS_TOKEN_EXPIRED").RichStatus)),
                2 => Task.FromResult(FakeReply.Ok(Snapshot("lst_1", "3588"))),
                _ => Forever,
            },
            _ => Task.FromResult(FakeReply.Error(StatusCode.Unimplemented)),
        });
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var seen = await TakeAsync(client.Catalog.WatchAsync(["lst_1", "lst_2"]), 3);

        Assert.Equal([("lst_1", "3650.00"), ("lst_2", "3700.00"), ("lst_1", "3588.00")], seen.Select(l => (l.ListingId, l.DisplayPrice.Amount)));
        var opened = server.CallsTo(Watch).Take(2).ToList();
        Assert.Equal(["Bearer a1", "Bearer a2"], opened.Select(c => c.Authorization));
        Assert.All(opened, c => Assert.Null(c.Timeout));
        Assert.All(opened, c => Assert.Equal(["lst_1", "lst_2"], c.Parse(WatchListingsRequest.Parser).ListingIds));
        Assert.Single(server.CallsTo(TestSupport.RefreshToken));
        Assert.Equal("r2", client.Tokens!.RefreshToken);
    }

    [Fact]
    public async Task AStreamLostToUnavailableOrEndedByTheServerIsReopened()
    {
        var watches = 0;
        using var server = new FakeGrpcServer(call => ++watches switch
        {
            1 => Task.FromResult(new FakeReply([Snapshot("lst_1", "3650")], StatusCode.Unavailable, "node restarting", null)),
            2 => Task.FromResult(FakeReply.Error(StatusCode.Unavailable)),
            3 => Task.FromResult(FakeReply.Ok(Snapshot("lst_1", "3640"))),
            4 => Task.FromResult(FakeReply.Ok(Snapshot("lst_1", "3630"))),
            _ => Forever,
        });
        using var client = TestSupport.CreateClient(server, maxRetries: 0, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var seen = await TakeAsync(client.Catalog.WatchAsync(["lst_1"]), 3);

        Assert.Equal(["3650.00", "3640.00", "3630.00"], seen.Select(l => l.DisplayPrice.Amount));
        Assert.True(server.Calls.Count >= 4); // reconnects do not count against MaxRetries: the watch lasts until cancelled
        Assert.All(server.Calls, c => Assert.Equal("Bearer a1", c.Authorization));
    }

    [Fact]
    public async Task ATokenRefusedAgainRightAfterARefreshEndsTheWatch()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(call.Method == TestSupport.RefreshToken ? Refreshed("a2", "r2") : Unauthenticated("UNAUTHENTICATED")));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var error = await Assert.ThrowsAsync<B2BTradeUnauthenticatedException>(() => TakeAsync(client.Catalog.WatchAsync(["lst_1"]), 1));

        Assert.Equal("UNAUTHENTICATED", error.Reason);
        Assert.Equal(["Bearer a1", "Bearer a2"], server.CallsTo(Watch).Select(c => c.Authorization));
    }

    [Fact]
    public async Task AWatchTheServerRefusesFailsWithTheTypedErrorAtOnce()
    {
        var invalid = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "Watch 1 to 200 listings.",
            Details = { Any.Pack(new ErrorInfo { Reason = "INVALID_WATCH_SIZE", Domain = "b2btrade" }), Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "listing_ids", Description = "Watch 1 to 200 listings." } } }) },
        };
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(invalid)));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var error = await Assert.ThrowsAsync<B2BTradeValidationException>(() => TakeAsync(client.Catalog.WatchAsync([]), 1));

        Assert.Equal("listing_ids", Assert.Single(error.FieldViolations).Field);
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task CancellingEndsTheWatchWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(Snapshot("lst_1", "3650"))));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var listing in client.Catalog.WatchAsync(["lst_1"], cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });

        Assert.Equal(1, seen);
    }
}
