using System.Globalization;
using B2BTrade.Protos.Catalog.V1;
using Grpc.Core;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;

namespace B2BTrade.Client.Tests;

public sealed class CatalogValuesTests
{
    [Theory]
    [InlineData("12.5", "12.500")]
    [InlineData("0", "0.000")]
    [InlineData("1200.5", "1200.500")]
    [InlineData("0.001", "0.001")]
    [InlineData("25", "25.000")]
    public void TonnesAreWrittenWithThreePlaces(string tonnes, string expected) =>
        Assert.Equal(expected, CatalogValues.Tonnes(decimal.Parse(tonnes, CultureInfo.InvariantCulture)).Value);

    [Theory]
    [InlineData("3650", "3650.00")]
    [InlineData("3588.5", "3588.50")]
    [InlineData("-20", "-20.00")]
    [InlineData("1000000", "1000000.00")]
    public void CnyAmountsAreWrittenToTheFen(string amount, string expected)
    {
        var money = CatalogValues.Cny(decimal.Parse(amount, CultureInfo.InvariantCulture));

        Assert.Equal(("CNY", expected), (money.CurrencyCode, money.Amount));
    }

    [Fact]
    public void ValuesIgnoreTheCurrentCulture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma, dot grouping
            Assert.Equal("1234.500", CatalogValues.Tonnes(1234.5m).Value);
            Assert.Equal("3650.00", CatalogValues.Cny(3650m).Amount);
            Assert.Equal("12.5", CatalogValues.Number(12.5m).Value);
            Assert.Equal(1234.5m, CatalogValues.ToDecimal(new ProtoDecimal { Value = "1234.500" }));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void MorePlacesThanThePlatformHoldsAreRefusedNotRounded()
    {
        Assert.Throws<ArgumentException>(() => CatalogValues.Tonnes(1.0005m));
        Assert.Throws<ArgumentException>(() => CatalogValues.Cny(3650.005m));
        Assert.Equal("1.000", CatalogValues.Tonnes(1.0000m).Value); // trailing zeros are not extra precision
    }

    [Fact]
    public void ServerValuesReadBackAsDecimals()
    {
        Assert.Equal(1200.5m, CatalogValues.ToDecimal(new ProtoDecimal { Value = "1200.500" }));
        Assert.Equal(-20m, CatalogValues.ToDecimal(CatalogValues.Cny(-20m)));
        Assert.Throws<FormatException>(() => CatalogValues.ToDecimal(new ProtoDecimal { Value = "1,200.5" }));
        Assert.Throws<FormatException>(() => CatalogValues.ToDecimal(new ProtoDecimal { Value = "1e3" }));
    }
}

public sealed class CatalogCategoryTreeTests
{
    private static Category Node(string id, string parent, int order) => new() { CategoryId = id, ParentId = parent, NameZh = id, SortOrder = order };

    private static readonly CatalogCategoryTree s_tree = new([
        Node("steel", "", 0),
        Node("steel.rebar", "steel", 2),
        Node("steel.rebar.hrb400e", "steel.rebar", 3),
        Node("steel.wire_rod", "steel", 1),
        Node("nonferrous", "", 4),
    ]);

    [Fact]
    public void TheTreeAnswersRootsChildrenLeavesAndPaths()
    {
        Assert.Equal(["steel", "nonferrous"], s_tree.Roots.Select(c => c.CategoryId));
        Assert.Equal(["steel.wire_rod", "steel.rebar"], s_tree.ChildrenOf("steel").Select(c => c.CategoryId));
        Assert.Empty(s_tree.ChildrenOf("steel.wire_rod"));
        Assert.True(s_tree.IsLeaf("steel.rebar.hrb400e"));
        Assert.False(s_tree.IsLeaf("steel.rebar"));
        Assert.False(s_tree.IsLeaf("unknown"));
        Assert.Equal(["steel", "steel.rebar", "steel.rebar.hrb400e"], s_tree.PathTo("steel.rebar.hrb400e").Select(c => c.CategoryId));
        Assert.Empty(s_tree.PathTo("unknown"));
        Assert.Null(s_tree.Find("unknown"));
    }

    [Fact]
    public async Task TheTreeComesFromListCategories()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(new ListCategoriesResponse { Categories = { s_tree.All } })));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var tree = await client.Catalog.GetCategoryTreeAsync();

        Assert.Equal(5, tree.All.Count);
        Assert.Equal("steel", tree.PathTo("steel.wire_rod")[0].CategoryId);
    }
}

