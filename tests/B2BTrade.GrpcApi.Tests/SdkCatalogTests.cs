using B2BTrade.Client;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Identity.V1;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>The SDK's catalog facade against the real host, as an ERP syncing a seller's inventory would use it.</summary>
[Collection(ApiCollection.Name)]
public sealed class SdkCatalogTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.NativeChannel(), factory);

    private B2BTradeClient Client(TokenPair tokens) => new(new B2BTradeClientOptions
    {
        Address = factory.Server.BaseAddress,
        HttpMessageHandler = factory.Server.CreateHandler(),
        InitialTokens = B2BTradeTokens.FromProto(tokens),
    });

    private static ListingSpec Rebar(int diameter, decimal stock, decimal price)
    {
        var spec = Api.RebarSpec();
        spec.Name = $"沙钢 HRB400E 螺纹钢 Φ{diameter} 12m";
        spec.Attributes["diameter"] = $"Φ{diameter}";
        spec.StockTonnes = CatalogValues.Tonnes(stock);
        spec.UnitPrice = CatalogValues.Cny(price);
        return spec;
    }

    private static async Task<List<T>> AllAsync<T>(IAsyncEnumerable<T> items)
    {
        var all = new List<T>();
        await foreach (var item in items)
        {
            all.Add(item);
        }

        return all;
    }

    [Fact]
    public async Task ErpBulkUpsertsThreeSkusOnceChangesStockAndBuyersFindThemWithFacets()
    {
        var (_, sellerUser, seller) = await _api.VerifiedSellerAsync();
        using var erp = Client(sellerUser.Tokens);
        var badGrade = Rebar(25, 10m, 3650m);
        badGrade.Attributes["grade"] = "Q235B";
        List<BulkUpsertItem> batch =
        [
            new() { RequestId = Guid.NewGuid().ToString(), Spec = Rebar(16, 120.5m, 3700m) },
            new() { RequestId = Guid.NewGuid().ToString(), Spec = Rebar(20, 80m, 3680m) },
            new() { RequestId = Guid.NewGuid().ToString(), Spec = badGrade },
            new() { RequestId = Guid.NewGuid().ToString(), Spec = Rebar(25, 1200.5m, 3650m) },
        ];

        var first = await erp.Catalog.BulkUpsertAsync(seller.EnterpriseId, batch);
        Assert.Equal(batch.Select(i => i.RequestId), first.Select(o => o.RequestId));
        Assert.Equal([true, true, false, true], first.Select(o => o.Succeeded));
        Assert.Equal((StatusCode.InvalidArgument, "NOT_ALLOWED_VALUE"), (first[2].Error!.Code, first[2].Error!.Reason));
        Assert.Equal(["120.500", "80.000", "1200.500"], new[] { first[0], first[1], first[3] }.Select(o => o.Listing!.Spec.StockTonnes.Value));

        // The ERP lost the answer and sends the same batch again: same listings, nothing new, nothing changed.
        var again = await erp.Catalog.BulkUpsertAsync(seller.EnterpriseId, batch);
        Assert.Equal(first.Select(o => o.Listing?.ListingId), again.Select(o => o.Listing?.ListingId));
        Assert.Equal(first.Select(o => o.Listing?.Etag), again.Select(o => o.Listing?.Etag));
        var ids = new[] { first[0], first[1], first[3] }.Select(o => o.Listing!.ListingId).Order(StringComparer.Ordinal).ToList();
        var listed = await Api.EventuallyAsync(() => AllAsync(erp.Catalog.ListSellerListingsAsync(seller.EnterpriseId, pageSize: 2)), l => l.Count >= 3);
        Assert.Equal(ids, listed.Select(l => l.ListingId));

        var counted = await erp.Catalog.SetStockAsync(first[1].Listing!.ListingId, 75.5m);
        Assert.Equal("75.500", counted.Spec.StockTonnes.Value);
        Assert.Equal(75.5m, CatalogValues.ToDecimal((await erp.Catalog.GetListingAsync(counted.ListingId)).Spec.StockTonnes));
        var recounted = await Api.EventuallyAsync(
            () => AllAsync(erp.Catalog.ListSellerListingsAsync(seller.EnterpriseId, ListingStatus.Active)),
            l => l.Single(x => x.ListingId == counted.ListingId).Spec.StockTonnes.Value == "75.500");
        Assert.Equal("75.500", recounted.Single(x => x.ListingId == counted.ListingId).Spec.StockTonnes.Value);

        var buyerUser = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), AccountKind.Individual);
        using var buyer = Client(buyerUser.Tokens);
        var query = new SearchListingsRequest { CategoryId = "steel", SellerEnterpriseIds = { seller.EnterpriseId }, Sort = ListingSort.PriceAscending, PageSize = 2 };
        var page = await Api.EventuallyAsync(() => buyer.Catalog.SearchAsync(query), r => r.TotalCount == 3 && r.Listings.Any(l => l.Spec.StockTonnes.Value == "75.500"));
        Assert.Equal(3, page.TotalCount);
        Assert.Equal(["3650.00", "3680.00"], page.Listings.Select(l => l.DisplayPrice.Amount));
        Assert.NotEmpty(page.NextPageToken);
        Assert.Contains(page.Facets.Single(f => f.Key == "grade").Values, v => v.Value == "HRB400E" && v.Count == 3);
        Assert.Contains(page.Facets.Single(f => f.Key == "category").Values, v => v.Value == "steel.rebar" && v.Count == 3);
        var everything = await AllAsync(buyer.Catalog.SearchAllAsync(query));
        Assert.Equal(["3650.00", "3680.00", "3700.00"], everything.Select(l => l.DisplayPrice.Amount));

        var thick = query.Clone();
        thick.NumberRanges.Add(new NumberRange { AttributeKey = "diameter", Min = CatalogValues.Number(18m), Max = CatalogValues.Number(32m) });
        Assert.Equal(["3650.00", "3680.00"], (await AllAsync(buyer.Catalog.SearchAllAsync(thick))).Select(l => l.DisplayPrice.Amount));
    }

    [Fact]
    public async Task InventorySyncKeyedBySkuNeverDuplicatesAndAppliesEachRevisionOnce()
    {
        var (_, sellerUser, seller) = await _api.VerifiedSellerAsync();
        using var erp = Client(sellerUser.Tokens);
        InventoryItem[] run =
        [
            new("RB-HRB400E-16", Rebar(16, 120.5m, 3700m), Revision: "1"),
            new("RB-HRB400E-20", Rebar(20, 80m, 3680m), Revision: "1"),
            new("RB-HRB400E-25", Rebar(25, 1200.5m, 3650m), Revision: "1"),
        ];

        var synced = await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, run);
        Assert.All(synced, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal(run.Select(a => a.Sku), synced.Select(r => r.Sku));

        // The ERP crashed before recording the listing ids and runs the same sync again: it finds the same listings.
        var rerun = await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, run);
        Assert.Equal(synced.Select(r => r.ListingId), rerun.Select(r => r.ListingId));
        Assert.Equal(synced.Select(r => r.Listing!.Etag), rerun.Select(r => r.Listing!.Etag));
        var listed = await Api.EventuallyAsync(() => AllAsync(erp.Catalog.ListSellerListingsAsync(seller.EnterpriseId)), l => l.Count >= 3);
        Assert.Equal(3, listed.Count);
        Assert.Equal(run.Select(a => a.Sku).Order(StringComparer.Ordinal), listed.Select(l => l.Spec.SellerSku).Order(StringComparer.Ordinal));

        // Stock of one SKU goes 80 → 60 → 80 over three revisions; each revision is applied, including the return to 80.
        var sku20 = synced[1].ListingId!;
        var down = await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [new("RB-HRB400E-20", Rebar(20, 60m, 3680m), sku20, "2")]);
        Assert.Equal("60.000", down[0].Listing!.Spec.StockTonnes.Value);
        var back = new InventoryItem("RB-HRB400E-20", Rebar(20, 80m, 3680m), sku20, "3");
        Assert.Equal("80.000", (await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [back]))[0].Listing!.Spec.StockTonnes.Value);

        // A stock count made on the platform afterwards survives a replay of revision 3, not of a new revision.
        await erp.Catalog.SetStockAsync(sku20, 10m);
        Assert.Equal("10.000", (await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [back]))[0].Listing!.Spec.StockTonnes.Value);
        Assert.Equal("80.000", (await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [back with { Revision = "4" }]))[0].Listing!.Spec.StockTonnes.Value);

        // A SKU whose listing exists but whose id the ERP lost is updated to the new content, not duplicated.
        var repriced = await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [new("RB-HRB400E-25", Rebar(25, 1100m, 3620m), Revision: "2")]);
        Assert.Equal((synced[2].ListingId, "3620.00", "1100.000"), (repriced[0].ListingId, repriced[0].Listing!.DisplayPrice.Amount, repriced[0].Listing!.Spec.StockTonnes.Value));
        Assert.Equal(3, (await AllAsync(erp.Catalog.ListSellerListingsAsync(seller.EnterpriseId))).Count);
    }

    [Fact]
    public async Task ARevisionThatChangedNothingIsNotAppliedAgainWhenReplayed()
    {
        // An integrator's review: a revision that changed nothing the first time was not remembered, so its replay
        // undid what happened on the platform since (stock held for orders came back on sale).
        var (_, sellerUser, seller) = await _api.VerifiedSellerAsync();
        using var erp = Client(sellerUser.Tokens);

        // (a) The revision that created the listing: its follow-up update changed nothing.
        var created = new InventoryItem("RB-NOOP-18", Rebar(18, 1000m, 3660m), Revision: "1");
        var listingId = (await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [created]))[0].ListingId!;
        await erp.Catalog.SetStockAsync(listingId, 900m);
        var replay = await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [created with { ListingId = listingId }]);
        Assert.Equal("900.000", replay[0].Listing!.Spec.StockTonnes.Value);

        // (b) A revision equal to the platform's figures when first sent, replayed by a later full sync.
        // Remembering it makes no new version: the etag stays what it was before.
        var etag = (await erp.Catalog.GetListingAsync(listingId)).Etag;
        var mirrored = created with { ListingId = listingId, Spec = Rebar(18, 900m, 3660m), Revision = "2" };
        var first = await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [mirrored]);
        Assert.Equal(("900.000", etag), (first[0].Listing!.Spec.StockTonnes.Value, first[0].Listing!.Etag));
        await erp.Catalog.SetStockAsync(listingId, 850m);
        Assert.Equal("850.000", (await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [mirrored]))[0].Listing!.Spec.StockTonnes.Value);

        // A new revision is applied as usual.
        Assert.Equal("950.000", (await erp.Catalog.SyncInventoryAsync(seller.EnterpriseId, [mirrored with { Spec = Rebar(18, 950m, 3660m), Revision = "3" }]))[0].Listing!.Spec.StockTonnes.Value);
    }

    [Fact]
    public async Task AWatcherSeesTheSellersPriceChangeAfterTheSdkReopensTheStreamOnTokenExpiry()
    {
        var (_, sellerUser, seller) = await _api.VerifiedSellerAsync();
        using var erp = Client(sellerUser.Tokens);
        var listing = await erp.Catalog.CreateListingAsync(seller.EnterpriseId, Rebar(25, 500m, 3650m));
        await Api.EventuallyAsync(() => AllAsync(erp.Catalog.ListSellerListingsAsync(seller.EnterpriseId)), l => l.Count == 1);
        var buyerUser = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), AccountKind.Individual);
        using var buyer = Client(buyerUser.Tokens);
        var refreshBefore = buyer.Tokens!.RefreshToken;

        // The buyer's access token now runs out (by the platform's clock) a few seconds after the watch opens.
        factory.Time.Advance(buyerUser.Tokens.AccessTokenExpireTime.ToDateTimeOffset() - factory.Time.GetUtcNow() - TimeSpan.FromSeconds(4));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var watch = buyer.Catalog.WatchAsync([listing.ListingId], timeout.Token).GetAsyncEnumerator(timeout.Token);
        async Task<Listing> NextAsync(Func<Listing, bool> wanted)
        {
            while (await watch.MoveNextAsync())
            {
                if (wanted(watch.Current))
                {
                    return watch.Current;
                }
            }

            throw new InvalidOperationException("The watch ended.");
        }

        var opening = await NextAsync(_ => true);
        Assert.Equal((listing.ListingId, "3650.00", seller.Profile.LegalName), (opening.ListingId, opening.DisplayPrice.Amount, opening.SellerName));

        // The server ends the stream with ACCESS_TOKEN_EXPIRED; the SDK refreshes and reopens, starting with the current state.
        var reopened = await NextAsync(_ => buyer.Tokens!.RefreshToken != refreshBefore);
        Assert.Equal((listing.ListingId, "3650.00"), (reopened.ListingId, reopened.DisplayPrice.Amount));

        var repriced = await erp.Catalog.UpdateListingAsync(listing.ListingId, Rebar(25, 500m, 3588m), listing.Etag);
        Assert.Equal("3588.00", repriced.DisplayPrice.Amount);
        var seen = await NextAsync(l => l.DisplayPrice.Amount != "3650.00");
        Assert.Equal((listing.ListingId, "3588.00", ListingStatus.Active), (seen.ListingId, seen.DisplayPrice.Amount, seen.Status));

        await erp.Catalog.DelistAsync(listing.ListingId);
        var delisted = await NextAsync(l => l.Status != ListingStatus.Active);
        Assert.Equal((listing.ListingId, ListingStatus.Delisted), (delisted.ListingId, delisted.Status));
    }
}
