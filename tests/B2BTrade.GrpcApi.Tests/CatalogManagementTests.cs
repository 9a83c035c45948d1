using B2BTrade.Protos.Catalog.V1;
using Grpc.Core;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;
using ProtoMoney = B2BTrade.Protos.Common.V1.Money;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>Seller lists, ERP bulk upsert, live watch streams and operator category edits, through the real API.</summary>
[Collection(ApiCollection.Name)]
public sealed class CatalogManagementTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.NativeChannel(), factory);

    private async Task<Listing> CreateAsync(string token, string sellerId, ListingSpec? spec = null) =>
        (await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = sellerId, Spec = spec ?? Api.RebarSpec() }, Api.Bearer(token))).Listing;

    private static async Task<WatchListingsResponse> NextAsync(AsyncServerStreamingCall<WatchListingsResponse> call, Func<Listing, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await call.ResponseStream.MoveNext(timeout.Token))
        {
            if (wanted(call.ResponseStream.Current.Listing))
            {
                return call.ResponseStream.Current;
            }
        }

        throw new InvalidOperationException("The watch stream ended without the expected change.");
    }

    [Fact]
    public async Task AWatcherGetsTheCurrentStateThenPriceStockAndDelistChanges()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var first = await CreateAsync(token, seller.EnterpriseId);
        var second = await CreateAsync(token, seller.EnterpriseId);
        var buyer = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        await Api.EventuallyAsync(() => _api.Catalog.SearchListingsAsync(new SearchListingsRequest { SellerEnterpriseIds = { seller.EnterpriseId } }, Api.Bearer(token)).ResponseAsync, r => r.TotalCount == 2);

        using var watch = _api.Catalog.WatchListings(new WatchListingsRequest { ListingIds = { first.ListingId, second.ListingId, "lst_0000000000000000000000" } }, Api.Bearer(buyer.Tokens.AccessToken));
        var opening = new[] { await NextAsync(watch, _ => true), await NextAsync(watch, _ => true) }.Select(r => r.Listing).ToList();
        Assert.Equal(new[] { first.ListingId, second.ListingId }.Order(), opening.Select(l => l.ListingId).Order());
        Assert.All(opening, l => Assert.Equal(("3650.00", "1200.500", seller.Profile.LegalName), (l.DisplayPrice.Amount, l.Spec.StockTonnes.Value, l.SellerName)));

        var cheaper = Api.RebarSpec();
        cheaper.UnitPrice = new ProtoMoney { CurrencyCode = "CNY", Amount = "3588.00" };
        await _api.Catalog.UpdateListingAsync(new UpdateListingRequest { ListingId = first.ListingId, Spec = cheaper }, Api.Bearer(token));
        var priced = await NextAsync(watch, l => l.ListingId == first.ListingId);
        Assert.Equal("3588.00", priced.Listing.DisplayPrice.Amount);
        Assert.Equal("宝山区蕴川路 1000 号", priced.Listing.Spec.WarehouseAddress);

        await _api.Catalog.UpdateListingStockAsync(new UpdateListingStockRequest { RequestId = Guid.NewGuid().ToString(), ListingId = second.ListingId, StockTonnes = new ProtoDecimal { Value = "0.1" } }, Api.Bearer(token));
        Assert.Equal("0.100", (await NextAsync(watch, l => l.ListingId == second.ListingId)).Listing.Spec.StockTonnes.Value);

        await _api.Catalog.DelistListingAsync(new DelistListingRequest { ListingId = first.ListingId }, Api.Bearer(token));
        var delisted = (await NextAsync(watch, l => l.ListingId == first.ListingId)).Listing;
        Assert.Equal((ListingStatus.Delisted, null), (delisted.Status, delisted.Spec));
    }

    [Fact]
    public async Task GetListingShowsThePriceAndStockHistoryWithoutWhoChangedIt()
    {
        var (token, sales, seller) = await _api.VerifiedSellerAsync();
        var listing = await CreateAsync(token, seller.EnterpriseId);
        var cheaper = Api.RebarSpec();
        cheaper.UnitPrice = new ProtoMoney { CurrencyCode = "CNY", Amount = "3588.00" };
        await _api.Catalog.UpdateListingAsync(new UpdateListingRequest { ListingId = listing.ListingId, Spec = cheaper }, Api.Bearer(token));
        await _api.Catalog.UpdateListingStockAsync(new UpdateListingStockRequest { RequestId = Guid.NewGuid().ToString(), ListingId = listing.ListingId, StockTonnes = new ProtoDecimal { Value = "999.999" } }, Api.Bearer(token));

        var buyer = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        var history = (await _api.Catalog.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, Api.Bearer(buyer.Tokens.AccessToken))).Listing.RecentChanges;
        Assert.Equal([ListingChangeKind.Created, ListingChangeKind.PriceChanged, ListingChangeKind.StockSet], history.Select(c => c.Kind));
        Assert.Equal(["3650.00", "3588.00", "3588.00"], history.Select(c => c.ListPrice.Amount));
        Assert.Equal(["1200.500", "1200.500", "999.999"], history.Select(c => c.StockTonnes.Value));
        Assert.DoesNotContain(sales.User.UserId, history.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneUserCannotOpenUnboundedWatchStreams()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var listing = await CreateAsync(token, seller.EnterpriseId);
        await Api.EventuallyAsync(() => _api.Catalog.ListSellerListingsAsync(new ListSellerListingsRequest { SellerEnterpriseId = seller.EnterpriseId }, Api.Bearer(token)).ResponseAsync, r => r.Listings.Count == 1);
        var request = new WatchListingsRequest { ListingIds = { listing.ListingId } };
        var open = new List<AsyncServerStreamingCall<WatchListingsResponse>>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                var call = _api.Catalog.WatchListings(request, Api.Bearer(token));
                open.Add(call);
                await NextAsync(call, _ => true);
            }

            using var extra = _api.Catalog.WatchListings(request, Api.Bearer(token));
            await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => extra.ResponseStream.MoveNext(CancellationToken.None), "TOO_MANY_WATCH_STREAMS");

            open[0].Dispose();
            open.RemoveAt(0);
            var again = await Api.EventuallyAsync(async () =>
            {
                var call = _api.Catalog.WatchListings(request, Api.Bearer(token));
                try
                {
                    await NextAsync(call, _ => true);
                    return call;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    call.Dispose();
                    return null;
                }
            }, c => c is not null);
            Assert.NotNull(again);
            open.Add(again);
        }
        finally
        {
            open.ForEach(c => c.Dispose());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task AWatchOfNoneOrTooManyListingsIsRefused(int count)
    {
        var buyer = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        var request = new WatchListingsRequest();
        request.ListingIds.AddRange(Enumerable.Range(0, count).Select(_ => "lst_0000000000000000000000"));
        using var call = _api.Catalog.WatchListings(request, Api.Bearer(buyer.Tokens.AccessToken));
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => call.ResponseStream.MoveNext(CancellationToken.None), "INVALID_WATCH_SIZE");
        Assert.Equal("listing_ids", Assert.Single(RpcAssert.Violations(error)).Field);

        using var malformed = _api.Catalog.WatchListings(new WatchListingsRequest { ListingIds = { "lst_0000000000000000000000", "'; DROP TABLE rm_listings; --" } }, Api.Bearer(buyer.Tokens.AccessToken));
        var bad = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => malformed.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("listing_ids[1]", Assert.Single(RpcAssert.Violations(bad)).Field);
    }

    [Fact]
    public async Task SellerListingsShowEveryStatusInFullAndPageStably()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var tiered = Api.RebarSpec();
        tiered.Tiers.Add(new PriceTier { MinQuantityTonnes = new ProtoDecimal { Value = "500" }, UnitPrice = new ProtoMoney { CurrencyCode = "CNY", Amount = "3620.00" } });
        var created = new List<Listing> { await CreateAsync(token, seller.EnterpriseId, tiered), await CreateAsync(token, seller.EnterpriseId), await CreateAsync(token, seller.EnterpriseId) };
        await _api.Catalog.DelistListingAsync(new DelistListingRequest { ListingId = created[2].ListingId }, Api.Bearer(token));
        var bearer = Api.Bearer(token);

        var all = await Api.EventuallyAsync(() => PageAllAsync(seller.EnterpriseId, ListingStatus.Unspecified, bearer), l => l.Count == 3 && l.Any(x => x.Status == ListingStatus.Delisted));
        Assert.Equal(created.Select(l => l.ListingId).Order(StringComparer.Ordinal), all.Select(l => l.ListingId));
        var withTiers = all.Single(l => l.ListingId == created[0].ListingId);
        Assert.Equal(("3620.00", "500.000", "宝山区蕴川路 1000 号"), (withTiers.Spec.Tiers.Single().UnitPrice.Amount, withTiers.Spec.Tiers.Single().MinQuantityTonnes.Value, withTiers.Spec.WarehouseAddress));
        Assert.Equal((await _api.Catalog.GetListingAsync(new GetListingRequest { ListingId = created[0].ListingId }, bearer)).Listing.Etag, withTiers.Etag);
        Assert.Equal(seller.Profile.LegalName, withTiers.SellerName);

        Assert.Equal(2, (await PageAllAsync(seller.EnterpriseId, ListingStatus.Active, bearer)).Count);
        Assert.Equal(created[2].ListingId, Assert.Single(await PageAllAsync(seller.EnterpriseId, ListingStatus.Delisted, bearer)).ListingId);
        Assert.Equal(3, (await PageAllAsync(seller.EnterpriseId, ListingStatus.Unspecified, Api.Bearer(await _api.OperatorTokenAsync()))).Count);

        var buyer = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => _api.Catalog.ListSellerListingsAsync(new ListSellerListingsRequest { SellerEnterpriseId = seller.EnterpriseId }, Api.Bearer(buyer.Tokens.AccessToken)).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.ListSellerListingsAsync(new ListSellerListingsRequest { SellerEnterpriseId = seller.EnterpriseId, PageToken = "garbage!" }, bearer).ResponseAsync, "INVALID_PAGE_TOKEN");
    }

    private async Task<List<Listing>> PageAllAsync(string sellerId, ListingStatus status, Metadata bearer)
    {
        var listings = new List<Listing>();
        var token = "";
        do
        {
            var page = await _api.Catalog.ListSellerListingsAsync(new ListSellerListingsRequest { SellerEnterpriseId = sellerId, Status = status, PageSize = 1, PageToken = token }, bearer);
            Assert.True(page.Listings.Count <= 1);
            listings.AddRange(page.Listings);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return listings;
    }

    [Fact]
    public async Task BulkUpsertCreatesOnceUpdatesOnceAndReportsEachBadItem()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var bearer = Api.Bearer(token);
        var badGrade = Api.RebarSpec();
        badGrade.Attributes["grade"] = "Q235B";
        var batch = new BulkUpsertListingsRequest
        {
            SellerEnterpriseId = seller.EnterpriseId,
            Items =
            {
                new BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), Spec = Api.RebarSpec("100") },
                new BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), Spec = badGrade },
                new BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), Spec = Api.RebarSpec("200.250") },
            },
        };
        var first = await _api.Catalog.BulkUpsertListingsAsync(batch, bearer);
        Assert.Equal(batch.Items.Select(i => i.RequestId), first.Results.Select(r => r.RequestId));
        Assert.Equal(("100.000", "200.250"), (first.Results[0].Listing.Spec.StockTonnes.Value, first.Results[2].Listing.Spec.StockTonnes.Value));
        Assert.Equal(((int)StatusCode.InvalidArgument, "NOT_ALLOWED_VALUE", null), (first.Results[1].ErrorCode, first.Results[1].ErrorReason, first.Results[1].Listing));
        Assert.Contains("items[1].spec.attributes.grade", first.Results[1].ErrorMessage, StringComparison.Ordinal);
        var violation = Assert.Single(first.Results[1].FieldViolations);
        Assert.Equal(("spec.attributes.grade", "NOT_ALLOWED_VALUE"), (violation.Field, violation.Reason));
        Assert.NotEmpty(violation.Description);
        Assert.Empty(first.Results[0].FieldViolations);

        var retried = await _api.Catalog.BulkUpsertListingsAsync(batch, bearer);
        Assert.Equal(first.Results[0].Listing.ListingId, retried.Results[0].Listing.ListingId);
        Assert.Equal(first.Results[2].Listing.Etag, retried.Results[2].Listing.Etag);
        Assert.Equal(2, (await Api.EventuallyAsync(() => _api.Catalog.ListSellerListingsAsync(new ListSellerListingsRequest { SellerEnterpriseId = seller.EnterpriseId }, bearer).ResponseAsync, r => r.Listings.Count >= 2)).Listings.Count);

        var id = first.Results[0].Listing.ListingId;
        var sync = new BulkUpsertListingsRequest { SellerEnterpriseId = seller.EnterpriseId, Items = { new BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), ListingId = id, Spec = Api.RebarSpec("80") } } };
        var synced = Assert.Single((await _api.Catalog.BulkUpsertListingsAsync(sync, bearer)).Results).Listing;
        Assert.Equal("80.000", synced.Spec.StockTonnes.Value);
        await _api.Catalog.UpdateListingStockAsync(new UpdateListingStockRequest { RequestId = Guid.NewGuid().ToString(), ListingId = id, StockTonnes = new ProtoDecimal { Value = "50" } }, bearer);
        var replay = Assert.Single((await _api.Catalog.BulkUpsertListingsAsync(sync, bearer)).Results).Listing;
        Assert.Equal("50.000", replay.Spec.StockTonnes.Value);

        var unchanged = new BulkUpsertListingsRequest { SellerEnterpriseId = seller.EnterpriseId, Items = { new BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), ListingId = id, Spec = Api.RebarSpec("50") } } };
        Assert.Equal(replay.Etag, Assert.Single((await _api.Catalog.BulkUpsertListingsAsync(unchanged, bearer)).Results).Listing.Etag);

        var duplicate = Guid.NewGuid().ToString();
        var twice = await _api.Catalog.BulkUpsertListingsAsync(new BulkUpsertListingsRequest
        {
            SellerEnterpriseId = seller.EnterpriseId,
            Items = { new BulkUpsertItem { RequestId = duplicate, Spec = Api.RebarSpec() }, new BulkUpsertItem { RequestId = duplicate, Spec = Api.RebarSpec() }, new BulkUpsertItem { Spec = Api.RebarSpec() } },
        }, bearer);
        Assert.Equal(0, twice.Results[0].ErrorCode);
        Assert.Equal(("DUPLICATE_REQUEST_ID", "REQUIRED"), (twice.Results[1].ErrorReason, twice.Results[2].ErrorReason));

        var tooMany = new BulkUpsertListingsRequest { SellerEnterpriseId = seller.EnterpriseId };
        tooMany.Items.AddRange(Enumerable.Range(0, 501).Select(_ => new BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), Spec = Api.RebarSpec() }));
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.BulkUpsertListingsAsync(tooMany, bearer).ResponseAsync, "INVALID_BATCH_SIZE");
    }

    [Fact]
    public async Task UpdateListingStockWithTheSameRequestIdHasItsEffectOnce()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var bearer = Api.Bearer(token);
        var listing = await CreateAsync(token, seller.EnterpriseId);
        var count = new UpdateListingStockRequest { RequestId = Guid.NewGuid().ToString(), ListingId = listing.ListingId, StockTonnes = new ProtoDecimal { Value = "10" } };
        await _api.Catalog.UpdateListingStockAsync(count, bearer);
        await _api.Catalog.UpdateListingStockAsync(new UpdateListingStockRequest { RequestId = Guid.NewGuid().ToString(), ListingId = listing.ListingId, StockTonnes = new ProtoDecimal { Value = "7.5" } }, bearer);
        Assert.Equal("7.500", (await _api.Catalog.UpdateListingStockAsync(count, bearer)).Listing.Spec.StockTonnes.Value);
    }

    [Fact]
    public async Task ListingErrorsNameTheRequestFields()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var spec = Api.RebarSpec();
        spec.Attributes["diameter"] = "Φ99";
        spec.WarehouseCity = "";
        spec.Tiers.Add(new PriceTier { MinQuantityTonnes = new ProtoDecimal { Value = "10" }, UnitPrice = new ProtoMoney { CurrencyCode = "CNY", Amount = "3600.00" } });
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(token)).ResponseAsync);
        var fields = RpcAssert.Violations(error).Select(v => v.Field).ToList();
        Assert.Contains("spec.attributes.diameter", fields);
        Assert.Contains("spec.warehouse_city", fields);
        Assert.All(fields, f => Assert.StartsWith("spec.", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperatorsAddAndEditCategoriesOthersCannot()
    {
        var operatorBearer = Api.Bearer(await _api.OperatorTokenAsync());
        var id = "steel.rail_" + Guid.NewGuid().ToString("N")[..8];
        var rail = new Category
        {
            CategoryId = id,
            ParentId = "steel",
            NameZh = "钢轨",
            NameEn = "Rails",
            Attributes =
            {
                new AttributeDefinition { Key = "rail_grade", LabelZh = "材质", LabelEn = "Grade", Kind = AttributeKind.Enum, Filterable = true, ShownInList = true, Options = { new AttributeOption { Value = "U71Mn", LabelZh = "U71Mn", LabelEn = "U71Mn" } } },
                new AttributeDefinition { Key = "weight_per_metre", LabelZh = "单重", LabelEn = "Weight", Kind = AttributeKind.Number, Unit = "kg/m", Min = new ProtoDecimal { Value = "38" }, Max = new ProtoDecimal { Value = "75" }, Filterable = true },
            },
        };
        var added = (await _api.Catalog.UpsertCategoryAsync(new UpsertCategoryRequest { Category = rail }, operatorBearer)).Category;
        Assert.Equal((3, "steel"), (added.Level, added.ParentId));
        Assert.Contains(added.Attributes, a => a.Key == "weight_per_metre" && a.Unit == "kg/m");

        // What ListCategories returns (inherited attributes included) can be sent back unchanged, guarded by the tree's etag.
        var tree = await _api.Catalog.ListCategoriesAsync(new ListCategoriesRequest(), operatorBearer);
        var listed = tree.Categories.Single(c => c.CategoryId == id);
        listed.NameZh = "重轨";
        var upserted = await _api.Catalog.UpsertCategoryAsync(new UpsertCategoryRequest { Category = listed, Etag = tree.Etag }, operatorBearer);
        var renamed = upserted.Category;
        Assert.Equal("重轨", renamed.NameZh);
        Assert.Equal(listed.Attributes.Select(a => a.Key), renamed.Attributes.Select(a => a.Key));
        Assert.NotEqual(tree.Etag, upserted.Etag);
        listed.NameZh = "轨道钢";
        await RpcAssert.ThrowsAsync(StatusCode.Aborted, () => _api.Catalog.UpsertCategoryAsync(new UpsertCategoryRequest { Category = listed, Etag = tree.Etag }, operatorBearer).ResponseAsync, "ETAG_MISMATCH");

        var user = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => _api.Catalog.UpsertCategoryAsync(new UpsertCategoryRequest { Category = rail }, Api.Bearer(user.Tokens.AccessToken)).ResponseAsync);

        var badId = rail.Clone();
        badId.CategoryId = "Steel Rails!";
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.UpsertCategoryAsync(new UpsertCategoryRequest { Category = badId }, operatorBearer).ResponseAsync, "INVALID_CATEGORY_ID");
        Assert.Equal("category.category_id", Assert.Single(RpcAssert.Violations(error)).Field);

        var (token, _, seller) = await _api.VerifiedSellerAsync();
        await CreateAsync(token, seller.EnterpriseId);
        await Api.EventuallyAsync(() => _api.Catalog.SearchListingsAsync(new SearchListingsRequest { SellerEnterpriseIds = { seller.EnterpriseId } }, Api.Bearer(token)).ResponseAsync, r => r.TotalCount == 1);
        var underRebar = new Category { CategoryId = "steel.rebar.coil_" + Guid.NewGuid().ToString("N")[..6], ParentId = "steel.rebar", NameZh = "盘螺", NameEn = "Coiled rebar" };
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _api.Catalog.UpsertCategoryAsync(new UpsertCategoryRequest { Category = underRebar }, operatorBearer).ResponseAsync, "CATEGORY_HAS_LISTINGS");
    }
}
