using B2BTrade.Protos.Catalog.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

/// <summary>Bulk upsert and SKU-keyed inventory sync against the fake server.</summary>
public sealed class CatalogBulkTests
{
    internal const string BulkUpsert = "/b2btrade.catalog.v1.CatalogService/BulkUpsertListings";

    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    internal static ListingSpec Spec(string name, decimal stock = 100m) => new()
    {
        CategoryId = "steel.rebar",
        Name = name,
        Attributes = { ["grade"] = "HRB400E", ["diameter"] = "Φ25" },
        UnitPrice = CatalogValues.Cny(3650m),
        StockTonnes = CatalogValues.Tonnes(stock),
    };

    /// <summary>A seller that applies every item: a create gets an id derived from its request id, an update keeps its listing id.</summary>
    private static FakeReply Apply(ReceivedCall call)
    {
        var request = call.Parse(BulkUpsertListingsRequest.Parser);
        var response = new BulkUpsertListingsResponse();
        response.Results.AddRange(request.Items.Select(item => new BulkUpsertResult
        {
            RequestId = item.RequestId,
            Listing = new Listing { ListingId = item.ListingId.Length > 0 ? item.ListingId : "lst_" + item.RequestId[..8], Spec = item.Spec },
        }));
        return FakeReply.Ok(response);
    }

    private static List<BulkUpsertListingsRequest> Sent(FakeGrpcServer server) =>
        [.. server.CallsTo(BulkUpsert).Select(c => c.Parse(BulkUpsertListingsRequest.Parser))];

