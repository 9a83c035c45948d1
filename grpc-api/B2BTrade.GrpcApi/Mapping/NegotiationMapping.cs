using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Silo.ReadModel;
using Google.Protobuf.WellKnownTypes;
using Neg = B2BTrade.Domain.Negotiation;
using ProtoDate = B2BTrade.Protos.Common.V1.Date;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;

namespace B2BTrade.GrpcApi.Mapping;

/// <summary>Negotiation requests to domain terms (every bad field named by its request path) and domain views to protos.</summary>
public static class NegotiationMapping
{
    public static Neg.Terms Terms(Protos.Negotiation.V1.Terms? terms, string prefix = "terms")
    {
        if (terms is null)
        {
            throw Errors.InvalidField(prefix, "REQUIRED", "The terms are required.", "请填写交易条件。");
        }

        // Counts and lengths are checked by TermsRules.Validate, which names the same fields.
        string F(string field) => prefix + "." + field;
        return new Neg.Terms
        {
            ProductName = terms.ProductName ?? "",
            Attributes = terms.Attributes.ToImmutableSortedDictionary(a => a.Key, a => a.Value.Trim(), StringComparer.Ordinal),
            Quantity = B2BTrade.Domain.Catalog.Tonnes.Parse(terms.QuantityTonnes?.Value ?? "", F("quantity_tonnes")),
            UnitPrice = RequestParsing.OptionalCny(terms.UnitPrice, F("unit_price")),
            TaxIncluded = terms.TaxIncluded,
            // Unset means ex-works (the common case); a value outside the enum is refused, not read as ex-works.
            Delivery = terms.DeliveryBasis switch
            {
                DeliveryBasis.Delivered => DeliveryTerm.Delivered,
                DeliveryBasis.Unspecified or DeliveryBasis.ExWorks => DeliveryTerm.ExWorks,
                _ => throw Errors.InvalidField(F("delivery_basis"), "INVALID_ENUM", "Unknown delivery basis.", "未知的交货方式（出厂/到货）。"),
            },
            Services = [.. terms.Services.Select((s, i) => new Neg.ServiceCharge(
                (Neg.ServiceKind)(int)s.Kind,
                Cny.Parse(s.Amount?.CurrencyCode, s.Amount?.Amount, F($"services[{i}].amount")),
                (Neg.ChargeUnit)(int)s.Unit))],
            VolumeDiscounts = [.. terms.VolumeDiscounts.Select((d, i) => new Neg.VolumeDiscount(
                B2BTrade.Domain.Catalog.Tonnes.Parse(d.MinQuantityTonnes?.Value ?? "", F($"volume_discounts[{i}].min_quantity_tonnes")),
                Cny.Parse(d.DiscountPerTonne?.CurrencyCode, d.DiscountPerTonne?.Amount, F($"volume_discounts[{i}].discount_per_tonne"))))],
            DeliveryDate = Date(terms.DeliveryDate, F("delivery_date")),
            DeliveryPlace = terms.DeliveryPlace ?? "",
            Transport = terms.TransportMode == Protos.Negotiation.V1.TransportMode.Unspecified ? null : (Neg.TransportMode)(int)terms.TransportMode,
            QualityStandard = terms.QualityStandard ?? "",
            Payment = terms.Payment is null ? null : new Neg.PaymentTerms(
                RequestParsing.OptionalDecimal(terms.Payment.DepositPercent, F("payment.deposit_percent")) ?? 0m,
                (Neg.BalanceTiming)(int)terms.Payment.BalanceTiming,
                terms.Payment.BalanceDays),
            ValidUntil = Instant(terms.ValidUntil, F("valid_until")),
            Notes = terms.Notes ?? "",
        };
    }

