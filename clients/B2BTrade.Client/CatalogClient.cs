using System.Runtime.CompilerServices;
using B2BTrade.Protos.Catalog.V1;
using Grpc.Core;

namespace B2BTrade.Client;

/// <summary>
/// The commodity catalog (商品): category tree, faceted search, listing management, ERP inventory sync and live
/// price/stock updates. Quantities are decimal tonnes and prices CNY per tonne incl. VAT; build them with
/// <see cref="CatalogValues"/>.
/// </summary>
public sealed class CatalogClient
{
    /// <summary>Most items the server takes in one bulk call; <see cref="BulkUpsertAsync"/> splits larger inputs.</summary>
    public const int MaxBulkBatchSize = 500;

    /// <summary>Most listings one <see cref="WatchAsync"/> may follow.</summary>
    public const int MaxWatchedListings = 200;

    private readonly CatalogService.CatalogServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal CatalogClient(CatalogService.CatalogServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>Returns every category, parents before children, each with its effective attribute schema.</summary>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The categories.</returns>
    public async Task<IReadOnlyList<Category>> ListCategoriesAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var response = await _pipeline.RunAsync(o => _client.ListCategoriesAsync(new ListCategoriesRequest(), o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Categories;
    }

    /// <summary>Returns the category tree indexed for navigation: roots, children, leaves, paths.</summary>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tree.</returns>
    public async Task<CatalogCategoryTree> GetCategoryTreeAsync(DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        new(await ListCategoriesAsync(deadline, cancellationToken));

    /// <summary>
    /// Returns one page of active listings matching the filters, with the total count, facet counts for every
    /// filterable attribute and the token of the next page (empty at the end).
    /// </summary>
    /// <param name="request">Filters, sort, page size and page token; not modified.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="B2BTradeValidationException">A filter or the page token is invalid.</exception>
    public Task<SearchListingsResponse> SearchAsync(SearchListingsRequest request, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _pipeline.RunAsync(o => _client.SearchListingsAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
    }

    /// <summary>
    /// Streams every active listing matching the filters, fetching pages as the caller reads. Search pages are a live
    /// view, not a snapshot: a listing whose price or update time changes while the scan runs moves across the page
    /// boundary, so it may be missed. Each listing is returned at most once (a repeat is skipped). To reconcile a
    /// seller's own listings exactly, use <see cref="ListSellerListingsAsync"/>, which pages in a fixed order.
    /// </summary>
    /// <param name="request">Filters, sort and page size; its page token is the starting point (usually empty). Not modified.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The listings.</returns>
    public async IAsyncEnumerable<Listing> SearchAllAsync(SearchListingsRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var first = request.PageToken;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pages = Paging.ReadAllAsync(
            (token, ct) =>
            {
                var page = request.Clone();
                page.PageToken = token.Length > 0 ? token : first;
                return SearchAsync(page, cancellationToken: ct);
            },
            page => page.Listings,
            page => page.NextPageToken,
            cancellationToken);
        await foreach (var listing in pages.WithCancellation(cancellationToken))
        {
            if (seen.Add(listing.ListingId))
            {
                yield return listing;
            }
        }
    }

    /// <summary>Returns one listing with its price breakdown and etag.</summary>
    /// <param name="listingId">The listing.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The listing.</returns>
    /// <exception cref="B2BTradeNotFoundException">No such listing, or it is delisted and the caller is not of its seller.</exception>
    public async Task<Listing> GetListingAsync(string listingId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetListingRequest { ListingId = listingId };
        var response = await _pipeline.RunAsync(o => _client.GetListingAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Listing;
    }

    /// <summary>
    /// Creates a listing for a verified seller enterprise (Sales or Admin members). The same request id is sent on
    /// every automatic retry, so a retry after a lost answer returns the listing created the first time. Pass your own
    /// <paramref name="requestId"/> (and keep it) to make repeats across process restarts safe too.
    /// </summary>
    /// <param name="sellerEnterpriseId">The seller enterprise.</param>
    /// <param name="spec">The listing's fields and initial stock.</param>
    /// <param name="requestId">Idempotency key (8 to 64 letters, digits, '-' or '_'; a UUID fits); a new GUID when null.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new listing.</returns>
    /// <exception cref="B2BTradeValidationException">Fields are invalid; see <see cref="B2BTradeException.FieldViolations"/> (<c>spec.…</c>).</exception>
    /// <exception cref="B2BTradePreconditionException">The enterprise is not a verified seller.</exception>
    public async Task<Listing> CreateListingAsync(string sellerEnterpriseId, ListingSpec spec, string? requestId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new CreateListingRequest { RequestId = requestId ?? Guid.NewGuid().ToString(), SellerEnterpriseId = sellerEnterpriseId, Spec = spec };
        var response = await _pipeline.RunAsync(o => _client.CreateListingAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Listing;
    }

    /// <summary>
    /// Replaces a listing's fields (stock excepted) if nobody changed it since <paramref name="etag"/> was read. Not
    /// retried automatically: the call has no request id. For unattended updates use <see cref="BulkUpsertAsync"/>.
    /// </summary>
    /// <param name="listingId">The listing.</param>
    /// <param name="spec">The new fields (all replaced; <c>stock_tonnes</c> is ignored).</param>
    /// <param name="etag">The <see cref="Listing.Etag"/> last read.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated listing with its new etag.</returns>
    /// <exception cref="B2BTradeConflictException">The etag is stale (ABORTED, <c>ETAG_MISMATCH</c>): re-read and decide again.</exception>
    public async Task<Listing> UpdateListingAsync(string listingId, ListingSpec spec, string etag, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new UpdateListingRequest { ListingId = listingId, Spec = spec, Etag = etag };
        var response = await _pipeline.RunAsync(o => _client.UpdateListingAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Listing;
    }

    /// <summary>
    /// Sets a listing's available stock to an absolute figure (a stock count). The request id is reused on automatic
    /// retries, so a retry never overwrites a change (e.g. a reservation) made after the first attempt was applied.
    /// </summary>
    /// <param name="listingId">The listing.</param>
    /// <param name="tonnes">Available stock in tonnes, at most 3 decimal places.</param>
    /// <param name="requestId">Idempotency key (UUID); a new GUID when null.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The listing after the change.</returns>
    public async Task<Listing> SetStockAsync(string listingId, decimal tonnes, string? requestId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new UpdateListingStockRequest { RequestId = requestId ?? Guid.NewGuid().ToString(), ListingId = listingId, StockTonnes = CatalogValues.Tonnes(tonnes) };
        var response = await _pipeline.RunAsync(o => _client.UpdateListingStockAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Listing;
    }

    /// <summary>Takes a listing off the market; its seller still sees it. Delisting a delisted listing changes nothing.</summary>
    /// <param name="listingId">The listing.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The listing, now delisted.</returns>
    public async Task<Listing> DelistAsync(string listingId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new DelistListingRequest { ListingId = listingId };
        var response = await _pipeline.RunAsync(o => _client.DelistListingAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Listing;
    }

    /// <summary>Puts a delisted listing back on the market (verified seller).</summary>
    /// <param name="listingId">The listing.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The listing, active again.</returns>
    public async Task<Listing> RelistAsync(string listingId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new RelistListingRequest { ListingId = listingId };
        var response = await _pipeline.RunAsync(o => _client.RelistListingAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Listing;
    }

    /// <summary>
    /// Streams a seller's listings, active and delisted, in listing id order, which stays stable across pages while
    /// listings change: iterate this to reconcile an ERP's inventory. Members of the seller and operators only.
    /// </summary>
    /// <param name="sellerEnterpriseId">The seller enterprise.</param>
    /// <param name="status">Only listings in this status; <see cref="ListingStatus.Unspecified"/> for all.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default (20).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The listings.</returns>
    public IAsyncEnumerable<Listing> ListSellerListingsAsync(string sellerEnterpriseId, ListingStatus status = ListingStatus.Unspecified, int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) =>
            {
                var request = new ListSellerListingsRequest { SellerEnterpriseId = sellerEnterpriseId, Status = status, PageSize = pageSize, PageToken = token };
                return _pipeline.RunAsync(o => _client.ListSellerListingsAsync(request, o).ResponseAsync, CallPolicy.Read, null, ct);
            },
            page => page.Listings,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>
    /// Creates (no <c>listing_id</c>) or updates (fields and stock in one change) any number of listings, in server
    /// batches of at most <see cref="MaxBulkBatchSize"/> sent one after another.
    /// <para>
    /// Every item carries a request id: the caller's, or a GUID generated once before anything is sent. A batch that
    /// fails with UNAVAILABLE or DEADLINE_EXCEEDED is sent again with the same ids, and items the server reports as
    /// UNAVAILABLE are sent again on their own; the server applies each item's effect once per request id. Generated
    /// ids protect only this call: to repeat an upsert later (after a crash, or after this method threw), pass your own
    /// ids and keep them, or use <see cref="SyncInventoryAsync"/>, which derives them from your SKUs.
    /// </para>
    /// </summary>
    /// <param name="sellerEnterpriseId">The seller enterprise; the caller must be its Sales or Admin member.</param>
    /// <param name="items">The items; not modified. Request ids must be unique among them.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for the whole operation; otherwise each call gets the default deadline.</param>
    /// <param name="cancellationToken">Cancels the operation; batches already answered stay applied.</param>
    /// <returns>One outcome per item, in input order: the listing, or the item's own error.</returns>
    /// <exception cref="ArgumentException">Two items share a request id, or an item has no spec.</exception>
    /// <exception cref="B2BTradeException">A whole batch was refused (e.g. PERMISSION_DENIED) or stayed unavailable; earlier batches stay applied.</exception>
    public async Task<IReadOnlyList<BulkUpsertOutcome>> BulkUpsertAsync(string sellerEnterpriseId, IEnumerable<BulkUpsertItem> items, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);

        // Ids are fixed here, once, so every send of an item (retry or re-send) carries the same one.
        var prepared = new List<BulkUpsertItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item);
            if (item.Spec is null)
            {
                throw new ArgumentException($"Item {prepared.Count} has no spec.", nameof(items));
            }

            var requestId = string.IsNullOrEmpty(item.RequestId) ? Guid.NewGuid().ToString() : item.RequestId;
            if (!seen.Add(requestId))
            {
                throw new ArgumentException($"Item {prepared.Count} repeats request id {requestId}; each item needs its own.", nameof(items));
            }

            prepared.Add(new BulkUpsertItem { RequestId = requestId, ListingId = item.ListingId, Spec = item.Spec });
        }

        var outcomes = new BulkUpsertOutcome[prepared.Count];
        for (var start = 0; start < prepared.Count; start += MaxBulkBatchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(MaxBulkBatchSize, prepared.Count - start)).ToList();
            await SendBatchAsync(sellerEnterpriseId, prepared, batch, outcomes, deadline, cancellationToken);
        }

        return outcomes;
    }

    /// <summary>
    /// Brings the platform in line with an ERP's inventory, keyed by the ERP's SKUs, and reports each SKU's listing id.
    /// <list type="bullet">
    /// <item>A SKU without <see cref="InventoryItem.ListingId"/> is created with a request id derived from the seller
    /// and the SKU alone, so this caller never gets two listings for one SKU: if an earlier run already created it (and
    /// the ERP lost the id), that listing is found again and updated to the item's fields. These created listings get a
    /// second, follow-up update call; on a listing just created it changes nothing.</item>
    /// <item>A SKU with a listing id (or one just created) is updated, fields and stock in one change. With a
    /// <see cref="InventoryItem.Revision"/> the request id derives from seller, SKU, listing, revision and content, so
    /// re-sending a revision already applied changes nothing, even after other changes (reservations, a manual
    /// stock count) came in between; without a revision the id is new on each call and a re-run re-applies the content.</item>
    /// </list>
    /// Listings missing from <paramref name="items"/> are left alone (delist them with <see cref="DelistAsync"/>).
    /// The derived ids depend on the signed-in user: the server scopes a create's request id to the caller, so keep
    /// one integration account per seller.
    /// </summary>
    /// <param name="sellerEnterpriseId">The seller enterprise.</param>
    /// <param name="items">The articles; SKUs must be unique among them.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for the whole operation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per article, in input order.</returns>
    /// <exception cref="ArgumentException">A SKU is empty or repeated, or an article has no spec.</exception>
    /// <exception cref="B2BTradeException">A whole batch was refused or stayed unavailable; re-run the sync (it is safe to).</exception>
    public async Task<IReadOnlyList<InventorySyncResult>> SyncInventoryAsync(string sellerEnterpriseId, IEnumerable<InventoryItem> items, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var articles = items.ToList();
        var skus = new HashSet<string>(StringComparer.Ordinal);
        foreach (var article in articles)
        {
            ArgumentNullException.ThrowIfNull(article);
            ArgumentException.ThrowIfNullOrWhiteSpace(article.Sku, nameof(items));
            if (article.Spec is null)
            {
                throw new ArgumentException($"SKU {article.Sku} has no spec.", nameof(items));
            }

            if (!skus.Add(article.Sku))
            {
                throw new ArgumentException($"SKU {article.Sku} appears more than once.", nameof(items));
            }
        }

        // The platform stores the SKU on the listing, so the SKU → listing map can be rebuilt from ListSellerListingsAsync.
        articles = [.. articles.Select(a => string.IsNullOrEmpty(a.Spec.SellerSku) ? a with { Spec = new ListingSpec(a.Spec) { SellerSku = a.Sku } } : a)];

        BulkUpsertItem UpdateItem(InventoryItem article, string listingId) => new()
        {
            RequestId = article.Revision is null ? Guid.NewGuid().ToString() : InventoryRequestIds.Update(sellerEnterpriseId, article.Sku, listingId, article.Revision, article.Spec),
            ListingId = listingId,
            Spec = article.Spec,
        };

        var first = await BulkUpsertAsync(
            sellerEnterpriseId,
            articles.Select(a => string.IsNullOrEmpty(a.ListingId)
                ? new BulkUpsertItem { RequestId = InventoryRequestIds.Create(sellerEnterpriseId, a.Sku), Spec = a.Spec }
                : UpdateItem(a, a.ListingId)),
            deadline,
            cancellationToken);

        var results = articles.Select((a, i) => new InventorySyncResult(a.Sku, first[i].Listing?.ListingId ?? NullIfEmpty(a.ListingId), first[i].Listing, first[i].Error)).ToArray();
        var created = Enumerable.Range(0, articles.Count).Where(i => string.IsNullOrEmpty(articles[i].ListingId) && first[i].Succeeded).ToList();
        if (created.Count > 0)
        {
            // A create whose request id was used before returns the listing as it was then; this brings it up to date.
            var second = await BulkUpsertAsync(sellerEnterpriseId, created.Select(i => UpdateItem(articles[i], first[i].Listing!.ListingId)), deadline, cancellationToken);
            for (var k = 0; k < created.Count; k++)
            {
                var i = created[k];
                results[i] = results[i] with { Listing = second[k].Listing, Error = second[k].Error };
            }
        }

        return results;
    }

    /// <summary>
    /// Follows listings live: first the current state of each (a listing delisted or not visible comes with only its id
    /// and <see cref="ListingStatus.Delisted"/>), then a full snapshot on every price, stock, field or status change.
    /// <para>
    /// The stream has no deadline and lasts until <paramref name="cancellationToken"/> is cancelled (or the caller stops
    /// enumerating). When the server ends it because the access token expired, the SDK refreshes the token and reopens
    /// it; after UNAVAILABLE it reconnects with backoff. Every reopening starts again with the current state of each
    /// listing, so the same snapshot may arrive twice: treat each message as the listing's latest full state.
    /// </para>
    /// </summary>
    /// <param name="listingIds">The listings, 1 to <see cref="MaxWatchedListings"/>.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>Listing snapshots as they change.</returns>
    /// <exception cref="B2BTradeValidationException">No listing ids, too many, or a malformed one.</exception>
    /// <exception cref="B2BTradeUnauthenticatedException">The session ended and could not be refreshed.</exception>
    public async IAsyncEnumerable<Listing> WatchAsync(IEnumerable<string> listingIds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingIds);
        var request = new WatchListingsRequest { ListingIds = { listingIds } };
        await foreach (var response in LiveStream.FollowAsync(_pipeline, options => _client.WatchListings(request, options), cancellationToken))
        {
            yield return response.Listing;
        }
    }

    /// <summary>Adds a category or replaces an existing one's names, parent, VAT rate, weight bases and own attributes. Operators only.</summary>
    /// <param name="category">
    /// The category. Attributes are its own; inherited ones given unchanged are ignored, so a category read with
    /// <see cref="ListCategoriesAsync"/> can be sent back edited.
    /// </param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored category with its effective schema.</returns>
    /// <exception cref="B2BTradePermissionDeniedException">The caller is not an operator.</exception>
    /// <exception cref="B2BTradePreconditionException">E.g. <c>CATEGORY_HAS_LISTINGS</c>: a category with listings cannot get children.</exception>
    public async Task<Category> UpsertCategoryAsync(Category category, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new UpsertCategoryRequest { Category = category };
        var response = await _pipeline.RunAsync(o => _client.UpsertCategoryAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Category;
    }

    /// <summary>
    /// Sends the items at <paramref name="indexes"/> and records their outcomes; items the server reports as transiently
    /// failed are sent again (same request ids) with backoff, up to <see cref="B2BTradeClientOptions.MaxRetries"/> times.
    /// </summary>
    private async Task SendBatchAsync(string sellerEnterpriseId, List<BulkUpsertItem> items, List<int> indexes, BulkUpsertOutcome[] outcomes, DateTime? deadline, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var request = new BulkUpsertListingsRequest { SellerEnterpriseId = sellerEnterpriseId, Items = { indexes.Select(i => items[i]) } };
            var response = await _pipeline.RunAsync(o => _client.BulkUpsertListingsAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
            if (response.Results.Count != indexes.Count)
            {
                throw new InvalidOperationException($"The server answered {response.Results.Count} results for {indexes.Count} bulk items.");
            }

            var again = new List<int>();
            for (var k = 0; k < indexes.Count; k++)
            {
                var result = response.Results[k];
                var item = items[indexes[k]];
                if (result.RequestId != item.RequestId)
                {
                    throw new InvalidOperationException($"The server answered bulk result {k} for request id {result.RequestId}, expected {item.RequestId}.");
                }

                var error = result.ErrorCode == 0 ? null : new BulkUpsertError((StatusCode)result.ErrorCode, result.ErrorReason, result.ErrorMessage)
                {
                    FieldViolations = [.. result.FieldViolations.Select(v => new B2BTradeFieldViolation(v.Field, v.Description, v.Reason))],
                };
                outcomes[indexes[k]] = new BulkUpsertOutcome(item.RequestId, error is null ? result.Listing : null, error);
                if (error?.Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    again.Add(indexes[k]);
                }
            }

            var delay = _pipeline.Retry.GetDelay(round);
            if (again.Count == 0 || round >= _pipeline.Retry.MaxRetries || _pipeline.Time.GetUtcNow().UtcDateTime + delay >= CallPipeline.ToUtc(deadline))
            {
                return; // what is still unavailable is reported per item, with the ids to send it again later
            }

            await Task.Delay(delay, _pipeline.Time, cancellationToken);
            indexes = again;
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
