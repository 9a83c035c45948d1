using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Silo.Search;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using DomainStatus = B2BTrade.Domain.Catalog.ListingStatus;

namespace B2BTrade.GrpcApi.Services;

/// <summary>
/// Catalog: categories, listings and search. Listing rules (who may write, verified seller, schema, prices)
/// live in the listing grain; search is served from this node's in-memory index fed by the read model.
/// UpsertCategory, BulkUpsertListings and WatchListings are not served yet (UNIMPLEMENTED).
/// </summary>
[Authorize]
public sealed class CatalogGrpcService(IGrainFactory grains, CatalogSearchIndex index) : CatalogService.CatalogServiceBase
{
    public override async Task<ListCategoriesResponse> ListCategories(ListCategoriesRequest request, ServerCallContext context)
    {
        var tree = await grains.GetGrain<ICategoryTreeGrain>("default").GetAsync();
        var response = new ListCategoriesResponse();
        var order = 0;
        foreach (var root in tree.Roots)
        {
            foreach (var id in tree.SubtreeIds(root.Id))
            {
                response.Categories.Add(CatalogMapping.Category(tree.Get(id), tree, order++));
            }
        }

        return response;
    }

    public override async Task<CreateListingResponse> CreateListing(CreateListingRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var seller = RequestParsing.Id(request.SellerEnterpriseId, "ent", "seller_enterprise_id");
        var draft = CatalogMapping.Draft(request.Spec);
        var stock = CatalogMapping.Tonnes(request.Spec?.StockTonnes, "spec.stock_tonnes");
        var view = await grains.GetGrain<IListingGrain>(Ids.Derived("lst", caller.UserId + "/" + seller, requestId)).CreateAsync(caller, requestId, seller, draft, stock);
        return new CreateListingResponse { Listing = CatalogMapping.Listing(view) };
    }

    public override async Task<GetListingResponse> GetListing(GetListingRequest request, ServerCallContext context) =>
        new() { Listing = CatalogMapping.Listing(await VisibleAsync(request.ListingId, context.Caller())) };

    public override async Task<UpdateListingResponse> UpdateListing(UpdateListingRequest request, ServerCallContext context)
    {
        var grain = Listing(request.ListingId);
        var view = await grain.UpdateAsync(context.Caller(), CatalogMapping.Draft(request.Spec), request.Etag);
        return new UpdateListingResponse { Listing = CatalogMapping.Listing(view) };
    }

    public override async Task<UpdateListingStockResponse> UpdateListingStock(UpdateListingStockRequest request, ServerCallContext context)
    {
        Ids.ValidateRequestId(request.RequestId);
        var grain = Listing(request.ListingId);
        var view = await grain.SetStockAsync(context.Caller(), CatalogMapping.Tonnes(request.StockTonnes, "stock_tonnes"));
        return new UpdateListingStockResponse { Listing = CatalogMapping.Listing(view) };
    }

    public override async Task<DelistListingResponse> DelistListing(DelistListingRequest request, ServerCallContext context) =>
        new() { Listing = CatalogMapping.Listing(await Listing(request.ListingId).DelistAsync(context.Caller())) };

    public override async Task<RelistListingResponse> RelistListing(RelistListingRequest request, ServerCallContext context) =>
        new() { Listing = CatalogMapping.Listing(await Listing(request.ListingId).RelistAsync(context.Caller())) };

