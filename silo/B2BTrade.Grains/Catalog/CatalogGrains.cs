using System.Collections.Immutable;
using B2BTrade.Domain.Audit;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Grains.Infrastructure;

namespace B2BTrade.Grains.Catalog;

[GrainType("category-tree")]
public sealed class CategoryTreeGrain : Grain, ICategoryTreeGrain
{
    private static readonly Lazy<CategoryTree> s_seed = new(CatalogSeed.Taxonomy);
    private readonly AggregateJournal<CategoryTree> _journal;

    private readonly ICategoryUsage _usage;

    public CategoryTreeGrain(
        [PersistentState("category-tree", StorageNames.Grains)] IPersistentState<AggregateState<CategoryTree>> state,
        TimeProvider time,
        ICategoryUsage usage)
    {
        _usage = usage;
        _journal = new AggregateJournal<CategoryTree>(state, "category-tree", this.GetPrimaryKeyString(), time, t => t, readModelSnapshot: null);
    }

    public Task<CategoryTree> GetAsync() => Task.FromResult(_journal.Current ?? s_seed.Value);

    public Task<CategoryTree> AddCategoryAsync(Caller caller, NewCategory category) =>
        Edit(caller, tree => CategoryTreeRules.AddCategory(tree, category), "category.added");

    public async Task<CategoryTree> UpsertCategoryAsync(Caller caller, NewCategory category, long? expectedVersion = null)
    {
        RequireOperator(caller);
        var used = await _usage.CategoriesWithListingsAsync();
        return await Edit(caller, tree => expectedVersion is { } expected && expected != tree.Version
            ? throw new DomainException(ErrorKind.Aborted, "ETAG_MISMATCH", "The category tree changed since you read it; reload and try again.", "商品类目已被修改，请刷新后重试。")
            : CategoryTreeRules.Upsert(tree, category, used.Contains), "category.upserted");
    }

    public Task<CategoryTree> SetAttributeAsync(Caller caller, string categoryId, AttributeDefinition definition) =>
        Edit(caller, tree => CategoryTreeRules.SetAttribute(tree, categoryId, definition), "category.attribute-set");

    private Task<CategoryTree> Edit(Caller caller, Func<CategoryTree, CategoryTree> decide, string action)
    {
        RequireOperator(caller);
        return _journal.ExecuteAsync(caller.UserId, current =>
        {
            var before = current ?? s_seed.Value;
            var next = decide(before);
            return ReferenceEquals(next, before) ? Decision<CategoryTree, CategoryTree>.Unchanged(before) : new Decision<CategoryTree, CategoryTree>(next, action, next);
        });
    }

    private static void RequireOperator(Caller caller)
    {
        if (!caller.IsOperator)
        {
            throw Errors.PermissionDenied("Only platform operators manage categories.", "仅平台运营人员可管理商品类目。");
        }
    }
}

/// <summary>
/// One listing. The stock it holds for each order awaiting an answer is kept as rows beside its state (table
/// listing_holds, written in the state's transaction) and in memory once loaded, so a reservation writes one small row
/// instead of re-serialising every other order's hold: W4 spent 17% of the server's CPU on that map.
/// </summary>
[GrainType("listing")]
public sealed class ListingGrain : Grain, IListingGrain
{
    private const string HoldsTable = "listing_holds";

    private readonly AggregateJournal<ListingState> _journal;
    private readonly IListingHolds _holdStore;

    /// <summary>Order id → tonnes held, as stored; null until first needed, and again after a failed write (reloaded then).</summary>
    private Dictionary<string, Tonnes>? _holds;

    public ListingGrain(
        [PersistentState("listing", StorageNames.Grains)] IPersistentState<AggregateState<ListingState>> state,
        TimeProvider time,
        IListingHolds holdStore)
    {
        _holdStore = holdStore;
        _journal = new AggregateJournal<ListingState>(state, "listing", this.GetPrimaryKeyString(), time, ListingReadModel.PublishedState, ReadModelRow);
    }

    private string Id => this.GetPrimaryKeyString();

