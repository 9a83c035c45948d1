using System.Collections.Immutable;
using System.Globalization;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.Protos.Order.V1;
using B2BTrade.Silo.ReadModel;
using Google.Protobuf.WellKnownTypes;
using Contract = B2BTrade.Domain.Contracts;
using Ord = B2BTrade.Domain.Orders;
using Neg = B2BTrade.Domain.Negotiation;
using ProtoContract = B2BTrade.Protos.Contract.V1;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;

namespace B2BTrade.GrpcApi.Mapping;

/// <summary>Order, cart and contract requests to domain commands (bad fields named by their request path) and domain state to protos.</summary>
public static class OrderMapping
{
    public static PlaceOrder Place(string buyerEnterpriseId, OrderSource? source, OrderDetails? details, Protos.Common.V1.Money? expectedTotal)
    {
        if (source is null || source.SourceCase == OrderSource.SourceOneofCase.None)
        {
            throw Errors.InvalidField("source", "REQUIRED", "Order from a negotiation (thread_id) or from listing lines.", "请选择下单来源（询盘或商品）。");
        }

        string? threadId = null;
        var lines = ImmutableList<OrderLineRequest>.Empty;
        if (source.SourceCase == OrderSource.SourceOneofCase.ThreadId)
        {
            threadId = RequestParsing.Id(source.ThreadId, "thr", "source.thread_id");
        }
        else
        {
            if (source.Lines.Lines.Count > Ord.OrderRules.MaxLines)
            {
                throw Errors.InvalidField("source.lines.lines", "TOO_MANY", $"At most {Ord.OrderRules.MaxLines} lines.", $"最多 {Ord.OrderRules.MaxLines} 行。");
            }

            lines = [.. source.Lines.Lines.Select((l, i) => new OrderLineRequest(
                RequestParsing.Id(l.ListingId, "lst", $"source.lines.lines[{i}].listing_id"),
                CatalogMapping.Tonnes(l.QuantityTonnes, $"source.lines.lines[{i}].quantity_tonnes")))];
        }

        return new PlaceOrder(buyerEnterpriseId, threadId, lines, Details(details), RequestParsing.OptionalCny(expectedTotal, "expected_total"));
    }

    private static OrderDetailsRequest Details(OrderDetails? d)
    {
        d ??= new OrderDetails();
        var address = d.DeliveryAddress is { } a
            ? new Ord.DeliveryAddress(a.Province ?? "", a.City ?? "", a.District ?? "", a.Street ?? "", a.ContactName ?? "", a.ContactPhone ?? "")
            : null;
        var invoice = d.Invoice is { } i
            ? new Ord.InvoiceDetails(i.Title ?? "", i.TaxNumber ?? "", i.BankName ?? "", i.BankAccount ?? "", i.Address ?? "", i.Phone ?? "")
            : null;
        return new OrderDetailsRequest(
            NegotiationMapping.Date(d.DeliveryDate, "details.delivery_date"),
            address,
            d.TransportMode == Protos.Negotiation.V1.TransportMode.Unspecified ? null : RequestParsing.Enum<Neg.TransportMode>((int)d.TransportMode, "details.transport_mode"),
            d.FreightBearer == Protos.Order.V1.FreightBearer.Unspecified ? null : RequestParsing.Enum<Ord.FreightBearer>((int)d.FreightBearer, "details.freight_bearer"),
            invoice,
            d.Remarks);
    }

    public static Order Order(Ord.OrderState s, bool english)
    {
        var order = new Order
        {
            OrderId = s.OrderId,
            Status = (Protos.Order.V1.OrderStatus)(int)s.Status,
            BuyerEnterpriseId = s.BuyerEnterpriseId,
            BuyerName = s.BuyerName,
            SellerEnterpriseId = s.SellerEnterpriseId,
            SellerName = s.SellerName,
            ThreadId = s.ThreadId ?? "",
            TermsVersion = s.TermsVersion ?? 0,
            Details = Details(s.Details),
            Price = Price(s.Price, english),
            QualityStandard = s.QualityStandard,
            PlacedByUserId = s.PlacedByUserId,
            PlacedByName = s.PlacedByName,
            CreatedAt = Timestamp.FromDateTimeOffset(s.CreatedAt),
            ConfirmBy = s.IsOpen ? Timestamp.FromDateTimeOffset(s.ConfirmBy) : null,
            ContractId = s.ContractId ?? "",
            Etag = s.History.Count.ToString(CultureInfo.InvariantCulture),
        };
        order.History.AddRange(s.History.Select(e => new OrderEvent
        {
            Status = (Protos.Order.V1.OrderStatus)(int)e.Status,
            At = Timestamp.FromDateTimeOffset(e.At),
            ActorUserId = e.ActorUserId,
            ActorName = e.ActorName,
            Comment = e.Comment,
        }));
        return order;
    }

