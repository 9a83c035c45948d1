using System.Globalization;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using Proto = B2BTrade.Protos.Catalog.V1;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;
using ProtoMoney = B2BTrade.Protos.Common.V1.Money;

namespace B2BTrade.GrpcApi.Mapping;

/// <summary>Catalog proto ↔ domain. Quantities travel as decimal text, money as CNY amounts; never floats.</summary>
public static class CatalogMapping
{
    public static ListingDraft Draft(Proto.ListingSpec? spec)
    {
        spec ??= new Proto.ListingSpec();
        return new ListingDraft
        {
            Name = spec.Name,
            CategoryId = spec.CategoryId,
            Attributes = spec.Attributes.ToDictionary(a => a.Key, a => a.Value),
            Brand = spec.Brand,
            Origin = spec.Origin,
            Warehouse = new Warehouse(spec.WarehouseCity, spec.WarehouseAddress),
            WeightBasis = RequestParsing.Enum<WeightBasis>((int)spec.WeightBasis, "spec.weight_basis"),
            PriceBasis = new PriceBasis(TaxIncluded: true, RequestParsing.Enum<DeliveryTerm>((int)spec.DeliveryPriceBasis, "spec.delivery_price_basis"),
                string.IsNullOrWhiteSpace(spec.DeliveredTo) ? null : spec.DeliveredTo),
            Pricing = new ListingPricing
            {
                UnitPrice = RequestParsing.OptionalCny(spec.UnitPrice, "spec.unit_price"),
                BasePrice = RequestParsing.OptionalCny(spec.BasePrice, "spec.base_price"),
                Extras = [.. spec.Extras.Select((e, i) => new PriceExtra(e.AttributeKey, e.AttributeValue, SignedCny(e.Amount, $"spec.extras[{i}].amount")))],
                Tiers = [.. spec.Tiers.Select((t, i) => t.DiscountPerTonne is { } discount
                    ? new PriceTier(Tonnes(t.MinQuantityTonnes, $"spec.tiers[{i}].min_quantity_tonnes"), DiscountPerTonne: RequestParsing.OptionalCny(discount, $"spec.tiers[{i}].discount_per_tonne"))
                    : new PriceTier(Tonnes(t.MinQuantityTonnes, $"spec.tiers[{i}].min_quantity_tonnes"), UnitPrice: RequestParsing.OptionalCny(t.UnitPrice, $"spec.tiers[{i}].unit_price")))],
            },
            MinOrder = Tonnes(spec.MoqTonnes, "spec.moq_tonnes"),
            ImageFileIds = [.. spec.ImageFileIds],
            SellerSku = spec.SellerSku,
        };
    }

    /// <summary>Rewrites the field paths of a domain refusal into request paths, e.g. "pricing.tiers[0].min_tonnes" → "spec.tiers[0].min_quantity_tonnes".</summary>
    public static DomainException WithFieldPaths(DomainException error, Func<string, string> path) =>
        error.Violations.Length == 0
            ? error
            : new DomainException(error.Kind, error.Reason, error.Message, error.MessageZh,
                [.. error.Violations.Select(v => v with { Field = path(v.Field) })], error.Metadata);

    /// <summary>A listing rule's field name as the path in a request's <c>spec</c>.</summary>
    public static string ListingFieldPath(string field)
    {
        if (field.StartsWith("spec.", StringComparison.Ordinal) || field is "request_id" or "listing_id" or "seller_enterprise_id" or "etag")
        {
            return field;
        }

        var mapped = field switch
        {
            "warehouse.city" => "warehouse_city",
            "warehouse.address" => "warehouse_address",
            "min_order" => "moq_tonnes",
            "pricing" => "unit_price",
            "price_basis.delivered_to" => "delivered_to",
            _ when field.StartsWith("price_basis", StringComparison.Ordinal) => "delivery_price_basis",
            _ when field.StartsWith("pricing.", StringComparison.Ordinal) => field["pricing.".Length..]
                .Replace(".min_tonnes", ".min_quantity_tonnes", StringComparison.Ordinal)
                .Replace("].value", "].attribute_value", StringComparison.Ordinal),
            _ => field,
        };
        return "spec." + mapped;
    }

