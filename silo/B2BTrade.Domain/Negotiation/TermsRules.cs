using System.Globalization;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Negotiation;

/// <summary>Validation, totals and version diffs of negotiated terms.</summary>
public static class TermsRules
{
    public const decimal MaxDepositPercent = 20m;
    public const int MaxServices = 10;
    public const int MaxVolumeDiscounts = 10;
    public const int MaxAttributes = 30;
    public static readonly TimeSpan MinValidity = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(90);

    /// <summary>Trade dates are China dates (UTC+8, no daylight saving).</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static DateOnly ChinaToday(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(ChinaOffset).DateTime);

    /// <summary>
    /// Checks terms for an offer of <paramref name="kind"/>; every bad field is reported at once with its request path
    /// under <paramref name="prefix"/>. Returns the terms with text trimmed and collections in a canonical order.
    /// </summary>
    public static Terms Validate(Terms terms, OfferKind kind, DateTimeOffset now, string prefix = "terms")
    {
        var v = new Validation();
        string F(string field) => prefix + "." + field;
        var name = terms.ProductName.Trim();
        if (name.Length == 0)
        {
            v.Add(F("product_name"), "REQUIRED", "The product name is required.", "请填写品名。");
        }
        else if (name.Length > 100)
        {
            v.Add(F("product_name"), "TOO_LONG", "The product name has at most 100 characters.", "品名最多 100 个字符。");
        }

        if (terms.Attributes.Count > MaxAttributes)
        {
            v.Add(F("attributes"), "TOO_MANY", $"At most {MaxAttributes} attributes.", $"规格属性最多 {MaxAttributes} 项。");
        }

        foreach (var (key, value) in terms.Attributes)
        {
            if (key.Length is 0 or > 40 || key != key.Trim() || value.Length > 100)
            {
                v.Add(F("attributes." + key), "INVALID_ATTRIBUTE", "Attribute keys have 1 to 40 characters without surrounding spaces, values at most 100.", "规格属性名须为 1 至 40 个字符（首尾不含空格），取值最多 100 个字符。");
            }
        }

        if (terms.Quantity.IsZero)
        {
            v.Add(F("quantity_tonnes"), "MUST_BE_POSITIVE", "The quantity must be greater than zero tonnes.", "数量须大于 0 吨。");
        }

        if (terms.UnitPrice is { } price && price <= 0)
        {
            v.Add(F("unit_price.amount"), "MUST_BE_POSITIVE", "The unit price must be greater than zero.", "单价须大于 0。");
        }
        else if (terms.UnitPrice is null && kind != OfferKind.Inquiry)
        {
            v.Add(F("unit_price"), "REQUIRED", "A unit price is required.", "请填写单价。");
        }

        if (terms.DeliveryDate is not { } date)
        {
            v.Add(F("delivery_date"), "REQUIRED", "The delivery date is required.", "请填写交货日期。");
        }
        else if (date < ChinaToday(now))
        {
            v.Add(F("delivery_date"), "IN_THE_PAST", "The delivery date cannot be in the past.", "交货日期不能早于今天。");
        }
        else if (date > ChinaToday(now).AddYears(1))
        {
            v.Add(F("delivery_date"), "TOO_FAR", "The delivery date is at most one year ahead.", "交货日期最多为一年以内。");
        }

        var place = terms.DeliveryPlace.Trim();
        if (place.Length == 0)
        {
            v.Add(F("delivery_place"), "REQUIRED", "The delivery place is required.", "请填写交货地点。");
        }
        else if (place.Length > 200)
        {
            v.Add(F("delivery_place"), "TOO_LONG", "The delivery place has at most 200 characters.", "交货地点最多 200 个字符。");
        }

        if (terms.Transport is not { } transport || !Enum.IsDefined(transport))
        {
            v.Add(F("transport_mode"), "REQUIRED", "Choose a transport mode.", "请选择运输方式。");
        }

        if (terms.QualityStandard.Trim().Length > 64)
        {
            v.Add(F("quality_standard"), "TOO_LONG", "The quality standard has at most 64 characters.", "质量标准最多 64 个字符。");
        }

        if (terms.Notes.Length > 1000)
        {
            v.Add(F("notes"), "TOO_LONG", "Notes have at most 1000 characters.", "备注最多 1000 个字符。");
        }

        ValidateServices(terms, v, F);
        ValidateDiscounts(terms, v, F);
        ValidatePayment(terms, kind, v, F);
        ValidateValidity(terms, kind, now, v, F);
        v.ThrowIfInvalid();

        // Each figure is bounded on its own, but their product is not: an offer no order could ever carry is refused
        // now, not after it was accepted (and, in an RFQ, the other sellers were told they lost).
        if (Totals(terms) is { Total: > Cny.MaxAmount })
        {
            throw Errors.InvalidField(F("unit_price"), "TOTAL_TOO_LARGE", "The offer's total cannot exceed ¥1,000,000,000,000.", "报价总额不能超过 1 万亿元。");
        }

        return terms with
        {
            ProductName = name,
            DeliveryPlace = place,
            QualityStandard = terms.QualityStandard.Trim(),
            Notes = terms.Notes.Trim(),
            VolumeDiscounts = [.. terms.VolumeDiscounts.OrderBy(d => d.MinQuantity)],
        };
    }

