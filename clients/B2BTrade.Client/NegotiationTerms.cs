using System.Globalization;
using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Negotiation.V1;
using Google.Protobuf.WellKnownTypes;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;

namespace B2BTrade.Client;

/// <summary>
/// The terms of an inquiry, quote or counter-offer in C# types, converted to the proto <see cref="Terms"/> with
/// <see cref="ToProto"/> and read back with <see cref="FromProto"/>. Quantities are tonnes (3 places) and amounts CNY
/// (to the fen); a value with more places than the platform holds throws instead of being rounded. Change one field of
/// terms read from a thread with <c>with</c>: <c>NegotiationTerms.FromProto(offer.Terms) with { UnitPrice = 3600m }</c>.
/// </summary>
public sealed record NegotiationTerms
{
    /// <summary>Product name, 1 to 100 characters, e.g. <c>螺纹钢 HRB400E Φ20</c>.</summary>
    public required string ProductName { get; init; }

    /// <summary>Specification attributes by schema key, e.g. <c>{ ["grade"] = "HRB400E" }</c>.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Quantity in tonnes, greater than zero, at most 3 decimal places.</summary>
    public required decimal QuantityTonnes { get; init; }

    /// <summary>CNY per tonne: required on quotes and counter-offers, the target price (optional) on an inquiry.</summary>
    public decimal? UnitPrice { get; init; }

    /// <summary>True when the unit price includes VAT (含税).</summary>
    public bool TaxIncluded { get; init; }

    /// <summary>Ex-works (出厂价) or delivered (到货价).</summary>
    public DeliveryBasis DeliveryBasis { get; init; }

    /// <summary>Services quoted with the goods (freight, loading, storage), added to the total.</summary>
    public IReadOnlyList<ServiceFee> Services { get; init; } = [];

    /// <summary>Volume discounts; the highest threshold at or below the quantity applies.</summary>
    public IReadOnlyList<VolumeDiscountTier> VolumeDiscounts { get; init; } = [];

    /// <summary>Delivery date (a calendar date, China time); today or later, within a year.</summary>
    public DateOnly? DeliveryDate { get; init; }

    /// <summary>Delivery place, up to 200 characters.</summary>
    public string DeliveryPlace { get; init; } = string.Empty;

    /// <summary>How the goods travel.</summary>
    public TransportMode TransportMode { get; init; }

    /// <summary>Quality standard, up to 64 characters, e.g. <c>GB/T 1499.2-2018</c>.</summary>
    public string QualityStandard { get; init; } = string.Empty;

    /// <summary>Deposit and balance; null for none.</summary>
    public PaymentPlan? Payment { get; init; }

    /// <summary>Until when the offer stands: required on quotes, at least 1 minute and at most 90 days ahead.</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    /// <summary>Free-text remarks for this version, up to 1,000 characters.</summary>
    public string Notes { get; init; } = string.Empty;

    /// <summary>The proto terms to send.</summary>
    /// <returns>A new <see cref="Terms"/>.</returns>
    /// <exception cref="ArgumentException">A quantity has more than 3 decimal places or an amount more than 2.</exception>
    public Terms ToProto()
    {
        var terms = new Terms
        {
            ProductName = ProductName ?? string.Empty,
            QuantityTonnes = CatalogValues.Tonnes(QuantityTonnes),
            UnitPrice = UnitPrice is { } price ? CatalogValues.Cny(price) : null,
            TaxIncluded = TaxIncluded,
            DeliveryBasis = DeliveryBasis,
            DeliveryDate = DeliveryDate is { } date ? NegotiationValues.Date(date) : null,
            DeliveryPlace = DeliveryPlace ?? string.Empty,
            TransportMode = TransportMode,
            QualityStandard = QualityStandard ?? string.Empty,
            Payment = Payment?.ToProto(),
            ValidUntil = ValidUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            Notes = Notes ?? string.Empty,
        };
        foreach (var (key, value) in Attributes ?? new Dictionary<string, string>())
        {
            terms.Attributes[key] = value;
        }

        terms.Services.AddRange((Services ?? []).Select(s => s.ToProto()));
        terms.VolumeDiscounts.AddRange((VolumeDiscounts ?? []).Select(d => d.ToProto()));
        return terms;
    }