    public override async Task<SearchListingsResponse> SearchListings(SearchListingsRequest request, ServerCallContext context)
    {
        decimal? Price(Protos.Common.V1.Money? money, string field) => money is null ? null : Cny.Parse(money.CurrencyCode, money.Amount, field);
        decimal? Number(Protos.Common.V1.Decimal? value, string field) =>
            value is null || value.Value.Length == 0 ? null
            : decimal.TryParse(value.Value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
            : throw Errors.InvalidField(field, "INVALID_DECIMAL", "Give a decimal number.", "请填写数字。");
        var query = new SearchQuery
        {
            CategoryId = string.IsNullOrEmpty(request.CategoryId) ? null : request.CategoryId,
            Attributes = request.AttributeFilters.GroupBy(f => f.AttributeKey).ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.SelectMany(f => f.Values).ToHashSet()),
            Numbers = request.NumberRanges.Select((r, i) => (r.AttributeKey, Range: new Silo.Search.NumberRange(Number(r.Min, $"number_ranges[{i}].min"), Number(r.Max, $"number_ranges[{i}].max"))))
                .GroupBy(r => r.AttributeKey).ToDictionary(g => g.Key, g => g.Last().Range),
            PriceMin = Price(request.PriceMin, "price_min"),
            PriceMax = Price(request.PriceMax, "price_max"),
            Origins = request.Origins.Count == 0 ? null : [.. request.Origins],
            Cities = request.WarehouseCities.Count == 0 ? null : [.. request.WarehouseCities],
            SellerIds = request.SellerEnterpriseIds.Count == 0 ? null : [.. request.SellerEnterpriseIds],
            Keyword = string.IsNullOrWhiteSpace(request.Keyword) ? null : request.Keyword.Trim()[..Math.Min(request.Keyword.Trim().Length, 100)],
            Sort = request.Sort switch
            {
                ListingSort.PriceAscending => SearchSort.PriceAsc,
                ListingSort.PriceDescending => SearchSort.PriceDesc,
                ListingSort.StockDescending => SearchSort.StockDesc,
                _ => SearchSort.UpdatedDesc,
            },
            PageSize = RequestParsing.PageSize(request.PageSize),
            PageToken = string.IsNullOrEmpty(request.PageToken) ? null : request.PageToken,
        };
        SearchResult result;
        try
        {
            result = index.Search(query);
        }
        catch (ArgumentException e) when (e.ParamName == "token")
        {
            throw Silo.ReadModel.PageToken.Invalid();
        }

        var response = new SearchListingsResponse { TotalCount = result.Total, NextPageToken = result.NextPageToken ?? "" };
        response.Listings.AddRange(result.Items.Select(d => new Listing
        {
            ListingId = d.ListingId,
            SellerEnterpriseId = d.SellerId,
            SellerName = d.SellerName,
            Spec = new ListingSpec
            {
                CategoryId = d.CategoryPath[^1],
                Name = d.Name,
                Brand = d.Brand,
                Origin = d.Origin,
                WarehouseCity = d.WarehouseCity,
                MoqTonnes = new Protos.Common.V1.Decimal { Value = d.MoqTonnes.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) },
                StockTonnes = new Protos.Common.V1.Decimal { Value = d.StockTonnes.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) },
            },
            DisplayPrice = ProtoMapping.Money(d.PriceMin),
            DisplayPriceMax = ProtoMapping.Money(d.PriceMax),
            KeySpecs = { d.KeySpecs },
            Status = ListingStatus.Active,
            UpdateTime = ProtoMapping.Time(d.UpdatedAt),
        }));
        response.Facets.AddRange(result.Facets.Select(f => new Facet
        {
            Key = f.Field.StartsWith(SearchFields.AttributePrefix, StringComparison.Ordinal) ? f.Field[SearchFields.AttributePrefix.Length..] : f.Field,
            Values = { f.Values.Select(v => new Protos.Catalog.V1.FacetValue { Value = v.Value, Count = v.Count }) },
        }));
        return response;
    }

    private IListingGrain Listing(string? id) => grains.GetGrain<IListingGrain>(RequestParsing.Id(id, "lst", "listing_id"));

    /// <summary>Active listings are public to logged-in users; a delisted one only to its seller's members (else NOT_FOUND).</summary>
    private async Task<ListingView> VisibleAsync(string? listingId, Caller caller)
    {
        var view = await Listing(listingId).GetAsync();
        if (view.State.Status == DomainStatus.Active || caller.IsOperator
            || (await grains.GetGrain<IEnterpriseGrain>(view.State.SellerEnterpriseId).GetRolesAsync(caller.UserId)).Length > 0)
        {
            return view;
        }

        throw Errors.NotFound("Listing", "商品");
    }
}