    /// <summary>Totals in CNY to the fen (half-up): goods − discount + services. Null without a unit price.</summary>
    public static OfferTotals? Totals(Terms terms)
    {
        if (terms.UnitPrice is not { } price)
        {
            return null;
        }

        var goods = terms.Quantity.AmountAt(price);
        var discount = ApplicableDiscount(terms) is { } d ? terms.Quantity.AmountAt(d.DiscountPerTonne) : 0m;
        var services = terms.Services.Sum(s => s.Unit == ChargeUnit.PerTonne ? terms.Quantity.AmountAt(s.Amount) : Cny.Round(s.Amount));
        var total = goods - discount + services;
        var effective = terms.Quantity.IsZero ? 0m : Cny.Round(total / terms.Quantity.Value);
        var deposit = terms.Payment is { } payment ? Cny.Round(total * payment.DepositPercent / 100m) : 0m;
        return new OfferTotals(goods, discount, services, total, effective, deposit);
    }

    /// <summary>The volume discount with the highest threshold at or below the quantity.</summary>
    public static VolumeDiscount? ApplicableDiscount(Terms terms) =>
        terms.VolumeDiscounts.Where(d => d.MinQuantity <= terms.Quantity).OrderByDescending(d => d.MinQuantity).FirstOrDefault();

    /// <summary>
    /// The fields that differ between two versions, in Terms field order, then the changed totals. Display values are in
    /// Chinese or, with <paramref name="english"/>, English; times are China time and say so.
    /// </summary>
    public static IReadOnlyList<FieldChange> Diff(Terms before, Terms after, bool english = false)
    {
        var changes = new List<FieldChange>();
        void Compare(string field, string a, string b)
        {
            if (a != b)
            {
                changes.Add(new FieldChange(field, a, b));
            }
        }

        Compare("product_name", before.ProductName, after.ProductName);
        foreach (var key in before.Attributes.Keys.Union(after.Attributes.Keys).Order(StringComparer.Ordinal))
        {
            Compare("attributes." + key, before.Attributes.GetValueOrDefault(key, ""), after.Attributes.GetValueOrDefault(key, ""));
        }

        Compare("quantity_tonnes", before.Quantity.ToString(), after.Quantity.ToString());
        Compare("unit_price", Money(before.UnitPrice), Money(after.UnitPrice));
        Compare("tax_included", TaxText(before.TaxIncluded, english), TaxText(after.TaxIncluded, english));
        Compare("delivery_basis", Describe(before.Delivery, english), Describe(after.Delivery, english));
        Compare("services", string.Join("; ", before.Services.Select(x => Describe(x, english))), string.Join("; ", after.Services.Select(x => Describe(x, english))));
        Compare("volume_discounts", string.Join("; ", before.VolumeDiscounts.Select(x => Describe(x, english))), string.Join("; ", after.VolumeDiscounts.Select(x => Describe(x, english))));
        Compare("delivery_date", Date(before.DeliveryDate), Date(after.DeliveryDate));
        Compare("delivery_place", before.DeliveryPlace, after.DeliveryPlace);
        Compare("transport_mode", Describe(before.Transport, english), Describe(after.Transport, english));
        Compare("quality_standard", before.QualityStandard, after.QualityStandard);
        Compare("payment.deposit_percent", Percent(before.Payment?.DepositPercent), Percent(after.Payment?.DepositPercent));
        Compare("payment.balance_timing", Describe(before.Payment, english), Describe(after.Payment, english));
        Compare("valid_until", Instant(before.ValidUntil), Instant(after.ValidUntil));
        Compare("notes", before.Notes, after.Notes);
        var (t0, t1) = (Totals(before), Totals(after));
        Compare("totals.total_amount", Money(t0?.Total), Money(t1?.Total));
        return changes;
    }

