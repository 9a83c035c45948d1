using System.Collections.Immutable;
using System.Globalization;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;

namespace B2BTrade.Domain.Catalog;

/// <summary>
/// The listing aggregate's decisions: each takes the current state and returns the next, or throws.
/// Writers are members with the Sales or Admin role of the listing's own seller enterprise; creating, editing,
/// repricing and relisting also need that enterprise to be a verified seller. Delisting and stock changes do not,
/// so a seller whose verification lapsed can still take goods off the market.
/// </summary>
public static class ListingRules
{
    public const int MaxRecentChanges = 50;

    /// <summary>
    /// Of <see cref="MaxRecentChanges"/>, at most this many are stock held, released or shipped for orders, so that a
    /// busy listing's seller changes (price, stock count, creation) are not pushed out of its history by order traffic.
    /// </summary>
    public const int MaxRecentOrderMovements = 30;
    public const int MaxRememberedRequests = 64;
    public const int MaxImages = 10;
    public const int MaxExtras = 100;
    public const int MaxTiers = 10;
    public const decimal MaxUnitPrice = 1_000_000m;
    public const decimal MaxExtra = 100_000m;

    public static ListingState Create(
        string listingId, ListingDraft draft, CategoryTree tree, SellerFacts facts, Tonnes initialStock, string actor, DateTimeOffset now)
    {
        RequireSalesRole(facts);
        RequireVerifiedSeller(facts);
        var valid = Validate(draft, tree);
        var state = Describe(new ListingState
        {
            ListingId = listingId,
            SellerEnterpriseId = facts.EnterpriseId,
            CategoryId = valid.CategoryId,
            Name = valid.Name,
            Warehouse = valid.Warehouse,
            PriceBasis = valid.PriceBasis,
            Pricing = valid.Pricing,
            Stock = initialStock,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = actor,
        }, valid);
        return Record(state, ListingChangeKind.Created, actor, now);
    }

    /// <summary>Replaces everything the seller describes (stock excepted); a price change lands in the recent history.</summary>
    public static ListingState Update(ListingState state, ListingDraft draft, CategoryTree tree, SellerFacts facts, string actor, DateTimeOffset now)
    {
        RequireOwner(state, facts);
        RequireVerifiedSeller(facts);
        var valid = Validate(draft, tree);
        var described = Describe(state, valid);
        if (SameFields(state, described))
        {
            return state;
        }

        var next = Touch(described, now);
        return state.Pricing.SameAs(valid.Pricing) ? next : Record(next, ListingChangeKind.PriceChanged, actor, now);
    }

    /// <summary>
    /// Remembers a client request id applied to the listing (the last <see cref="MaxRememberedRequests"/>), so a
    /// retried update or stock count has its effect once even after other changes came in between.
    /// </summary>
    public static ListingState RememberRequest(ListingState state, string requestId)
    {
        var ids = state.AppliedRequestIds.Add(requestId);
        return state with { AppliedRequestIds = ids.Count > MaxRememberedRequests ? ids.RemoveRange(0, ids.Count - MaxRememberedRequests) : ids };
    }

    /// <summary>Same seller-editable fields: an ERP that re-sends unchanged inventory makes no new version.</summary>
    private static bool SameFields(ListingState a, ListingState b) =>
        a.CategoryId == b.CategoryId && a.Name == b.Name && a.Brand == b.Brand && a.Origin == b.Origin && a.SellerSku == b.SellerSku
        && a.Warehouse == b.Warehouse && a.WeightBasis == b.WeightBasis && a.PriceBasis == b.PriceBasis
        && a.Pricing.SameAs(b.Pricing) && a.MinOrder == b.MinOrder && a.VatRate == b.VatRate
        && a.Attributes.Count == b.Attributes.Count && a.Attributes.All(kv => b.Attributes.TryGetValue(kv.Key, out var v) && v == kv.Value)
        && a.ImageFileIds.SequenceEqual(b.ImageFileIds) && a.ListSpecs.SequenceEqual(b.ListSpecs);

