using System.Collections.Immutable;
using System.Text.Json;
using B2BTrade.Domain.Catalog;

namespace B2BTrade.Grains.Catalog;

/// <summary>
/// The listing's read-model document carries the full listing (without its change history and request memory),
/// so seller lists and live pushes are answered from the read model exactly as <see cref="IListingGrain.GetAsync"/> would.
/// </summary>
public static class ListingReadModel
{
    public const string StateProperty = "state";

    /// <summary>
    /// The listing as the read model and the audit trail keep it: everything but the grain's bookkeeping (the per-order
    /// reservation map, the recent-change list and the applied request ids). Each stock or price change is an audit
    /// entry of its own, with the order or member as actor, so an entry stays small however many orders the listing has
    /// served.
    /// </summary>
    public static ListingState PublishedState(ListingState listing) =>
        listing with { OrderReservations = ImmutableDictionary<string, Tonnes>.Empty, RecentChanges = [], AppliedRequestIds = [] };

    /// <summary>The listing in a read-model document; null for documents written before the state was included (rebuild to refresh).</summary>
    public static ListingView? ParseView(JsonElement document) =>
        document.TryGetProperty(StateProperty, out var state) && state.ValueKind == JsonValueKind.Object
        && state.Deserialize<ListingState>() is { } listing
            ? new ListingView(listing, ListingRules.ComputePrice(listing))
            : null;
}