    /// <summary>Reads proto terms, e.g. the latest offer of a thread, to change and send back.</summary>
    /// <param name="terms">The terms.</param>
    /// <returns>The terms in C# types.</returns>
    /// <exception cref="FormatException">A number is not plain decimal text, or an amount is not in CNY.</exception>
    public static NegotiationTerms FromProto(Terms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new NegotiationTerms
        {
            ProductName = terms.ProductName,
            Attributes = new Dictionary<string, string>(terms.Attributes),
            QuantityTonnes = NegotiationValues.ToDecimal(terms.QuantityTonnes),
            UnitPrice = NegotiationValues.ToCnyOrNull(terms.UnitPrice),
            TaxIncluded = terms.TaxIncluded,
            DeliveryBasis = terms.DeliveryBasis,
            Services = [.. terms.Services.Select(ServiceFee.FromProto)],
            VolumeDiscounts = [.. terms.VolumeDiscounts.Select(VolumeDiscountTier.FromProto)],
            DeliveryDate = terms.DeliveryDate is { } date ? NegotiationValues.ToDateOnly(date) : null,
            DeliveryPlace = terms.DeliveryPlace,
            TransportMode = terms.TransportMode,
            QualityStandard = terms.QualityStandard,
            Payment = terms.Payment is { } payment ? PaymentPlan.FromProto(payment) : null,
            ValidUntil = terms.ValidUntil?.ToDateTimeOffset(),
            Notes = terms.Notes,
        };
    }
}

/// <summary>A service quoted with the goods.</summary>
/// <param name="Kind">Freight (运费), loading (装卸费) or storage (仓储费).</param>
/// <param name="Amount">CNY, per tonne or for the lot, at most 2 decimal places.</param>
/// <param name="Unit">Per tonne of the quantity, or one amount for the lot.</param>
public sealed record ServiceFee(ServiceKind Kind, decimal Amount, ChargeUnit Unit)
{
    /// <summary>The proto service charge.</summary>
    /// <returns>A new <see cref="ServiceCharge"/>.</returns>
    public ServiceCharge ToProto() => new() { Kind = Kind, Amount = CatalogValues.Cny(Amount), Unit = Unit };

    /// <summary>Reads a proto service charge.</summary>
    /// <param name="charge">The charge.</param>
    /// <returns>The service fee.</returns>
    public static ServiceFee FromProto(ServiceCharge charge)
    {
        ArgumentNullException.ThrowIfNull(charge);
        return new(charge.Kind, NegotiationValues.ToCnyOrNull(charge.Amount) ?? 0m, charge.Unit);
    }
}

/// <summary>A volume discount: from <paramref name="MinQuantityTonnes"/> upward, <paramref name="DiscountPerTonne"/> off each tonne.</summary>
/// <param name="MinQuantityTonnes">Threshold in tonnes, at most 3 decimal places.</param>
/// <param name="DiscountPerTonne">CNY off each tonne, at most 2 decimal places.</param>
public sealed record VolumeDiscountTier(decimal MinQuantityTonnes, decimal DiscountPerTonne)
{
    /// <summary>The proto volume discount.</summary>
    /// <returns>A new <see cref="VolumeDiscount"/>.</returns>
    public VolumeDiscount ToProto() => new() { MinQuantityTonnes = CatalogValues.Tonnes(MinQuantityTonnes), DiscountPerTonne = CatalogValues.Cny(DiscountPerTonne) };

    /// <summary>Reads a proto volume discount.</summary>
    /// <param name="discount">The discount.</param>
    /// <returns>The tier.</returns>
    public static VolumeDiscountTier FromProto(VolumeDiscount discount)
    {
        ArgumentNullException.ThrowIfNull(discount);
        return new(NegotiationValues.ToDecimal(discount.MinQuantityTonnes), NegotiationValues.ToCnyOrNull(discount.DiscountPerTonne) ?? 0m);
    }
}

/// <summary>Payment terms: a deposit (定金, 0 to 20 percent of the total) and when the balance is paid.</summary>
/// <param name="DepositPercent">Deposit as a percent of the total, 0 to 20, e.g. <c>10m</c>.</param>
/// <param name="BalanceTiming">Before delivery (款到发货), on delivery (货到付款) or after delivery (账期).</param>
/// <param name="BalanceDays">Days after delivery, 1 to 180, only with <see cref="BalanceTiming.AfterDelivery"/>.</param>
public sealed record PaymentPlan(decimal DepositPercent, BalanceTiming BalanceTiming, int BalanceDays = 0)
{
    /// <summary>The proto payment terms.</summary>
    /// <returns>A new <see cref="PaymentTerms"/>.</returns>
    public PaymentTerms ToProto() => new() { DepositPercent = NegotiationValues.Percent(DepositPercent), BalanceTiming = BalanceTiming, BalanceDays = BalanceDays };