    public static OrderDetails Details(Domain.Orders.OrderDetails d) => new()
    {
        DeliveryDate = new Protos.Common.V1.Date { Year = d.DeliveryDate.Year, Month = d.DeliveryDate.Month, Day = d.DeliveryDate.Day },
        DeliveryAddress = new Protos.Order.V1.DeliveryAddress
        {
            Province = d.Address.Province, City = d.Address.City, District = d.Address.District, Street = d.Address.Street,
            ContactName = d.Address.ContactName, ContactPhone = d.Address.ContactPhone,
        },
        TransportMode = (Protos.Negotiation.V1.TransportMode)(int)d.Transport,
        FreightBearer = (Protos.Order.V1.FreightBearer)(int)d.FreightBearer,
        Invoice = new Protos.Order.V1.InvoiceDetails
        {
            Title = d.Invoice.Title, TaxNumber = d.Invoice.TaxNumber, BankName = d.Invoice.BankName, BankAccount = d.Invoice.BankAccount,
            Address = d.Invoice.Address, Phone = d.Invoice.Phone,
        },
        Remarks = d.Remarks,
    };

    public static Protos.Order.V1.PriceBreakdown Price(Domain.Orders.PriceBreakdown p, bool english)
    {
        var proto = new Protos.Order.V1.PriceBreakdown
        {
            AmountExcludingTax = ProtoMapping.Money(p.AmountExcludingTax),
            TaxAmount = ProtoMapping.Money(p.TaxAmount),
            TotalAmount = ProtoMapping.Money(p.Total),
            TotalInWords = p.TotalInWords,
            DepositAmount = ProtoMapping.Money(p.DepositAmount),
            Payment = new Protos.Negotiation.V1.PaymentTerms
            {
                DepositPercent = new ProtoDecimal { Value = p.Payment.DepositPercent.ToString("0.##", CultureInfo.InvariantCulture) },
                BalanceTiming = (Protos.Negotiation.V1.BalanceTiming)(int)p.Payment.BalanceTiming,
                BalanceDays = p.Payment.BalanceDays,
            },
            FreightBearer = (Protos.Order.V1.FreightBearer)(int)p.FreightBearer,
        };
        proto.Lines.AddRange(p.Lines.Select(l =>
        {
            var line = new OrderLine
            {
                ListingId = l.ListingId ?? "",
                ProductName = l.ProductName,
                QuantityTonnes = new ProtoDecimal { Value = l.Quantity.ToString() },
                UnitPrice = ProtoMapping.Money(l.UnitPrice),
                Amount = ProtoMapping.Money(l.Amount),
                VatRatePercent = new ProtoDecimal { Value = l.VatRatePercent.ToString("0.##", CultureInfo.InvariantCulture) },
            };
            line.Attributes.Add(l.Attributes);
            return line;
        }));
        proto.Items.AddRange(p.Items.Select(i => new Protos.Order.V1.PriceItem
        {
            Kind = (Protos.Order.V1.PriceItemKind)(int)i.Kind,
            Label = english ? i.LabelEn : i.LabelZh,
            Basis = english ? i.BasisEn : i.BasisZh,
            Amount = ProtoMapping.Money(i.Amount),
        }));
        return proto;
    }

