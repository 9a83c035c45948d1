using System.Collections.Immutable;
using B2BTrade.Domain.Enterprises;

namespace B2BTrade.Domain.Catalog;

public enum ListingStatus
{
    Active = 1,
    Delisted = 2,
}

/// <summary>Where the price applies (DESIGN §4 rule 5).</summary>
public enum DeliveryTerm
{
    /// <summary>出厂价 / 库提价: the buyer collects at the warehouse.</summary>
    ExWorks = 1,

    /// <summary>到货价: freight and loading to the named destination are included.</summary>
    Delivered = 2,
}

/// <summary>含税 must be true for listing prices; ex-works or delivered (to <see cref="DeliveredTo"/>).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.price-basis")]
public sealed record PriceBasis(
    [property: Id(0)] bool TaxIncluded,
    [property: Id(1)] DeliveryTerm Delivery,
    [property: Id(2)] string? DeliveredTo = null);

[GenerateSerializer, Immutable, Alias("b2btrade.warehouse")]
public sealed record Warehouse(
    [property: Id(0)] string City,
    [property: Id(1)] string Address);

/// <summary>
/// Mill-style extra (加价) for one attribute value: 规格 12 → +50, 材质 HRB500E → +150. May be negative.
/// The display texts are filled from the schema when the pricing is validated.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.price-extra")]
public sealed record PriceExtra(
    [property: Id(0)] string AttributeKey,
    [property: Id(1)] string Value,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string DisplayZh = "",
    [property: Id(4)] string DisplayEn = "");

/// <summary>
/// Volume tier: from <see cref="MinTonnes"/> upward either a fixed price per tonne (unit-price listings only)
/// or a discount per tonne off the computed price. Exactly one of the two is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.price-tier")]
public sealed record PriceTier(
    [property: Id(0)] Tonnes MinTonnes,
    [property: Id(1)] decimal? UnitPrice = null,
    [property: Id(2)] decimal? DiscountPerTonne = null);

/// <summary>A listing's price: either one unit price, or a base price plus extras; both 元/吨, tax included.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.listing-pricing")]
public sealed record ListingPricing
{
    [Id(0)] public decimal? UnitPrice { get; init; }
    [Id(1)] public decimal? BasePrice { get; init; }
    [Id(2)] public ImmutableList<PriceExtra> Extras { get; init; } = [];
    [Id(3)] public ImmutableList<PriceTier> Tiers { get; init; } = [];

    public bool IsBasePlusExtras => BasePrice is not null;

    /// <summary>The headline figure: the unit price, or the base price.</summary>
    public decimal ListPrice => UnitPrice ?? BasePrice ?? 0;

    public bool SameAs(ListingPricing other) =>
        UnitPrice == other.UnitPrice && BasePrice == other.BasePrice && Extras.SequenceEqual(other.Extras) && Tiers.SequenceEqual(other.Tiers);
}

/// <summary>What a seller enters to create or edit a listing; stock is set separately (<see cref="ListingRules.SetStock"/>).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.listing-draft")]
public sealed record ListingDraft
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string CategoryId { get; init; } = "";
    [Id(2)] public IReadOnlyDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Brand or mill; when blank it is taken from the "mill" or "brand" attribute.</summary>
    [Id(3)] public string? Brand { get; init; }

    /// <summary>Origin (产地); when blank it is taken from the "origin" attribute.</summary>
    [Id(4)] public string? Origin { get; init; }
    [Id(5)] public Warehouse? Warehouse { get; init; }
    [Id(6)] public WeightBasis WeightBasis { get; init; }
    [Id(7)] public PriceBasis? PriceBasis { get; init; }
    [Id(8)] public ListingPricing? Pricing { get; init; }
    [Id(9)] public Tonnes MinOrder { get; init; }
    [Id(10)] public IReadOnlyList<string> ImageFileIds { get; init; } = [];

    /// <summary>The seller's own code for the goods (an ERP SKU); optional.</summary>
    [Id(11)] public string? SellerSku { get; init; }
}

/// <summary>What the grain knows about the caller and the seller enterprise when a command arrives.</summary>
public sealed record SellerFacts(string EnterpriseId, bool IsVerified, bool IsSeller, IReadOnlyCollection<MemberRole> CallerRoles);

public enum ListingChangeKind
{
    Created = 1,
    PriceChanged = 2,
    StockSet = 3,
    StockReserved = 4,
    StockReleased = 5,
    StockShipped = 6,
}

/// <summary>One recent price or stock change, with the figures after it.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.listing-change")]
public sealed record ListingChange(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] ListingChangeKind Kind,
    [property: Id(3)] decimal ListPrice,
    [property: Id(4)] Tonnes Stock,
    [property: Id(5)] Tonnes Reserved,
    [property: Id(6)] Tonnes? Delta = null);