    /// <summary>Reads proto payment terms.</summary>
    /// <param name="payment">The payment terms.</param>
    /// <returns>The plan.</returns>
    public static PaymentPlan FromProto(PaymentTerms payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new(NegotiationValues.ToDecimal(payment.DepositPercent), payment.BalanceTiming, payment.BalanceDays);
    }
}

/// <summary>The totals the platform computed for a version of the terms, in CNY.</summary>
/// <param name="GoodsAmount">Quantity × unit price.</param>
/// <param name="DiscountAmount">Volume discount applied.</param>
/// <param name="ServicesAmount">Sum of the services.</param>
/// <param name="TotalAmount">Goods − discount + services.</param>
/// <param name="EffectiveUnitPrice">Total ÷ quantity, to the fen.</param>
/// <param name="DepositAmount">Total × deposit percent.</param>
public sealed record NegotiationTotals(decimal GoodsAmount, decimal DiscountAmount, decimal ServicesAmount, decimal TotalAmount, decimal EffectiveUnitPrice, decimal DepositAmount)
{
    /// <summary>Reads proto totals, e.g. <c>offer.Totals</c> or the answer of <see cref="NegotiationsClient.PreviewTermsAsync"/>.</summary>
    /// <param name="totals">The totals.</param>
    /// <returns>The amounts (absent ones read as 0).</returns>
    /// <exception cref="FormatException">An amount is not plain decimal text or not in CNY.</exception>
    public static NegotiationTotals FromProto(Totals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new(
            NegotiationValues.ToCnyOrNull(totals.GoodsAmount) ?? 0m,
            NegotiationValues.ToCnyOrNull(totals.DiscountAmount) ?? 0m,
            NegotiationValues.ToCnyOrNull(totals.ServicesAmount) ?? 0m,
            NegotiationValues.ToCnyOrNull(totals.TotalAmount) ?? 0m,
            NegotiationValues.ToCnyOrNull(totals.EffectiveUnitPrice) ?? 0m,
            NegotiationValues.ToCnyOrNull(totals.DepositAmount) ?? 0m);
    }
}

/// <summary>
/// Conversions between C# values and the negotiation protos' dates, percents and decimals, in the invariant culture.
/// Tonnes and CNY amounts are built with <see cref="CatalogValues.Tonnes"/> and <see cref="CatalogValues.Cny"/>.
/// </summary>
public static class NegotiationValues
{
    /// <summary>A calendar date, e.g. a delivery date: <c>Date(new DateOnly(2026, 11, 30))</c>.</summary>
    /// <param name="date">The date.</param>
    /// <returns>The proto date.</returns>
    public static Date Date(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    /// <summary>Reads a proto date.</summary>
    /// <param name="date">The proto date.</param>
    /// <returns>The date.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The date does not exist.</exception>
    public static DateOnly ToDateOnly(Date date)
    {
        ArgumentNullException.ThrowIfNull(date);
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    /// <summary>A percent, e.g. a deposit: <c>Percent(10m)</c> → <c>"10"</c>, <c>Percent(12.5m)</c> → <c>"12.5"</c>.</summary>
    /// <param name="percent">The percent.</param>
    /// <returns>The proto decimal without trailing zeros.</returns>
    public static ProtoDecimal Percent(decimal percent) =>
        new() { Value = (percent == 0m ? 0m : percent).ToString("0.############################", CultureInfo.InvariantCulture) };

    /// <summary>Reads a proto decimal; an absent or empty one reads as 0.</summary>
    /// <param name="value">The proto decimal, or null.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The text is not a plain decimal number.</exception>
    public static decimal ToDecimal(ProtoDecimal? value) =>
        string.IsNullOrEmpty(value?.Value) ? 0m : CatalogValues.ToDecimal(value);

    /// <summary>Reads a CNY amount; null when the money is absent or has no amount.</summary>
    /// <param name="money">The money, or null.</param>
    /// <returns>The amount, or null.</returns>
    /// <exception cref="FormatException">The amount is not plain decimal text, or the currency is not CNY.</exception>
    public static decimal? ToCnyOrNull(Money? money)
    {
        if (money is null || string.IsNullOrEmpty(money.Amount))
        {
            return null;
        }

        if (money.CurrencyCode.Length > 0 && money.CurrencyCode != CatalogValues.CnyCurrencyCode)
        {
            throw new FormatException($"Expected a CNY amount, got {money.CurrencyCode} {money.Amount}.");
        }

        return CatalogValues.ToDecimal(money);
    }
}
