using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Tests.Negotiation;

/// <summary>Terms and parties shared by the negotiation domain tests; time is an explicit instant.</summary>
internal static class NegotiationFixtures
{
    /// <summary>2025-03-14 10:00 UTC = 18:00 China time.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 10, 0, 0, TimeSpan.Zero);

    public static readonly Participant Buyer = new("u_buyer001", "采购 王", Side.Buyer);
    public static readonly Participant Seller = new("u_sales001", "销售 李", Side.Seller);

    public static readonly ThreadParties Parties = new("e_buyer01", "买方公司", "e_seller01", "卖方公司", "l_rebar001", "steel.rebar");

    public static Tonnes T(string text) => Tonnes.Parse(text, "q");

    public static Terms Inquiry => new()
    {
        ProductName = "HRB400E 螺纹钢 Φ25",
        Quantity = T("100"),
        DeliveryDate = new DateOnly(2025, 4, 1),
        DeliveryPlace = "上海宝山",
        Transport = TransportMode.Road,
    };

    public static Terms Quote(decimal price = 3650m, DateTimeOffset? validUntil = null) => Inquiry with
    {
        UnitPrice = price,
        Payment = new PaymentTerms(10m, BalanceTiming.BeforeDelivery),
        ValidUntil = validUntil ?? T0.AddDays(3),
    };

    public static DomainException Invalid(Action act)
    {
        var error = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        return error;
    }

    public static string[] Fields(DomainException error) => [.. error.Violations.Select(v => v.Field)];
}
