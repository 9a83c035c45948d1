using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;

namespace B2BTrade.Domain.Negotiation;

/// <summary>Which side of a negotiation thread.</summary>
public enum Side
{
    Buyer = 1,
    Seller = 2,
}

public enum TransportMode
{
    /// <summary>汽运.</summary>
    Road = 1,

    /// <summary>铁运.</summary>
    Rail = 2,

    /// <summary>水运.</summary>
    Waterway = 3,

    /// <summary>买方自提.</summary>
    BuyerPickup = 4,

    /// <summary>多式联运.</summary>
    Multimodal = 5,
}

public enum ServiceKind
{
    /// <summary>运费.</summary>
    Freight = 1,

    /// <summary>装卸费.</summary>
    Loading = 2,

    /// <summary>仓储费.</summary>
    Storage = 3,
}

public enum ChargeUnit
{
    PerTonne = 1,
    LumpSum = 2,
}

public enum BalanceTiming
{
    /// <summary>款到发货.</summary>
    BeforeDelivery = 1,

    /// <summary>货到付款.</summary>
    OnDelivery = 2,

    /// <summary>账期: <see cref="PaymentTerms.BalanceDays"/> after delivery.</summary>
    AfterDelivery = 3,
}

/// <summary>A service quoted with the goods and added to the total (运费 / 装卸费 / 仓储费).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.service-charge")]
public sealed record ServiceCharge([property: Id(0)] ServiceKind Kind, [property: Id(1)] decimal Amount, [property: Id(2)] ChargeUnit Unit);

/// <summary>From <see cref="MinQuantity"/> upward, <see cref="DiscountPerTonne"/> off every tonne (e.g. ≥500 吨 每吨减 20 元).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.volume-discount")]
public sealed record VolumeDiscount([property: Id(0)] Tonnes MinQuantity, [property: Id(1)] decimal DiscountPerTonne);

/// <summary>Deposit (定金, at most 20% — Civil Code Art. 586) and when the balance is paid.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.payment-terms")]
public sealed record PaymentTerms([property: Id(0)] decimal DepositPercent, [property: Id(1)] BalanceTiming BalanceTiming, [property: Id(2)] int BalanceDays = 0);

/// <summary>
/// The structured terms of one offer. Prices are CNY per tonne; <see cref="UnitPrice"/> is the buyer's target on an
/// inquiry (may be absent) and required on quotes and counter-offers.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.terms")]
public sealed record Terms
{
    [Id(0)] public string ProductName { get; init; } = "";
    [Id(1)] public ImmutableSortedDictionary<string, string> Attributes { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
    [Id(2)] public Tonnes Quantity { get; init; }
    [Id(3)] public decimal? UnitPrice { get; init; }
    [Id(4)] public bool TaxIncluded { get; init; } = true;
    [Id(5)] public DeliveryTerm Delivery { get; init; } = DeliveryTerm.ExWorks;
    [Id(6)] public ImmutableList<ServiceCharge> Services { get; init; } = [];
    [Id(7)] public ImmutableList<VolumeDiscount> VolumeDiscounts { get; init; } = [];
    [Id(8)] public DateOnly? DeliveryDate { get; init; }
    [Id(9)] public string DeliveryPlace { get; init; } = "";
    [Id(10)] public TransportMode? Transport { get; init; }
    [Id(11)] public string QualityStandard { get; init; } = "";
    [Id(12)] public PaymentTerms? Payment { get; init; }
    [Id(13)] public DateTimeOffset? ValidUntil { get; init; }
    [Id(14)] public string Notes { get; init; } = "";
}

/// <summary>Totals of an offer: goods − volume discount + services; the deposit follows the payment terms.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.offer-totals")]
public sealed record OfferTotals(
    [property: Id(0)] decimal Goods,
    [property: Id(1)] decimal Discount,
    [property: Id(2)] decimal Services,
    [property: Id(3)] decimal Total,
    [property: Id(4)] decimal EffectiveUnitPrice,
    [property: Id(5)] decimal Deposit);

/// <summary>One field that differs between two versions, with display values.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.field-change")]
public sealed record FieldChange([property: Id(0)] string Field, [property: Id(1)] string Before, [property: Id(2)] string After);
