using System.Globalization;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Negotiation.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Common = B2BTrade.Protos.Common.V1;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Valid negotiation terms and the calls that set a thread up, retried like a client that survives failures.</summary>
internal static class Negotiations
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(45);

    /// <summary>A rebar listing of <paramref name="seller"/>; returns its id.</summary>
    public static async Task<string> ListingAsync(CatalogService.CatalogServiceClient catalog, Seller seller)
    {
        var request = new CreateListingRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SellerEnterpriseId = seller.EnterpriseId,
            Spec = Sellers.RebarSpec("螺纹钢 HRB400E Φ25", "HRB400E", "江苏", 3650m, 5000m),
        };
        return (await Transient.RetryAsync(d => catalog.CreateListingAsync(request, seller.Auth, d).ResponseAsync, s_budget)).Listing.ListingId;
    }

    /// <summary>Complete terms: 300 t delivered next week, 10% deposit; a unit price and validity when given (quotes need both).</summary>
    public static Terms Terms(decimal? unitPrice = null, DateTimeOffset? validUntil = null)
    {
        var delivery = DateTime.UtcNow.AddHours(8).Date.AddDays(7);
        var terms = new Terms
        {
            ProductName = "螺纹钢 HRB400E Φ25",
            Attributes = { ["grade"] = "HRB400E" },
            QuantityTonnes = new Common.Decimal { Value = "300.000" },
            TaxIncluded = true,
            DeliveryBasis = DeliveryBasis.Delivered,
            DeliveryDate = new Common.Date { Year = delivery.Year, Month = delivery.Month, Day = delivery.Day },
            DeliveryPlace = "上海市宝山区蕴川路 1000 号",
            TransportMode = TransportMode.Road,
            QualityStandard = "GB/T 1499.2-2018",
            Payment = new PaymentTerms { DepositPercent = new Common.Decimal { Value = "10" }, BalanceTiming = BalanceTiming.BeforeDelivery },
        };
        if (unitPrice is { } price)
        {
            terms.UnitPrice = new Common.Money { CurrencyCode = "CNY", Amount = price.ToString("0.00", CultureInfo.InvariantCulture) };
        }

        if (validUntil is { } until)
        {
            terms.ValidUntil = Timestamp.FromDateTimeOffset(until);
        }

        return terms;
    }

    /// <summary>An inquiry by <paramref name="buyer"/> on <paramref name="listingId"/> (the request id makes a retry idempotent).</summary>
    public static async Task<B2BTrade.Protos.Negotiation.V1.Thread> InquiryAsync(NegotiationService.NegotiationServiceClient negotiation, Seller buyer, string listingId)
    {
        var request = new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listingId, Terms = Terms(3600m) };
        return (await Transient.RetryAsync(d => negotiation.CreateInquiryAsync(request, buyer.Auth, d).ResponseAsync, s_budget)).Thread;
    }

    /// <summary>The ErrorInfo reason of a failed call ("" when there is none).</summary>
    public static string Reason(RpcException e) =>
        e.Trailers.GetValueBytes("grpc-status-details-bin") is { } bytes
            ? Google.Rpc.Status.Parser.ParseFrom(bytes).Details.Where(d => d.Is(Google.Rpc.ErrorInfo.Descriptor)).Select(d => d.Unpack<Google.Rpc.ErrorInfo>().Reason).FirstOrDefault() ?? ""
            : "";
}