    public static ListingState ChangePrice(ListingState state, ListingPricing pricing, CategoryTree tree, SellerFacts facts, string actor, DateTimeOffset now)
    {
        RequireOwner(state, facts);
        RequireVerifiedSeller(facts);
        var v = new Validation();
        var schema = tree.Find(state.CategoryId) is { IsLeaf: true } ? tree.EffectiveSchema(state.CategoryId) : [];
        var valid = ValidatePricing(v, pricing, schema, state.Attributes, state.MinOrder);
        v.ThrowIfInvalid();
        return state.Pricing.SameAs(valid!) ? state : Record(Touch(state with { Pricing = valid! }, now), ListingChangeKind.PriceChanged, actor, now);
    }

    /// <summary>Sets the available stock to an absolute figure (a stock count), leaving reservations alone.</summary>
    public static ListingState SetStock(ListingState state, Tonnes stock, SellerFacts facts, string actor, DateTimeOffset now)
    {
        RequireOwner(state, facts);
        return state.Stock == stock ? state : Record(Touch(state with { Stock = stock }, now), ListingChangeKind.StockSet, actor, now);
    }

    /// <summary>Holds stock for an order in progress. Refused beyond what is available, so stock never goes negative.</summary>
    public static ListingState Reserve(ListingState state, Tonnes quantity, string actor, DateTimeOffset now)
    {
        RequirePositive(quantity);
        if (state.Status != ListingStatus.Active)
        {
            throw Delisted();
        }

        if (quantity > state.Stock)
        {
            throw new DomainException(
                ErrorKind.FailedPrecondition,
                "INSUFFICIENT_STOCK",
                $"Only {state.Stock} t are available.",
                $"库存不足，仅剩 {state.Stock} 吨。",
                metadata: new Dictionary<string, string> { ["available_tonnes"] = state.Stock.ToString() });
        }

        return Record(Touch(state with { Stock = state.Stock - quantity, Reserved = state.Reserved + quantity }, now), ListingChangeKind.StockReserved, actor, now, quantity);
    }

    /// <summary>
    /// Holds stock for an order, with the order as actor. Which orders hold what is kept by the listing grain beside
    /// the state (table listing_holds), and it holds only for an order that holds nothing yet, so retries hold once.
    /// </summary>
    public static ListingState ReserveForOrder(ListingState state, string orderId, Tonnes quantity, DateTimeOffset now) =>
        Reserve(state, quantity, "order:" + orderId, now);

    /// <summary>Returns what an order held to sale (it was rejected, cancelled or expired), with the order as actor.</summary>
    public static ListingState ReleaseForOrder(ListingState state, string orderId, Tonnes held, DateTimeOffset now) =>
        Release(state, held, "order:" + orderId, now);

    /// <summary>Returns reserved stock to sale (an order was cancelled). Cannot release more than is reserved.</summary>
    public static ListingState Release(ListingState state, Tonnes quantity, string actor, DateTimeOffset now)
    {
        RequirePositive(quantity);
        RequireReserved(state, quantity);
        return Record(Touch(state with { Stock = state.Stock + quantity, Reserved = state.Reserved - quantity }, now), ListingChangeKind.StockReleased, actor, now, quantity);
    }

    /// <summary>Reserved stock left the warehouse. Cannot ship more than is reserved.</summary>
    public static ListingState Ship(ListingState state, Tonnes quantity, string actor, DateTimeOffset now)
    {
        RequirePositive(quantity);
        RequireReserved(state, quantity);
        return Record(Touch(state with { Reserved = state.Reserved - quantity }, now), ListingChangeKind.StockShipped, actor, now, quantity);
    }

    public static ListingState Delist(ListingState state, SellerFacts facts, DateTimeOffset now)
    {
        RequireOwner(state, facts);
        return state.Status == ListingStatus.Delisted ? state : Touch(state with { Status = ListingStatus.Delisted }, now);
    }