    public static string Describe(TransportMode? mode, bool english = false) => mode switch
    {
        TransportMode.Road => english ? "road" : "汽运",
        TransportMode.Rail => english ? "rail" : "铁运",
        TransportMode.Waterway => english ? "waterway" : "水运",
        TransportMode.BuyerPickup => english ? "buyer pickup" : "买方自提",
        TransportMode.Multimodal => english ? "multimodal" : "多式联运",
        _ => "",
    };

    private static void ValidateServices(Terms terms, Validation v, Func<string, string> f)
    {
        if (terms.Services.Count > MaxServices)
        {
            v.Add(f("services"), "TOO_MANY", $"At most {MaxServices} services.", $"服务项最多 {MaxServices} 项。");
        }

        for (var i = 0; i < terms.Services.Count; i++)
        {
            var s = terms.Services[i];
            if (!Enum.IsDefined(s.Kind))
            {
                v.Add(f($"services[{i}].kind"), "REQUIRED", "Choose the service (freight, loading or storage).", "请选择服务项（运费、装卸费或仓储费）。");
            }

            if (!Enum.IsDefined(s.Unit))
            {
                v.Add(f($"services[{i}].unit"), "REQUIRED", "Say whether the amount is per tonne or for the lot.", "请选择按吨计或一口价。");
            }

            if (s.Amount < 0)
            {
                v.Add(f($"services[{i}].amount.amount"), "MUST_NOT_BE_NEGATIVE", "A service amount cannot be negative.", "服务费不能为负数。");
            }
        }

        if (terms.Services.GroupBy(s => s.Kind).Any(g => g.Count() > 1))
        {
            v.Add(f("services"), "DUPLICATE_SERVICE", "Each service appears once.", "每项服务只能出现一次。");
        }
    }

    private static void ValidateDiscounts(Terms terms, Validation v, Func<string, string> f)
    {
        if (terms.VolumeDiscounts.Count > MaxVolumeDiscounts)
        {
            v.Add(f("volume_discounts"), "TOO_MANY", $"At most {MaxVolumeDiscounts} volume discounts.", $"阶梯优惠最多 {MaxVolumeDiscounts} 档。");
        }

        for (var i = 0; i < terms.VolumeDiscounts.Count; i++)
        {
            var d = terms.VolumeDiscounts[i];
            if (d.MinQuantity.IsZero)
            {
                v.Add(f($"volume_discounts[{i}].min_quantity_tonnes"), "MUST_BE_POSITIVE", "The threshold must be greater than zero tonnes.", "起始数量须大于 0 吨。");
            }

            if (d.DiscountPerTonne <= 0)
            {
                v.Add(f($"volume_discounts[{i}].discount_per_tonne.amount"), "MUST_BE_POSITIVE", "The discount per tonne must be greater than zero.", "每吨优惠须大于 0。");
            }
            else if (terms.UnitPrice is { } price && d.DiscountPerTonne >= price)
            {
                v.Add(f($"volume_discounts[{i}].discount_per_tonne.amount"), "EXCEEDS_PRICE", "The discount per tonne must be below the unit price.", "每吨优惠须低于单价。");
            }
        }

        if (terms.VolumeDiscounts.GroupBy(d => d.MinQuantity).Any(g => g.Count() > 1))
        {
            v.Add(f("volume_discounts"), "DUPLICATE_THRESHOLD", "Each threshold appears once.", "每个起始数量只能出现一次。");
        }
    }

