using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Enterprises;

namespace B2BTrade.Grains;

/// <summary>A listing with the price a buyer sees for its own attribute values.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.listing-view")]
public sealed record ListingView([property: Id(0)] ListingState State, [property: Id(1)] PriceQuote Price);

/// <summary>Where an enterprise stands as a seller, and the roles a user holds in it.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.seller-standing")]
public sealed record SellerStanding([property: Id(0)] bool IsVerified, [property: Id(1)] bool IsSeller, [property: Id(2)] MemberRole[] Roles);

/// <summary>The category tree with its attribute schemas (key: "default"). Seeded with the platform taxonomy; operators edit it.</summary>
[Alias("b2btrade.ICategoryTreeGrain")]
public interface ICategoryTreeGrain : IGrainWithStringKey
{
    /// <summary>The current tree (the seed until an operator first edits it).</summary>
    [ReadOnly]
    Task<CategoryTree> GetAsync();

    /// <summary>Adds a category (operator).</summary>
    Task<CategoryTree> AddCategoryAsync(Caller caller, NewCategory category);

    /// <summary>Adds a category or replaces an existing one's names, parent, VAT rate, weight bases and own attributes (operator).</summary>
    /// <remarks>With <paramref name="expectedVersion"/>, a tree changed since that version is refused with ABORTED.</remarks>
    Task<CategoryTree> UpsertCategoryAsync(Caller caller, NewCategory category, long? expectedVersion = null);

    /// <summary>Adds or replaces an attribute definition on a category (operator).</summary>
    Task<CategoryTree> SetAttributeAsync(Caller caller, string categoryId, AttributeDefinition definition);
}

/// <summary>A seller's listing (key: "lst_…"): fields, price, stock, status; price and stock changes are audited.</summary>
[Alias("b2btrade.IListingGrain")]
public interface IListingGrain : IGrainWithStringKey
{
    /// <summary>Creates the listing for a verified seller enterprise; a repeat of the same request returns the first result.</summary>
    Task<ListingView> CreateAsync(Caller caller, string requestId, string sellerEnterpriseId, ListingDraft draft, Tonnes stock);

    /// <summary>The listing; NOT_FOUND when it does not exist.</summary>
    [ReadOnly]
    Task<ListingView> GetAsync();

    /// <summary>
    /// Replaces the editable fields (the seller's Sales or Admin members). A stale etag is refused with ABORTED;
    /// a request id already applied returns the listing as it is.
    /// </summary>
    Task<ListingView> UpdateAsync(Caller caller, ListingDraft draft, string? etag, string? requestId = null);

    /// <summary>
    /// Replaces the editable fields and the available stock in one change (ERP inventory sync); a request id
    /// already applied returns the listing as it is, and an unchanged listing gets no new version.
    /// </summary>
    Task<ListingView> SyncAsync(Caller caller, ListingDraft draft, Tonnes stock, string requestId);

    /// <summary>Sets the available stock; a request id already applied returns the listing as it is.</summary>
    Task<ListingView> SetStockAsync(Caller caller, Tonnes stock, string? requestId = null);

    /// <summary>Takes the listing off the market.</summary>
    Task<ListingView> DelistAsync(Caller caller);

    /// <summary>Holds stock for an order (order grains only; idempotent per order). INSUFFICIENT_STOCK beyond what is available.</summary>
    Task ReserveForOrderAsync(string orderId, Tonnes quantity);

    /// <summary>Returns an order's held stock to sale (order grains only; idempotent).</summary>
    Task ReleaseForOrderAsync(string orderId);

    /// <summary>The order was confirmed: its tonnes stay reserved until shipped, and the listing forgets the order (order grains only; idempotent).</summary>
    Task CommitForOrderAsync(string orderId);

    /// <summary>Puts the listing back on the market (verified seller).</summary>
    Task<ListingView> RelistAsync(Caller caller);

    /// <summary>Publishes a snapshot to the read model again (rebuild).</summary>
    Task RepublishAsync();
}