    public static ListingState Relist(ListingState state, SellerFacts facts, DateTimeOffset now)
    {
        RequireOwner(state, facts);
        RequireVerifiedSeller(facts);
        return state.Status == ListingStatus.Active ? state : Touch(state with { Status = ListingStatus.Active }, now);
    }

    /// <summary>
    /// The one price per tonne a buyer sees for a choice of attribute values (normalised, e.g. {"diameter": "12"}),
    /// with its breakdown. A chosen value must be the listing's own value or lie inside its range (长度 9-12 → 10).
    /// </summary>
    public static PriceQuote ComputePrice(ListingState listing, IReadOnlyDictionary<string, string>? selection = null)
    {
        var effective = Effective(listing, selection);
        var pricing = listing.Pricing;
        if (pricing.UnitPrice is { } unit)
        {
            return new PriceQuote(unit, [new PriceLine("单价", "Unit price", unit)], listing.PriceBasis);
        }

        var lines = ImmutableList.CreateBuilder<PriceLine>();
        lines.Add(new PriceLine("基价", "Base price", pricing.BasePrice ?? 0));
        foreach (var extra in pricing.Extras.Where(e => effective.GetValueOrDefault(e.AttributeKey) == e.Value))
        {
            lines.Add(new PriceLine(extra.DisplayZh, extra.DisplayEn, extra.Amount, extra.AttributeKey, extra.Value));
        }

        return new PriceQuote(Cny.Round(lines.Sum(l => l.Amount)), lines.ToImmutable(), listing.PriceBasis);
    }

    /// <summary>The price for buying <paramref name="quantity"/>: the computed price with the volume tier for that quantity, and the total.</summary>
    public static PriceQuote PriceForQuantity(ListingState listing, IReadOnlyDictionary<string, string>? selection, Tonnes quantity)
    {
        if (listing.Status != ListingStatus.Active)
        {
            throw Delisted();
        }

        if (quantity < listing.MinOrder)
        {
            throw new DomainException(
                ErrorKind.FailedPrecondition, "BELOW_MOQ", $"The minimum order is {listing.MinOrder} t.", $"最小起订量为 {listing.MinOrder} 吨。",
                metadata: new Dictionary<string, string> { ["min_order_tonnes"] = listing.MinOrder.ToString() });
        }

        var quote = ComputePrice(listing, selection);
        var tier = listing.Pricing.Tiers.LastOrDefault(t => t.MinTonnes <= quantity);
        if (tier is not null)
        {
            var adjustment = tier.UnitPrice is { } fixedPrice ? fixedPrice - quote.UnitPrice : -(tier.DiscountPerTonne ?? 0);
            var line = new PriceLine($"阶梯价 ≥{tier.MinTonnes}吨", $"Volume tier ≥{tier.MinTonnes} t", adjustment);
            quote = quote with { UnitPrice = Cny.Round(quote.UnitPrice + adjustment), Breakdown = quote.Breakdown.Add(line) };
        }

        return quote with { Quantity = quantity, Total = quantity.AmountAt(quote.UnitPrice) };
    }

    /// <summary>Lowest and highest price per tonne a buyer can see on this listing (over sizes, grades and volume tiers), for list rows.</summary>
    public static (decimal Low, decimal High) PriceRange(ListingState listing) => PriceRange(listing.Pricing, listing.Attributes);

    private static (decimal Low, decimal High) PriceRange(ListingPricing pricing, IReadOnlyDictionary<string, string> attributes)
    {
        decimal low, high;
        if (pricing.UnitPrice is { } unit)
        {
            low = high = unit;
        }
        else
        {
            low = high = pricing.BasePrice ?? 0;
            foreach (var group in pricing.Extras.GroupBy(e => e.AttributeKey))
            {
                var listingValue = attributes.GetValueOrDefault(group.Key);
                var offered = group.Where(e => Offers(listingValue, e.Value)).Select(e => e.Amount).ToList();
                var isSpan = listingValue is not null && CatalogRules.ParseNormalisedRange(listingValue) is { } r && r.From < r.To;
                if (offered.Count == 0 || isSpan)
                {
                    offered.Add(0);
                }

                low += offered.Min();
                high += offered.Max();
            }
        }

        var best = pricing.Tiers.LastOrDefault();
        if (best is not null)
        {
            low = best.UnitPrice ?? low - (best.DiscountPerTonne ?? 0);
        }

        return (Cny.Round(low), Cny.Round(high));
    }