    [Fact]
    public async Task TwelveHundredAndOneItemsGoOutAsBatchesOf500And500And201AndComeBackInInputOrder()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(Apply(call)));
        using var client = TestSupport.CreateClient(server, tokens: Session);
        var items = Enumerable.Range(0, 1201).Select(i => new BulkUpsertItem { Spec = Spec("item " + i) }).ToList();

        var outcomes = await client.Catalog.BulkUpsertAsync("ent_1", items);

        var sent = Sent(server);
        Assert.Equal([500, 500, 201], sent.Select(r => r.Items.Count));
        Assert.All(sent, r => Assert.Equal("ent_1", r.SellerEnterpriseId));
        Assert.Equal(items.Select(i => i.Spec.Name), outcomes.Select(o => o.Listing!.Spec.Name));
        Assert.Equal(sent.SelectMany(r => r.Items).Select(i => i.RequestId), outcomes.Select(o => o.RequestId));
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal(1201, outcomes.Select(o => o.RequestId).Distinct().Count());
        Assert.All(server.CallsTo(BulkUpsert), c => Assert.NotNull(c.Timeout));
    }

    [Fact]
    public async Task RequestIdsAreGeneratedOnceAndABatchRetriedAfterUnavailableResendsTheSameIds()
    {
        var attempts = 0;
        using var server = new FakeGrpcServer(call => Task.FromResult(++attempts == 1 ? FakeReply.Error(StatusCode.Unavailable, "silo restarting") : Apply(call)));
        using var client = TestSupport.CreateClient(server, tokens: Session);
        var items = new List<BulkUpsertItem>
        {
            new() { Spec = Spec("new A") },
            new() { RequestId = "erp-4711-rev-9", ListingId = "lst_known", Spec = Spec("known") },
            new() { Spec = Spec("new B") },
        };

        var outcomes = await client.Catalog.BulkUpsertAsync("ent_1", items);

        var sent = Sent(server);
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].Items, sent[1].Items);
        var ids = sent[0].Items.Select(i => i.RequestId).ToList();
        Assert.True(Guid.TryParse(ids[0], out _) && Guid.TryParse(ids[2], out _));
        Assert.Equal("erp-4711-rev-9", ids[1]);
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(ids, outcomes.Select(o => o.RequestId));
        Assert.Equal("lst_known", outcomes[1].Listing!.ListingId);
        Assert.Equal("", items[0].RequestId); // the caller's items are left as they were
    }

    [Fact]
    public async Task OnlyItemsTheServerReportsUnavailableAreSentAgainAndItemErrorsAreTyped()
    {
        var rounds = 0;
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(BulkUpsertListingsRequest.Parser);
            rounds++;
            var response = new BulkUpsertListingsResponse();
            response.Results.AddRange(request.Items.Select(item => item.Spec.Name switch
            {
                "flaky" when rounds == 1 => new BulkUpsertResult { RequestId = item.RequestId, ErrorCode = (int)StatusCode.Unavailable, ErrorReason = "UNAVAILABLE", ErrorMessage = "try again" },
                "bad grade" => new BulkUpsertResult
                {
                    RequestId = item.RequestId, ErrorCode = (int)StatusCode.InvalidArgument, ErrorReason = "NOT_ALLOWED_VALUE", ErrorMessage = "items[2].spec.attributes.grade: 不允许的值",
                    FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = "spec.attributes.grade", Reason = "NOT_ALLOWED_VALUE", Description = "不允许的值" } },
                },
                _ => new BulkUpsertResult { RequestId = item.RequestId, Listing = new Listing { ListingId = "lst_" + item.Spec.Name.Replace(' ', '_'), Spec = item.Spec } },
            }));
            return Task.FromResult(FakeReply.Ok(response));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var outcomes = await client.Catalog.BulkUpsertAsync("ent_1", [new() { Spec = Spec("good") }, new() { Spec = Spec("flaky") }, new() { Spec = Spec("bad grade") }]);

        var sent = Sent(server);
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].Items[1], Assert.Single(sent[1].Items));
        Assert.Equal(("lst_good", "lst_flaky"), (outcomes[0].Listing!.ListingId, outcomes[1].Listing!.ListingId));
        var error = outcomes[2].Error!;
        Assert.Equal((StatusCode.InvalidArgument, "NOT_ALLOWED_VALUE", false), (error.Code, error.Reason, error.IsTransient));
        Assert.Equal(new B2BTradeFieldViolation("spec.attributes.grade", "不允许的值", "NOT_ALLOWED_VALUE"), Assert.Single(error.FieldViolations));
        Assert.Empty(outcomes[0].Error?.FieldViolations ?? []);
        Assert.Null(outcomes[2].Listing);
        Assert.False(outcomes[2].Succeeded);
    }

    [Fact]
    public async Task ItemsStillUnavailableAfterMaxRetriesAreReportedAsTransient()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(FakeReply.Ok(new BulkUpsertListingsResponse
        {
            Results = { call.Parse(BulkUpsertListingsRequest.Parser).Items.Select(i => new BulkUpsertResult { RequestId = i.RequestId, ErrorCode = (int)StatusCode.Unavailable, ErrorReason = "UNAVAILABLE" }) },
        })));
        using var client = TestSupport.CreateClient(server, maxRetries: 2, tokens: Session);

        var outcome = Assert.Single(await client.Catalog.BulkUpsertAsync("ent_1", [new() { Spec = Spec("x") }]));

        Assert.True(outcome.Error!.IsTransient);
        Assert.Equal(3, Sent(server).Count);
        Assert.Single(Sent(server).Select(r => r.Items.Single().RequestId).Distinct());
    }

    [Fact]
    public async Task ABatchRefusedAsAWholeThrowsTheTypedErrorWithoutRetrying()
    {
        var denied = new Google.Rpc.Status { Code = (int)Code.PermissionDenied, Message = "Only Sales or Admin", Details = { Any.Pack(new ErrorInfo { Reason = "PERMISSION_DENIED", Domain = "b2btrade" }) } };
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(denied)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAsync<B2BTradePermissionDeniedException>(() => client.Catalog.BulkUpsertAsync("ent_1", [new() { Spec = Spec("x") }]));

        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task RepeatedRequestIdsAreRefusedBeforeAnythingIsSent()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(Apply(call)));
        using var client = TestSupport.CreateClient(server, tokens: Session);
        var items = Enumerable.Range(0, 600).Select(i => new BulkUpsertItem { RequestId = "erp-row-" + i, Spec = Spec("x") }).Append(new BulkUpsertItem { RequestId = "erp-row-3", Spec = Spec("x") });

        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.BulkUpsertAsync("ent_1", items));
        Assert.Empty(await client.Catalog.BulkUpsertAsync("ent_1", []));

        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task InventorySyncCreatesEachSkuUnderAnIdOfItsOwnThenBringsItUpToDate()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(Apply(call)));
        using var client = TestSupport.CreateClient(server, tokens: Session);
        InventoryItem[] run = [new("SKU-RB-25", Spec("rebar Φ25", 120m), Revision: "7"), new("SKU-RB-12", Spec("rebar Φ12", 40m)), new("SKU-WR-8", Spec("wire rod", 3m), ListingId: "lst_wire", Revision: "3")];

        var results = await client.Catalog.SyncInventoryAsync("ent_1", run);

        var sent = Sent(server);
        Assert.Equal(2, sent.Count);
        Assert.Equal(["", "", "lst_wire"], sent[0].Items.Select(i => i.ListingId));
        Assert.Equal([results[0].ListingId, results[1].ListingId], sent[1].Items.Select(i => i.ListingId)); // follow-up of the two creates
        Assert.Equal(["SKU-RB-25", "SKU-RB-12", "SKU-WR-8"], results.Select(r => r.Sku));
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal("lst_wire", results[2].ListingId);
        Assert.Equal(["rebar Φ25", "rebar Φ12", "wire rod"], results.Select(r => r.Listing!.Spec.Name));
        Assert.All(sent.SelectMany(r => r.Items), i => Assert.True(Guid.TryParse(i.RequestId, out _)));

        // A second run (the ERP did not record the listing ids) sends the same create ids: the server finds the same listings.
        await client.Catalog.SyncInventoryAsync("ent_1", run);
        var rerun = Sent(server)[2];
        Assert.Equal(sent[0].Items[0].RequestId, rerun.Items[0].RequestId);
        Assert.Equal(sent[0].Items[1].RequestId, rerun.Items[1].RequestId);
        Assert.Equal(sent[0].Items[2].RequestId, rerun.Items[2].RequestId); // same revision and content: the same update
        Assert.Equal(sent[1].Items[0].RequestId, Sent(server)[3].Items[0].RequestId);
        Assert.NotEqual(sent[1].Items[1].RequestId, Sent(server)[3].Items[1].RequestId); // no revision: a fresh id each run
    }

    [Fact]
    public async Task InventoryUpdateIdsChangeWithRevisionOrContentSoStockReturningToAnEarlierValueIsApplied()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(Apply(call)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        async Task<string> IdOfAsync(InventoryItem item, string seller = "ent_1")
        {
            await client.Catalog.SyncInventoryAsync(seller, [item]);
            return Sent(server)[^1].Items.Single().RequestId;
        }

        var hundred = await IdOfAsync(new("SKU-1", Spec("rebar", 100m), "lst_1", "r1"));
        var eighty = await IdOfAsync(new("SKU-1", Spec("rebar", 80m), "lst_1", "r2"));
        var hundredAgain = await IdOfAsync(new("SKU-1", Spec("rebar", 100m), "lst_1", "r3"));
        var sameRevisionOtherContent = await IdOfAsync(new("SKU-1", Spec("rebar", 90m), "lst_1", "r3"));
        var otherSeller = await IdOfAsync(new("SKU-1", Spec("rebar", 100m), "lst_1", "r1"), "ent_2");

        Assert.Equal(5, new[] { hundred, eighty, hundredAgain, sameRevisionOtherContent, otherSeller }.Distinct().Count());
        Assert.Equal(hundred, await IdOfAsync(new("SKU-1", Spec("rebar", 100m), "lst_1", "r1")));
    }

    [Fact]
    public void ContentHashIgnoresTheOrderAttributesWereAddedIn()
    {
        var a = new ListingSpec { Name = "x", Attributes = { ["grade"] = "HRB400E", ["diameter"] = "Φ25" } };
        var b = new ListingSpec { Name = "x", Attributes = { ["diameter"] = "Φ25", ["grade"] = "HRB400E" } };
        var c = new ListingSpec { Name = "x", Attributes = { ["diameter"] = "Φ28", ["grade"] = "HRB400E" } };

        Assert.Equal(InventoryRequestIds.ContentHash(a), InventoryRequestIds.ContentHash(b));
        Assert.NotEqual(InventoryRequestIds.ContentHash(a), InventoryRequestIds.ContentHash(c));
    }

    [Fact]
    public async Task InventorySyncReportsTheListingIdOfACreatedSkuEvenWhenItsFollowUpFails()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(BulkUpsertListingsRequest.Parser);
            return Task.FromResult(request.Items.Any(i => i.ListingId.Length > 0)
                ? FakeReply.Ok(new BulkUpsertListingsResponse { Results = { request.Items.Select(i => new BulkUpsertResult { RequestId = i.RequestId, ErrorCode = (int)StatusCode.FailedPrecondition, ErrorReason = "SELLER_NOT_VERIFIED" }) } })
                : Apply(call));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var result = Assert.Single(await client.Catalog.SyncInventoryAsync("ent_1", [new InventoryItem("SKU-1", Spec("rebar"))]));

        Assert.StartsWith("lst_", result.ListingId, StringComparison.Ordinal);
        Assert.Equal("SELLER_NOT_VERIFIED", result.Error!.Reason);
        Assert.Null(result.Listing);
    }

    [Fact]
    public async Task InventorySyncRefusesRepeatedOrEmptySkus()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(Apply(call)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.SyncInventoryAsync("ent_1", [new("SKU-1", Spec("a")), new("SKU-1", Spec("b"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Catalog.SyncInventoryAsync("ent_1", [new(" ", Spec("a"))]));

        Assert.Empty(server.Calls);
    }
}