    public static Protos.Negotiation.V1.Terms Terms(Neg.Terms t)
    {
        var proto = new Protos.Negotiation.V1.Terms
        {
            ProductName = t.ProductName,
            QuantityTonnes = new ProtoDecimal { Value = t.Quantity.ToString() },
            UnitPrice = t.UnitPrice is { } price ? ProtoMapping.Money(price) : null,
            TaxIncluded = t.TaxIncluded,
            DeliveryBasis = t.Delivery == DeliveryTerm.Delivered ? DeliveryBasis.Delivered : DeliveryBasis.ExWorks,
            DeliveryDate = t.DeliveryDate is { } d ? new ProtoDate { Year = d.Year, Month = d.Month, Day = d.Day } : null,
            DeliveryPlace = t.DeliveryPlace,
            TransportMode = t.Transport is { } mode ? (Protos.Negotiation.V1.TransportMode)(int)mode : Protos.Negotiation.V1.TransportMode.Unspecified,
            QualityStandard = t.QualityStandard,
            Payment = t.Payment is { } p ? new Protos.Negotiation.V1.PaymentTerms
            {
                DepositPercent = new ProtoDecimal { Value = p.DepositPercent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) },
                BalanceTiming = (Protos.Negotiation.V1.BalanceTiming)(int)p.BalanceTiming,
                BalanceDays = p.BalanceDays,
            } : null,
            ValidUntil = t.ValidUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            Notes = t.Notes,
        };
        proto.Attributes.Add(t.Attributes);
        proto.Services.AddRange(t.Services.Select(s => new Protos.Negotiation.V1.ServiceCharge
        {
            Kind = (Protos.Negotiation.V1.ServiceKind)(int)s.Kind,
            Amount = ProtoMapping.Money(s.Amount),
            Unit = (Protos.Negotiation.V1.ChargeUnit)(int)s.Unit,
        }));
        proto.VolumeDiscounts.AddRange(t.VolumeDiscounts.Select(v => new Protos.Negotiation.V1.VolumeDiscount
        {
            MinQuantityTonnes = new ProtoDecimal { Value = v.MinQuantity.ToString() },
            DiscountPerTonne = ProtoMapping.Money(v.DiscountPerTonne),
        }));
        return proto;
    }

    public static Totals? Totals(Neg.OfferTotals? t) => t is null ? null : new Totals
    {
        GoodsAmount = ProtoMapping.Money(t.Goods),
        DiscountAmount = ProtoMapping.Money(t.Discount),
        ServicesAmount = ProtoMapping.Money(t.Services),
        TotalAmount = ProtoMapping.Money(t.Total),
        EffectiveUnitPrice = ProtoMapping.Money(t.EffectiveUnitPrice),
        DepositAmount = ProtoMapping.Money(t.Deposit),
    };

    public static Protos.Negotiation.V1.Thread Thread(ThreadView view)
    {
        var s = view.State;
        var thread = new Protos.Negotiation.V1.Thread
        {
            ThreadId = s.ThreadId,
            RfqId = s.RfqId ?? "",
            BuyerEnterpriseId = s.Parties.BuyerEnterpriseId,
            BuyerName = s.Parties.BuyerName,
            SellerEnterpriseId = s.Parties.SellerEnterpriseId,
            SellerName = s.Parties.SellerName,
            ListingId = s.Parties.ListingId,
            CategoryId = s.Parties.CategoryId,
            Status = (Protos.Negotiation.V1.ThreadStatus)(int)view.Status,
            OpenQuoteVersion = view.Status == Neg.ThreadStatus.Quoted ? s.OpenQuoteVersion : 0,
            AgreedVersion = s.AgreedVersion,
            AcceptTime = s.AcceptedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            ClosingReason = s.ClosingReason,
            CallerSide = (Protos.Negotiation.V1.Side)(int)view.CallerSide,
            MessageCount = view.MessageCount,
            UnreadCount = view.UnreadCount,
            CounterpartyReadSequence = view.CounterpartyReadSequence,
            CreateTime = Timestamp.FromDateTimeOffset(s.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(s.UpdatedAt),
            OrderId = s.OrderId ?? "",
            Etag = s.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        thread.Offers.AddRange(s.Offers.Select(o => Offer(o, view.ExpiredVersions.Contains(o.Version))));
        return thread;
    }

    public static Protos.Negotiation.V1.Offer Offer(Neg.Offer o, bool expired) => new()
    {
        Version = o.Version,
        Kind = (Protos.Negotiation.V1.OfferKind)(int)o.Kind,
        AuthorSide = (Protos.Negotiation.V1.Side)(int)o.Author.Side,
        AuthorUserId = o.Author.UserId,
        AuthorName = o.Author.DisplayName,
        Terms = Terms(o.Terms),
        Totals = Totals(o.Totals),
        CreateTime = Timestamp.FromDateTimeOffset(o.CreatedAt),
        Expired = expired,
    };

    public static ThreadSummary Summary(ThreadListItem t) => new()
    {
        ThreadId = t.ThreadId,
        RfqId = t.RfqId ?? "",
        BuyerEnterpriseId = t.BuyerEnterpriseId,
        BuyerName = t.BuyerName,
        SellerEnterpriseId = t.SellerEnterpriseId,
        SellerName = t.SellerName,
        ProductName = t.ProductName,
        Status = (Protos.Negotiation.V1.ThreadStatus)(int)t.Status,
        QuantityTonnes = new ProtoDecimal { Value = t.QuantityTonnes },
        UnitPrice = t.UnitPrice is { } p ? new Protos.Common.V1.Money { CurrencyCode = Cny.CurrencyCode, Amount = p } : null,
        TotalAmount = t.TotalAmount is { } total ? new Protos.Common.V1.Money { CurrencyCode = Cny.CurrencyCode, Amount = total } : null,
        LatestVersion = t.LatestVersion,
        ValidUntil = t.ValidUntil is { } v ? Timestamp.FromDateTimeOffset(v) : null,
        UpdateTime = Timestamp.FromDateTimeOffset(t.UpdatedAt),
    };

    public static Rfq Rfq(RfqView view)
    {
        var rfq = new Rfq
        {
            RfqId = view.State.RfqId,
            BuyerEnterpriseId = view.State.BuyerEnterpriseId,
            Title = view.State.Title,
            RequestedTerms = Terms(view.State.RequestedTerms),
            AwardedThreadId = view.State.AwardedThreadId ?? "",
            CreateTime = Timestamp.FromDateTimeOffset(view.State.CreatedAt),
        };
        rfq.Rows.AddRange(view.Threads.Select(t =>
        {
            var quote = t.State.Offers.LastOrDefault(o => o.Kind == Neg.OfferKind.Quote);
            return new RfqQuoteRow
            {
                ThreadId = t.State.ThreadId,
                SellerEnterpriseId = t.State.Parties.SellerEnterpriseId,
                SellerName = t.State.Parties.SellerName,
                Status = (Protos.Negotiation.V1.ThreadStatus)(int)t.Status,
                Quote = quote is null ? null : Offer(quote, t.ExpiredVersions.Contains(quote.Version)),
            };
        }));
        return rfq;
    }

    public static Message Message(Neg.ChatMessage m)
    {
        var message = new Message
        {
            ThreadId = m.ThreadId,
            Sequence = m.Sequence,
            SenderUserId = m.Sender.UserId,
            SenderName = m.Sender.DisplayName,
            SenderSide = (Protos.Negotiation.V1.Side)(int)m.Sender.Side,
            Text = m.Text,
            SendTime = Timestamp.FromDateTimeOffset(m.SentAt),
            ClientMessageId = m.ClientMessageId,
        };
        if (m.Attachment is { } a)
        {
            message.Attachment = new MessageAttachment { FileId = a.FileId, Name = a.Name, ContentType = a.ContentType, SizeBytes = a.SizeBytes };
        }

        return message;
    }

    public static DateOnly? Date(ProtoDate? date, string field)
    {
        if (date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0))
        {
            return null;
        }

        return date.Year is >= 2000 and <= 2200 && date.Month is >= 1 and <= 12 && date.Day >= 1 && date.Day <= DateTime.DaysInMonth(date.Year, date.Month)
            ? new DateOnly(date.Year, date.Month, date.Day)
            : throw Errors.InvalidField(field, "INVALID_DATE", "Give a valid calendar date.", "请填写有效的日期。");
    }

    private static DateTimeOffset? Instant(Timestamp? at, string field)
    {
        if (at is null)
        {
            return null;
        }

        return at.Seconds is >= 946684800 and <= 7258118400 && at.Nanos is >= 0 and < 1_000_000_000
            ? at.ToDateTimeOffset()
            : throw Errors.InvalidField(field, "INVALID_TIME", "Give a valid time.", "请填写有效的时间。");
    }
}
