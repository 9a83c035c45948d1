using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using Grpc.Core;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;
using ProtoMoney = B2BTrade.Protos.Common.V1.Money;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>Listing fields as a client sees them: SKU, delivered prices, discount tiers, names, language, images, retries.</summary>
[Collection(ApiCollection.Name)]
public sealed class CatalogContractTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.NativeChannel(), factory);

    private static ProtoMoney Cny(string amount) => new() { CurrencyCode = "CNY", Amount = amount };

    [Fact]
    public async Task SkuDeliveredPriceAndSellerNameComeBackAsSent()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var spec = Api.RebarSpec();
        spec.SellerSku = "ERP-RB-HRB400E-25";
        spec.DeliveryPriceBasis = DeliveryPriceBasis.Delivered;
        spec.DeliveredTo = "上海市宝山区";
        var created = (await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(token))).Listing;
        Assert.Equal(("ERP-RB-HRB400E-25", DeliveryPriceBasis.Delivered, "上海市宝山区"), (created.Spec.SellerSku, created.Spec.DeliveryPriceBasis, created.Spec.DeliveredTo));
        Assert.Equal(seller.Profile.LegalName, created.SellerName);

        var buyer = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual);
        var read = (await _api.Catalog.GetListingAsync(new GetListingRequest { ListingId = created.ListingId }, Api.Bearer(buyer.Tokens.AccessToken))).Listing;
        Assert.Equal((seller.Profile.LegalName, "ERP-RB-HRB400E-25", "上海市宝山区"), (read.SellerName, read.Spec.SellerSku, read.Spec.DeliveredTo));

        var listed = await Api.EventuallyAsync(() => _api.Catalog.ListSellerListingsAsync(new ListSellerListingsRequest { SellerEnterpriseId = seller.EnterpriseId }, Api.Bearer(token)).ResponseAsync, r => r.Listings.Count == 1);
        Assert.Equal("ERP-RB-HRB400E-25", Assert.Single(listed.Listings).Spec.SellerSku);

        var nowhere = Api.RebarSpec();
        nowhere.DeliveryPriceBasis = DeliveryPriceBasis.Delivered;
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = nowhere }, Api.Bearer(token)).ResponseAsync);
        Assert.Contains(RpcAssert.Violations(error), v => v.Field == "spec.delivered_to");
    }

    [Fact]
    public async Task BasePricePlusExtrasListingsTakeDiscountTiersAndExplainTheirPrice()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var spec = Api.RebarSpec();
        spec.UnitPrice = null;
        spec.BasePrice = Cny("3650.00");
        spec.Extras.Add(new PriceExtra { AttributeKey = "diameter", AttributeValue = "25", Amount = Cny("-20.00") });
        spec.Tiers.Add(new PriceTier { MinQuantityTonnes = new ProtoDecimal { Value = "500" }, DiscountPerTonne = Cny("30.00") });
        var listing = (await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(token))).Listing;

        Assert.Equal(("3600.00", "3630.00"), (listing.DisplayPrice.Amount, listing.DisplayPriceMax.Amount));
        var tier = Assert.Single(listing.Spec.Tiers);
        Assert.Equal(("30.00", "3600.00"), (tier.DiscountPerTonne.Amount, tier.UnitPrice.Amount));
        Assert.Equal(listing.DisplayPriceMax.Amount, listing.PriceBreakdown.Sum(l => decimal.Parse(l.Amount.Amount, System.Globalization.CultureInfo.InvariantCulture)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));

        // What the API returned can be sent back as it is (discount wins over the computed unit price).
        var again = await _api.Catalog.UpdateListingAsync(new UpdateListingRequest { ListingId = listing.ListingId, Spec = listing.Spec, Etag = listing.Etag }, Api.Bearer(token));
        Assert.Equal(listing.Etag, again.Listing.Etag);
    }

    [Fact]
    public async Task KeySpecsAndPriceLinesFollowTheCallersLanguage()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var listing = (await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = Api.RebarSpec() }, Api.Bearer(token))).Listing;
        var english = (await _api.Catalog.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, Api.Bearer(token, "en-US"))).Listing;
        var chinese = (await _api.Catalog.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, Api.Bearer(token, "zh-CN"))).Listing;
        Assert.Equal(chinese.KeySpecs.Count, english.KeySpecs.Count);
        Assert.Contains(chinese.KeySpecs, k => k.Contains("沙钢", StringComparison.Ordinal));
        Assert.DoesNotContain(english.KeySpecs, k => k.Contains("沙钢", StringComparison.Ordinal));
        Assert.All(english.PriceBreakdown, l => Assert.DoesNotMatch("[\u4e00-\u9fff]", l.Label));
    }

    [Fact]
    public async Task ListingImagesAreVisibleToBuyersButTheLicenceStaysPrivate()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var image = await _api.UploadAsync(token, Api.Png(), "rebar.png");
        var spec = Api.RebarSpec();
        spec.ImageFileIds.Add(image.FileId);
        await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(token));

        var buyer = Api.Bearer((await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), Protos.Identity.V1.AccountKind.Individual)).Tokens.AccessToken);
        Assert.Equal(image.Sha256, (await _api.Files.GetFileAsync(new GetFileRequest { FileId = image.FileId }, buyer)).File.Sha256);
        using var download = _api.Files.DownloadFile(new DownloadFileRequest { FileId = image.FileId }, buyer);
        Assert.True(await download.ResponseStream.MoveNext(CancellationToken.None));

        var licence = (await _api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = seller.EnterpriseId }, Api.Bearer(token))).Enterprise.Profile.BusinessLicenceFileId;
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => _api.Files.GetFileAsync(new GetFileRequest { FileId = licence }, buyer).ResponseAsync);
    }

    [Fact]
    public async Task ACreateRetriedByAnotherSalesMemberFindsTheSameListingAndOutsidersLearnNothing()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var email = Api.UniqueEmail();
        var invitation = await _api.Enterprises.InviteMemberAsync(new InviteMemberRequest { RequestId = Guid.NewGuid().ToString(), EnterpriseId = seller.EnterpriseId, Invitee = Api.Email(email), Roles = { MemberRole.Sales } }, Api.Bearer(token));
        var colleague = await _api.RegisterAsync(Api.Email(email));
        await _api.Enterprises.AcceptInvitationAsync(new AcceptInvitationRequest { EnterpriseId = seller.EnterpriseId, InvitationId = invitation.Invitation.InvitationId }, Api.Bearer(colleague.Tokens.AccessToken));

        var create = new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = Api.RebarSpec() };
        var first = (await _api.Catalog.CreateListingAsync(create, Api.Bearer(token))).Listing;
        var retried = (await _api.Catalog.CreateListingAsync(create, Api.Bearer(colleague.Tokens.AccessToken))).Listing;
        Assert.Equal(first.ListingId, retried.ListingId);

        var (outsiderToken, _, _) = await _api.EnterpriseWithAdminAsync();
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => _api.Catalog.CreateListingAsync(create, Api.Bearer(outsiderToken)).ResponseAsync);
    }

    [Fact]
    public async Task AnUpdateRetriedWithItsRequestIdDoesNotUndoALaterOne()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        var listing = (await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = Api.RebarSpec() }, Api.Bearer(token))).Listing;
        var first = Api.RebarSpec();
        first.UnitPrice = Cny("3600.00");
        var update = new UpdateListingRequest { ListingId = listing.ListingId, Spec = first, RequestId = Guid.NewGuid().ToString() };
        await _api.Catalog.UpdateListingAsync(update, Api.Bearer(token));
        var later = Api.RebarSpec();
        later.UnitPrice = Cny("3500.00");
        await _api.Catalog.UpdateListingAsync(new UpdateListingRequest { ListingId = listing.ListingId, Spec = later }, Api.Bearer(token));
        Assert.Equal("3500.00", (await _api.Catalog.UpdateListingAsync(update, Api.Bearer(token))).Listing.DisplayPrice.Amount);
    }

    [Fact]
    public async Task FacetValuesCarryLabelsInTheCallersLanguageAndSellerNames()
    {
        var (token, _, seller) = await _api.VerifiedSellerAsync();
        await _api.Catalog.CreateListingAsync(new CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = Api.RebarSpec() }, Api.Bearer(token));
        var request = new SearchListingsRequest { SellerEnterpriseIds = { seller.EnterpriseId } };
        var zh = await Api.EventuallyAsync(() => _api.Catalog.SearchListingsAsync(request, Api.Bearer(token, "zh-CN")).ResponseAsync, r => r.TotalCount == 1);
        var en = await _api.Catalog.SearchListingsAsync(request, Api.Bearer(token, "en-US"));

        var sellerFacet = zh.Facets.Single(f => f.Key == "seller").Values.Single(v => v.Value == seller.EnterpriseId);
        Assert.Equal(seller.Profile.LegalName, sellerFacet.Label);
        var millZh = zh.Facets.Single(f => f.Key == "mill").Values.Single();
        var millEn = en.Facets.Single(f => f.Key == "mill").Values.Single();
        Assert.Equal(millZh.Value, millEn.Value);
        Assert.Equal("沙钢", millZh.Label);
        Assert.DoesNotMatch("[\u4e00-\u9fff]", millEn.Label);
        Assert.Equal("上海", zh.Facets.Single(f => f.Key == "warehouse_city").Values.Single().Label);
    }
}
