using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;

namespace B2BTrade.Domain.Tests.Catalog;

public class ListingRulesTests
{
    private const string Seller = "e_seller01";
    private const string Actor = "u_sales001";
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 14, 2, 0, 0, TimeSpan.Zero);
    private static readonly CategoryTree s_tree = CatalogSeed.Taxonomy();
    private static readonly SellerFacts s_sales = new(Seller, IsVerified: true, IsSeller: true, [MemberRole.Sales]);

    private static Tonnes T(string text) => Tonnes.Parse(text, "q");

    private static ListingDraft Rebar => new()
    {
        Name = "沙钢 HRB400E 螺纹钢",
        CategoryId = "steel.rebar",
        Attributes = new Dictionary<string, string> { ["grade"] = "HRB400E", ["diameter"] = "Φ12", ["length"] = "12m", ["mill"] = "沙钢" },
        Origin = "江苏张家港",
        Warehouse = new Warehouse("上海", "宝山区蕴川路 1000 号 宝钢物流园"),
        WeightBasis = WeightBasis.Theoretical,
        PriceBasis = new PriceBasis(TaxIncluded: true, DeliveryTerm.ExWorks),
        Pricing = new ListingPricing { UnitPrice = 3650m, Tiers = [new PriceTier(T("500"), DiscountPerTonne: 30m)] },
        MinOrder = T("25"),
        ImageFileIds = ["f_abcdefgh"],
    };

    private static ListingState Create(ListingDraft? draft = null, SellerFacts? facts = null, string stock = "1000") =>
        ListingRules.Create("l_rebar001", draft ?? Rebar, s_tree, facts ?? s_sales, T(stock), Actor, s_t0);

    private static ListingState BasePlusExtras() => Create(Rebar with
    {
        Attributes = new Dictionary<string, string> { ["grade"] = "HRB500E", ["diameter"] = "12", ["length"] = "12m", ["mill"] = "shagang" },
        Pricing = new ListingPricing
        {
            BasePrice = 3650m,
            Extras =
            [
                new PriceExtra("diameter", "Φ12", 50m),
                new PriceExtra("diameter", "25", 0m),
                new PriceExtra("grade", "HRB500E", 150m),
            ],
        },
    });

    [Fact]
    public void VerifiedSellersSalesMemberCreatesAnActiveListingWithNormalisedSpecs()
    {
        var listing = Create();

        Assert.Equal(ListingStatus.Active, listing.Status);
        Assert.Equal(Seller, listing.SellerEnterpriseId);
        Assert.Equal("shagang", listing.Attributes["mill"]);
        Assert.Equal("theoretical", listing.Attributes["weight_basis"]);
        Assert.Equal("沙钢", listing.Brand);
        Assert.Equal(["HRB400E", "Φ12mm", "12米", "沙钢", "理计"], listing.KeySpecs().Select(s => s.DisplayZh));
        Assert.Equal(0.888m, listing.TheoreticalKgPerMetre());
        Assert.Equal(0.13m, listing.VatRate);
        Assert.Equal(ListingChangeKind.Created, Assert.Single(listing.RecentChanges).Kind);
    }

    [Theory]
    [InlineData(MemberRole.Purchaser)]
    [InlineData(MemberRole.Finance)]
    [InlineData(MemberRole.Signatory)]
    public void MembersWithoutTheSalesRoleCannotCreateListings(MemberRole role)
    {
        var error = Assert.Throws<DomainException>(() => Create(facts: s_sales with { CallerRoles = [role] }));

        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
    }

    [Fact]
    public void UnverifiedOrNonSellerEnterprisesCannotList()
    {
        var unverified = Assert.Throws<DomainException>(() => Create(facts: s_sales with { IsVerified = false }));
        var buyerOnly = Assert.Throws<DomainException>(() => Create(facts: s_sales with { IsSeller = false }));

        Assert.Equal((ErrorKind.FailedPrecondition, "SELLER_NOT_VERIFIED"), (unverified.Kind, unverified.Reason));
        Assert.Equal((ErrorKind.FailedPrecondition, "NOT_A_SELLER"), (buyerOnly.Kind, buyerOnly.Reason));
    }

    [Fact]
    public void AnotherEnterpriseCannotTouchTheListing()
    {
        var listing = Create();
        var other = s_sales with { EnterpriseId = "e_rival001", CallerRoles = [MemberRole.Admin] };

        Assert.Equal("NOT_LISTING_OWNER", Assert.Throws<DomainException>(() => ListingRules.Delist(listing, other, s_t0)).Reason);
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => ListingRules.SetStock(listing, T("1"), other, Actor, s_t0)).Kind);
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => ListingRules.Update(listing, Rebar, s_tree, other, Actor, s_t0)).Kind);
    }

    [Fact]
    public void InvalidDraftReportsEveryFieldIncludingAttributes()
    {
        var draft = Rebar with
        {
            Name = "",
            Attributes = new Dictionary<string, string> { ["grade"] = "Q235B", ["diameter"] = "40", ["length"] = "12m", ["mill"] = "沙钢" },
            Warehouse = new Warehouse("", "x"),
            PriceBasis = new PriceBasis(TaxIncluded: false, DeliveryTerm.Delivered),
            MinOrder = Tonnes.Zero,
            ImageFileIds = ["../etc/passwd"],
        };

        var error = Assert.Throws<DomainException>(() => Create(draft));

        Assert.Subset(error.Violations.Select(v => v.Field).ToHashSet(), new HashSet<string>
        {
            "name", "attributes.grade", "attributes.diameter", "warehouse.city", "warehouse.address",
            "price_basis.tax_included", "price_basis.delivered_to", "min_order", "image_file_ids[0]",
        });
    }

    [Fact]
    public void ListingsGoInLeafCategoriesWithAnAllowedWeightBasis()
    {
        var notLeaf = Assert.Throws<DomainException>(() => Create(Rebar with { CategoryId = "steel" }));
        Assert.Equal("CATEGORY_NOT_LEAF", notLeaf.Violations.Single(v => v.Field == "category_id").Reason);

        var coil = Rebar with
        {
            CategoryId = "steel.hrc",
            Attributes = new Dictionary<string, string> { ["grade"] = "Q235B", ["thickness"] = "3.75", ["width"] = "1500", ["mill"] = "鞍钢" },
        };
        var error = Assert.Throws<DomainException>(() => Create(coil));
        Assert.Equal("WEIGHT_BASIS_NOT_ALLOWED", Assert.Single(error.Violations).Reason);
        Assert.Equal("3.75", Create(coil with { WeightBasis = WeightBasis.Weighed }).Attributes["thickness"]);
    }

    [Fact]
    public void WeightBasisAttributeMustAgreeWithTheListingsWeightBasis()
    {
        var draft = Rebar with { Attributes = new Dictionary<string, string>(Rebar.Attributes) { ["weight_basis"] = "过磅" } };

        var error = Assert.Throws<DomainException>(() => Create(draft));

        Assert.Equal("attributes.weight_basis", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void BasePlusExtrasShowsOneComputedPriceWithItsBreakdown()
    {
        var quote = ListingRules.ComputePrice(BasePlusExtras());

        Assert.Equal(3850.00m, quote.UnitPrice);
        Assert.Equal([3650m, 50m, 150m], quote.Breakdown.Select(l => l.Amount));
        Assert.Equal(["基价", "规格 Φ12mm", "材质 HRB500E"], quote.Breakdown.Select(l => l.LabelZh));
        Assert.True(quote.Basis.TaxIncluded);
    }

    [Fact]
    public void ChosenSizeWithinARangeListingPicksItsExtra()
    {
        var listing = BasePlusExtras();
        var draft = Rebar with
        {
            CategoryId = "steel.section",
            Attributes = new Dictionary<string, string> { ["product_name"] = "H型钢", ["grade"] = "Q235B", ["size"] = "200*100*5.5*8", ["length"] = "6-12", ["mill"] = "马钢" },
            Pricing = new ListingPricing { BasePrice = 3900m, Extras = [new PriceExtra("length", "6", 80m)] },
        };
        var section = Create(draft);

        Assert.Equal(3980m, ListingRules.ComputePrice(section, new Dictionary<string, string> { ["length"] = "6" }).UnitPrice);
        Assert.Equal(3900m, ListingRules.ComputePrice(section, new Dictionary<string, string> { ["length"] = "9" }).UnitPrice);
        Assert.Equal((3900m, 3980m), ListingRules.PriceRange(section));
        var error = Assert.Throws<DomainException>(() => ListingRules.ComputePrice(section, new Dictionary<string, string> { ["length"] = "15" }));
        Assert.Equal("selection.length", Assert.Single(error.Violations).Field);
        Assert.Throws<DomainException>(() => ListingRules.ComputePrice(listing, new Dictionary<string, string> { ["diameter"] = "25" }));
    }

    [Fact]
    public void ExtrasForValuesOutsideTheSchemaAreRefused()
    {
        var draft = Rebar with { Pricing = new ListingPricing { BasePrice = 3650m, Extras = [new PriceExtra("diameter", "Φ50", 50m), new PriceExtra("colour", "red", 1m)] } };

        var error = Assert.Throws<DomainException>(() => Create(draft));

        Assert.Equal(["pricing.extras[0].value", "pricing.extras[1].attribute_key"], error.Violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData("499.999", "3650.00", "1824996.35")]
    [InlineData("500", "3620.00", "1810000.00")]
    [InlineData("25", "3650.00", "91250.00")]
    public void VolumeTierAppliesFromItsThresholdExactly(string quantity, string price, string total)
    {
        var quote = ListingRules.PriceForQuantity(Create(), null, T(quantity));

        Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), quote.UnitPrice);
        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), quote.Total);
        Assert.Equal(quote.UnitPrice, quote.Breakdown.Sum(l => l.Amount));
    }

    [Fact]
    public void FixedPriceTiersPickTheHighestThresholdReached()
    {
        var listing = Create(Rebar with { Pricing = new ListingPricing { UnitPrice = 3650m, Tiers = [new PriceTier(T("100"), UnitPrice: 3630m), new PriceTier(T("1000"), UnitPrice: 3600m)] } });

        Assert.Equal(3650m, ListingRules.PriceForQuantity(listing, null, T("99.999")).UnitPrice);
        Assert.Equal(3630m, ListingRules.PriceForQuantity(listing, null, T("999.999")).UnitPrice);
        Assert.Equal(3600m, ListingRules.PriceForQuantity(listing, null, T("1000")).UnitPrice);
        Assert.Equal((3600m, 3650m), ListingRules.PriceRange(listing));
    }

    [Fact]
    public void TiersMustAscendAndEachBeCheaperThanTheLast()
    {
        var draft = Rebar with
        {
            Pricing = new ListingPricing
            {
                UnitPrice = 3650m,
                Tiers = [new PriceTier(T("100"), UnitPrice: 3630m), new PriceTier(T("100"), UnitPrice: 3640m), new PriceTier(T("10"), DiscountPerTonne: 5m)],
            },
        };

        var error = Assert.Throws<DomainException>(() => Create(draft));

        Assert.Equal(
            ["TIERS_NOT_ASCENDING", "TIER_NOT_LOWER", "TIER_BELOW_MOQ", "TIERS_MIXED"],
            error.Violations.Select(v => v.Reason));
    }

    [Fact]
    public void BuyingBelowTheMinimumOrderOrFromADelistedListingIsRefused()
    {
        var listing = Create();

        Assert.Equal("BELOW_MOQ", Assert.Throws<DomainException>(() => ListingRules.PriceForQuantity(listing, null, T("24.999"))).Reason);
        var delisted = ListingRules.Delist(listing, s_sales, s_t0);
        Assert.Equal("LISTING_DELISTED", Assert.Throws<DomainException>(() => ListingRules.PriceForQuantity(delisted, null, T("30"))).Reason);
        Assert.Equal(ListingStatus.Active, ListingRules.Relist(delisted, s_sales, s_t0).Status);
    }

    [Fact]
    public void StockNeverGoesNegativeUnderReserveAndRelease()
    {
        var listing = Create(stock: "100.5");
        listing = ListingRules.Reserve(listing, T("60.25"), "system", s_t0);
        listing = ListingRules.Reserve(listing, T("40.25"), "system", s_t0);

        Assert.Equal((T("0"), T("100.5")), (listing.Stock, listing.Reserved));
        var over = Assert.Throws<DomainException>(() => ListingRules.Reserve(listing, T("0.001"), "system", s_t0));
        Assert.Equal("INSUFFICIENT_STOCK", over.Reason);

        listing = ListingRules.Release(listing, T("40.25"), "system", s_t0);
        listing = ListingRules.Ship(listing, T("60.25"), "system", s_t0);
        Assert.Equal((T("40.25"), T("0")), (listing.Stock, listing.Reserved));
        Assert.Equal("EXCEEDS_RESERVED", Assert.Throws<DomainException>(() => ListingRules.Release(listing, T("0.001"), "system", s_t0)).Reason);
    }

    [Fact]
    public void AnOrderHoldsStockAndGetsItBackWithTheOrderAsActor()
    {
        // Holding once per order and releasing once are the listing grain's (its hold rows): see CatalogGrainTests.
        var listing = Create(stock: "100");
        listing = ListingRules.ReserveForOrder(listing, "ord_a", T("30"), s_t0);
        listing = ListingRules.ReserveForOrder(listing, "ord_b", T("20"), s_t0);
        Assert.Equal((T("50"), T("50")), (listing.Stock, listing.Reserved));
        Assert.Equal("order:ord_b", listing.RecentChanges[^1].By);

        // Rejected or cancelled: the tonnes go back on sale.
        listing = ListingRules.ReleaseForOrder(listing, "ord_b", T("20"), s_t0);
        Assert.Equal((T("70"), T("30")), (listing.Stock, listing.Reserved));
        Assert.Equal((ListingChangeKind.StockReleased, "order:ord_b"), (listing.RecentChanges[^1].Kind, listing.RecentChanges[^1].By));

        // More than is held for orders can never come back.
        Assert.Equal("EXCEEDS_RESERVED", Assert.Throws<DomainException>(() => ListingRules.ReleaseForOrder(listing, "ord_c", T("30.001"), s_t0)).Reason);
    }

    [Fact]
    public void PriceAndStockHistoryKeepsOnlyTheMostRecentChanges()
    {
        var listing = Create();
        for (var i = 1; i <= 60; i++)
        {
            listing = ListingRules.ChangePrice(listing, new ListingPricing { UnitPrice = 3600m + i }, s_tree, s_sales, Actor, s_t0.AddMinutes(i));
        }

        listing = ListingRules.SetStock(listing, T("880.5"), s_sales, Actor, s_t0.AddHours(2));

        Assert.Equal(ListingRules.MaxRecentChanges, listing.RecentChanges.Count);
        Assert.Equal(3660m, listing.RecentChanges[^2].ListPrice);
        Assert.Equal((ListingChangeKind.StockSet, T("880.5")), (listing.RecentChanges[^1].Kind, listing.RecentChanges[^1].Stock));
        Assert.Equal(3612m, listing.RecentChanges[0].ListPrice);
        Assert.Equal(62, listing.Version);
    }

    [Fact]
    public void OrderTrafficDoesNotPushTheSellersPriceChangesOutOfTheHistory()
    {
        var listing = Create(stock: "100000");
        for (var i = 1; i <= 5; i++)
        {
            listing = ListingRules.ChangePrice(listing, new ListingPricing { UnitPrice = 3600m + i }, s_tree, s_sales, Actor, s_t0.AddMinutes(i));
        }

        // A busy day: 200 orders held and 40 of them released, far more than the history holds.
        for (var i = 0; i < 200; i++)
        {
            listing = ListingRules.ReserveForOrder(listing, $"ord_{i:D3}", T("25"), s_t0.AddHours(1).AddSeconds(i));
            if (i % 5 == 0)
            {
                listing = ListingRules.ReleaseForOrder(listing, $"ord_{i:D3}", T("25"), s_t0.AddHours(1).AddSeconds(i));
            }
        }

        // The creation and all five price changes are still there, oldest first, then the last 30 order movements.
        var seller = listing.RecentChanges.Where(c => c.Kind is ListingChangeKind.Created or ListingChangeKind.PriceChanged).ToList();
        Assert.Equal([3650m, 3601m, 3602m, 3603m, 3604m, 3605m], seller.Select(c => c.ListPrice));
        Assert.Equal(ListingRules.MaxRecentOrderMovements, listing.RecentChanges.Count - seller.Count);
        Assert.Equal(seller, listing.RecentChanges.Take(seller.Count));
        Assert.Equal(("order:ord_199", ListingChangeKind.StockReserved), (listing.RecentChanges[^1].By, listing.RecentChanges[^1].Kind));
        Assert.Equal(listing.RecentChanges.OrderBy(c => c.At), listing.RecentChanges);

        // Seller changes beyond their share still push out the oldest entries: the total stays bounded.
        for (var i = 1; i <= 45; i++)
        {
            listing = ListingRules.SetStock(listing, T((90000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), s_sales, Actor, s_t0.AddHours(2).AddMinutes(i));
        }

        Assert.Equal(ListingRules.MaxRecentChanges, listing.RecentChanges.Count);
        Assert.Equal((ListingChangeKind.StockSet, T("90045")), (listing.RecentChanges[^1].Kind, listing.RecentChanges[^1].Stock));
        Assert.Equal(45, listing.RecentChanges.Count(c => c.Kind == ListingChangeKind.StockSet));
    }

    [Fact]
    public void EditingWithoutAPriceChangeAddsNoHistory()
    {
        var listing = Create();

        var edited = ListingRules.Update(listing, Rebar with { Name = "沙钢 HRB400E Φ12 螺纹钢 现货" }, s_tree, s_sales, Actor, s_t0.AddMinutes(5));

        Assert.Equal("沙钢 HRB400E Φ12 螺纹钢 现货", edited.Name);
        Assert.Single(edited.RecentChanges);
        Assert.Equal(2, edited.Version);
        Assert.Equal(s_t0.AddMinutes(5), edited.UpdatedAt);
    }

    [Fact]
    public void DelistingIsAllowedEvenAfterVerificationLapses()
    {
        var listing = Create();
        var lapsed = s_sales with { IsVerified = false };

        Assert.Equal(ListingStatus.Delisted, ListingRules.Delist(listing, lapsed, s_t0).Status);
        Assert.Equal("SELLER_NOT_VERIFIED", Assert.Throws<DomainException>(() => ListingRules.ChangePrice(listing, new ListingPricing { UnitPrice = 1m }, s_tree, lapsed, Actor, s_t0)).Reason);
    }

    [Fact]
    public void NegativeExtrasThatWouldMakeAPriceZeroAreRefused()
    {
        var draft = Rebar with { Pricing = new ListingPricing { BasePrice = 100m, Extras = [new PriceExtra("grade", "HRB400E", -100m)] } };

        Assert.Equal("PRICE_NOT_POSITIVE", Assert.Throws<DomainException>(() => Create(draft)).Reason);
    }

    [Fact]
    public void SoybeanListingTakesItsOriginFromTheOriginAttribute()
    {
        var soy = Create(Rebar with
        {
            Name = "巴西大豆 蛋白 35%",
            CategoryId = "agri.soybean",
            Attributes = new Dictionary<string, string> { ["origin"] = "巴西", ["moisture"] = "13", ["protein"] = "35.5%" },
            Origin = null,
            WeightBasis = WeightBasis.Weighed,
            Pricing = new ListingPricing { UnitPrice = 4200m },
        });

        Assert.Equal("巴西", soy.Origin);
        Assert.Equal("35.5", soy.Attributes["protein"]);
        Assert.Equal(0.09m, soy.VatRate);
        Assert.Null(soy.TheoreticalKgPerMetre());
    }

    [Fact]
    public void AnUpdateThatChangesNothingMakesNoNewVersion()
    {
        var listing = Create();
        Assert.Same(listing, ListingRules.Update(listing, Rebar, s_tree, s_sales, Actor, s_t0.AddHours(1)));
        var renamed = ListingRules.Update(listing, Rebar with { Name = "沙钢 HRB400E 螺纹钢 新货" }, s_tree, s_sales, Actor, s_t0.AddHours(1));
        Assert.Equal(listing.Version + 1, renamed.Version);
    }

    [Fact]
    public void RememberedRequestIdsAreBounded()
    {
        var listing = Create();
        for (var i = 0; i < ListingRules.MaxRememberedRequests + 5; i++)
        {
            listing = ListingRules.RememberRequest(listing, $"req-{i:D4}-abcdef");
        }

        Assert.Equal(ListingRules.MaxRememberedRequests, listing.AppliedRequestIds.Count);
        Assert.Equal($"req-{ListingRules.MaxRememberedRequests + 4:D4}-abcdef", listing.AppliedRequestIds[^1]);
        Assert.DoesNotContain("req-0000-abcdef", listing.AppliedRequestIds);
    }

    [Fact]
    public void AListingSurvivesAJsonRoundTripWithExactTonnesAndPrices()
    {
        var listing = ListingRules.SetStock(BasePlusExtras(), T("1200.125"), s_sales, Actor, s_t0.AddMinutes(5));
        var json = System.Text.Json.JsonSerializer.Serialize(listing);
        Assert.Contains("\"1200.125\"", json, StringComparison.Ordinal);
        var back = System.Text.Json.JsonSerializer.Deserialize<ListingState>(json)!;
        Assert.Equal((listing.Stock, listing.MinOrder, listing.Version), (back.Stock, back.MinOrder, back.Version));
        Assert.Equal(ListingRules.ComputePrice(listing).UnitPrice, ListingRules.ComputePrice(back).UnitPrice);
        Assert.Equal(ListingRules.ComputePrice(listing).Breakdown.Select(l => (l.LabelZh, l.Amount)), ListingRules.ComputePrice(back).Breakdown.Select(l => (l.LabelZh, l.Amount)));
        Assert.Equal(listing.Attributes.OrderBy(a => a.Key), back.Attributes.OrderBy(a => a.Key));
        Assert.Equal(listing.ListSpecs, back.ListSpecs);
        Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Tonnes>("1.5"));
    }

    [Theory]
    [InlineData("ERP-0001", true)]
    [InlineData("", true)]
    [InlineData("x\u0001y", false)]
    public void TheSellersSkuIsOptionalPrintableAndShort(string sku, bool valid)
    {
        if (valid)
        {
            Assert.Equal(sku, Create(Rebar with { SellerSku = sku }).SellerSku);
            return;
        }

        var error = Assert.Throws<DomainException>(() => Create(Rebar with { SellerSku = sku }));
        Assert.Contains(error.Violations, v => v.Field == "seller_sku");
        Assert.Throws<DomainException>(() => Create(Rebar with { SellerSku = new string('S', 65) }));
    }
}
