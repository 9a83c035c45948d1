using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.GrpcApi.Extensions;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Silo.ReadModel;
using B2BTrade.Silo.Search;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using DomainStatus = B2BTrade.Domain.Catalog.ListingStatus;

namespace B2BTrade.GrpcApi.Services;

/// <summary>
/// Catalog: categories, listings, search and live updates. Listing rules (who may write, verified seller, schema,
/// prices) live in the listing grain; search, seller lists and watch streams are answered from the read model and
/// this node's in-memory index fed by it (<see cref="CatalogSearchFeed"/>).
/// </summary>
[Authorize]
public sealed partial class CatalogGrpcService(
    IGrainFactory grains, CatalogSearchIndex index, CatalogSearchFeed feed, ReadModelQueries queries, ListingWatchHub watchers, TimeProvider time,
    IHostApplicationLifetime host, ILogger<CatalogGrpcService> logger)
    : CatalogService.CatalogServiceBase
{
    public const int MaxWatchedListings = 200;
    public const int MaxBulkItems = 500;
    private const int BulkParallelism = 8;

    public override async Task<ListCategoriesResponse> ListCategories(ListCategoriesRequest request, ServerCallContext context)
    {
        var tree = await grains.GetGrain<ICategoryTreeGrain>("default").GetAsync();
        var response = new ListCategoriesResponse { Etag = TreeEtag(tree) };
        response.Categories.AddRange(DisplayOrder(tree).Select((id, order) => CatalogMapping.Category(tree.Get(id), tree, order)));
        return response;
    }

    public override async Task<CreateListingResponse> CreateListing(CreateListingRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var seller = RequestParsing.Id(request.SellerEnterpriseId, "ent", "seller_enterprise_id");
        var draft = CatalogMapping.Draft(request.Spec);
        var stock = CatalogMapping.Tonnes(request.Spec?.StockTonnes, "spec.stock_tonnes");
        var view = await ListingErrors(() => NewListing(seller, requestId).CreateAsync(caller, requestId, seller, draft, stock));
        return new CreateListingResponse { Listing = await ToProtoAsync(view, context) };
    }

    public override async Task<GetListingResponse> GetListing(GetListingRequest request, ServerCallContext context)
    {
        var view = await VisibleAsync(request.ListingId, context.Caller());
        var listing = await ToProtoAsync(view, context);
        listing.RecentChanges.AddRange(view.State.RecentChanges.Select(CatalogMapping.Change));
        return new GetListingResponse { Listing = listing };
    }

    public override async Task<UpdateListingResponse> UpdateListing(UpdateListingRequest request, ServerCallContext context)
    {
        var grain = Listing(request.ListingId);
        var draft = CatalogMapping.Draft(request.Spec);
        var requestId = string.IsNullOrEmpty(request.RequestId) ? null : Ids.ValidateRequestId(request.RequestId);
        var view = await ListingErrors(() => grain.UpdateAsync(context.Caller(), draft, request.Etag, requestId));
        return new UpdateListingResponse { Listing = await ToProtoAsync(view, context) };
    }

    public override async Task<UpdateListingStockResponse> UpdateListingStock(UpdateListingStockRequest request, ServerCallContext context)
    {
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var grain = Listing(request.ListingId);
        var view = await grain.SetStockAsync(context.Caller(), CatalogMapping.Tonnes(request.StockTonnes, "stock_tonnes"), requestId);
        return new UpdateListingStockResponse { Listing = await ToProtoAsync(view, context) };
    }

    public override async Task<DelistListingResponse> DelistListing(DelistListingRequest request, ServerCallContext context) =>
        new() { Listing = await ToProtoAsync(await Listing(request.ListingId).DelistAsync(context.Caller()), context) };

    public override async Task<RelistListingResponse> RelistListing(RelistListingRequest request, ServerCallContext context) =>
        new() { Listing = await ToProtoAsync(await Listing(request.ListingId).RelistAsync(context.Caller()), context) };

    public override async Task<SearchListingsResponse> SearchListings(SearchListingsRequest request, ServerCallContext context)
    {
        var query = new SearchQuery
        {
            CategoryId = string.IsNullOrEmpty(request.CategoryId) ? null : request.CategoryId,
            Attributes = request.AttributeFilters.GroupBy(f => f.AttributeKey).ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.SelectMany(f => f.Values).ToHashSet()),
            Numbers = request.NumberRanges.Select((r, i) => (r.AttributeKey, Range: new Silo.Search.NumberRange(RequestParsing.OptionalDecimal(r.Min, $"number_ranges[{i}].min"), RequestParsing.OptionalDecimal(r.Max, $"number_ranges[{i}].max"))))
                .GroupBy(r => r.AttributeKey).ToDictionary(g => g.Key, g => g.Last().Range),
            PriceMin = RequestParsing.OptionalCny(request.PriceMin, "price_min"),
            PriceMax = RequestParsing.OptionalCny(request.PriceMax, "price_max"),
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
        var english = context.Locale() == "en-US";
        var options = feed.OptionLabels(english);
        response.Facets.AddRange(result.Facets.Select(f =>
        {
            var key = f.Field.StartsWith(SearchFields.AttributePrefix, StringComparison.Ordinal) ? f.Field[SearchFields.AttributePrefix.Length..]
                : f.Field == SearchFields.City ? "warehouse_city"
                : f.Field;
            string Label(string value) =>
                f.Field == SearchFields.Seller ? index.SellerName(value) ?? value
                : options.TryGetValue((key, value), out var label) ? label
                : value;
            return new Facet { Key = key, Values = { f.Values.Select(v => new Protos.Catalog.V1.FacetValue { Value = v.Value, Count = v.Count, Label = Label(v.Value) }) } };
        }));
        return response;
    }

    public override async Task<UpsertCategoryResponse> UpsertCategory(UpsertCategoryRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (!caller.IsOperator)
        {
            throw Errors.PermissionDenied("Only platform operators manage categories.", "仅平台运营人员可管理商品类目。");
        }

        var category = CatalogMapping.NewCategory(request.Category);
        Domain.Catalog.CategoryTree tree;
        try
        {
            long? expected = string.IsNullOrEmpty(request.Etag) ? null
                : long.TryParse(request.Etag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version
                : throw Errors.InvalidField("etag", "INVALID_ETAG", "Send the etag ListCategories returned.", "请使用查询类目时返回的 etag。");
            tree = await grains.GetGrain<ICategoryTreeGrain>("default").UpsertCategoryAsync(caller, category, expected);
        }
        catch (DomainException e)
        {
            throw CatalogMapping.WithFieldPaths(e, CatalogMapping.CategoryFieldPath);
        }

        var order = DisplayOrder(tree).IndexOf(category.Id);
        return new UpsertCategoryResponse { Category = CatalogMapping.Category(tree.Get(category.Id), tree, order), Etag = TreeEtag(tree) };
    }

    public override async Task<ListSellerListingsResponse> ListSellerListings(ListSellerListingsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var seller = RequestParsing.Id(request.SellerEnterpriseId, "ent", "seller_enterprise_id");
        int? status = request.Status == ListingStatus.Unspecified ? null : (int)RequestParsing.Enum<DomainStatus>((int)request.Status, "status");
        var pageSize = RequestParsing.PageSize(request.PageSize);
        if (!caller.IsOperator && (await grains.GetGrain<IEnterpriseGrain>(seller).GetRolesAsync(caller.UserId)).Length == 0)
        {
            throw Errors.PermissionDenied("Only members of the seller enterprise see all its listings.", "仅该卖方企业的成员可查看其全部商品。");
        }

        var page = await queries.ListSellerListingsAsync(seller, status, pageSize, request.PageToken);
        var response = new ListSellerListingsResponse { NextPageToken = page.NextPageToken };
        foreach (var row in page.Items)
        {
            using var document = System.Text.Json.JsonDocument.Parse(row.Document);
            var view = Grains.Catalog.ListingReadModel.ParseView(document.RootElement) ?? await Listing(row.ListingId).GetAsync();
            response.Listings.Add(CatalogMapping.Listing(view, row.SellerName, context.Locale()));
        }

        return response;
    }

    public override async Task<BulkUpsertListingsResponse> BulkUpsertListings(BulkUpsertListingsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var seller = RequestParsing.Id(request.SellerEnterpriseId, "ent", "seller_enterprise_id");
        if (request.Items.Count is 0 or > MaxBulkItems)
        {
            throw Errors.InvalidField("items", "INVALID_BATCH_SIZE", $"Send 1 to {MaxBulkItems} items.", $"每批须有 1 至 {MaxBulkItems} 条。");
        }

        var standing = await grains.GetGrain<IEnterpriseGrain>(seller).GetSellerStandingAsync(caller.UserId);
        if (!standing.Roles.Any(r => r is Domain.Enterprises.MemberRole.Sales or Domain.Enterprises.MemberRole.Admin))
        {
            throw Errors.PermissionDenied("Only the seller's Sales or Admin members manage its listings.", "仅该卖方企业的销售或管理员可管理其商品。");
        }

        var locale = context.Locale();
        var sellerName = await SellerNameAsync(seller);
        var results = new BulkUpsertResult[request.Items.Count];
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < request.Items.Count; i++)
        {
            firstIndex.TryAdd(request.Items[i].RequestId, i);
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, request.Items.Count), new ParallelOptions { MaxDegreeOfParallelism = BulkParallelism, CancellationToken = context.CancellationToken }, async (i, _) =>
        {
            var item = request.Items[i];
            try
            {
                Ids.ValidateRequestId(item.RequestId);
                if (firstIndex[item.RequestId] != i)
                {
                    throw Errors.InvalidField("request_id", "DUPLICATE_REQUEST_ID", "Another item of this batch has the same request id.", "本批中另有条目使用了相同的请求编号。");
                }

                results[i] = new BulkUpsertResult { RequestId = item.RequestId, Listing = CatalogMapping.Listing(await UpsertItemAsync(caller, seller, item), sellerName, locale) };
            }
            catch (DomainException e)
            {
                var relative = CatalogMapping.WithFieldPaths(e, CatalogMapping.ListingFieldPath);
                results[i] = Failed(item.RequestId, CatalogMapping.WithFieldPaths(relative, f => $"items[{i}].{f}"), locale, relative.Violations);
            }
            catch (Exception e) when (Interceptors.ErrorInterceptor.IsTransient(e))
            {
                results[i] = Failed(item.RequestId, Interceptors.ErrorInterceptor.Unavailable, locale);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogBulkItemFailed(e, i);
                results[i] = new BulkUpsertResult { RequestId = item.RequestId, ErrorCode = (int)StatusCode.Internal, ErrorReason = "INTERNAL", ErrorMessage = "An internal error occurred." };
            }
        });
        return new BulkUpsertListingsResponse { Results = { results } };
    }

    public override async Task WatchListings(WatchListingsRequest request, IServerStreamWriter<WatchListingsResponse> responseStream, ServerCallContext context)
    {
        var caller = context.Caller();
        if (request.ListingIds.Count is 0 or > MaxWatchedListings)
        {
            throw Errors.InvalidField("listing_ids", "INVALID_WATCH_SIZE", $"Watch 1 to {MaxWatchedListings} listings.", $"每次可关注 1 至 {MaxWatchedListings} 个商品。");
        }

        var ids = request.ListingIds.Select((id, i) => RequestParsing.Id(id, "lst", $"listing_ids[{i}]")).ToHashSet(StringComparer.Ordinal);
        var locale = context.Locale();
        using var watcher = watchers.Watch(caller.UserId, ids);
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        async Task SendAsync(ListingChanged change)
        {
            if (sent.TryGetValue(change.ListingId, out var last) && last >= change.Version)
            {
                return;
            }

            sent[change.ListingId] = change.Version;
            await responseStream.WriteAsync(new WatchListingsResponse
            {
                Listing = change is { Active: true, View: { } view }
                    ? CatalogMapping.Listing(view, change.SellerName, locale)
                    : new Listing { ListingId = change.ListingId, Status = ListingStatus.Delisted },
            });
        }

        // Subscribed before reading the snapshot, so a change in between is delivered (and an older one skipped by version).
        foreach (var row in await queries.GetListingsAsync(ids))
        {
            await SendAsync(CatalogSearchFeed.Change(row.ListingId, row.Version, row.Status == (int)DomainStatus.Active, row.Document, row.SellerName));
        }

        using var lifetime = new LiveStreamLifetime(context, time, host);
        try
        {
            await foreach (var change in watcher.Changes.ReadAllAsync(lifetime.Token))
            {
                await SendAsync(change);
            }
        }
        catch (OperationCanceledException) when (lifetime.Token.IsCancellationRequested)
        {
            lifetime.End();
        }
    }

    private async Task<ListingView> UpsertItemAsync(Caller caller, string seller, BulkUpsertItem item)
    {
        var requestId = Ids.ValidateRequestId(item.RequestId);
        var draft = CatalogMapping.Draft(item.Spec);
        var stock = CatalogMapping.Tonnes(item.Spec?.StockTonnes, "spec.stock_tonnes");
        if (string.IsNullOrEmpty(item.ListingId))
        {
            return await NewListing(seller, requestId).CreateAsync(caller, requestId, seller, draft, stock);
        }

        var grain = Listing(item.ListingId);
        if ((await grain.GetAsync()).State.SellerEnterpriseId != seller)
        {
            throw Errors.NotFound("Listing", "商品");
        }

        return await grain.SyncAsync(caller, draft, stock, requestId);
    }

    private static BulkUpsertResult Failed(string requestId, DomainException error, string locale, FieldViolation[]? itemViolations = null)
    {
        var chinese = locale == "zh-CN";
        var violations = error.Violations.Select(v => $"{v.Field}: {(chinese ? v.MessageZh : v.Message)}").ToList();
        var result = new BulkUpsertResult
        {
            RequestId = requestId,
            ErrorCode = (int)Interceptors.ErrorInterceptor.CodeOf(error.Kind),
            ErrorReason = error.Violations.Length == 1 ? error.Violations[0].Reason : error.Reason,
            ErrorMessage = violations.Count > 0 ? string.Join("; ", violations) : chinese ? error.MessageZh : error.Message,
        };
        result.FieldViolations.AddRange((itemViolations ?? []).Take(Interceptors.ErrorInterceptor.MaxViolationsSent).Select(v => new Google.Rpc.BadRequest.Types.FieldViolation
        {
            Field = v.Field,
            Reason = v.Reason,
            Description = chinese ? v.MessageZh : v.Message,
            LocalizedMessage = new Google.Rpc.LocalizedMessage { Locale = locale, Message = chinese ? v.MessageZh : v.Message },
        }));
        return result;
    }

    /// <summary>When the bearer token of this call expires; a stream outliving it would keep serving a revoked session.</summary>
    private static async Task<ListingView> ListingErrors(Func<Task<ListingView>> call)
    {
        try
        {
            return await call();
        }
        catch (DomainException e)
        {
            throw CatalogMapping.WithFieldPaths(e, CatalogMapping.ListingFieldPath);
        }
    }

    private async Task<Listing> ToProtoAsync(ListingView view, ServerCallContext context) =>
        CatalogMapping.Listing(view, await SellerNameAsync(view.State.SellerEnterpriseId), context.Locale());

    /// <summary>From the enterprise grain, not the read model: a seller verified a moment ago may not be projected yet.</summary>
    private async Task<string> SellerNameAsync(string sellerEnterpriseId) =>
        await grains.GetGrain<IEnterpriseGrain>(sellerEnterpriseId).GetLegalNameAsync() ?? "";

    /// <summary>Create request ids are scoped to the seller, so a retry by another member (or ERP account) finds the same listing.</summary>
    private IListingGrain NewListing(string seller, string requestId) =>
        grains.GetGrain<IListingGrain>(Ids.Derived("lst", seller, requestId));

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk upsert item {Index} failed unexpectedly")]
    private partial void LogBulkItemFailed(Exception exception, int index);

    /// <summary>Every category id, parents before children, roots in order: the order ListCategories reports.</summary>
    private static List<string> DisplayOrder(Domain.Catalog.CategoryTree tree) => [.. tree.Roots.SelectMany(root => tree.SubtreeIds(root.Id))];

    private static string TreeEtag(Domain.Catalog.CategoryTree tree) => tree.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
