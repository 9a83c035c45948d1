using System.Collections.Immutable;
using System.Globalization;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Orders;

/// <summary>Who pays freight. Numbers are the proto FreightBearer values.</summary>
public enum FreightBearer
{
    /// <summary>出厂价 + 运费: the buyer pays freight on top of an ex-works price.</summary>
    Buyer = 1,

    /// <summary>到货价: freight and loading are in the price.</summary>
    Seller = 2,

    /// <summary>自提: the buyer collects at the seller's warehouse, no freight.</summary>
    BuyerCollects = 3,
}

/// <summary>Kinds of price items. Numbers are the proto PriceItemKind values.</summary>
public enum PriceItemKind
{
    /// <summary>货款.</summary>
    Goods = 1,

    /// <summary>运费.</summary>
    Freight = 2,

    /// <summary>装卸费.</summary>
    Loading = 3,

    /// <summary>仓储费 or another agreed service.</summary>
    Service = 4,

    /// <summary>优惠 (negative).</summary>
    Discount = 5,
}

/// <summary>One priced goods line: quantity × unit price = amount (fen, half-up) at the line's VAT rate.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.priced-line")]
public sealed record PricedLine(
    [property: Id(0)] string? ListingId,
    [property: Id(1)] string ProductName,
    [property: Id(2)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(3)] Tonnes Quantity,
    [property: Id(4)] decimal UnitPrice,
    [property: Id(5)] decimal Amount,
    [property: Id(6)] decimal VatRatePercent);

/// <summary>One item of the breakdown with its label and how it was computed, in both UI languages.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.price-item")]
public sealed record PriceItem(
    [property: Id(0)] PriceItemKind Kind,
    [property: Id(1)] string LabelZh,
    [property: Id(2)] string LabelEn,
    [property: Id(3)] string BasisZh,
    [property: Id(4)] string BasisEn,
    [property: Id(5)] decimal Amount);

/// <summary>The priced order. Amounts are CNY to the fen; items are tax included when <see cref="PricesIncludeTax"/>.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.price-breakdown")]
public sealed record PriceBreakdown(
    [property: Id(0)] ImmutableList<PricedLine> Lines,
    [property: Id(1)] ImmutableList<PriceItem> Items,
    [property: Id(2)] decimal AmountExcludingTax,
    [property: Id(3)] decimal TaxAmount,
    [property: Id(4)] decimal Total,
    [property: Id(5)] string TotalInWords,
    [property: Id(6)] decimal DepositAmount,
    [property: Id(7)] PaymentTerms Payment,
    [property: Id(8)] FreightBearer FreightBearer,
    [property: Id(9)] bool PricesIncludeTax);

/// <summary>A goods line to price: the caller has already checked the listing, MOQ and stock.</summary>
public sealed record PricingLine(
    string? ListingId,
    string ProductName,
    ImmutableSortedDictionary<string, string> Attributes,
    Tonnes Quantity,
    decimal UnitPrice,
    decimal VatRatePercent);

/// <summary>Everything <see cref="OrderPricing.Price"/> needs; the caller looks up the freight rule with <see cref="FreightRules.Find"/>.</summary>
public sealed record PricingRequest
{
    public const int MaxLines = 50;

    /// <summary>1 to 50 goods lines.</summary>
    public required IReadOnlyList<PricingLine> Lines { get; init; }

    /// <summary>含税价 (true) or 不含税 (false).</summary>
    public required bool PricesIncludeTax { get; init; }

    /// <summary>出厂价 (ex-works) or 到货价 (delivered).</summary>
    public required DeliveryTerm PriceBasis { get; init; }

    /// <summary>The freight bearer the buyer asked for.</summary>
    public required FreightBearer RequestedBearer { get; init; }

    /// <summary>Services agreed in a negotiation.</summary>
    public IReadOnlyList<ServiceCharge> AgreedServices { get; init; } = [];