    public static OrderSummary Summary(OrderRow r) => new()
    {
        OrderId = r.OrderId,
        Status = (Protos.Order.V1.OrderStatus)r.Status,
        BuyerEnterpriseId = r.BuyerEnterpriseId,
        BuyerName = r.BuyerName,
        SellerEnterpriseId = r.SellerEnterpriseId,
        SellerName = r.SellerName,
        ProductSummary = r.ProductSummary,
        QuantityTonnes = new ProtoDecimal { Value = r.QuantityTonnes },
        TotalAmount = new Protos.Common.V1.Money { CurrencyCode = Cny.CurrencyCode, Amount = r.TotalAmount },
        CreatedAt = Timestamp.FromDateTimeOffset(r.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(r.UpdatedAt),
        PlacedByName = r.PlacedByName,
    };

    public static ImmutableList<Domain.Orders.FreightRule> FreightRules(IEnumerable<Protos.Order.V1.FreightRule> rules) =>
        [.. rules.Select((r, i) =>
        {
            var field = $"rules[{i}]";
            return new Domain.Orders.FreightRule(
                r.DestinationProvince ?? "",
                r.ChargeCase == Protos.Order.V1.FreightRule.ChargeOneofCase.PerTonne ? Cny.Parse(r.PerTonne.CurrencyCode, r.PerTonne.Amount, field + ".per_tonne") : null,
                r.ChargeCase == Protos.Order.V1.FreightRule.ChargeOneofCase.PerTonneKm ? Rate(r.PerTonneKm.Rate, field + ".per_tonne_km.rate") : null,
                r.ChargeCase == Protos.Order.V1.FreightRule.ChargeOneofCase.PerTonneKm ? r.PerTonneKm.DistanceKm : null,
                RequestParsing.OptionalCny(r.LoadingPerTonne, field + ".loading_per_tonne"),
                [.. r.TransportModes.Select((m, j) => RequestParsing.Enum<Neg.TransportMode>((int)m, $"{field}.transport_modes[{j}]"))]);
        })];

    public static Protos.Order.V1.FreightRule FreightRule(Domain.Orders.FreightRule r)
    {
        var proto = new Protos.Order.V1.FreightRule { DestinationProvince = r.DestinationProvince };
        if (r.PerTonne is { } perTonne)
        {
            proto.PerTonne = ProtoMapping.Money(perTonne);
        }
        else if (r.PerTonneKmRate is { } rate)
        {
            proto.PerTonneKm = new PerTonneKm
            {
                Rate = new Protos.Common.V1.Money { CurrencyCode = Cny.CurrencyCode, Amount = rate.ToString("0.00##", CultureInfo.InvariantCulture) },
                DistanceKm = r.DistanceKm ?? 0,
            };
        }

        if (r.LoadingPerTonne is { } loading)
        {
            proto.LoadingPerTonne = ProtoMapping.Money(loading);
        }

        proto.TransportModes.AddRange(r.TransportModes.Select(m => (Protos.Negotiation.V1.TransportMode)(int)m));
        return proto;
    }

    /// <summary>A per tonne-km rate: up to 4 decimals (¥0.3333), unlike amounts; the domain checks the range.</summary>
    private static decimal? Rate(Protos.Common.V1.Money? money, string field)
    {
        if (money is null || string.IsNullOrEmpty(money.Amount))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(money.CurrencyCode) && money.CurrencyCode != Cny.CurrencyCode)
        {
            throw Errors.InvalidField(field + ".currency_code", "UNSUPPORTED_CURRENCY", "Only CNY is supported.", "仅支持人民币（CNY）。");
        }

        return decimal.TryParse(money.Amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Errors.InvalidField(field + ".amount", "INVALID_DECIMAL", "The rate must be a decimal number such as 0.35.", "费率须为数字，如 0.35。");
    }

    public static ProtoContract.Contract Contract(Contract.ContractState s)
    {
        var f = s.Facts;
        var proto = new ProtoContract.Contract
        {
            ContractId = s.ContractId,
            ContractNumber = f.ContractNumber,
            OrderId = s.OrderId,
            Status = (ProtoContract.ContractStatus)(int)s.Status,
            Buyer = Party(f.Buyer),
            Seller = Party(f.Seller),
            TotalAmount = ProtoMapping.Money(f.TotalAmount),
            TotalInWords = f.TotalInWords,
            DocumentSha256 = s.DocumentSha256,
            DocumentSize = s.DocumentSize,
            CreatedAt = Timestamp.FromDateTimeOffset(s.CreatedAt),
            EffectiveAt = s.EffectiveAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        };
        proto.Goods.AddRange(f.Goods.Select(g => new ProtoContract.ContractGoodsLine
        {
            LineNumber = g.LineNumber,
            ProductName = g.ProductName,
            Specification = g.Specification,
            QuantityTonnes = new ProtoDecimal { Value = g.Quantity.ToString() },
            UnitPrice = ProtoMapping.Money(g.UnitPrice),
            Amount = ProtoMapping.Money(g.Amount),
            VatRatePercent = new ProtoDecimal { Value = g.VatRatePercent.ToString("0.##", CultureInfo.InvariantCulture) },
        }));
        proto.Clauses.AddRange(s.Content.Clauses.Select(c => new ProtoContract.ContractClause { Number = c.Number, Heading = c.Heading, Text = c.Text }));
        proto.Signatures.AddRange(s.Signatures.Select(Signature));
        return proto;
    }

    public static ProtoContract.ContractSignature Signature(Contract.SignatureRecord r) => new()
    {
        EnterpriseId = r.EnterpriseId,
        BuyerSide = r.BuyerSide,
        SignerUserId = r.SignerUserId,
        SignerName = r.SignerName,
        KeyId = r.KeyId,
        PublicKey = Google.Protobuf.ByteString.CopyFrom(r.PublicKey),
        DocumentSha256 = r.DocumentSha256,
        SignedAt = Timestamp.FromDateTimeOffset(r.SignedAt),
        Signature = Google.Protobuf.ByteString.CopyFrom(r.Signature),
        TimestampToken = Google.Protobuf.ByteString.CopyFrom(r.TimestampToken),
    };

    public static ProtoContract.ContractSummary Summary(ContractRow r) => new()
    {
        ContractId = r.ContractId,
        ContractNumber = r.ContractNumber,
        OrderId = r.OrderId,
        Status = (ProtoContract.ContractStatus)r.Status,
        BuyerName = r.BuyerName,
        SellerName = r.SellerName,
        TotalAmount = new Protos.Common.V1.Money { CurrencyCode = Cny.CurrencyCode, Amount = r.TotalAmount },
        CreatedAt = Timestamp.FromDateTimeOffset(r.CreatedAt),
    };

    private static ProtoContract.ContractParty Party(Contract.ContractParty p) => new()
    {
        EnterpriseId = p.EnterpriseId,
        LegalName = p.LegalName,
        CreditCode = p.CreditCode,
        LegalRepresentative = p.LegalRepresentative,
        Address = p.Address,
        ContactName = p.ContactName,
        ContactPhone = p.ContactPhone,
        BankName = p.BankName,
        BankAccountName = p.BankAccountName,
        BankAccountNumber = p.BankAccountNumber,
    };
}