    private static void ValidatePayment(Terms terms, OfferKind kind, Validation v, Func<string, string> f)
    {
        if (terms.Payment is not { } payment)
        {
            if (kind == OfferKind.Quote)
            {
                v.Add(f("payment"), "REQUIRED", "A quote states its payment terms.", "报价须注明付款方式。");
            }

            return;
        }

        if (payment.DepositPercent is < 0 or > MaxDepositPercent)
        {
            v.Add(f("payment.deposit_percent"), "DEPOSIT_OVER_LIMIT", "The deposit is 0 to 20% of the contract value (Civil Code Art. 586).", "定金不得超过合同总额的 20%（《民法典》第五百八十六条）。");
        }
        else if (payment.DepositPercent != Math.Round(payment.DepositPercent, 2))
        {
            v.Add(f("payment.deposit_percent"), "TOO_PRECISE", "The deposit percent has at most 2 decimals.", "定金比例最多保留两位小数。");
        }

        if (!Enum.IsDefined(payment.BalanceTiming))
        {
            v.Add(f("payment.balance_timing"), "REQUIRED", "Say when the balance is paid.", "请选择尾款支付时间。");
        }
        else if (payment.BalanceTiming == BalanceTiming.AfterDelivery && payment.BalanceDays is < 1 or > 180)
        {
            v.Add(f("payment.balance_days"), "OUT_OF_RANGE", "Credit terms are 1 to 180 days after delivery.", "账期须为交货后 1 至 180 天。");
        }
        else if (payment.BalanceTiming != BalanceTiming.AfterDelivery && payment.BalanceDays != 0)
        {
            v.Add(f("payment.balance_days"), "NOT_APPLICABLE", "Days apply only to payment after delivery.", "仅账期付款需要填写天数。");
        }
    }

    private static void ValidateValidity(Terms terms, OfferKind kind, DateTimeOffset now, Validation v, Func<string, string> f)
    {
        if (terms.ValidUntil is not { } until)
        {
            if (kind == OfferKind.Quote)
            {
                v.Add(f("valid_until"), "REQUIRED", "A quote states how long it stands (报价有效期).", "请填写报价有效期。");
            }

            return;
        }

        if (until < now + MinValidity)
        {
            v.Add(f("valid_until"), "TOO_SOON", "The offer must stand for at least one minute from now.", "有效期须至少为一分钟之后。");
        }
        else if (until > now + MaxValidity)
        {
            v.Add(f("valid_until"), "TOO_FAR", "An offer stands for at most 90 days.", "有效期最长 90 天。");
        }
    }

    private static string Money(decimal? amount) => amount is { } a ? "¥" + a.ToString("#,##0.00", CultureInfo.InvariantCulture) : "";

    private static string Percent(decimal? percent) => percent is { } p ? p.ToString("0.##", CultureInfo.InvariantCulture) + "%" : "";

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Instant(DateTimeOffset? at) => at is { } t ? t.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC+8" : "";

    private static string TaxText(bool included, bool english) => included ? (english ? "VAT included" : "含税") : (english ? "VAT excluded" : "不含税");

    private static string Describe(DeliveryTerm term, bool english) => term == DeliveryTerm.Delivered ? (english ? "delivered" : "到货价") : (english ? "ex-works" : "出厂价");

    private static string Describe(ServiceCharge s, bool english) =>
        (s.Kind switch
        {
            ServiceKind.Freight => english ? "freight" : "运费",
            ServiceKind.Loading => english ? "loading" : "装卸费",
            _ => english ? "storage" : "仓储费",
        })
        + " " + Money(s.Amount) + (s.Unit == ChargeUnit.PerTonne ? (english ? "/t" : "/吨") : "");

    private static string Describe(VolumeDiscount d, bool english)
    {
        var tonnes = d.MinQuantity.Value.ToString("0.###", CultureInfo.InvariantCulture);
        return english ? $"≥{tonnes} t: {Money(d.DiscountPerTonne)}/t off" : $"≥{tonnes}吨 每吨减{Money(d.DiscountPerTonne)}";
    }

    private static string Describe(PaymentTerms? p, bool english) => p?.BalanceTiming switch
    {
        BalanceTiming.BeforeDelivery => english ? "payment before delivery" : "款到发货",
        BalanceTiming.OnDelivery => english ? "payment on delivery" : "货到付款",
        BalanceTiming.AfterDelivery => english ? $"balance {p.BalanceDays} days after delivery" : $"交货后 {p.BalanceDays} 天付清",
        _ => "",
    };
}
