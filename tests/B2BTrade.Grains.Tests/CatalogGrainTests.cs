using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Silo.Data;
using Microsoft.Extensions.DependencyInjection;

namespace B2BTrade.Grains.Tests;

/// <summary>Listing and category-tree grains over each store; see the concrete classes beside <see cref="ClusterFixture"/>.</summary>
public abstract class CatalogGrainTests(ClusterFixture fixture)
{
    private static readonly Caller s_operator = new("u_operator0000000000000000", true, "运营");

    private static Tonnes T(string text) => Tonnes.Parse(text, "q");

    private static ListingDraft Rebar() => new()
    {
        Name = "沙钢 HRB400E 螺纹钢 Φ25",
        CategoryId = "steel.rebar",
        Attributes = new Dictionary<string, string> { ["grade"] = "HRB400E", ["diameter"] = "Φ25", ["length"] = "12m", ["mill"] = "沙钢" },
        Origin = "江苏张家港",
        Warehouse = new Warehouse("上海", "宝山区蕴川路 1000 号"),
        WeightBasis = WeightBasis.Theoretical,
        PriceBasis = new PriceBasis(TaxIncluded: true, DeliveryTerm.ExWorks),
        Pricing = new ListingPricing { UnitPrice = 3650m },
        MinOrder = T("25"),
    };

    /// <summary>A seller enterprise (verified or not) with its admin as the caller.</summary>
    private async Task<(Caller Admin, string EnterpriseId)> SellerAsync(bool verified)
    {
        var admin = new Caller(Ids.NewId("u"), false, "销售经理");
        var upload = fixture.Grains.GetGrain<IUploadGrain>(Ids.NewId("up"));
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };
        await upload.StartAsync(admin, "licence.png", png.Length, null);
        await upload.AppendAsync(admin, 0, png);
        var licence = await upload.CompleteAsync(admin, null);
        var requestId = Guid.NewGuid().ToString();
        var enterpriseId = Ids.Derived("ent", admin.UserId, requestId);
        var enterprise = fixture.Grains.GetGrain<IEnterpriseGrain>(enterpriseId);
        const string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var body = "91310000" + new string(Enumerable.Range(0, 9).Select(_ => charset[Random.Shared.Next(charset.Length)]).ToArray());
        await enterprise.CreateAsync(admin, requestId, new EnterpriseProfile
        {
            LegalName = "上海钢贸测试有限公司",
            UnifiedSocialCreditCode = body + UnifiedSocialCreditCode.CheckCharacter(body),
            LegalRepresentative = "钱七",
            RegisteredAddress = "上海市宝山区测试路 8 号",
            ContactName = "孙八",
            ContactPhone = "13600136000",
            BusinessLicenceFileId = licence.FileId,
            IsSeller = true,
        });
        if (verified)
        {
            await enterprise.SubmitAsync(admin);
            await enterprise.ApproveAsync(s_operator);
        }