    /// <summary>The negotiated volume discount per tonne that applies, if any.</summary>
    public decimal? DiscountPerTonne { get; init; }

    /// <summary>The seller's freight rule for the destination and transport mode, if any.</summary>
    public FreightRule? Freight { get; init; }

    /// <summary>The delivery address's province, shown in the freight basis.</summary>
    public string DestinationProvince { get; init; } = "";

    public required PaymentTerms Payment { get; init; }
}

/// <summary>
/// Prices an order line by line (DESIGN §3.4, §4 rules 4, 5 and 8). Every amount is CNY to the fen, rounded half-up
/// (<see cref="Cny.Round"/>), and each item is rounded once.
/// </summary>
public static class OrderPricing
{
    /// <summary>
    /// Prices <paramref name="request"/>:
    /// <list type="number">
    /// <item>Goods: one item per line (货款 / Goods, basis "300.000 吨 × ¥4,050.00/吨"); amount = quantity × unit price.</item>
    /// <item>Discount: with <see cref="PricingRequest.DiscountPerTonne"/>, one negative item −(total tonnes × discount).</item>
    /// <item>Agreed services, whatever the freight bearer (they were agreed): freight → Freight item, loading → Loading item,
    /// storage → Service item; per tonne = total tonnes × amount, lump sum = the amount.</item>
    /// <item>Freight bearer: a delivered price (到货价) → Seller, no freight or loading from the rules. Ex-works with
    /// BuyerCollects → BuyerCollects, no freight from the rules. Ex-works with Buyer → Buyer: an agreed freight service is
    /// the freight (rules unused); otherwise the freight rule is required (NO_FREIGHT_RULE, FAILED_PRECONDITION, which the
    /// caller reports on details.delivery_address.province): per tonne = tonnes × price, per tonne-km = tonnes × km × rate
    /// rounded once; plus a Loading item from the rule's loading price unless a loading service was agreed. Ex-works
    /// with Seller is refused (details.freight_bearer FREIGHT_BEARER_MISMATCH): the price does not include freight.</item>
    /// <item>VAT: each goods line at its own rate; freight, loading, services and the discount go with the goods (混合销售)
    /// at the rate of the goods line with the largest amount (ties: the higher rate). Tax included: total = Σ items,
    /// tax = Σ per rate of round(group × r / (100 + r)). Tax excluded: tax = Σ per rate of round(group × r / 100),
    /// total = Σ items + tax. Amount excluding tax = total − tax.</item>
    /// <item>Deposit = round(total × deposit% / 100); the total in words is <see cref="ChineseNumerals.ToCapitalAmount"/>.</item>
    /// <item>A total of zero or less is refused (NON_POSITIVE_TOTAL), one above <see cref="Cny.MaxAmount"/> too (TOTAL_TOO_LARGE).</item>
    /// </list>
    /// </summary>
    public static PriceBreakdown Price(PricingRequest request)
    {
        CheckLines(request.Lines);
        var bearer = Bearer(request);
        var tonnes = request.Lines.Aggregate(Tonnes.Zero, (sum, line) => sum + line.Quantity);

        var lines = request.Lines
            .Select(l => new PricedLine(l.ListingId, l.ProductName, l.Attributes, l.Quantity, l.UnitPrice, l.Quantity.AmountAt(l.UnitPrice), l.VatRatePercent))
            .ToImmutableList();
        var items = ImmutableList.CreateBuilder<PriceItem>();
        foreach (var line in lines)
        {
            items.Add(new PriceItem(PriceItemKind.Goods, "货款", "Goods", PerTonneZh(line.Quantity, line.UnitPrice), PerTonneEn(line.Quantity, line.UnitPrice), line.Amount));
        }

        if (request.DiscountPerTonne is { } discount && discount != 0)
        {
            items.Add(new PriceItem(PriceItemKind.Discount, "优惠", "Volume discount", PerTonneZh(tonnes, discount), PerTonneEn(tonnes, discount), -tonnes.AmountAt(discount)));
        }

        foreach (var service in request.AgreedServices)
        {
            items.Add(Agreed(service, tonnes));
        }

        if (bearer == FreightBearer.Buyer && !request.AgreedServices.Any(s => s.Kind == ServiceKind.Freight))
        {
            AddRuleFreight(request, tonnes, items);
        }

        return Totals(request, bearer, lines, items.ToImmutable());
    }

