using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Domain.Orders;

namespace B2BTrade.Grains;

/// <summary>A listing and quantity to order.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order-line-request")]
public sealed record OrderLineRequest([property: Id(0)] string ListingId, [property: Id(1)] Tonnes Quantity);

/// <summary>The buyer's details as sent (validated by the order rules).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order-details-request")]
public sealed record OrderDetailsRequest(
    [property: Id(0)] DateOnly? DeliveryDate,
    [property: Id(1)] DeliveryAddress? Address,
    [property: Id(2)] TransportMode? Transport,
    [property: Id(3)] FreightBearer? FreightBearer,
    [property: Id(4)] InvoiceDetails? Invoice,
    [property: Id(5)] string? Remarks)
{
    public OrderDetailsInput ToInput() => new(DeliveryDate, Address, Transport, FreightBearer, Invoice, Remarks);
}

/// <summary>What a buyer orders: the agreed terms of a thread, or listing lines of one seller.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.place-order")]
public sealed record PlaceOrder(
    [property: Id(0)] string BuyerEnterpriseId,
    [property: Id(1)] string? ThreadId,
    [property: Id(2)] ImmutableList<OrderLineRequest> Lines,
    [property: Id(3)] OrderDetailsRequest Details,
    [property: Id(4)] decimal? ExpectedTotal);

/// <summary>A priced order before it is placed.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order-preview")]
public sealed record OrderPreview([property: Id(0)] PriceBreakdown Price, [property: Id(1)] string SellerEnterpriseId, [property: Id(2)] bool NeedsApproval);

/// <summary>An order (key: "ord_…", derived from the buyer enterprise and the client's request id).</summary>
[Alias("b2btrade.IOrderGrain")]
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Places the order: prices it, holds its stock, and sends it to the seller or to the buyer's approver. A retry returns the same order.</summary>
    Task<OrderState> PlaceAsync(Caller caller, string requestId, PlaceOrder order);

    /// <summary>Members of either party with an order role (Purchaser / Sales / Admin) see it; anyone else gets NOT_FOUND.</summary>
    Task<OrderState> GetAsync(Caller caller);

    Task<OrderState> ApproveAsync(Caller caller, string? comment);

    Task<OrderState> RejectApprovalAsync(Caller caller, string? comment);

    Task<OrderState> ConfirmAsync(Caller caller);

    Task<OrderState> RejectAsync(Caller caller, string? reason);

    Task<OrderState> CancelAsync(Caller caller, string? reason);

    /// <summary>The contract grain reports both signatures (idempotent).</summary>
    Task ContractEffectiveAsync(string contractId);

    /// <summary>Publishes a snapshot to the read model again (rebuild).</summary>
    Task RepublishAsync();

    /// <summary>The hold sweeper found a listing holding stock for this order id: released unless the order exists (idempotent).</summary>
    Task ReleaseOrphanHoldAsync(string listingId);

    /// <summary>
    /// Whether the order was written and did not fail to place. Read-only and interleaved, so a negotiation thread can
    /// ask while this order is itself waiting on that thread.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<bool> IsWrittenAsync();
}

/// <summary>Prices orders without placing them (a stateless worker: previews are read-only and may run anywhere).</summary>
[Alias("b2btrade.IOrderPricingGrain")]
public interface IOrderPricingGrain : IGrainWithIntegerKey
{
    Task<OrderPreview> PreviewAsync(Caller caller, PlaceOrder order);
}

/// <summary>A seller's freight rules (key: the seller enterprise id).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.freight-rule-set")]
public sealed record FreightRuleSet([property: Id(0)] ImmutableList<FreightRule> Rules, [property: Id(1)] DateTimeOffset? UpdatedAt);

[Alias("b2btrade.IFreightRulesGrain")]
public interface IFreightRulesGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<FreightRuleSet> GetAsync();

    /// <summary>Replaces the rules (an Admin or Sales member of the seller).</summary>
    Task<FreightRuleSet> SetAsync(Caller caller, ImmutableList<FreightRule> rules);
}

/// <summary>A cart line.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.cart-line")]
public sealed record CartLine([property: Id(0)] string ListingId, [property: Id(1)] Tonnes Quantity, [property: Id(2)] DateTimeOffset UpdatedAt);

/// <summary>A user's cart (key: the user id; only that user's calls reach it).</summary>
[Alias("b2btrade.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<ImmutableList<CartLine>> GetAsync();

    Task<ImmutableList<CartLine>> SetAsync(string listingId, Tonnes quantity);

    /// <summary>Removes the listings (all when empty).</summary>
    Task<ImmutableList<CartLine>> RemoveAsync(ImmutableArray<string> listingIds);
}

/// <summary>Order settings of the deployment (the confirmation window: 72 h unless configured).</summary>
public sealed record OrderSettings(TimeSpan ConfirmationWindow);