    public async Task<ListingView> CreateAsync(Caller caller, string requestId, string sellerEnterpriseId, ListingDraft draft, Tonnes stock)
    {
        if (Id != Ids.Derived("lst", sellerEnterpriseId, requestId))
        {
            throw Errors.PermissionDenied("Listing ids are assigned by the platform.", "商品编号由平台分配。");
        }

        if (_journal.Current is { } existing)
        {
            // A retry, possibly by another member: only the seller's Sales or Admin members may see it again.
            ListingRules.RequireOwner(existing, await FactsAsync(caller, sellerEnterpriseId));
            return View(existing);
        }

        // Who may write and what is valid is decided before any image is looked at, and images are published only once
        // the listing is stored: a refused call must not make anyone's file public.
        var (tree, facts) = (await Tree(), await FactsAsync(caller, sellerEnterpriseId));
        var created = ListingRules.Create(Id, draft, tree, facts, stock, caller.UserId, _journal.Now);
        var images = await PublishableImagesAsync(caller, draft.ImageFileIds, []);
        var view = await _journal.ExecuteAsync(caller.UserId, current => current is not null
            ? Decision<ListingState, ListingView>.Unchanged(View(current))
            : Changed(created, "listing.created"));
        await PublishAsync(caller, images);
        return view;
    }

    public Task<ListingView> GetAsync() => Task.FromResult(View(Require(_journal.Current)));

    public async Task<ListingView> UpdateAsync(Caller caller, ListingDraft draft, string? etag, string? requestId = null)
    {
        var listing = Require(_journal.Current);
        if (AlreadyApplied(listing, requestId))
        {
            return View(listing);
        }

        if (!string.IsNullOrEmpty(etag) && etag != listing.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new DomainException(ErrorKind.Aborted, "ETAG_MISMATCH", "The listing changed since you read it; reload and try again.", "商品信息已被修改，请刷新后重试。");
        }

        var (tree, facts) = (await Tree(), await FactsAsync(caller, listing.SellerEnterpriseId));
        ListingRules.Update(listing, draft, tree, facts, caller.UserId, _journal.Now);
        var images = await PublishableImagesAsync(caller, draft.ImageFileIds, listing.ImageFileIds);
        var view = await _journal.ExecuteAsync(caller.UserId, current =>
            Once(Require(current), requestId, l => ListingRules.Update(l, draft, tree, facts, caller.UserId, _journal.Now), "listing.updated"));
        await PublishAsync(caller, images);
        return view;
    }

    public async Task<ListingView> SyncAsync(Caller caller, ListingDraft draft, Tonnes stock, string requestId)
    {
        var listing = Require(_journal.Current);
        if (AlreadyApplied(listing, requestId))
        {
            return View(listing);
        }

        var (tree, facts) = (await Tree(), await FactsAsync(caller, listing.SellerEnterpriseId));
        ListingRules.SetStock(ListingRules.Update(listing, draft, tree, facts, caller.UserId, _journal.Now), stock, facts, caller.UserId, _journal.Now);
        var images = await PublishableImagesAsync(caller, draft.ImageFileIds, listing.ImageFileIds);
        var view = await _journal.ExecuteAsync(caller.UserId, current => Once(Require(current), requestId, l =>
        {
            var updated = ListingRules.Update(l, draft, tree, facts, caller.UserId, _journal.Now);
            return ListingRules.SetStock(updated, stock, facts, caller.UserId, _journal.Now);
        }, "listing.synced"));
        await PublishAsync(caller, images);
        return view;
    }

    public async Task<ListingView> SetStockAsync(Caller caller, Tonnes stock, string? requestId = null)
    {
        var listing = Require(_journal.Current);
        if (AlreadyApplied(listing, requestId))
        {
            return View(listing);
        }

        var facts = await FactsAsync(caller, listing.SellerEnterpriseId);
        return await _journal.ExecuteAsync(caller.UserId, current =>
            Once(Require(current), requestId, l => ListingRules.SetStock(l, stock, facts, caller.UserId, _journal.Now), "listing.stock-set"));
    }

    public async Task ReserveForOrderAsync(string orderId, Tonnes quantity)
    {
        var holds = await HoldsAsync();
        if (holds.ContainsKey(orderId))
        {
            return;
        }

        await ChangeHoldsAsync(() => _journal.ExecuteAsync("order:" + orderId, current =>
            Changed(ListingRules.ReserveForOrder(Require(current), orderId, quantity, _journal.Now), "listing.stock-reserved") with { Rows = [HoldRow(orderId, quantity)] }));
        holds.Add(orderId, quantity);
    }

