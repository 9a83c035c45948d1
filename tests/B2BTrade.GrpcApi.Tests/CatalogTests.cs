using B2BTrade.Protos.Catalog.V1;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class CatalogTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.NativeChannel(), factory);

    [Fact]
    public async Task CategoryTreeHasThreeLevelsAndTheRebarSchema()
    {
        var user = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        var tree = await _api.Catalog.ListCategoriesAsync(new ListCategoriesRequest(), Api.Bearer(user.Tokens.AccessToken));
        var rebar = tree.Categories.Single(c => c.CategoryId == "steel.rebar");
        Assert.Equal("螺纹钢", rebar.NameZh);
        Assert.True(rebar.Level >= 3);
        Assert.Equal("0.13", rebar.VatRate.Value);
        Assert.Contains(rebar.Attributes.Single(a => a.Key == "grade").Options, o => o.Value == "HRB400E");
        var diameter = rebar.Attributes.Single(a => a.Key == "diameter");
        Assert.Equal(("mm", true), (diameter.Unit, diameter.Filterable));
    }

    [Fact]
    public async Task AListingIsSearchableWithFacetsAndLeavesSearchWhenDelisted()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var created = await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = Api.RebarSpec() }, Api.Bearer(token));
        var listing = created.Listing;
        Assert.Equal(("3650.00", "1200.500"), (listing.DisplayPrice.Amount, listing.Spec.StockTonnes.Value));
        Assert.Contains("HRB400E", listing.KeySpecs);

        var buyer = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        var request = new SearchListingsRequest
        {
            CategoryId = "steel",
            Keyword = "螺纹钢 沙钢",
            SellerEnterpriseIds = { seller.EnterpriseId },
            AttributeFilters = { new AttributeFilter { AttributeKey = "grade", Values = { "HRB400E" } } },
        };
        var found = await Api.EventuallyAsync(() => _api.Catalog.SearchListingsAsync(request, Api.Bearer(buyer.Tokens.AccessToken)).ResponseAsync, r => r.TotalCount > 0);
        var hit = Assert.Single(found.Listings);
        Assert.Equal((listing.ListingId, seller.Profile.LegalName), (hit.ListingId, hit.SellerName));
        Assert.Contains(found.Facets.Single(f => f.Key == "grade").Values, v => v.Value == "HRB400E" && v.Count == 1);
        Assert.Contains(found.Facets.Single(f => f.Key == "warehouse_city").Values, v => v.Value == "上海" && v.Count == 1);

        var wrongGrade = request.Clone();
        wrongGrade.AttributeFilters[0].Values[0] = "HRB500E";
        Assert.Equal(0, (await _api.Catalog.SearchListingsAsync(wrongGrade, Api.Bearer(buyer.Tokens.AccessToken))).TotalCount);

        await _api.Catalog.DelistListingAsync(new DelistListingRequest { ListingId = listing.ListingId }, Api.Bearer(token));
        var after = await Api.EventuallyAsync(() => _api.Catalog.SearchListingsAsync(request, Api.Bearer(buyer.Tokens.AccessToken)).ResponseAsync, r => r.TotalCount == 0);
        Assert.Equal(0, after.TotalCount);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => _api.Catalog.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, Api.Bearer(buyer.Tokens.AccessToken)).ResponseAsync);
        var own = await _api.Catalog.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, Api.Bearer(token));
        Assert.Equal(ListingStatus.Delisted, own.Listing.Status);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("MXw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OXxsc3RfeA")] // "1|99999999999999999999999999|lst_x": overflows a long
    [InlineData("MHwxfGxzdF94")] // a token of another sort order
    public async Task HostilePageTokensAreInvalidArgumentsNotErrors(string token)
    {
        var buyer = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.SearchListingsAsync(
            new SearchListingsRequest { Sort = ListingSort.PriceAscending, PageToken = token }, Api.Bearer(buyer.Tokens.AccessToken)).ResponseAsync, "INVALID_PAGE_TOKEN");
        Assert.Equal("page_token", Assert.Single(RpcAssert.Violations(error)).Field);
    }

    [Fact]
    public async Task HundredsOfBadFieldsStillAnswerInvalidArgumentWithTheFirstTwenty()
    {
        // An attacker's review: 500 unknown attributes made an error too large for the trailers; the client saw UNAVAILABLE.
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var spec = Api.RebarSpec();
        for (var i = 0; i < 500; i++)
        {
            spec.Attributes[$"unknown_attribute_{i:D3}"] = new string('x', 60);
        }

        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(token)).ResponseAsync);
        var violations = RpcAssert.Violations(error);
        Assert.Equal(B2BTrade.GrpcApi.Interceptors.ErrorInterceptor.MaxViolationsSent, violations.Count);
        Assert.All(violations, v => Assert.StartsWith("spec.attributes", v.Field, StringComparison.Ordinal));
        var omitted = int.Parse(error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["violations_omitted"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(omitted >= 480 - violations.Count, $"omitted {omitted}");
    }

    [Fact]
    public async Task BadListingFieldsAreNamedAndUnverifiedSellersAreRefused()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var spec = Api.RebarSpec(stock: "1.2345");
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(token)).ResponseAsync);
        Assert.Contains(RpcAssert.Violations(error), v => v.Field == "spec.stock_tonnes");

        var badGrade = Api.RebarSpec();
        badGrade.Attributes["grade"] = "Q235B";
        var schemaError = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = badGrade }, Api.Bearer(token)).ResponseAsync);
        Assert.Contains(RpcAssert.Violations(schemaError), v => v.Field.EndsWith("grade", StringComparison.Ordinal));

        var strangerFile = await _api.UploadAsync((await _api.RegisterAsync(Api.Email(Api.UniqueEmail()))).Tokens.AccessToken, Api.Png());
        var borrowed = Api.RebarSpec();
        borrowed.ImageFileIds.Add(strangerFile.FileId);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = borrowed }, Api.Bearer(token)).ResponseAsync, "FILE_NOT_FOUND");
        var withImage = Api.RebarSpec();
        withImage.ImageFileIds.Add((await _api.UploadAsync(token, Api.Png())).FileId);
        var listed = await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = withImage }, Api.Bearer(token));
        Assert.Single(listed.Listing.Spec.ImageFileIds);

        var (pendingToken, _, pending) = await _api.EnterpriseWithAdminAsync();
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = pending.EnterpriseId, Spec = Api.RebarSpec() }, Api.Bearer(pendingToken)).ResponseAsync, "SELLER_NOT_VERIFIED");
    }
}