    /// <summary>A category rule's field name as the path in an UpsertCategory request.</summary>
    public static string CategoryFieldPath(string field) =>
        field.StartsWith("category.", StringComparison.Ordinal) ? field : "category." + (field == "id" ? "category_id" : field);

    public static Tonnes Tonnes(ProtoDecimal? value, string field) => Domain.Catalog.Tonnes.Parse(value?.Value ?? "", field);

    /// <summary>Extras may lower the price (e.g. a cheaper size), so they alone accept a minus sign.</summary>
    private static decimal SignedCny(ProtoMoney? money, string field)
    {
        var amount = money?.Amount ?? "";
        var negative = amount.StartsWith('-');
        var value = Cny.Parse(money?.CurrencyCode, negative ? amount[1..] : amount, field);
        return negative ? -value : value;
    }

    /// <summary>A full listing; display texts (key specs, price lines) in the caller's language.</summary>
    public static Proto.Listing Listing(ListingView view, string sellerName = "", string locale = "zh-CN")
    {
        var english = locale.StartsWith("en", StringComparison.Ordinal);
        var l = view.State;
        var (low, high) = ListingRules.PriceRange(l);
        var spec = new Proto.ListingSpec
        {
            CategoryId = l.CategoryId,
            Name = l.Name,
            Brand = l.Brand,
            Origin = l.Origin,
            WarehouseCity = l.Warehouse.City,
            WarehouseAddress = l.Warehouse.Address,
            WeightBasis = (Proto.WeightBasis)(int)l.WeightBasis,
            DeliveryPriceBasis = (Proto.DeliveryPriceBasis)(int)l.PriceBasis.Delivery,
            DeliveredTo = l.PriceBasis.DeliveredTo ?? "",
            MoqTonnes = new ProtoDecimal { Value = l.MinOrder.ToString() },
            StockTonnes = new ProtoDecimal { Value = l.Stock.ToString() },
            SellerSku = l.SellerSku,
        };
        spec.Attributes.Add(l.Attributes);
        if (l.Pricing.UnitPrice is { } unit)
        {
            spec.UnitPrice = ProtoMapping.Money(unit);
        }

        if (l.Pricing.BasePrice is { } basePrice)
        {
            spec.BasePrice = ProtoMapping.Money(basePrice);
        }

        spec.Extras.AddRange(l.Pricing.Extras.Select(e => new Proto.PriceExtra
        {
            AttributeKey = e.AttributeKey,
            AttributeValue = e.Value,
            Amount = new ProtoMoney { CurrencyCode = Cny.CurrencyCode, Amount = e.Amount.ToString("0.00", CultureInfo.InvariantCulture) },
        }));
        var untiered = view.Price.UnitPrice;
        spec.Tiers.AddRange(l.Pricing.Tiers.Select(t =>
        {
            var tier = new Proto.PriceTier
            {
                MinQuantityTonnes = new ProtoDecimal { Value = t.MinTonnes.ToString() },
                UnitPrice = ProtoMapping.Money(t.UnitPrice ?? (untiered - (t.DiscountPerTonne ?? 0))),
            };
            if (t.DiscountPerTonne is { } discount)
            {
                tier.DiscountPerTonne = ProtoMapping.Money(discount);
            }

            return tier;
        }));
        spec.ImageFileIds.AddRange(l.ImageFileIds);

        var listing = new Proto.Listing
        {
            ListingId = l.ListingId,
            SellerEnterpriseId = l.SellerEnterpriseId,
            SellerName = sellerName,
            Spec = spec,
            DisplayPrice = ProtoMapping.Money(low),
            DisplayPriceMax = ProtoMapping.Money(high),
            Status = (Proto.ListingStatus)(int)l.Status,
            CreateTime = ProtoMapping.Time(l.CreatedAt),
            UpdateTime = ProtoMapping.Time(l.UpdatedAt),
            Etag = l.Version.ToString(CultureInfo.InvariantCulture),
        };
        listing.PriceBreakdown.AddRange(view.Price.Breakdown.Select(line => new Proto.PriceBreakdownLine
        {
            Label = english ? line.LabelEn : line.LabelZh,
            Amount = new ProtoMoney { CurrencyCode = Cny.CurrencyCode, Amount = line.Amount.ToString("0.00", CultureInfo.InvariantCulture) },
        }));
        listing.KeySpecs.AddRange(l.ListSpecs.Select(k => english ? k.DisplayEn : k.DisplayZh));
        return listing;
    }