public sealed class CatalogListingTests
{
    private const string Search = "/b2btrade.catalog.v1.CatalogService/SearchListings";
    private const string SetStock = "/b2btrade.catalog.v1.CatalogService/UpdateListingStock";
    private const string Update = "/b2btrade.catalog.v1.CatalogService/UpdateListing";
    private const string SellerListings = "/b2btrade.catalog.v1.CatalogService/ListSellerListings";

    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    [Fact]
    public async Task SearchAllFollowsPageTokensWithTheSameFiltersSkipsRepeatsAndLeavesTheRequestAlone()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(SearchListingsRequest.Parser);
            Assert.Equal(("steel.rebar", "HRB400E", 2), (request.CategoryId, request.AttributeFilters.Single().Values.Single(), request.PageSize));
            var page = request.PageToken switch
            {
                "" => new SearchListingsResponse { TotalCount = 3, Listings = { new Listing { ListingId = "lst_1" }, new Listing { ListingId = "lst_2" } }, NextPageToken = "p2" },
                // lst_2 changed between the two pages and moved across the boundary: it is not returned twice.
                "p2" => new SearchListingsResponse { TotalCount = 3, Listings = { new Listing { ListingId = "lst_2" }, new Listing { ListingId = "lst_3" } } },
                _ => throw new InvalidOperationException(request.PageToken),
            };
            return Task.FromResult(FakeReply.Ok(page));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);
        var query = new SearchListingsRequest { CategoryId = "steel.rebar", AttributeFilters = { new AttributeFilter { AttributeKey = "grade", Values = { "HRB400E" } } }, PageSize = 2 };

        var ids = new List<string>();
        await foreach (var listing in client.Catalog.SearchAllAsync(query))
        {
            ids.Add(listing.ListingId);
        }

        Assert.Equal(["lst_1", "lst_2", "lst_3"], ids);
        Assert.Equal("", query.PageToken);
        Assert.Equal(3, (await client.Catalog.SearchAsync(query)).TotalCount);
    }

    [Fact]
    public async Task SetStockSendsTonnesWithThreePlacesAndTheSameRequestIdOnEveryRetry()
    {
        var attempts = 0;
        using var server = new FakeGrpcServer(call => Task.FromResult(++attempts < 3
            ? FakeReply.Error(StatusCode.DeadlineExceeded)
            : FakeReply.Ok(new UpdateListingStockResponse { Listing = new Listing { ListingId = "lst_1", Spec = new ListingSpec { StockTonnes = call.Parse(UpdateListingStockRequest.Parser).StockTonnes } } })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var listing = await client.Catalog.SetStockAsync("lst_1", 88.25m);

        Assert.Equal("88.250", listing.Spec.StockTonnes.Value);
        var sent = server.CallsTo(SetStock).Select(c => c.Parse(UpdateListingStockRequest.Parser)).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Single(sent.Select(r => r.RequestId).Distinct());
        Assert.True(Guid.TryParse(sent[0].RequestId, out _));
    }

    [Fact]
    public async Task UpdateWithoutARequestIdIsNotRetried()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unavailable)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Catalog.UpdateListingAsync("lst_1", CatalogBulkTests.Spec("x"), "3"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Catalog.DelistAsync("lst_1"));

        Assert.Single(server.CallsTo(Update));
        Assert.Equal("3", server.CallsTo(Update).Single().Parse(UpdateListingRequest.Parser).Etag);
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task SellerListingsAreReadPageByPageWithTheStatusFilter()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(ListSellerListingsRequest.Parser);
            Assert.Equal(("ent_1", ListingStatus.Active, 100), (request.SellerEnterpriseId, request.Status, request.PageSize));
            return Task.FromResult(FakeReply.Ok(request.PageToken == ""
                ? new ListSellerListingsResponse { Listings = { new Listing { ListingId = "lst_a" } }, NextPageToken = "n" }
                : new ListSellerListingsResponse { Listings = { new Listing { ListingId = "lst_b" } } }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var ids = new List<string>();
        await foreach (var listing in client.Catalog.ListSellerListingsAsync("ent_1", ListingStatus.Active, pageSize: 100))
        {
            ids.Add(listing.ListingId);
        }

        Assert.Equal(["lst_a", "lst_b"], ids);
        Assert.Equal(2, server.CallsTo(SellerListings).Count());
    }
}