        return (admin, enterpriseId);
    }

    private IListingGrain Listing(Caller caller, string enterpriseId, string requestId) =>
        fixture.Grains.GetGrain<IListingGrain>(Ids.Derived("lst", enterpriseId, requestId));

    [Fact]
    public async Task VerifiedSellerListsGoodsOnceAndTheListingReachesTheReadModel()
    {
        var (admin, enterpriseId) = await SellerAsync(verified: true);
        var requestId = Guid.NewGuid().ToString();
        var grain = Listing(admin, enterpriseId, requestId);
        var created = await grain.CreateAsync(admin, requestId, enterpriseId, Rebar(), T("1200.500"));
        var retried = await grain.CreateAsync(admin, requestId, enterpriseId, Rebar(), T("1200.500"));

        Assert.Equal(ListingStatus.Active, created.State.Status);
        Assert.Equal(3650m, created.Price.UnitPrice);
        Assert.Equal(created.State.Version, retried.State.Version);

        await fixture.Cluster.DeactivateAsync(grain);
        var reloaded = await grain.GetAsync();
        Assert.Equal("1200.500", reloaded.State.Stock.ToString());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<(string Seller, decimal Stock)> rows;
        do
        {
            await using var connection = await fixture.Database.OpenAsync();
            rows = await connection.QueryAsync("SELECT seller_enterprise_id, stock_tonnes FROM rm_listings WHERE listing_id = @id",
                r => (r.GetString(0), Convert.ToDecimal(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)), null, ("@id", grain.GetPrimaryKeyString()));
        }
        while (rows.Count == 0 && DateTime.UtcNow < deadline && await Task.Delay(50).ContinueWith(_ => true));
        Assert.Equal((enterpriseId, 1200.500m), Assert.Single(rows));

        // The document carries the whole listing, so seller lists and live pushes need no grain call.
        var queries = new B2BTrade.Silo.ReadModel.ReadModelQueries(fixture.Database);
        var row = Assert.Single(await queries.GetListingsAsync([grain.GetPrimaryKeyString()]));
        using var document = System.Text.Json.JsonDocument.Parse(row.Document);
        var fromReadModel = B2BTrade.Grains.Catalog.ListingReadModel.ParseView(document.RootElement)!;
        Assert.Equal((reloaded.State.Stock, reloaded.State.Version, reloaded.State.Warehouse, reloaded.Price.UnitPrice), (fromReadModel.State.Stock, fromReadModel.State.Version, fromReadModel.State.Warehouse, fromReadModel.Price.UnitPrice));
        Assert.Equal(grain.GetPrimaryKeyString(), Assert.Single((await queries.ListSellerListingsAsync(enterpriseId, null, 10, null)).Items).ListingId);
        await using (var connection = await fixture.Database.OpenAsync())
        {
            var projected = await connection.QueryAsync("SELECT projected_at FROM rm_listings WHERE listing_id = @id", r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), null, ("@id", grain.GetPrimaryKeyString()));
            var micros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
            Assert.InRange(Assert.Single(projected), micros - 600_000_000, micros + 600_000_000);
        }
    }

    [Fact]
    public async Task ARetriedSyncHasItsEffectOnceAndAnUnchangedOneMakesNoVersion()
    {
        var (admin, enterpriseId) = await SellerAsync(verified: true);
        var requestId = Guid.NewGuid().ToString();
        var grain = Listing(admin, enterpriseId, requestId);
        var created = await grain.CreateAsync(admin, requestId, enterpriseId, Rebar(), T("100"));
        var syncId = Guid.NewGuid().ToString();
        var synced = await grain.SyncAsync(admin, Rebar() with { Name = "沙钢 螺纹钢 新批次" }, T("80"), syncId);
        Assert.Equal(("80.000", "沙钢 螺纹钢 新批次"), (synced.State.Stock.ToString(), synced.State.Name));
        await grain.SetStockAsync(admin, T("60"));
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.Equal("60.000", (await grain.SyncAsync(admin, Rebar() with { Name = "沙钢 螺纹钢 新批次" }, T("80"), syncId)).State.Stock.ToString());
        var current = await grain.GetAsync();
        Assert.Equal(current.State.Version, (await grain.SyncAsync(admin, Rebar() with { Name = "沙钢 螺纹钢 新批次" }, T("60"), Guid.NewGuid().ToString())).State.Version);
        Assert.True(current.State.Version > created.State.Version);
    }

    [Fact]
    public async Task AnUnverifiedSellerCannotListAndOutsidersCannotTouchAListing()
    {
        var (pending, pendingId) = await SellerAsync(verified: false);
        var requestId = Guid.NewGuid().ToString();
        var refused = await Assert.ThrowsAsync<DomainException>(() => Listing(pending, pendingId, requestId).CreateAsync(pending, requestId, pendingId, Rebar(), T("10")));
        Assert.Equal((ErrorKind.FailedPrecondition, "SELLER_NOT_VERIFIED"), (refused.Kind, refused.Reason));

        var (admin, enterpriseId) = await SellerAsync(verified: true);
        var ownRequest = Guid.NewGuid().ToString();
        var grain = Listing(admin, enterpriseId, ownRequest);
        var listing = await grain.CreateAsync(admin, ownRequest, enterpriseId, Rebar(), T("500"));
        var outsider = new Caller(Ids.NewId("u"), false, "他人");
        Assert.Equal(ErrorKind.PermissionDenied, (await Assert.ThrowsAsync<DomainException>(() => grain.DelistAsync(outsider))).Kind);
        Assert.Equal(ErrorKind.PermissionDenied, (await Assert.ThrowsAsync<DomainException>(() => grain.SetStockAsync(outsider, T("0")))).Kind);
        Assert.Equal(ErrorKind.Aborted, (await Assert.ThrowsAsync<DomainException>(() => grain.UpdateAsync(admin, Rebar() with { Name = "改名" }, "999"))).Kind);

        var delisted = await grain.DelistAsync(admin);
        Assert.Equal(ListingStatus.Delisted, delisted.State.Status);
        Assert.Equal("500.000", (await grain.GetAsync()).State.Stock.ToString());
        Assert.Equal(listing.State.ListingId, delisted.State.ListingId);
    }

    [Fact]
    public async Task OrderHoldsAreRowsBesideTheListingSoAReservationWritesTheSameBytesHoweverManyOrdersItHolds()
    {
        var grain = await ListingOfVerifiedSellerAsync(T("10000"));
        var orders = Enumerable.Range(0, 120).Select(i => $"ord_hold{i:D4}{Guid.NewGuid():N}"[..26]).ToList();

        var sizes = new List<long>();
        for (var i = 0; i < orders.Count; i++)
        {
            await grain.ReserveForOrderAsync(orders[i], T("25"));
            if (i is 59 or 119)
            {
                sizes.Add(await StateBytesAsync(grain.GetPrimaryKeyString()));
            }
        }

        // 60 holds or 120 (past the bounded list of recent changes): the stored state is the same size (only version counters may gain a byte).
        Assert.InRange(sizes[1] - sizes[0], -4, 4);
        Assert.Equal(120, await HoldRowsAsync(grain.GetPrimaryKeyString()));
        Assert.Equal(("7000.000", "3000.000"), ((await grain.GetAsync()).State.Stock.ToString(), (await grain.GetAsync()).State.Reserved.ToString()));

        // A retried hold holds nothing more, also after the listing was deactivated (the holds are read back from their rows).
        await fixture.Cluster.DeactivateAsync(grain);
        await grain.ReserveForOrderAsync(orders[0], T("25"));
        Assert.Equal("7000.000", (await grain.GetAsync()).State.Stock.ToString());

        // Released once, however often it is asked; a confirmed order's tonnes stay reserved and can no longer be released.
        await grain.ReleaseForOrderAsync(orders[0]);
        await fixture.Cluster.DeactivateAsync(grain);
        await grain.ReleaseForOrderAsync(orders[0]);
        await grain.CommitForOrderAsync(orders[1]);
        await grain.ReleaseForOrderAsync(orders[1]);
        var after = (await grain.GetAsync()).State;
        Assert.Equal(("7025.000", "2975.000"), (after.Stock.ToString(), after.Reserved.ToString()));
        Assert.Equal(118, await HoldRowsAsync(grain.GetPrimaryKeyString()));
        Assert.Empty(after.OrderReservations);
    }

    [Fact]
    public async Task HoldsStoredInsideAnOlderListingStateMoveToRowsAndStillReleaseOnce()
    {
        var grain = await ListingOfVerifiedSellerAsync(T("1000"));
        await fixture.Cluster.DeactivateAsync(grain);

        // Rewrite the stored state the way the code before listing_holds kept two holds: inside the state.
        var storage = fixture.SiloServices.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(B2BTrade.Grains.Infrastructure.StorageNames.Grains);
        var grainId = GrainId.Create("listing", grain.GetPrimaryKeyString());
        var stored = new StoredState<B2BTrade.Grains.Infrastructure.AggregateState<ListingState>>(new());
        await storage.ReadStateAsync("listing", grainId, stored);
        var listing = stored.State.Aggregate!;
        listing = ListingRules.ReserveForOrder(listing, "ord_legacya00000000000000", T("100"), DateTimeOffset.UtcNow);
        listing = ListingRules.ReserveForOrder(listing, "ord_legacyb00000000000000", T("50"), DateTimeOffset.UtcNow);
        stored.State.Aggregate = listing with
        {
            OrderReservations = System.Collections.Immutable.ImmutableDictionary<string, Tonnes>.Empty.Add("ord_legacya00000000000000", T("100")).Add("ord_legacyb00000000000000", T("50")),
        };
        await storage.WriteStateAsync("listing", grainId, stored);

        await grain.ReleaseForOrderAsync("ord_legacya00000000000000");
        await grain.ReleaseForOrderAsync("ord_legacya00000000000000");
        Assert.Equal(("950.000", "50.000"), ((await grain.GetAsync()).State.Stock.ToString(), (await grain.GetAsync()).State.Reserved.ToString()));
        Assert.Empty((await grain.GetAsync()).State.OrderReservations);
        Assert.Equal(1, await HoldRowsAsync(grain.GetPrimaryKeyString()));

        await fixture.Cluster.DeactivateAsync(grain);
        await grain.ReleaseForOrderAsync("ord_legacyb00000000000000");
        Assert.Equal(("1000.000", "0.000"), ((await grain.GetAsync()).State.Stock.ToString(), (await grain.GetAsync()).State.Reserved.ToString()));
        Assert.Equal(0, await HoldRowsAsync(grain.GetPrimaryKeyString()));
    }

    private async Task<IListingGrain> ListingOfVerifiedSellerAsync(Tonnes stock)
    {
        var (admin, enterpriseId) = await SellerAsync(verified: true);
        var requestId = Guid.NewGuid().ToString();
        var grain = Listing(admin, enterpriseId, requestId);
        await grain.CreateAsync(admin, requestId, enterpriseId, Rebar(), stock);
        return grain;
    }

    private sealed class StoredState<TState>(TState state) : IGrainState<TState>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public TState State { get; set; } = state;
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    private async Task<long> StateBytesAsync(string listingId)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return (await connection.QueryAsync("SELECT LENGTH(data) FROM grain_state WHERE state_name = 'listing' AND grain_id = @id",
            r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), null, ("@id", "listing/" + listingId)))[0];
    }

    private async Task<long> HoldRowsAsync(string listingId)
    {
        await using var connection = await fixture.Database.OpenAsync();
        return (await connection.QueryAsync("SELECT COUNT(*) FROM listing_holds WHERE listing_id = @id",
            r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), null, ("@id", listingId)))[0];
    }

    [Fact]
    public async Task OnlyOperatorsEditTheCategoryTreeAndEditsPersist()
    {
        var tree = fixture.Grains.GetGrain<ICategoryTreeGrain>("default");
        Assert.Contains("steel.rebar", (await tree.GetAsync()).SubtreeIds("steel"));
        var seller = new Caller(Ids.NewId("u"), false, "卖家");
        var id = "steel.rebar_test_" + Guid.NewGuid().ToString("N")[..6];
        var category = new NewCategory { Id = id, ParentId = "steel", NameZh = "测试螺纹", NameEn = "Test rebar" };
        Assert.Equal(ErrorKind.PermissionDenied, (await Assert.ThrowsAsync<DomainException>(() => tree.AddCategoryAsync(seller, category))).Kind);

        await tree.AddCategoryAsync(s_operator, category);
        await fixture.Cluster.DeactivateAsync(tree);
        Assert.Contains(id, (await tree.GetAsync()).SubtreeIds("steel"));
    }
}

[Collection(ClusterCollection.Name)]
public sealed class SqliteCatalogGrainTests(ClusterFixture fixture) : CatalogGrainTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCatalogGrainTests(PostgresClusterFixture fixture) : CatalogGrainTests(fixture);