    private static void CheckLines(IReadOnlyList<PricingLine> lines)
    {
        if (lines.Count == 0)
        {
            throw Errors.InvalidField("source.lines.lines", "REQUIRED", "An order has at least one line.", "订单至少包含一行商品。");
        }

        if (lines.Count > PricingRequest.MaxLines)
        {
            throw Errors.InvalidField("source.lines.lines", "TOO_MANY", $"An order has at most {PricingRequest.MaxLines} lines.", $"订单最多 {PricingRequest.MaxLines} 行商品。");
        }

        var v = new Validation();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Quantity.IsZero)
            {
                v.Add($"source.lines.lines[{i}].quantity_tonnes", "MUST_BE_POSITIVE", "The quantity must be greater than zero tonnes.", "数量须大于 0 吨。");
            }

            // Prices and rates come from listings and negotiated terms, already validated there: a bad one here is a bug.
            if (lines[i].UnitPrice <= 0 || lines[i].VatRatePercent is < 0 or > 100)
            {
                throw new ArgumentOutOfRangeException(nameof(lines), $"Line {i}: unit price {lines[i].UnitPrice}, VAT {lines[i].VatRatePercent}%.");
            }
        }

        v.ThrowIfInvalid();
    }

    private static FreightBearer Bearer(PricingRequest request)
    {
        if (request.PriceBasis == DeliveryTerm.Delivered)
        {
            return FreightBearer.Seller;
        }

        if (request.PriceBasis != DeliveryTerm.ExWorks)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.PriceBasis, "Unknown price basis.");
        }

        return request.RequestedBearer switch
        {
            FreightBearer.Buyer => FreightBearer.Buyer,
            FreightBearer.BuyerCollects => FreightBearer.BuyerCollects,
            FreightBearer.Seller => throw Errors.InvalidField(
                "details.freight_bearer",
                "FREIGHT_BEARER_MISMATCH",
                "The price is ex-works (出厂价) and does not include freight: choose buyer-paid freight or pickup.",
                "该价格为出厂价，不含运费：请选择买方承担运费或买方自提。"),
            _ => throw Errors.InvalidField("details.freight_bearer", "REQUIRED", "Choose who bears freight.", "请选择运费承担方。"),
        };
    }

    private static PriceItem Agreed(ServiceCharge service, Tonnes tonnes)
    {
        var (kind, zh, en) = service.Kind switch
        {
            ServiceKind.Freight => (PriceItemKind.Freight, "运费", "Freight"),
            ServiceKind.Loading => (PriceItemKind.Loading, "装卸费", "Loading"),
            _ => (PriceItemKind.Service, "仓储费", "Storage"),
        };
        return service.Unit == ChargeUnit.PerTonne
            ? new PriceItem(kind, zh, en, PerTonneZh(tonnes, service.Amount) + "（议定）", PerTonneEn(tonnes, service.Amount) + " (agreed)", tonnes.AmountAt(service.Amount))
            : new PriceItem(kind, zh, en, "议定一口价 " + Money(service.Amount), "agreed lump sum " + Money(service.Amount), Cny.Round(service.Amount));
    }

    private static void AddRuleFreight(PricingRequest request, Tonnes tonnes, ImmutableList<PriceItem>.Builder items)
    {
        if (request.Freight is not { } rule)
        {
            throw Errors.Precondition(
                "NO_FREIGHT_RULE",
                "The seller has no freight rule for this province and transport mode; choose pickup or ask the seller for a delivered price.",
                "卖方未设置该省份及运输方式的运费规则，请选择自提或与卖方协商到货价。");
        }

        var province = request.DestinationProvince.Trim() is { Length: > 0 } p ? p : rule.DestinationProvince;
        if (rule.PerTonne is { } perTonne)
        {
            items.Add(new PriceItem(PriceItemKind.Freight, "运费", "Freight", $"{PerTonneZh(tonnes, perTonne)}（{province}）", $"{PerTonneEn(tonnes, perTonne)} ({province})", tonnes.AmountAt(perTonne)));
        }
        else if (rule is { PerTonneKmRate: { } rate, DistanceKm: { } km })
        {
            var distance = km.ToString("#,##0", CultureInfo.InvariantCulture);
            items.Add(new PriceItem(
                PriceItemKind.Freight,
                "运费",
                "Freight",
                $"{tonnes} 吨 × {distance} 公里 × {Rate(rate)}/吨·公里",
                $"{tonnes} t × {distance} km × {Rate(rate)}/t·km",
                Cny.Round(tonnes.Value * km * rate)));
        }
        else
        {
            throw new ArgumentException("A freight rule has a per-tonne price or a per-tonne-km rate with a distance (FreightRules.Validate).", nameof(request));
        }

        if (rule.LoadingPerTonne is { } loading && !request.AgreedServices.Any(s => s.Kind == ServiceKind.Loading))
        {
            items.Add(new PriceItem(PriceItemKind.Loading, "装卸费", "Loading", PerTonneZh(tonnes, loading), PerTonneEn(tonnes, loading), tonnes.AmountAt(loading)));
        }
    }

    private static PriceBreakdown Totals(PricingRequest request, FreightBearer bearer, ImmutableList<PricedLine> lines, ImmutableList<PriceItem> items)
    {
        var mainRate = lines.OrderByDescending(l => l.Amount).ThenByDescending(l => l.VatRatePercent).First().VatRatePercent;
        var groups = new SortedDictionary<decimal, decimal>();
        foreach (var line in lines)
        {
            groups[line.VatRatePercent] = groups.GetValueOrDefault(line.VatRatePercent) + line.Amount;
        }

        groups[mainRate] += items.Where(i => i.Kind != PriceItemKind.Goods).Sum(i => i.Amount);

        var sum = items.Sum(i => i.Amount);
        decimal tax, total;
        if (request.PricesIncludeTax)
        {
            total = sum;
            tax = groups.Sum(g => Cny.Round(g.Value * g.Key / (100m + g.Key)));
        }
        else
        {
            tax = groups.Sum(g => Cny.Round(g.Value * g.Key / 100m));
            total = sum + tax;
        }

        if (total <= 0)
        {
            throw Errors.Precondition("NON_POSITIVE_TOTAL", "The order total must be greater than zero.", "订单总额须大于 0。");
        }

        if (total > Cny.MaxAmount)
        {
            throw Errors.Precondition("TOTAL_TOO_LARGE", "The order total cannot exceed 1,000,000,000,000.", "订单总额不能超过 1 万亿元。");
        }

        return new PriceBreakdown(
            lines,
            items,
            total - tax,
            tax,
            total,
            ChineseNumerals.ToCapitalAmount(total),
            Cny.Round(total * request.Payment.DepositPercent / 100m),
            request.Payment,
            bearer,
            request.PricesIncludeTax);
    }

    private static string PerTonneZh(Tonnes tonnes, decimal price) => $"{tonnes} 吨 × {Money(price)}/吨";

    private static string PerTonneEn(Tonnes tonnes, decimal price) => $"{tonnes} t × {Money(price)}/t";

    private static string Money(decimal amount) => "¥" + amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static string Rate(decimal rate) => "¥" + rate.ToString("#,##0.00##", CultureInfo.InvariantCulture);
}