    private static ImmutableDictionary<string, string> Effective(ListingState listing, IReadOnlyDictionary<string, string>? selection)
    {
        var effective = listing.Attributes;
        var v = new Validation();
        foreach (var (key, raw) in selection ?? ImmutableDictionary<string, string>.Empty)
        {
            var value = (raw ?? "").Trim();
            if (decimal.TryParse(value.TrimStart('Φ', 'φ'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                value = CatalogRules.FormatNumber(number);
            }

            if (!Offers(listing.Attributes.GetValueOrDefault(key), value))
            {
                v.Add($"selection.{key}", "NOT_OFFERED", $"This listing does not offer {key} = {raw}.", $"该商品不提供此规格（{key} = {raw}）。");
                continue;
            }

            effective = effective.SetItem(key, value);
        }

        v.ThrowIfInvalid();
        return effective;
    }

    /// <summary>True when a listing whose value is <paramref name="listingValue"/> can deliver <paramref name="value"/>.</summary>
    private static bool Offers(string? listingValue, string value)
    {
        if (listingValue is null)
        {
            return false;
        }

        if (listingValue == value)
        {
            return true;
        }

        return CatalogRules.ParseNormalisedRange(listingValue) is { } range && range.From < range.To
            && CatalogRules.ParseNormalisedRange(value) is { } chosen && chosen.From >= range.From && chosen.To <= range.To;
    }

    private sealed record ValidListing(
        string CategoryId, string Name, ImmutableDictionary<string, string> Attributes, ImmutableList<KeySpec> ListSpecs, string Brand, string Origin,
        Warehouse Warehouse, WeightBasis WeightBasis, PriceBasis PriceBasis, ListingPricing Pricing, Tonnes MinOrder, ImmutableList<string> ImageFileIds, decimal VatRate,
        string SellerSku);

    /// <summary>Everything the seller describes, from a validated draft (stock, status and history untouched).</summary>
    private static ListingState Describe(ListingState state, ValidListing valid) => state with
    {
        CategoryId = valid.CategoryId,
        Name = valid.Name,
        Attributes = valid.Attributes,
        ListSpecs = valid.ListSpecs,
        Brand = valid.Brand,
        SellerSku = valid.SellerSku,
        Origin = valid.Origin,
        Warehouse = valid.Warehouse,
        WeightBasis = valid.WeightBasis,
        PriceBasis = valid.PriceBasis,
        Pricing = valid.Pricing,
        MinOrder = valid.MinOrder,
        ImageFileIds = valid.ImageFileIds,
        VatRate = valid.VatRate,
    };

    private static ValidListing Validate(ListingDraft draft, CategoryTree tree)
    {
        var v = new Validation();
        var category = tree.Find(draft.CategoryId);
        ImmutableList<AttributeDefinition> schema = [];
        if (category is null)
        {
            v.Add("category_id", "CATEGORY_NOT_FOUND", "Choose a category.", "请选择商品分类。");
        }
        else if (!category.IsLeaf)
        {
            v.Add("category_id", "CATEGORY_NOT_LEAF", "Listings go in the most specific category (e.g. 螺纹钢, not 钢材).", "请选择最末级分类（如“螺纹钢”，而非“钢材”）。");
        }
        else
        {
            schema = tree.EffectiveSchema(category.Id);
        }

        v.Required("name", draft.Name, "Name", "商品名称").Length("name", draft.Name, 2, 100, "Name", "商品名称");

        var input = (draft.Attributes ?? ImmutableDictionary<string, string>.Empty).ToImmutableDictionary();
        var basisCode = draft.WeightBasis switch { WeightBasis.Theoretical => "theoretical", WeightBasis.Weighed => "weighed", _ => null };
        var basisAttribute = schema.FirstOrDefault(a => a.Key == "weight_basis");
        if (basisAttribute is not null && basisCode is not null && string.IsNullOrWhiteSpace(input.GetValueOrDefault("weight_basis")))
        {
            input = input.SetItem("weight_basis", basisCode);
        }

        var attributes = category is { IsLeaf: true } ? CatalogRules.Check(v, schema, input, "attributes") : ImmutableDictionary<string, string>.Empty;
        if (basisCode is null)
        {
            v.Add("weight_basis", "REQUIRED", "Choose theoretical weight (理计) or weighed (过磅).", "请选择计量方式（理计或过磅）。");
        }
        else if (category is { IsLeaf: true } && !tree.EffectiveWeightBases(category.Id).Contains(draft.WeightBasis))
        {
            v.Add("weight_basis", "WEIGHT_BASIS_NOT_ALLOWED", "This category is not sold on that weight basis.", "该分类不支持此计量方式。");
        }
        else if (attributes.TryGetValue("weight_basis", out var fromAttributes) && fromAttributes != basisCode)
        {
            v.Add("attributes.weight_basis", "WEIGHT_BASIS_MISMATCH", "The weight basis attribute differs from the listing's weight basis.", "计量方式属性与商品的计量方式不一致。");
        }

        var sellerSku = (draft.SellerSku ?? "").Trim();
        if (sellerSku.Length > 64 || sellerSku.Any(char.IsControl))
        {
            v.Add("seller_sku", "INVALID_SELLER_SKU", "The seller's SKU is at most 64 printable characters.", "卖方商品编码最多 64 个可见字符。");
        }

        var brand = FromAttribute(draft.Brand, attributes, schema, "mill", "brand");
        v.Length("brand", brand, 1, 50, "Brand or mill", "品牌/钢厂");
        var origin = FromAttribute(draft.Origin, attributes, schema, "origin");
        v.Required("origin", origin, "Origin", "产地").Length("origin", origin, 2, 50, "Origin", "产地");

        var warehouse = draft.Warehouse ?? new Warehouse("", "");
        v.Required("warehouse.city", warehouse.City, "Warehouse city", "仓库所在城市").Length("warehouse.city", warehouse.City, 2, 20, "Warehouse city", "仓库所在城市");
        v.Required("warehouse.address", warehouse.Address, "Warehouse address", "仓库地址").Length("warehouse.address", warehouse.Address, 5, 200, "Warehouse address", "仓库地址");

        var basis = draft.PriceBasis;
        if (basis is null)
        {
            v.Add("price_basis", "REQUIRED", "State the price basis (tax included; ex-works or delivered).", "请注明价格条件（含税；出厂价或到货价）。");
        }
        else
        {
            if (!basis.TaxIncluded)
            {
                v.Add("price_basis.tax_included", "TAX_INCLUDED_REQUIRED", "Listing prices are quoted tax included (含税).", "挂牌价须为含税价。");
            }

            if (!Enum.IsDefined(basis.Delivery))
            {
                v.Add("price_basis.delivery", "REQUIRED", "Choose ex-works (出厂价) or delivered (到货价).", "请选择出厂价或到货价。");
            }
            else if (basis.Delivery == DeliveryTerm.Delivered)
            {
                v.Required("price_basis.delivered_to", basis.DeliveredTo, "Delivery destination", "到货地").Length("price_basis.delivered_to", basis.DeliveredTo, 2, 50, "Delivery destination", "到货地");
            }
        }

        if (draft.MinOrder.IsZero)
        {
            v.Add("min_order", "REQUIRED", "The minimum order must be above zero tonnes.", "最小起订量须大于 0 吨。");
        }

        var pricing = ValidatePricing(v, draft.Pricing, schema, attributes, draft.MinOrder);

        var images = draft.ImageFileIds ?? [];
        if (images.Count > MaxImages)
        {
            v.Add("image_file_ids", "TOO_MANY", $"At most {MaxImages} images.", $"最多上传 {MaxImages} 张图片。");
        }

        for (var i = 0; i < images.Count; i++)
        {
            if (!Ids.IsWellFormed(images[i], "f"))
            {
                v.Add($"image_file_ids[{i}]", "INVALID_FILE_ID", "Images must be files uploaded through FileService.", "图片须为已上传的文件。");
            }
        }

        if (images.Distinct().Count() != images.Count)
        {
            v.Add("image_file_ids", "DUPLICATE_IMAGE", "The same image appears twice.", "图片重复。");
        }

        v.ThrowIfInvalid();
        return new ValidListing(
            category!.Id, draft.Name.Trim(), attributes, CatalogRules.KeySpecs(schema, attributes), brand, origin,
            new Warehouse(warehouse.City.Trim(), warehouse.Address.Trim()), draft.WeightBasis,
            basis! with { DeliveredTo = basis.Delivery == DeliveryTerm.Delivered ? basis.DeliveredTo!.Trim() : null },
            pricing!, draft.MinOrder, [.. images], tree.EffectiveVatRate(category.Id), sellerSku);
    }

    private static ListingPricing? ValidatePricing(
        Validation v, ListingPricing? pricing, IReadOnlyList<AttributeDefinition> schema, IReadOnlyDictionary<string, string> attributes, Tonnes minOrder)
    {
        if (pricing is null || (pricing.UnitPrice is null) == (pricing.BasePrice is null))
        {
            v.Add("pricing.unit_price", "PRICE_MODE", "Give either a unit price or a base price (with extras), not both.", "请填写单价，或填写基价（及加价），二者择一。");
            return null;
        }

        var before = v.IsValid;
        var ok = true;
        ok &= CheckPrice(v, "pricing.unit_price", pricing.UnitPrice);
        ok &= CheckPrice(v, "pricing.base_price", pricing.BasePrice);

        var extras = ImmutableList.CreateBuilder<PriceExtra>();
        var sourceExtras = pricing.Extras ?? [];
        if (sourceExtras.Count > 0 && pricing.BasePrice is null)
        {
            v.Add("pricing.extras", "EXTRAS_NEED_BASE_PRICE", "Extras (加价) apply to a base price; give a base price instead of a unit price.", "加价须配合基价使用，请改填基价。");
            ok = false;
        }
        else if (sourceExtras.Count > MaxExtras)
        {
            v.Add("pricing.extras", "TOO_MANY", $"At most {MaxExtras} extras.", $"加价项最多 {MaxExtras} 条。");
            ok = false;
        }
        else
        {
            var seen = new HashSet<(string, string)>();
            for (var i = 0; i < sourceExtras.Count; i++)
            {
                var e = sourceExtras[i];
                var field = $"pricing.extras[{i}]";
                var definition = schema.FirstOrDefault(a => a.Key == e?.AttributeKey);
                if (e is null || definition is null || definition.Kind == AttributeKind.Text)
                {
                    v.Add(field + ".attribute_key", "UNKNOWN_ATTRIBUTE", "Extras apply to an enumeration or number attribute of this category.", "加价须针对本分类的枚举或数值属性。");
                    ok = false;
                    continue;
                }

                var probe = new Validation();
                var normalised = CatalogRules.Check(probe, [definition with { Required = true }], ImmutableDictionary<string, string>.Empty.Add(definition.Key, e.Value ?? ""), field);
                if (!probe.IsValid)
                {
                    v.Add(field + ".value", "INVALID_EXTRA_VALUE", $"{e.Value} is not a valid {definition.LabelEn}.", $"“{e.Value}”不是有效的{definition.LabelZh}。");
                    ok = false;
                    continue;
                }

                var value = normalised[definition.Key];
                if (Math.Abs(e.Amount) > MaxExtra || e.Amount != Cny.Round(e.Amount))
                {
                    v.Add(field + ".amount", "INVALID_EXTRA_AMOUNT", "An extra is at most ±100,000 元/吨, to the fen.", "加价须在 ±10 万元/吨以内，最多两位小数。");
                    ok = false;
                }
                else if (!seen.Add((definition.Key, value)))
                {
                    v.Add(field, "DUPLICATE_EXTRA", "This attribute value already has an extra.", "该属性值已有加价。");
                    ok = false;
                }

                var display = CatalogRules.Display(definition, value);
                extras.Add(new PriceExtra(definition.Key, value, e.Amount, $"{definition.LabelZh} {display.DisplayZh}", $"{definition.LabelEn} {display.DisplayEn}"));
            }
        }

        var tiers = pricing.Tiers ?? [];
        if (tiers.Count > MaxTiers)
        {
            v.Add("pricing.tiers", "TOO_MANY", $"At most {MaxTiers} volume tiers.", $"阶梯价最多 {MaxTiers} 档。");
            ok = false;
        }

        for (var i = 0; i < Math.Min(tiers.Count, MaxTiers); i++)
        {
            var t = tiers[i];
            var field = $"pricing.tiers[{i}]";
            var previous = i > 0 ? tiers[i - 1] : null;
            if ((t.UnitPrice is null) == (t.DiscountPerTonne is null))
            {
                v.Add(field, "TIER_MODE", "A tier gives either a price or a discount per tonne.", "每档阶梯须填写价格或每吨优惠，二者择一。");
                ok = false;
                continue;
            }

            if (t.MinTonnes <= minOrder)
            {
                v.Add(field + ".min_tonnes", "TIER_BELOW_MOQ", "A tier starts above the minimum order.", "阶梯起点须大于最小起订量。");
                ok = false;
            }
            else if (previous is not null && t.MinTonnes <= previous.MinTonnes)
            {
                v.Add(field + ".min_tonnes", "TIERS_NOT_ASCENDING", "Tiers go from smaller to larger quantities without repeats.", "阶梯须按数量从小到大排列且不重复。");
                ok = false;
            }

            if (previous is not null && (previous.UnitPrice is null) != (t.UnitPrice is null))
            {
                v.Add(field, "TIERS_MIXED", "Use tier prices or tier discounts, not both.", "阶梯须统一使用价格或优惠。");
                ok = false;
            }
            else if (t.UnitPrice is { } tierPrice)
            {
                if (pricing.UnitPrice is not { } unit)
                {
                    v.Add(field + ".unit_price", "TIER_PRICE_WITH_EXTRAS", "With a base price and extras, tiers give a discount per tonne.", "使用基价加价时，阶梯须填写每吨优惠。");
                    ok = false;
                }
                else if (CheckPrice(v, field + ".unit_price", tierPrice) && tierPrice >= (previous?.UnitPrice ?? unit))
                {
                    v.Add(field + ".unit_price", "TIER_NOT_LOWER", "Each tier's price is lower than the one before.", "每档阶梯价须低于上一档。");
                    ok = false;
                }
            }
            else if (t.DiscountPerTonne is { } discount)
            {
                if (discount <= 0 || discount != Cny.Round(discount) || discount > MaxUnitPrice)
                {
                    v.Add(field + ".discount_per_tonne", "INVALID_DISCOUNT", "A discount is above zero, to the fen.", "每吨优惠须大于零，最多两位小数。");
                    ok = false;
                }
                else if (discount <= (previous?.DiscountPerTonne ?? 0))
                {
                    v.Add(field + ".discount_per_tonne", "TIER_NOT_LOWER", "Each tier's discount is larger than the one before.", "每档优惠须大于上一档。");
                    ok = false;
                }
            }
        }

        var result = new ListingPricing { UnitPrice = pricing.UnitPrice, BasePrice = pricing.BasePrice, Extras = extras.ToImmutable(), Tiers = [.. tiers] };
        if (ok && before && PriceRange(result, attributes).Low <= 0)
        {
            v.Add("pricing", "PRICE_NOT_POSITIVE", "With these extras and discounts some price would be zero or below.", "按此加价和优惠，部分价格将不大于零。");
        }

        return result;
    }

    private static bool CheckPrice(Validation v, string field, decimal? price)
    {
        if (price is { } p && (p <= 0 || p > MaxUnitPrice || p != Cny.Round(p)))
        {
            v.Add(field, "INVALID_PRICE", "A price per tonne is above zero, at most 1,000,000 元/吨, to the fen.", "每吨价格须大于零、不超过 100 万元/吨，最多两位小数。");
            return false;
        }

        return true;
    }

    private static string FromAttribute(string? given, IReadOnlyDictionary<string, string> attributes, IReadOnlyList<AttributeDefinition> schema, params string[] keys)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given.Trim();
        }

        foreach (var key in keys)
        {
            if (attributes.TryGetValue(key, out var value) && schema.FirstOrDefault(a => a.Key == key) is { } definition)
            {
                return CatalogRules.Display(definition, value).DisplayZh;
            }
        }

        return "";
    }

