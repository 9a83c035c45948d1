using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Domain.Orders;

namespace B2BTrade.Grains.Orders;

/// <summary>An order priced and checked, ready to be placed (or shown as a preview).</summary>
public sealed record QuotedOrder(
    PriceBreakdown Price,
    OrderParties Parties,
    OrderDetails Details,
    string? ThreadId,
    int? TermsVersion,
    string QualityStandard,
    WeightBasis WeightBasis,
    ImmutableList<StockReservation> Reservations,
    OrderPlacer Placer);

/// <summary>
/// Gathers what an order needs from the other aggregates (the buyer's membership, the agreed terms or the listings,
/// the seller's freight rules) and prices it with the domain's <see cref="OrderPricing"/>. Used by the preview and by
/// placement, so both compute the same figures.
/// </summary>
public static class OrderQuoter
{
    private const string DefaultQualityStandard = "按国家现行标准及生产厂家质量证明书";

    /// <param name="agreedDeal">Reads the agreed terms (the preview) or claims them for the order (placement).</param>
    /// <param name="preview">Price only: details that do not change the price may still be missing (see <see cref="OrderRules.ValidateDetails"/>).</param>
    public static async Task<QuotedOrder> QuoteAsync(IGrainFactory grains, Caller caller, PlaceOrder order, DateTimeOffset now, Func<INegotiationGrain, Task<AgreedDeal>> agreedDeal, bool preview = false)
    {
        var (placer, buyerName) = await PlacerAsync(grains, caller, order.BuyerEnterpriseId);
        PricingRequestParts parts;
        if (order.ThreadId is { } threadId)
        {
            if (order.Lines.Count > 0)
            {
                throw Errors.InvalidField("source", "ONE_SOURCE", "Order either from a negotiation or from listing lines, not both.", "订单来源只能是询盘或商品之一。");
            }

            parts = await FromThreadAsync(grains, order, threadId, agreedDeal);
        }
        else
        {
            parts = await FromLinesAsync(grains, order);
        }

        if (parts.SellerEnterpriseId == order.BuyerEnterpriseId)
        {
            throw Errors.InvalidField("buyer_enterprise_id", "OWN_LISTING", "An enterprise cannot order its own goods.", "企业不能购买自己发布的商品。");
        }

        var details = OrderRules.ValidateDetails(order.Details.ToInput(), parts.Agreed, parts.DefaultBearer, now, priceOnly: preview);
        if (details.FreightBearer == FreightBearer.BuyerCollects && details.Transport != TransportMode.BuyerPickup && parts.Agreed is null)
        {
            // Collecting is a transport choice of its own; keep the two fields consistent for the contract.
            details = details with { Transport = TransportMode.BuyerPickup };
        }

        var rules = await grains.GetGrain<IFreightRulesGrain>(parts.SellerEnterpriseId).GetAsync();
        PriceBreakdown price;
        try
        {
            price = OrderPricing.Price(parts.Request with
            {
                RequestedBearer = details.FreightBearer,
                Freight = FreightRules.Find(rules.Rules, details.Address.Province, details.Transport),
                DestinationProvince = details.Address.Province,
            });
        }
        catch (DomainException e) when (e.Reason == "NO_FREIGHT_RULE")
        {
            throw Errors.InvalidField("details.delivery_address.province", "NO_FREIGHT_RULE",
                $"The seller has no freight rate to {details.Address.Province} by this transport mode; collect the goods yourself or agree a delivered price.",
                $"卖方未设置发往{details.Address.Province}（该运输方式）的运费，请选择自提或与卖方协商到货价。");
        }

        if (order.ExpectedTotal is { } expected && expected != price.Total)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "PRICE_CHANGED",
                $"The total is now ¥{Cny.Format(price.Total)}, not ¥{Cny.Format(expected)}; preview again.", $"订单总额已变为 ¥{Cny.Format(price.Total)}，请重新确认。",
                metadata: new Dictionary<string, string> { ["total_amount"] = Cny.Format(price.Total) });
        }

        var sellerName = await grains.GetGrain<IEnterpriseGrain>(parts.SellerEnterpriseId).GetLegalNameAsync() ?? "";
        return new QuotedOrder(price, new OrderParties(order.BuyerEnterpriseId, buyerName, parts.SellerEnterpriseId, sellerName), details,
            parts.ThreadId, parts.TermsVersion, parts.QualityStandard, parts.WeightBasis, parts.Reservations, placer);
    }

    /// <summary>The caller as the one placing the order (a Purchaser or Admin of a verified buyer), and the buyer's legal name.</summary>
    public static async Task<(OrderPlacer Placer, string BuyerName)> PlacerAsync(IGrainFactory grains, Caller caller, string buyerEnterpriseId)
    {
        if (!Ids.IsWellFormed(buyerEnterpriseId, "ent"))
        {
            throw Errors.InvalidField("buyer_enterprise_id", "INVALID_ID", "Not an enterprise id.", "企业编号无效。");
        }

        var buyer = await grains.GetGrain<IEnterpriseGrain>(buyerEnterpriseId).GetBuyerFactsAsync(caller.UserId);
        if (buyer.Member is not { } member || !member.Roles.Any(r => r is MemberRole.Purchaser or MemberRole.Admin))
        {
            throw Errors.PermissionDenied("Only the enterprise's purchasers and admins can order for it.", "仅本企业的采购人员或管理员可以下单。");
        }

        if (!buyer.IsVerified)
        {
            throw Errors.Precondition("ENTERPRISE_NOT_VERIFIED", "The enterprise must be verified before it can order.", "企业通过认证后才能下单。");
        }

        return (new OrderPlacer(caller.UserId, caller.DisplayName, member.Roles.Contains(MemberRole.Admin), member.SpendingLimit), buyer.LegalName);
    }

    private static async Task<PricingRequestParts> FromThreadAsync(IGrainFactory grains, PlaceOrder order, string threadId, Func<INegotiationGrain, Task<AgreedDeal>> agreedDeal)
    {
        AgreedDeal deal;
        try
        {
            deal = Ids.IsWellFormed(threadId, "thr")
                ? await agreedDeal(grains.GetGrain<INegotiationGrain>(threadId))
                : throw Errors.NotFound("Negotiation thread", "询盘");
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw Errors.InvalidField("source.thread_id", "THREAD_NOT_FOUND", "The negotiation was not found.", "未找到该询盘。");
        }

        if (deal.Parties.BuyerEnterpriseId != order.BuyerEnterpriseId)
        {
            throw Errors.InvalidField("source.thread_id", "OTHER_BUYER", "The negotiation belongs to another buyer enterprise.", "该询盘不属于此买方企业。");
        }

        var terms = deal.Agreed.Terms;
        var listing = (await grains.GetGrain<IListingGrain>(deal.Parties.ListingId).GetAsync()).State;
        var defaultBearer = terms.Delivery == DeliveryTerm.Delivered ? FreightBearer.Seller
            : terms.Services.Any(s => s.Kind == ServiceKind.Freight) ? FreightBearer.Buyer
            : terms.Transport == TransportMode.BuyerPickup ? FreightBearer.BuyerCollects
            : FreightBearer.Buyer;
        var request = new PricingRequest
        {
            Lines = [new PricingLine(listing.ListingId, terms.ProductName, terms.Attributes, terms.Quantity, terms.UnitPrice!.Value, VatPercent(listing))],
            PricesIncludeTax = terms.TaxIncluded,
            PriceBasis = terms.Delivery,
            RequestedBearer = defaultBearer,
            AgreedServices = terms.Services,
            DiscountPerTonne = TermsRules.ApplicableDiscount(terms)?.DiscountPerTonne,
            Payment = terms.Payment ?? new PaymentTerms(0, BalanceTiming.BeforeDelivery),
        };
        return new PricingRequestParts(request, deal.Parties.SellerEnterpriseId, terms, defaultBearer, threadId, deal.Agreed.Version,
            terms.QualityStandard.Length > 0 ? terms.QualityStandard : DefaultQualityStandard, listing.WeightBasis,
            [new StockReservation(listing.ListingId, terms.Quantity)]);
    }

    private static async Task<PricingRequestParts> FromLinesAsync(IGrainFactory grains, PlaceOrder order)
    {
        if (order.Lines.Count == 0)
        {
            throw Errors.InvalidField("source", "REQUIRED", "Order from a negotiation (thread_id) or from listing lines.", "请选择下单来源（询盘或商品）。");
        }

        if (order.Lines.Count > OrderRules.MaxLines)
        {
            throw Errors.InvalidField("source.lines.lines", "TOO_MANY", $"At most {OrderRules.MaxLines} lines.", $"最多 {OrderRules.MaxLines} 行。");
        }

        var lines = new List<PricingLine>();
        var reservations = ImmutableList.CreateBuilder<StockReservation>();
        var listings = new List<ListingState>();
        for (var i = 0; i < order.Lines.Count; i++)
        {
            var field = $"source.lines.lines[{i}]";
            var request = order.Lines[i];
            if (order.Lines.Take(i).Any(l => l.ListingId == request.ListingId))
            {
                throw Errors.InvalidField(field + ".listing_id", "DUPLICATE_LISTING", "A listing appears twice; give one line per listing.", "同一商品只能出现一行。");
            }

            ListingState listing;
            try
            {
                listing = Ids.IsWellFormed(request.ListingId, "lst")
                    ? (await grains.GetGrain<IListingGrain>(request.ListingId).GetAsync()).State
                    : throw Errors.NotFound("Listing", "商品");
            }
            catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw Errors.InvalidField(field + ".listing_id", "LISTING_NOT_FOUND", "The listing was not found.", "未找到该商品。");
            }

            if (listings.Count > 0 && listing.SellerEnterpriseId != listings[0].SellerEnterpriseId)
            {
                throw Errors.InvalidField(field + ".listing_id", "DIFFERENT_SELLER", "All lines of an order come from one seller; place one order per seller.", "一个订单只能包含同一卖方的商品，请按卖方分别下单。");
            }

            if (listings.Count > 0 && (listing.PriceBasis.TaxIncluded != listings[0].PriceBasis.TaxIncluded || listing.PriceBasis.Delivery != listings[0].PriceBasis.Delivery))
            {
                throw Errors.InvalidField(field + ".listing_id", "MIXED_PRICE_BASIS", "Lines with different price bases (含税/出厂/到货) go in separate orders.", "价格口径（含税、出厂/到货）不同的商品请分别下单。");
            }

            if (request.Quantity.Value <= 0)
            {
                throw Errors.InvalidField(field + ".quantity_tonnes", "OUT_OF_RANGE", "The quantity must be above zero.", "数量须大于零。");
            }

            PriceQuote quote;
            try
            {
                quote = ListingRules.PriceForQuantity(listing, null, request.Quantity);
            }
            catch (DomainException e) when (e.Reason == "BELOW_MOQ")
            {
                throw new DomainException(ErrorKind.InvalidArgument, "BELOW_MOQ", e.Message, e.MessageZh,
                    [new FieldViolation(field + ".quantity_tonnes", "BELOW_MOQ", e.Message, e.MessageZh)], e.Metadata);
            }

            if (request.Quantity > listing.Stock)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, "INSUFFICIENT_STOCK",
                    $"Only {listing.Stock} t of {listing.Name} are available.", $"{listing.Name} 库存不足，仅剩 {listing.Stock} 吨。",
                    metadata: new Dictionary<string, string> { ["listing_id"] = listing.ListingId, ["available_tonnes"] = listing.Stock.ToString(), ["field"] = field + ".quantity_tonnes" });
            }

            listings.Add(listing);
            lines.Add(new PricingLine(listing.ListingId, listing.Name, listing.Attributes.ToImmutableSortedDictionary(StringComparer.Ordinal), request.Quantity, quote.UnitPrice, VatPercent(listing)));
            reservations.Add(new StockReservation(listing.ListingId, request.Quantity));
        }

        var first = listings[0];
        var defaultBearer = first.PriceBasis.Delivery == DeliveryTerm.Delivered ? FreightBearer.Seller
            : order.Details.Transport == TransportMode.BuyerPickup ? FreightBearer.BuyerCollects
            : FreightBearer.Buyer;
        var pricing = new PricingRequest
        {
            Lines = lines,
            PricesIncludeTax = first.PriceBasis.TaxIncluded,
            PriceBasis = first.PriceBasis.Delivery,
            RequestedBearer = defaultBearer,
            Payment = new PaymentTerms(0, BalanceTiming.BeforeDelivery),
        };
        var standard = first.Attributes.GetValueOrDefault("standard") is { Length: > 0 } s ? s : DefaultQualityStandard;
        return new PricingRequestParts(pricing, first.SellerEnterpriseId, null, defaultBearer, null, null, standard, first.WeightBasis, reservations.ToImmutable());
    }

    private static decimal VatPercent(ListingState listing) => decimal.Round(listing.VatRate * 100m, 2);

    private sealed record PricingRequestParts(
        PricingRequest Request, string SellerEnterpriseId, Terms? Agreed, FreightBearer DefaultBearer, string? ThreadId, int? TermsVersion,
        string QualityStandard, WeightBasis WeightBasis, ImmutableList<StockReservation> Reservations);
}
