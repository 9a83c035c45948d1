using B2BTrade.Protos.Catalog.V1;
using Grpc.Core;

namespace B2BTrade.Client;

/// <summary>Why one item of a bulk upsert failed (the rest of its batch is unaffected).</summary>
/// <param name="Code">The gRPC status code, e.g. <see cref="StatusCode.InvalidArgument"/> for a bad field.</param>
/// <param name="Reason">The UPPER_SNAKE reason, e.g. <c>NOT_ALLOWED_VALUE</c> or <c>DUPLICATE_REQUEST_ID</c>; switch on this.</param>
/// <param name="Message">Text for people, in <see cref="B2BTradeClientOptions.Language"/>, naming the fields (<c>items[3].spec.attributes.grade: …</c>).</param>
public sealed record BulkUpsertError(StatusCode Code, string Reason, string Message)
{
    /// <summary>The item's bad fields, with paths relative to the item (<c>spec.category_id</c>); empty when the error is not about fields.</summary>
    public IReadOnlyList<B2BTradeFieldViolation> FieldViolations { get; init; } = [];

    /// <summary>True when sending the item again later (with the same request id) may succeed.</summary>
    public bool IsTransient => Code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;
}

/// <summary>The outcome of one item of <see cref="CatalogClient.BulkUpsertAsync"/>, at the item's input position.</summary>
/// <param name="RequestId">The item's request id: the caller's, or the one the SDK generated. Re-send with it to repeat safely.</param>
/// <param name="Listing">The listing created or updated; null when the item failed.</param>
/// <param name="Error">Why the item failed; null when it succeeded.</param>
public sealed record BulkUpsertOutcome(string RequestId, Listing? Listing, BulkUpsertError? Error)
{
    /// <summary>True when the item was applied (or had been applied by an earlier send of the same request id).</summary>
    public bool Succeeded => Error is null;
}

/// <summary>One article of an ERP's inventory, for <see cref="CatalogClient.SyncInventoryAsync"/>.</summary>
/// <param name="Sku">The ERP's own article number, unique per seller; the SDK keys request ids on it.</param>
/// <param name="Spec">The listing's fields, including <c>stock_tonnes</c> (the available stock as counted by the ERP).</param>
/// <param name="ListingId">The platform listing id recorded for this SKU, or null when the ERP has none (yet).</param>
/// <param name="Revision">
/// The ERP's revision of this article (row version, change counter, last-modified stamp), or null. With a revision,
/// re-sending the same revision is a no-op even across process restarts; without one, a re-run re-applies the
/// content (harmless unless something else changed the listing in between).
/// </param>
public sealed record InventoryItem(string Sku, ListingSpec Spec, string? ListingId = null, string? Revision = null);

/// <summary>The outcome of one article of <see cref="CatalogClient.SyncInventoryAsync"/>, at the article's input position.</summary>
/// <param name="Sku">The ERP's article number.</param>
/// <param name="ListingId">The SKU's listing id (record it); known even when a follow-up update failed. Null when no listing exists.</param>
/// <param name="Listing">The listing as it is after the sync; null when the article failed.</param>
/// <param name="Error">Why the article failed; null when it succeeded.</param>
public sealed record InventorySyncResult(string Sku, string? ListingId, Listing? Listing, BulkUpsertError? Error)
{
    /// <summary>True when the listing now holds the article's fields and stock.</summary>
    public bool Succeeded => Error is null;
}
