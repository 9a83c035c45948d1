using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Order.V1;

namespace B2BTrade.Client;

/// <summary>
/// Everything a buyer fills in besides the goods, in C# types, converted to the proto <see cref="OrderDetails"/> with
/// <see cref="ToProto"/>. Address and invoice are the proto messages (plain text fields); build them with object
/// initializers. For an order from a negotiation, leave <see cref="DeliveryDate"/>, <see cref="TransportMode"/> and
/// <see cref="FreightBearer"/> empty to take the agreed ones.
/// </summary>
public sealed record OrderForm
{
    /// <summary>Desired delivery date (China date, today or later); null for the agreed date of a negotiation.</summary>
    public DateOnly? DeliveryDate { get; init; }

    /// <summary>Where the goods go: province, city, district, street, contact and phone (all required by the server).</summary>
    public DeliveryAddress? DeliveryAddress { get; init; }

    /// <summary>How the goods travel; unspecified for the agreed mode of a negotiation.</summary>
    public TransportMode TransportMode { get; init; }

    /// <summary>Who bears freight (出厂价 + 运费, 到货价 or 自提); from a negotiation it follows the agreed price basis.</summary>
    public FreightBearer FreightBearer { get; init; }

    /// <summary>Details for the 增值税专用发票: title, tax number, bank, account, address, phone.</summary>
    public InvoiceDetails? Invoice { get; init; }

    /// <summary>Remarks to the seller, up to 500 characters.</summary>
    public string Remarks { get; init; } = string.Empty;

    /// <summary>The proto details to send.</summary>
    /// <returns>A new <see cref="OrderDetails"/>; the address and invoice are copies.</returns>
    public OrderDetails ToProto() => new()
    {
        DeliveryDate = DeliveryDate is { } date ? NegotiationValues.Date(date) : null,
        DeliveryAddress = DeliveryAddress?.Clone(),
        TransportMode = TransportMode,
        FreightBearer = FreightBearer,
        Invoice = Invoice?.Clone(),
        Remarks = Remarks ?? string.Empty,
    };

    /// <summary>Reads proto details, e.g. <c>order.Details</c>, to place a similar order again.</summary>
    /// <param name="details">The details.</param>
    /// <returns>The form.</returns>
    public static OrderForm FromProto(OrderDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new OrderForm
        {
            DeliveryDate = details.DeliveryDate is { } date ? NegotiationValues.ToDateOnly(date) : null,
            DeliveryAddress = details.DeliveryAddress?.Clone(),
            TransportMode = details.TransportMode,
            FreightBearer = details.FreightBearer,
            Invoice = details.Invoice?.Clone(),
            Remarks = details.Remarks,
        };
    }
}

/// <summary>A listing and a quantity to order: an ERP order line or a cart line.</summary>
/// <param name="ListingId">The listing (<c>lst_…</c>).</param>
/// <param name="QuantityTonnes">Tonnes, at most 3 decimal places; at least the listing's minimum order.</param>
public sealed record OrderLineItem(string ListingId, decimal QuantityTonnes)
{
    /// <summary>The proto line.</summary>
    /// <returns>A new <see cref="OrderLineInput"/>.</returns>
    /// <exception cref="ArgumentException">The quantity has more than 3 decimal places.</exception>
    public OrderLineInput ToProto() => new() { ListingId = ListingId ?? string.Empty, QuantityTonnes = CatalogValues.Tonnes(QuantityTonnes) };

    /// <summary>A cart line as an order line (same listing and quantity).</summary>
    /// <param name="item">The cart item.</param>
    /// <returns>The line.</returns>
    public static OrderLineItem FromCart(CartItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.ListingId, NegotiationValues.ToDecimal(item.QuantityTonnes));
    }
}

/// <summary>Builds the <see cref="OrderSource"/> of an order: the agreed terms of a negotiation, or listing lines.</summary>
public static class OrderSources
{
    /// <summary>Orders exactly the agreed terms of a negotiation whose quote the buyer accepted (立即下单).</summary>
    /// <param name="threadId">The accepted thread (<c>thr_…</c>).</param>
    /// <returns>The source.</returns>
    public static OrderSource FromNegotiation(string threadId)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return new OrderSource { ThreadId = threadId };
    }

    /// <summary>Orders listing lines, all of one seller, at the listings' current prices and tiers.</summary>
    /// <param name="lines">1 to 50 lines, a listing at most once.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">A quantity has more than 3 decimal places.</exception>
    public static OrderSource FromLines(IEnumerable<OrderLineItem> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return new OrderSource { Lines = new OrderLines { Lines = { lines.Select(l => l.ToProto()) } } };
    }

    /// <summary>
    /// Orders the cart lines of one seller (pick them from <see cref="CartClient.GetAsync"/>). Once the order is placed,
    /// the platform takes these listings out of the caller's cart; a refused order leaves the cart as it was.
    /// </summary>
    /// <param name="items">Cart items, all of the same seller.</param>
    /// <returns>The source.</returns>
    public static OrderSource FromCart(IEnumerable<CartItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var source = FromLines(items.Select(OrderLineItem.FromCart));
        source.Lines.RemoveFromCart = true;
        return source;
    }
}

