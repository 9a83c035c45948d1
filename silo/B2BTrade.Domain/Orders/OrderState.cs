using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Orders;

/// <summary>Where an order stands (numbers match order.v1.OrderStatus).</summary>
public enum OrderStatus
{
    PendingApproval = 1,
    PendingConfirmation = 2,
    Confirmed = 3,
    ContractEffective = 4,
    Rejected = 5,
    Cancelled = 6,
    Expired = 7,
}

/// <summary>A Chinese delivery address with the receiving contact.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.delivery-address")]
public sealed record DeliveryAddress(
    [property: Id(0)] string Province,
    [property: Id(1)] string City,
    [property: Id(2)] string District,
    [property: Id(3)] string Street,
    [property: Id(4)] string ContactName,
    [property: Id(5)] string ContactPhone)
{
    /// <summary>"江苏省苏州市张家港市锦丰镇沙钢大道 1 号" (a municipality's name is not repeated).</summary>
    public string OneLine => (Province == City ? Province : Province + City) + District + Street;
}

/// <summary>Details of the 增值税专用发票 (special VAT invoice) the seller issues.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.invoice-details")]
public sealed record InvoiceDetails(
    [property: Id(0)] string Title,
    [property: Id(1)] string TaxNumber,
    [property: Id(2)] string BankName,
    [property: Id(3)] string BankAccount,
    [property: Id(4)] string Address,
    [property: Id(5)] string Phone);

/// <summary>What the buyer fills in besides the goods, as validated by <see cref="OrderRules.ValidateDetails"/>.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order-details")]
public sealed record OrderDetails(
    [property: Id(0)] DateOnly DeliveryDate,
    [property: Id(1)] DeliveryAddress Address,
    [property: Id(2)] TransportMode Transport,
    [property: Id(3)] FreightBearer FreightBearer,
    [property: Id(4)] InvoiceDetails Invoice,
    [property: Id(5)] string Remarks);

/// <summary>The details as sent, before validation (every field may be missing or wrong).</summary>
public sealed record OrderDetailsInput(
    DateOnly? DeliveryDate,
    DeliveryAddress? Address,
    TransportMode? Transport,
    FreightBearer? FreightBearer,
    InvoiceDetails? Invoice,
    string? Remarks);

/// <summary>One status change.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order-event")]
public sealed record OrderEvent(
    [property: Id(0)] OrderStatus Status,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string ActorUserId,
    [property: Id(3)] string ActorName,
    [property: Id(4)] string Comment);

/// <summary>Stock held on a listing for this order.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order-reservation")]
public sealed record StockReservation([property: Id(0)] string ListingId, [property: Id(1)] Tonnes Quantity);

/// <summary>Why a recorded placement was undone (e.g. INSUFFICIENT_STOCK when another order took the stock first).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order-placement-failure")]
public sealed record PlacementFailure([property: Id(0)] string Reason, [property: Id(1)] string Message);

/// <summary>Who placed the order and with what authority (decides whether it needs approval).</summary>
public sealed record OrderPlacer(string UserId, string DisplayName, bool IsAdmin, decimal? SpendingLimit);

/// <summary>
/// An order. Its lines and price are fixed at placement; afterwards only its status moves, each step recorded in
/// <see cref="History"/> (and in the audit trail by the grain).
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.order")]
public sealed record OrderState
{
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required string RequestFingerprint { get; init; }
    [Id(2)] public required string BuyerEnterpriseId { get; init; }
    [Id(3)] public required string BuyerName { get; init; }
    [Id(4)] public required string SellerEnterpriseId { get; init; }
    [Id(5)] public required string SellerName { get; init; }
    [Id(6)] public string? ThreadId { get; init; }
    [Id(7)] public int? TermsVersion { get; init; }
    [Id(8)] public required OrderDetails Details { get; init; }
    [Id(9)] public required PriceBreakdown Price { get; init; }
    [Id(10)] public required string QualityStandard { get; init; }
    [Id(11)] public required WeightBasis WeightBasis { get; init; }
    [Id(12)] public required string PlacedByUserId { get; init; }
    [Id(13)] public required string PlacedByName { get; init; }
    [Id(14)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(15)] public required DateTimeOffset ConfirmBy { get; init; }
    [Id(16)] public string? ContractId { get; init; }
    [Id(17)] public required OrderStatus Status { get; init; }
    [Id(18)] public ImmutableList<OrderEvent> History { get; init; } = [];
    [Id(19)] public ImmutableList<StockReservation> Reservations { get; init; } = [];

    /// <summary>False until every reservation is held (placement is recorded first so a crash mid-way can be finished or undone).</summary>
    [Id(20)] public bool StockHeld { get; init; }

    /// <summary>True once the reservations were returned to the listings after a rejection, cancellation or expiry.</summary>
    [Id(21)] public bool StockReleased { get; init; }

    /// <summary>True once the contract grain has the contract (set after confirmation; retried until it is).</summary>
    [Id(22)] public bool ContractCreated { get; init; }
    [Id(23)] public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Set when the stock could not be held at placement: the order never existed for anyone, and retries of its request get this error.</summary>
    [Id(24)] public PlacementFailure? PlacementFailure { get; init; }

    /// <summary>True once the listings were told the confirmed order keeps its tonnes (they stop tracking it).</summary>
    [Id(25)] public bool StockCommitted { get; init; }

    public bool IsConfirmed => Status is OrderStatus.Confirmed or OrderStatus.ContractEffective;

    public bool IsOpen => Status is OrderStatus.PendingApproval or OrderStatus.PendingConfirmation;

    public bool IsClosed => Status is OrderStatus.Rejected or OrderStatus.Cancelled or OrderStatus.Expired;

    public Tonnes TotalTonnes => Price.Lines.Aggregate(Tonnes.Zero, (sum, line) => sum + line.Quantity);
}