    private static void RequireSalesRole(SellerFacts facts)
    {
        if (!facts.CallerRoles.Contains(MemberRole.Sales) && !facts.CallerRoles.Contains(MemberRole.Admin))
        {
            throw Errors.PermissionDenied("Only members with the Sales or Admin role manage the enterprise's listings.", "只有具备销售或管理员角色的成员可以管理商品。");
        }
    }

    /// <summary>The caller may write this listing: a Sales or Admin member of its seller.</summary>
    public static void RequireOwner(ListingState state, SellerFacts facts)
    {
        if (facts.EnterpriseId != state.SellerEnterpriseId)
        {
            throw new DomainException(ErrorKind.PermissionDenied, "NOT_LISTING_OWNER", "This listing belongs to another enterprise.", "该商品属于其他企业。");
        }

        RequireSalesRole(facts);
    }

    private static void RequireVerifiedSeller(SellerFacts facts)
    {
        if (!facts.IsSeller)
        {
            throw Errors.Precondition("NOT_A_SELLER", "The enterprise is not registered as a seller.", "该企业未登记为销售方。");
        }

        if (!facts.IsVerified)
        {
            throw Errors.Precondition("SELLER_NOT_VERIFIED", "The enterprise must pass verification before it lists goods.", "企业通过认证后才能发布商品。");
        }
    }