/// <summary>The listing aggregate's state. Quantities are <see cref="Tonnes"/>, money decimal CNY to the fen.</summary>
[GenerateSerializer, Alias("b2btrade.listing-state")]
public sealed record ListingState
{
    [Id(0)] public required string ListingId { get; init; }
    [Id(1)] public required string SellerEnterpriseId { get; init; }
    [Id(2)] public required string CategoryId { get; init; }
    [Id(3)] public required string Name { get; init; }
    [Id(4)] public ImmutableDictionary<string, string> Attributes { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The shown-in-list values with display text, captured from the schema when the listing was last written.</summary>
    [Id(5)] public ImmutableList<KeySpec> ListSpecs { get; init; } = [];
    [Id(6)] public string Brand { get; init; } = "";
    [Id(7)] public string Origin { get; init; } = "";
    [Id(8)] public required Warehouse Warehouse { get; init; }
    [Id(9)] public WeightBasis WeightBasis { get; init; }
    [Id(10)] public required PriceBasis PriceBasis { get; init; }
    [Id(11)] public required ListingPricing Pricing { get; init; }
    [Id(12)] public Tonnes MinOrder { get; init; }

    /// <summary>Available to sell.</summary>
    [Id(13)] public Tonnes Stock { get; init; }

    /// <summary>Held for orders in progress; released back to <see cref="Stock"/> or shipped.</summary>
    [Id(14)] public Tonnes Reserved { get; init; }
    [Id(15)] public ImmutableList<string> ImageFileIds { get; init; } = [];
    [Id(16)] public ListingStatus Status { get; init; } = ListingStatus.Active;
    [Id(17)] public long Version { get; init; } = 1;
    [Id(18)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(19)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(20)] public required string CreatedBy { get; init; }

    /// <summary>The last <see cref="ListingRules.MaxRecentChanges"/> price and stock changes, oldest first; the full history is in the audit trail.</summary>
    [Id(21)] public ImmutableList<ListingChange> RecentChanges { get; init; } = [];

    /// <summary>VAT rate of the category when last written, for tax splits on quotes.</summary>
    [Id(22)] public decimal VatRate { get; init; } = 0.13m;

    /// <summary>Request ids of the last updates and stock counts applied, oldest first (see <see cref="ListingRules.RememberRequest"/>).</summary>
    [Id(23)] public ImmutableList<string> AppliedRequestIds { get; init; } = [];

    /// <summary>The seller's own code for the goods (an ERP SKU), "" when none.</summary>
    [Id(24)] public string SellerSku { get; init; } = "";

    /// <summary>
    /// Only in states stored before holds moved beside the state: stock held per order awaiting an answer (order id →
    /// tonnes). The listing grain moves these into its hold rows (table listing_holds) when it first loads them and
    /// writes it empty from then on, so a reservation no longer rewrites every other order's hold.
    /// </summary>
    [Id(25)] public ImmutableDictionary<string, Tonnes> OrderReservations { get; init; } = ImmutableDictionary<string, Tonnes>.Empty;

    /// <summary>The attribute values a list row shows, in schema order.</summary>
    public ImmutableList<KeySpec> KeySpecs() => ListSpecs;

    /// <summary>For 理计 rebar-like listings with a diameter (规格), the theoretical kg per metre; otherwise null.</summary>
    public decimal? TheoreticalKgPerMetre() =>
        WeightBasis == WeightBasis.Theoretical
        && CategoryId is "steel.rebar" or "steel.wire_rod"
        && Attributes.TryGetValue("diameter", out var d)
        && CatalogRules.ParseNormalisedRange(d) is { } range && range.From == range.To
            ? CatalogRules.RebarKgPerMetre(range.From)
            : null;
}

/// <summary>One line of a price breakdown: 基价 3650.00, 规格 Φ12mm +50.00, 材质 HRB500E +150.00, ≥500 吨 −30.00.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.price-line")]
public sealed record PriceLine(
    [property: Id(0)] string LabelZh,
    [property: Id(1)] string LabelEn,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string? AttributeKey = null,
    [property: Id(4)] string? AttributeValue = null);

/// <summary>One computed price per tonne (tax included) with how it was made up; for a quantity also the total.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.price-quote")]
public sealed record PriceQuote(
    [property: Id(0)] decimal UnitPrice,
    [property: Id(1)] ImmutableList<PriceLine> Breakdown,
    [property: Id(2)] PriceBasis Basis,
    [property: Id(3)] Tonnes? Quantity = null,
    [property: Id(4)] decimal? Total = null);