    /// <summary>An operator's category as the domain's command; values are checked by <see cref="CategoryTreeRules"/>.</summary>
    public static NewCategory NewCategory(Proto.Category? category)
    {
        if (category is null)
        {
            throw Errors.InvalidField("category", "REQUIRED", "Give the category.", "请填写分类。");
        }

        return new NewCategory
        {
            Id = category.CategoryId,
            ParentId = string.IsNullOrEmpty(category.ParentId) ? null : category.ParentId,
            NameZh = category.NameZh,
            NameEn = category.NameEn,
            VatRate = RequestParsing.OptionalDecimal(category.VatRate, "category.vat_rate"),
            WeightBases = [.. category.WeightBases.Select((w, i) => RequestParsing.Enum<WeightBasis>((int)w, $"category.weight_bases[{i}]")).Distinct()],
            Attributes = [.. category.Attributes.Select((a, i) => new AttributeDefinition
            {
                Key = a.Key,
                LabelZh = a.LabelZh,
                LabelEn = a.LabelEn,
                Kind = RequestParsing.Enum<AttributeKind>((int)a.Kind, $"category.attributes[{i}].kind"),
                Options = [.. a.Options.Select(o => new AttributeOption(o.Value, o.LabelZh, o.LabelEn))],
                Unit = a.Unit,
                Prefix = a.Prefix,
                Min = RequestParsing.OptionalDecimal(a.Min, $"category.attributes[{i}].min"),
                Max = RequestParsing.OptionalDecimal(a.Max, $"category.attributes[{i}].max"),
                Decimals = a.Decimals,
                MaxLength = a.MaxLength == 0 ? 50 : a.MaxLength,
                Required = a.Required,
                Filterable = a.Filterable,
                ShownInList = a.ShownInList,
            })],
        };
    }

    /// <summary>A recorded change without who made it (a member's user id is not the buyers' business).</summary>
    public static Proto.ListingChange Change(ListingChange change) => new()
    {
        ChangeTime = ProtoMapping.Time(change.At),
        Kind = (Proto.ListingChangeKind)(int)change.Kind,
        ListPrice = ProtoMapping.Money(change.ListPrice),
        StockTonnes = new ProtoDecimal { Value = change.Stock.ToString() },
        ReservedTonnes = new ProtoDecimal { Value = change.Reserved.ToString() },
    };

    public static Proto.Category Category(CategoryNode node, CategoryTree tree, int order)
    {
        var category = new Proto.Category
        {
            CategoryId = node.Id,
            ParentId = node.ParentId ?? "",
            NameZh = node.NameZh,
            NameEn = node.NameEn,
            Level = node.Level,
            SortOrder = order,
            VatRate = new ProtoDecimal { Value = tree.EffectiveVatRate(node.Id).ToString(CultureInfo.InvariantCulture) },
        };
        category.WeightBases.AddRange(tree.EffectiveWeightBases(node.Id).Select(w => (Proto.WeightBasis)(int)w));
        category.Attributes.AddRange(tree.EffectiveSchema(node.Id).Select(a =>
        {
            var definition = new Proto.AttributeDefinition
            {
                Key = a.Key,
                LabelZh = a.LabelZh,
                LabelEn = a.LabelEn,
                Kind = (Proto.AttributeKind)(int)a.Kind,
                Unit = a.Unit,
                Decimals = a.Decimals,
                MaxLength = a.MaxLength,
                Required = a.Required,
                Filterable = a.Filterable,
                ShownInList = a.ShownInList,
                Prefix = a.Prefix,
            };
            if (a.Min is { } min)
            {
                definition.Min = new ProtoDecimal { Value = min.ToString(CultureInfo.InvariantCulture) };
            }

            if (a.Max is { } max)
            {
                definition.Max = new ProtoDecimal { Value = max.ToString(CultureInfo.InvariantCulture) };
            }

            definition.Options.AddRange(a.Options.Select(o => new Proto.AttributeOption { Value = o.Value, LabelZh = o.LabelZh, LabelEn = o.LabelEn }));
            return definition;
        }));
        return category;
    }
}