/// <summary>Builds <see cref="FreightRule"/>s from C# amounts (CNY to the fen), for <see cref="OrdersClient.SetFreightRulesAsync"/>.</summary>
public static class FreightRules
{
    /// <summary>Every province without a rule of its own.</summary>
    public const string AnyProvince = "*";

    /// <summary>Zone pricing: a price per tonne to a province.</summary>
    /// <param name="destinationProvince">E.g. <c>江苏省</c>, or <see cref="AnyProvince"/>.</param>
    /// <param name="perTonne">CNY per tonne.</param>
    /// <param name="loadingPerTonne">Loading / unloading CNY per tonne on top; null for none.</param>
    /// <param name="transportModes">Modes the rule applies to; none for all.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException">An amount has more than 2 decimal places.</exception>
    public static FreightRule PerTonne(string destinationProvince, decimal perTonne, decimal? loadingPerTonne = null, params IEnumerable<TransportMode> transportModes) => new()
    {
        DestinationProvince = destinationProvince,
        PerTonne = CatalogValues.Cny(perTonne),
        LoadingPerTonne = loadingPerTonne is { } loading ? CatalogValues.Cny(loading) : null,
        TransportModes = { transportModes },
    };

    /// <summary>Distance pricing: a price per tonne-kilometre over the road distance to a province.</summary>
    /// <param name="destinationProvince">E.g. <c>浙江省</c>, or <see cref="AnyProvince"/>.</param>
    /// <param name="ratePerTonneKm">CNY per tonne-kilometre, e.g. <c>0.35m</c>.</param>
    /// <param name="distanceKm">Road distance, 1 to 5,000 km.</param>
    /// <param name="loadingPerTonne">Loading / unloading CNY per tonne on top; null for none.</param>
    /// <param name="transportModes">Modes the rule applies to; none for all.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentException">An amount has more than 2 decimal places.</exception>
    public static FreightRule PerTonneKm(string destinationProvince, decimal ratePerTonneKm, int distanceKm, decimal? loadingPerTonne = null, params IEnumerable<TransportMode> transportModes) => new()
    {
        DestinationProvince = destinationProvince,
        PerTonneKm = new PerTonneKm { Rate = CatalogValues.Cny(ratePerTonneKm), DistanceKm = distanceKm },
        LoadingPerTonne = loadingPerTonne is { } loading ? CatalogValues.Cny(loading) : null,
        TransportModes = { transportModes },
    };
}

/// <summary>The totals of an order's <see cref="PriceBreakdown"/>, in CNY (tax included unless named otherwise).</summary>
/// <param name="AmountExcludingTax">Total excluding VAT.</param>
/// <param name="TaxAmount">VAT contained in the total.</param>
/// <param name="TotalAmount">What the buyer pays.</param>
/// <param name="DepositAmount">Deposit (定金) due.</param>
/// <param name="TotalInWords">The total in Chinese capital numerals (大写).</param>
public sealed record OrderTotals(decimal AmountExcludingTax, decimal TaxAmount, decimal TotalAmount, decimal DepositAmount, string TotalInWords)
{
    /// <summary>Reads an order's price, e.g. <c>order.Price</c> or a preview's <c>Price</c>.</summary>
    /// <param name="price">The breakdown.</param>
    /// <returns>The totals (absent amounts read as 0).</returns>
    /// <exception cref="FormatException">An amount is not plain decimal text or not in CNY.</exception>
    public static OrderTotals FromProto(PriceBreakdown price)
    {
        ArgumentNullException.ThrowIfNull(price);
        return new(
            NegotiationValues.ToCnyOrNull(price.AmountExcludingTax) ?? 0m,
            NegotiationValues.ToCnyOrNull(price.TaxAmount) ?? 0m,
            NegotiationValues.ToCnyOrNull(price.TotalAmount) ?? 0m,
            NegotiationValues.ToCnyOrNull(price.DepositAmount) ?? 0m,
            price.TotalInWords);
    }
}