    /// <summary>A confirmed order's tonnes stay reserved until they ship; the listing stops tracking the order, which can no longer be released.</summary>
    public async Task CommitForOrderAsync(string orderId)
    {
        var holds = await HoldsAsync();
        if (!holds.ContainsKey(orderId))
        {
            return;
        }

        await ChangeHoldsAsync(() => _journal.ExecuteAsync("order:" + orderId, current =>
            Changed(Require(current) with { }, "listing.stock-committed") with { Deletes = [HoldKey(orderId)] }));
        holds.Remove(orderId);
    }

    public async Task ReleaseForOrderAsync(string orderId)
    {
        var holds = await HoldsAsync();
        if (!holds.TryGetValue(orderId, out var quantity))
        {
            return;
        }

        await ChangeHoldsAsync(() => _journal.ExecuteAsync("order:" + orderId, current =>
            Changed(ListingRules.ReleaseForOrder(Require(current), orderId, quantity, _journal.Now), "listing.stock-released") with { Deletes = [HoldKey(orderId)] }));
        holds.Remove(orderId);
    }

    public async Task<ListingView> DelistAsync(Caller caller)
    {
        var facts = await FactsAsync(caller, Require(_journal.Current).SellerEnterpriseId);
        return await _journal.ExecuteAsync(caller.UserId, current =>
            Changed(ListingRules.Delist(Require(current), facts, _journal.Now), "listing.delisted"));
    }

    public async Task<ListingView> RelistAsync(Caller caller)
    {
        var facts = await FactsAsync(caller, Require(_journal.Current).SellerEnterpriseId);
        return await _journal.ExecuteAsync(caller.UserId, current =>
            Changed(ListingRules.Relist(Require(current), facts, _journal.Now), "listing.relisted"));
    }

    public Task RepublishAsync() => _journal.RepublishAsync();

    /// <summary>
    /// The images new to the listing, each an image file the caller may publish: their own upload or their enterprise's.
    /// A file the caller only received in a negotiation may be read but not put on a listing for everyone.
    /// </summary>
    private async Task<List<string>> PublishableImagesAsync(Caller caller, IReadOnlyList<string> fileIds, IReadOnlyList<string> alreadyAttached)
    {
        var added = new List<string>();
        for (var i = 0; i < fileIds.Count; i++)
        {
            if (alreadyAttached.Contains(fileIds[i]))
            {
                continue;
            }

            var field = $"spec.image_file_ids[{i}]";
            StoredFile file;
            try
            {
                file = Ids.IsWellFormed(fileIds[i], "f")
                    ? await GrainFactory.GetGrain<IFileGrain>(fileIds[i]).CheckPublishableAsync(caller)
                    : throw Errors.NotFound("File", "文件");
            }
            catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw Errors.InvalidField(field, "FILE_NOT_FOUND", "The image was not found; upload it through FileService first.", "未找到图片，请先上传。");
            }
            catch (DomainException e) when (e.Reason == "FILE_NOT_YOURS")
            {
                throw Errors.InvalidField(field, "FILE_NOT_YOURS", "Only images you or your enterprise uploaded can be shown on a listing.", "商品图片须为您本人或本企业上传的图片。");
            }

            if (!file.ContentType.StartsWith("image/", StringComparison.Ordinal))
            {
                throw Errors.InvalidField(field, "NOT_AN_IMAGE", "Listing images must be JPEG or PNG.", "商品图片须为 JPEG 或 PNG。");
            }

            added.Add(fileIds[i]);
        }