    private static void RequirePositive(Tonnes quantity)
    {
        if (quantity.IsZero)
        {
            throw Errors.InvalidField("quantity", "OUT_OF_RANGE", "The quantity must be above zero.", "数量须大于零。");
        }
    }

    private static void RequireReserved(ListingState state, Tonnes quantity)
    {
        if (quantity > state.Reserved)
        {
            throw Errors.Precondition("EXCEEDS_RESERVED", $"Only {state.Reserved} t are reserved.", $"仅有 {state.Reserved} 吨处于预留状态。");
        }
    }

    private static DomainException Delisted() =>
        Errors.Precondition("LISTING_DELISTED", "The listing has been delisted.", "该商品已下架。");

    private static ListingState Record(ListingState state, ListingChangeKind kind, string actor, DateTimeOffset now, Tonnes? delta = null)
    {
        var change = new ListingChange(now, actor, kind, state.Pricing.ListPrice, state.Stock, state.Reserved, delta);
        var changes = state.RecentChanges.Add(change);
        if (IsOrderMovement(kind) && changes.Count(c => IsOrderMovement(c.Kind)) > MaxRecentOrderMovements)
        {
            changes = changes.RemoveAt(changes.FindIndex(c => IsOrderMovement(c.Kind)));
        }

        // With order movements capped, dropping the oldest entry overall still leaves the most recent
        // MaxRecentChanges - MaxRecentOrderMovements seller changes.
        return state with { RecentChanges = changes.Count > MaxRecentChanges ? changes.RemoveRange(0, changes.Count - MaxRecentChanges) : changes };
    }

    private static bool IsOrderMovement(ListingChangeKind kind) =>
        kind is ListingChangeKind.StockReserved or ListingChangeKind.StockReleased or ListingChangeKind.StockShipped;

    private static ListingState Touch(ListingState state, DateTimeOffset now) => state with { UpdatedAt = now, Version = state.Version + 1 };
}
