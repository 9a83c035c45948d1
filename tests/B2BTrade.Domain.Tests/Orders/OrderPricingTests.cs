using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Domain.Orders;

namespace B2BTrade.Domain.Tests.Orders;

public class OrderPricingTests
{
    private static readonly ImmutableSortedDictionary<string, string> Spec =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal).Add("牌号", "HRB400E").Add("直径", "Φ25");

    private static readonly PaymentTerms NoDeposit = new(0m, BalanceTiming.BeforeDelivery);

    private static Tonnes T(string text) => Tonnes.Parse(text, "q");

    private static PricingLine Rebar(string tonnes, decimal price, decimal vat = 13m) => new("l_rebar001", "螺纹钢 HRB400E Φ25", Spec, T(tonnes), price, vat);

    private static PricingRequest ExWorks(params PricingLine[] lines) => new()
    {
        Lines = lines,
        PricesIncludeTax = true,
        PriceBasis = DeliveryTerm.ExWorks,
        RequestedBearer = FreightBearer.BuyerCollects,
        Payment = NoDeposit,
    };

    [Fact]
    public void RebarExWorksWithPerTonneFreightAndLoadingToJiangsu()
    {
        var request = ExWorks(Rebar("300", 4050m)) with
        {
            RequestedBearer = FreightBearer.Buyer,
            Freight = new FreightRule("江苏省", 45m, null, null, 5m, []),
            DestinationProvince = "江苏省",
            Payment = new PaymentTerms(10m, BalanceTiming.OnDelivery),
        };

        var price = OrderPricing.Price(request);

        Assert.Equal(
            [
                new PriceItem(PriceItemKind.Goods, "货款", "Goods", "300.000 吨 × ¥4,050.00/吨", "300.000 t × ¥4,050.00/t", 1_215_000.00m),
                new PriceItem(PriceItemKind.Freight, "运费", "Freight", "300.000 吨 × ¥45.00/吨（江苏省）", "300.000 t × ¥45.00/t (江苏省)", 13_500.00m),
                new PriceItem(PriceItemKind.Loading, "装卸费", "Loading", "300.000 吨 × ¥5.00/吨", "300.000 t × ¥5.00/t", 1_500.00m),
            ],
            price.Items);
        var line = Assert.Single(price.Lines);
        Assert.Equal(new PricedLine("l_rebar001", "螺纹钢 HRB400E Φ25", Spec, T("300"), 4050m, 1_215_000.00m, 13m), line);
        Assert.Equal(1_230_000.00m, price.Total);

        // 1,230,000 × 13 / 113 = 141,504.4247… → 141,504.42
        Assert.Equal(141_504.42m, price.TaxAmount);
        Assert.Equal(1_088_495.58m, price.AmountExcludingTax);
        Assert.Equal(123_000.00m, price.DepositAmount);
        Assert.Equal("壹佰贰拾叁万元整", price.TotalInWords);
        Assert.Equal(FreightBearer.Buyer, price.FreightBearer);
        Assert.True(price.PricesIncludeTax);
        Assert.Equal(request.Payment, price.Payment);
    }

    [Fact]
    public void DeliveredPriceHasNoFreightFromRulesButKeepsAgreedServices()
    {
        var request = ExWorks(Rebar("300", 4100m)) with
        {
            PriceBasis = DeliveryTerm.Delivered,
            RequestedBearer = FreightBearer.Buyer,
            Freight = new FreightRule("江苏省", 45m, null, null, 5m, []),
            DestinationProvince = "江苏省",
            AgreedServices = [new ServiceCharge(ServiceKind.Storage, 800m, ChargeUnit.LumpSum)],
        };

        var price = OrderPricing.Price(request);

        Assert.Equal(FreightBearer.Seller, price.FreightBearer);
        Assert.Equal([PriceItemKind.Goods, PriceItemKind.Service], price.Items.Select(i => i.Kind));
        Assert.Equal(new PriceItem(PriceItemKind.Service, "仓储费", "Storage", "议定一口价 ¥800.00", "agreed lump sum ¥800.00", 800m), price.Items[1]);
        Assert.Equal(1_230_800.00m, price.Total);

        // 1,230,800 × 13 / 113 = 141,596.460… → 141,596.46
        Assert.Equal(141_596.46m, price.TaxAmount);
        Assert.Equal(1_089_203.54m, price.AmountExcludingTax);
        Assert.Equal("壹佰贰拾叁万零捌佰元整", price.TotalInWords);
    }

    [Fact]
    public void TonneKmFreightIsRoundedOnceOverTheWholeProduct()
    {
        var request = ExWorks(Rebar("10.001", 4000m)) with
        {
            RequestedBearer = FreightBearer.Buyer,
            Freight = new FreightRule("*", null, 0.3333m, 333, null, []),
            DestinationProvince = "浙江省",
        };

        var price = OrderPricing.Price(request);

        // 10.001 × 333 × 0.3333 = 1109.9999889 → 1110.00 (rounding the per-tonne price first would give 1110.01).
        var freight = Assert.Single(price.Items, i => i.Kind == PriceItemKind.Freight);
        Assert.Equal(1_110.00m, freight.Amount);
        Assert.Equal("10.001 吨 × 333 公里 × ¥0.3333/吨·公里", freight.BasisZh);
        Assert.Equal("10.001 t × 333 km × ¥0.3333/t·km", freight.BasisEn);
        Assert.Equal(40_004.00m + 1_110.00m, price.Total);
        Assert.DoesNotContain(price.Items, i => i.Kind == PriceItemKind.Loading);
    }

    [Fact]
    public void TonneKmBasisShowsThousandsAndTwoDecimalRates()
    {
        var request = ExWorks(Rebar("300", 4050m)) with
        {
            RequestedBearer = FreightBearer.Buyer,
            Freight = new FreightRule("*", null, 0.35m, 1200, null, []),
        };

        var freight = Assert.Single(OrderPricing.Price(request).Items, i => i.Kind == PriceItemKind.Freight);

        Assert.Equal("300.000 吨 × 1,200 公里 × ¥0.35/吨·公里", freight.BasisZh);
        Assert.Equal(126_000.00m, freight.Amount);
    }

    [Fact]
    public void VolumeDiscountIsOneNegativeItemOverAllTonnes()
    {
        var request = ExWorks(Rebar("600", 3650m)) with { DiscountPerTonne = 20m };

        var price = OrderPricing.Price(request);

        var discount = Assert.Single(price.Items, i => i.Kind == PriceItemKind.Discount);
        Assert.Equal(-12_000.00m, discount.Amount);
        Assert.Equal("600.000 吨 × ¥20.00/吨", discount.BasisZh);
        Assert.Equal(2_178_000.00m, price.Total);

        // 2,178,000 × 13 / 113 = 250,566.3716… → 250,566.37
        Assert.Equal(250_566.37m, price.TaxAmount);
        Assert.Equal(FreightBearer.BuyerCollects, price.FreightBearer);
        Assert.DoesNotContain(price.Items, i => i.Kind == PriceItemKind.Freight);
    }

    [Fact]
    public void PricesExcludingTaxAddVatOnTop()
    {
        var request = ExWorks(Rebar("100", 3500m)) with
        {
            PricesIncludeTax = false,
            RequestedBearer = FreightBearer.Buyer,
            Freight = new FreightRule("*", 40m, null, null, null, []),
            DestinationProvince = "安徽省",
            Payment = new PaymentTerms(20m, BalanceTiming.AfterDelivery, 30),
        };

        var price = OrderPricing.Price(request);

        // Items 350,000 + 4,000 excluding tax; VAT 13% = 46,020.00.
        Assert.Equal([350_000.00m, 4_000.00m], price.Items.Select(i => i.Amount));
        Assert.Equal("100.000 吨 × ¥40.00/吨（安徽省）", price.Items[1].BasisZh);
        Assert.Equal(46_020.00m, price.TaxAmount);
        Assert.Equal(400_020.00m, price.Total);
        Assert.Equal(354_000.00m, price.AmountExcludingTax);
        Assert.Equal(80_004.00m, price.DepositAmount);
        Assert.Equal("肆拾万零贰拾元整", price.TotalInWords);
        Assert.False(price.PricesIncludeTax);
    }

    [Fact]
    public void TwoVatRatesAreTaxedSeparatelyAndServicesFollowTheLargestGoodsLine()
    {
        var steel = Rebar("100", 3650m, 13m);
        var corn = new PricingLine(null, "玉米 二等", ImmutableSortedDictionary<string, string>.Empty, T("200"), 2800m, 9m);
        var request = ExWorks(steel, corn) with
        {
            RequestedBearer = FreightBearer.Buyer,
            AgreedServices = [new ServiceCharge(ServiceKind.Freight, 30m, ChargeUnit.PerTonne)],
        };

        var price = OrderPricing.Price(request);

        // Goods 365,000 @13% and 560,000 @9%; agreed freight 300 t × 30 = 9,000 goes with the corn (the larger line).
        // 365,000 × 13/113 = 41,991.150… → 41,991.15; 569,000 × 9/109 = 46,981.651… → 46,981.65.
        Assert.Equal(new PriceItem(PriceItemKind.Freight, "运费", "Freight", "300.000 吨 × ¥30.00/吨（议定）", "300.000 t × ¥30.00/t (agreed)", 9_000m), price.Items[2]);
        Assert.Equal(934_000.00m, price.Total);
        Assert.Equal(88_972.80m, price.TaxAmount);
        Assert.Equal(845_027.20m, price.AmountExcludingTax);
        Assert.Equal([13m, 9m], price.Lines.Select(l => l.VatRatePercent));
    }

    [Fact]
    public void AnAgreedFreightServiceReplacesTheRulesAndAnAgreedLoadingReplacesTheRulesLoading()
    {
        var rule = new FreightRule("*", 45m, null, null, 5m, []);
        var agreedFreight = ExWorks(Rebar("10", 4000m)) with
        {
            RequestedBearer = FreightBearer.Buyer,
            Freight = rule,
            AgreedServices = [new ServiceCharge(ServiceKind.Freight, 500m, ChargeUnit.LumpSum)],
        };
        var agreedLoading = agreedFreight with { AgreedServices = [new ServiceCharge(ServiceKind.Loading, 3m, ChargeUnit.PerTonne)] };

        var a = OrderPricing.Price(agreedFreight);
        var b = OrderPricing.Price(agreedLoading);

        Assert.Equal([(PriceItemKind.Goods, 40_000m), (PriceItemKind.Freight, 500m)], a.Items.Select(i => (i.Kind, i.Amount)));
        Assert.Equal([(PriceItemKind.Goods, 40_000m), (PriceItemKind.Loading, 30m), (PriceItemKind.Freight, 450m)], b.Items.Select(i => (i.Kind, i.Amount)));
        Assert.Null(OrderPricing.Price(agreedFreight with { Freight = null }).Items.SingleOrDefault(i => i.Kind == PriceItemKind.Loading));
    }

    [Fact]
    public void AmountsRoundHalfUpAtExactlyHalfAFen()
    {
        // Goods 1.001 t × 5.00 = 5.005 → 5.01 (banker's rounding would give 5.00).
        Assert.Equal(5.01m, OrderPricing.Price(ExWorks(Rebar("1.001", 5m))).Total);

        // Tax excluded: 100.50 × 13% = 13.065 → 13.07 (banker's: 13.06).
        var price = OrderPricing.Price(ExWorks(Rebar("1", 100.50m)) with { PricesIncludeTax = false });
        Assert.Equal(13.07m, price.TaxAmount);
        Assert.Equal(113.57m, price.Total);

        // Deposit 12.5% of 100.04 = 12.505 → 12.51.
        Assert.Equal(12.51m, OrderPricing.Price(ExWorks(Rebar("1", 100.04m)) with { Payment = new PaymentTerms(12.5m, BalanceTiming.OnDelivery) }).DepositAmount);
    }

    [Fact]
    public void OneKilogramLinesArePricedToTheFen()
    {
        var price = OrderPricing.Price(ExWorks(Rebar("0.001", 4050m), Rebar("0.001", 3.33m)));

        // 0.001 × 4050 = 4.05; 0.001 × 3.33 = 0.00333 → 0.00; tax 4.05 × 13/113 = 0.4659… → 0.47.
        Assert.Equal([4.05m, 0.00m], price.Lines.Select(l => l.Amount));
        Assert.Equal("0.001 吨 × ¥4,050.00/吨", price.Items[0].BasisZh);
        Assert.Equal(4.05m, price.Total);
        Assert.Equal(0.47m, price.TaxAmount);
        Assert.Equal(3.58m, price.AmountExcludingTax);
        Assert.Equal("肆元零伍分", price.TotalInWords);
    }

    [Fact]
    public void BuyerPaidFreightWithoutARuleIsAPreconditionFailure()
    {
        var error = Assert.Throws<DomainException>(() => OrderPricing.Price(ExWorks(Rebar("300", 4050m)) with { RequestedBearer = FreightBearer.Buyer, DestinationProvince = "西藏自治区" }));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("NO_FREIGHT_RULE", error.Reason);
    }

    [Fact]
    public void SellerPaidFreightOnAnExWorksPriceIsRefusedOnTheFreightBearerField()
    {
        var error = Assert.Throws<DomainException>(() => OrderPricing.Price(ExWorks(Rebar("300", 4050m)) with { RequestedBearer = FreightBearer.Seller }));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("FREIGHT_BEARER_MISMATCH", error.Reason);
        Assert.Equal("details.freight_bearer", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void ATotalOfZeroOrLessIsRefused()
    {
        var error = Assert.Throws<DomainException>(() => OrderPricing.Price(ExWorks(Rebar("1", 10m)) with { DiscountPerTonne = 10m }));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("NON_POSITIVE_TOTAL", error.Reason);
    }

    [Fact]
    public void LinesAreOneToFiftyWithPositiveQuantities()
    {
        Assert.Equal("source.lines.lines", Assert.Single(Assert.Throws<DomainException>(() => OrderPricing.Price(ExWorks())).Violations).Field);
        var tooMany = Assert.Throws<DomainException>(() => OrderPricing.Price(ExWorks([.. Enumerable.Repeat(Rebar("1", 10m), 51)])));
        Assert.Equal("TOO_MANY", tooMany.Reason);
        Assert.Equal(50, OrderPricing.Price(ExWorks([.. Enumerable.Repeat(Rebar("1", 10m), 50)])).Lines.Count);

        var zero = Assert.Throws<DomainException>(() => OrderPricing.Price(ExWorks(Rebar("1", 10m), Rebar("0", 10m))));
        Assert.Equal(("source.lines.lines[1].quantity_tonnes", "MUST_BE_POSITIVE"), (zero.Violations[0].Field, zero.Violations[0].Reason));
    }
}