        return added;
    }

    /// <summary>Product photos are for every buyer to see: published once the listing that shows them is stored.</summary>
    private async Task PublishAsync(Caller caller, List<string> images)
    {
        foreach (var fileId in images)
        {
            await GrainFactory.GetGrain<IFileGrain>(fileId).PublishAsync(caller);
        }
    }

    /// <summary>
    /// The holds, loaded once per activation. A state stored before holds moved beside it still carries them in
    /// <see cref="ListingState.OrderReservations"/>: they are moved into rows (and out of the state) on first load.
    /// </summary>
    private async Task<Dictionary<string, Tonnes>> HoldsAsync()
    {
        if (_holds is not null)
        {
            return _holds;
        }

        var holds = new Dictionary<string, Tonnes>(await _holdStore.LoadAsync(Id), StringComparer.Ordinal);
        if (_journal.Current is { OrderReservations.IsEmpty: false } legacy)
        {
            var moved = legacy.OrderReservations.Where(h => !holds.ContainsKey(h.Key)).ToList();
            await _journal.ExecuteAsync("system", current =>
                Require(current).OrderReservations.IsEmpty
                    ? Decision<ListingState, bool>.Unchanged(false)
                    : new Decision<ListingState, bool>(Require(current) with { OrderReservations = ImmutableDictionary<string, Tonnes>.Empty }, "listing.holds-moved", true)
                    {
                        Rows = [.. moved.Select(h => HoldRow(h.Key, h.Value))],
                    });
            foreach (var (orderId, tonnes) in moved)
            {
                holds[orderId] = tonnes;
            }
        }

        return _holds = holds;
    }

    /// <summary>
    /// Runs a write that changes the hold rows. A refusal (not enough stock, delisted) wrote nothing; any other failure,
    /// a concurrent writer included, may leave the rows different from memory, so they are read again next time.
    /// </summary>
    private async Task<T> ChangeHoldsAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (Exception e) when (e is not DomainException { Kind: not ErrorKind.Aborted })
        {
            _holds = null;
            throw;
        }
    }

    private AppendRow HoldRow(string orderId, Tonnes tonnes) =>
        new(HoldsTable, [new("listing_id", Id), new("order_id", orderId), new("tonnes", tonnes.ToString()), new("held_at", _journal.Now)]);

    private DeleteRow HoldKey(string orderId) => new(HoldsTable, [new("listing_id", Id), new("order_id", orderId)]);

    private Task<CategoryTree> Tree() => GrainFactory.GetGrain<ICategoryTreeGrain>("default").GetAsync();

    private async Task<SellerFacts> FactsAsync(Caller caller, string sellerEnterpriseId)
    {
        var standing = Ids.IsWellFormed(sellerEnterpriseId, "ent")
            ? await GrainFactory.GetGrain<IEnterpriseGrain>(sellerEnterpriseId).GetSellerStandingAsync(caller.UserId)
            : new SellerStanding(false, false, []);
        return new SellerFacts(sellerEnterpriseId, standing.IsVerified, standing.IsSeller, standing.Roles);
    }

    private static Decision<ListingState, ListingView> Changed(ListingState next, string action) => new(next, action, View(next));

    private static bool AlreadyApplied(ListingState listing, string? requestId) => requestId is not null && listing.AppliedRequestIds.Contains(requestId);

    /// <summary>
    /// Applies a change once per request id. A request that alters nothing is still remembered (without a new version):
    /// otherwise its replay after an order held stock would apply it again and put the held tonnes back on sale. Without
    /// a request id, a change that alters nothing is not recorded at all.
    /// </summary>
    private static Decision<ListingState, ListingView> Once(ListingState current, string? requestId, Func<ListingState, ListingState> change, string action)
    {
        if (AlreadyApplied(current, requestId))
        {
            return Decision<ListingState, ListingView>.Unchanged(View(current));
        }

        var next = change(current);
        if (ReferenceEquals(next, current))
        {
            return requestId is null
                ? Decision<ListingState, ListingView>.Unchanged(View(current))
                : Changed(ListingRules.RememberRequest(current, requestId), "listing.request-unchanged");
        }

        return Changed(requestId is null ? next : ListingRules.RememberRequest(next, requestId), action);
    }

    private static ListingView View(ListingState listing) => new(listing, ListingRules.ComputePrice(listing));

    private static ListingState Require(ListingState? listing) => listing ?? throw Errors.NotFound("Listing", "商品");

    private static object ReadModelRow(ListingState l)
    {
        var (low, high) = ListingRules.PriceRange(l);
        return new
        {
            listingId = l.ListingId,
            sellerEnterpriseId = l.SellerEnterpriseId,
            categoryId = l.CategoryId,
            name = l.Name,
            status = (int)l.Status,
            priceMin = low,
            priceMax = high,
            stockTonnes = l.Stock.ToString(),
            moqTonnes = l.MinOrder.ToString(),
            updatedAt = l.UpdatedAt,
            attributes = l.Attributes,
            brand = l.Brand,
            origin = l.Origin,
            warehouseCity = l.Warehouse.City,
            keySpecs = l.ListSpecs.Select(k => k.DisplayZh),
            state = ListingReadModel.PublishedState(l),
        };
    }
}
