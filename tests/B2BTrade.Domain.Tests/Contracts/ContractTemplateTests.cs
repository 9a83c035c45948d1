using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Contracts;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Tests.Contracts;

public class ContractTemplateTests
{
    internal static ContractFacts Facts() => new()
    {
        ContractNumber = "B2B-20261206-000123",
        OrderId = "ord_01JEXAMPLE",
        Buyer = new ContractParty(
            "ent_buyer", "上海宝建建设工程有限公司", "91310113MA1GL1234X", "王建国", "上海市宝山区蕴川路 1888 号",
            "李明", "13800138000", "中国工商银行上海宝山支行", "上海宝建建设工程有限公司", "1001 2345 6789 0123 456"),
        Seller = new ContractParty(
            "ent_seller", "江苏沙钢物资贸易有限公司", "91320582MA1MX5678Y", "张钢", "江苏省张家港市锦丰镇沙钢大厦",
            "赵强", "13912345678", "中国银行张家港分行", "江苏沙钢物资贸易有限公司", "4658 7012 3456"),
        Goods =
        [
            new ContractGoodsLine(1, "螺纹钢", "HRB400E Φ20 12m", Tonnes.Of(25.5m, "q"), 3850m, 98175m, 13m),
            new ContractGoodsLine(2, "螺纹钢", "HRB400E Φ25 12m", Tonnes.Of(30.125m, "q"), 3820m, 115077.5m, 13m),
        ],
        Fees =
        [
            new ContractFee("货款", 213252.5m),
            new ContractFee("运费", 3893.75m),
            new ContractFee("优惠", -1112.5m),
        ],
        TotalAmount = 216033.75m,
        TotalInWords = "贰拾壹万陆仟零叁拾叁元柒角伍分",
        TaxAmount = 24853.88m,
        Payment = new PaymentTerms(20m, BalanceTiming.AfterDelivery, 15),
        DepositAmount = 43206.75m,
        DeliveryDate = new DateOnly(2026, 12, 6),
        DeliveryPlace = "上海市上海市宝山区蕴川路1号（收货人 张三 13800138000）",
        Transport = TransportMode.Road,
        SellerBearsFreight = true,
        QualityStandard = "GB/T 1499.2-2024",
        WeightBasis = WeightBasis.Weighed,
        WeighbridgeTolerancePercent = 0.3m,
        InspectionDays = 7,
        InvoiceTitle = "上海宝建建设工程有限公司",
        InvoiceTaxNumber = "91310113MA1GL1234X",
        InvoiceBank = "中国工商银行上海宝山支行",
        InvoiceBankAccount = "1001234567890123456",
        InvoiceAddressPhone = "上海市宝山区蕴川路 1888 号 021-56781234",
        ContractDate = new DateOnly(2026, 11, 20),
    };

    private static string Clause(ContractContent content, string heading) =>
        Assert.Single(content.Clauses, c => c.Heading == heading).Text;

    private static string AllText(ContractContent content) => string.Join("\n", content.Clauses.Select(c => c.Heading + "\n" + c.Text));

    [Fact]
    public void ClausesCoverEveryCivilCodeArticle470ElementAndTheTradeClausesInOrder()
    {
        var content = ContractTemplate.Compose(Facts());

        Assert.Equal(
            ["标的、数量及价款", "质量标准", "交货时间、地点及方式", "计量方式及磅差", "包装标准", "验收方式", "付款方式", "发票", "违约责任", "不可抗力", "争议解决", "合同生效"],
            content.Clauses.Select(c => c.Heading));
        Assert.All(content.Clauses, c => Assert.False(string.IsNullOrWhiteSpace(c.Text)));
    }

    [Fact]
    public void ClausesAreNumberedConsecutivelyInChinese()
    {
        var content = ContractTemplate.Compose(Facts() with { Remarks = "钢材须带钢厂原始标牌。" });

        Assert.Equal(
            ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条", "第九条", "第十条", "第十一条", "第十二条", "第十三条"],
            content.Clauses.Select(c => c.Number));
        Assert.Equal("第二十一条", ContractTemplate.ArticleNumber(21));
        Assert.Equal("第二十条", ContractTemplate.ArticleNumber(20));
    }

    [Fact]
    public void SubjectClauseStatesTotalInFiguresAndWordsTaxQuantityAndFees()
    {
        var text = Clause(ContractTemplate.Compose(Facts()), "标的、数量及价款");

        Assert.Contains("货物明细表", text);
        Assert.Contains("货物总数量 55.625 吨", text);
        Assert.Contains("合同总金额（含税）人民币 ¥216,033.75（大写：人民币贰拾壹万陆仟零叁拾叁元柒角伍分）", text);
        Assert.Contains("增值税税额 ¥24,853.88", text);
        Assert.Contains("货款 ¥213,252.50；运费 ¥3,893.75；优惠 -¥1,112.50", text);
        Assert.Contains("含税到货价", text);
    }

    [Fact]
    public void QualityClauseNamesTheStandardAndTheObjectionPeriod()
    {
        var text = Clause(ContractTemplate.Compose(Facts() with { InspectionDays = 10, QualityStandard = "GB/T 1499.2-2024 热轧带肋钢筋" }), "质量标准");

        Assert.Contains("执行 GB/T 1499.2-2024 热轧带肋钢筋", text);
        Assert.Contains("到达交货地点之日起 10 日内", text);
    }

    [Fact]
    public void DeliveredContractPutsFreightOnTheSellerAndRiskAtHandoverAtTheDeliveryPlace()
    {
        var text = Clause(ContractTemplate.Compose(Facts()), "交货时间、地点及方式");

        Assert.Contains("2026年12月06日", text);
        Assert.Contains("交货地点：上海市上海市宝山区蕴川路1号（收货人 张三 13800138000）", text);
        Assert.Contains("运输方式：汽运", text);
        Assert.Contains("运费由卖方承担", text);
        Assert.Contains("货物在交货地点交付买方", text);
        Assert.Contains("分批交货", text);
        Assert.DoesNotContain("运费由买方承担", text);
    }

    [Fact]
    public void ExWorksContractPutsFreightOnTheBuyer()
    {
        var content = ContractTemplate.Compose(Facts() with { SellerBearsFreight = false, Transport = TransportMode.Rail });
        var delivery = Clause(content, "交货时间、地点及方式");

        Assert.Contains("运输方式：铁运", delivery);
        Assert.Contains("运费由买方承担", delivery);
        Assert.DoesNotContain("运费由卖方承担", delivery);
        Assert.Contains("货物在交货地点交付买方", delivery);
        Assert.Contains("含税出厂价", Clause(content, "标的、数量及价款"));
    }

    [Fact]
    public void BuyerPickupMovesTheRiskAtTheSellersWarehouse()
    {
        var text = Clause(ContractTemplate.Compose(Facts() with { SellerBearsFreight = false, Transport = TransportMode.BuyerPickup, DeliveryPlace = "江苏省张家港市锦丰镇沙钢 3 号库" }), "交货时间、地点及方式");

        Assert.Contains("运输方式：买方自提", text);
        Assert.Contains("提货地点：江苏省张家港市锦丰镇沙钢 3 号库", text);
        Assert.Contains("货物在卖方仓库（提货地点）交付买方", text);
        Assert.Contains("运输费用由买方承担", text);
        Assert.DoesNotContain("货物在交货地点交付买方", text);
    }

    [Theory]
    [InlineData(TransportMode.Waterway, "水运")]
    [InlineData(TransportMode.Multimodal, "多式联运")]
    public void TransportModesArePrintedInChinese(TransportMode mode, string label) =>
        Assert.Contains("运输方式：" + label, Clause(ContractTemplate.Compose(Facts() with { Transport = mode }), "交货时间、地点及方式"));

    [Fact]
    public void WeighedBasisLetsTheSellersWeightStandWithinTheToleranceAndTheBuyersBeyondIt()
    {
        var text = Clause(ContractTemplate.Compose(Facts() with { WeighbridgeTolerancePercent = 0.5m }), "计量方式及磅差");

        Assert.Contains("计量方式：过磅", text);
        Assert.Contains("±0.5%（含）以内的，以卖方过磅重量为准", text);
        Assert.Contains("超出 ±0.5% 的，以买方过磅重量为准结算", text);
        Assert.DoesNotContain("0.3%", text);
    }

    [Fact]
    public void TheoreticalBasisSettlesOnTheoreticalWeightWithinTheTolerance()
    {
        var text = Clause(ContractTemplate.Compose(Facts() with { WeightBasis = WeightBasis.Theoretical }), "计量方式及磅差");

        Assert.Contains("计量方式：理计", text);
        Assert.Contains("±0.3%（含）以内的，以理计重量结算", text);
        Assert.Contains("以买方过磅重量结算", text);
    }

    [Fact]
    public void PaymentClauseStatesDepositPercentAndAmountBalanceTimingAndSellersAccount()
    {
        var text = Clause(ContractTemplate.Compose(Facts()), "付款方式");

        Assert.Contains("定金人民币 ¥43,206.75，为合同总金额的 20%", text);
        Assert.Contains("《民法典》第五百八十六条", text);
        Assert.Contains("余款人民币 ¥172,827.00", text);
        Assert.Contains("货到 15 天内付清", text);
        Assert.Contains("户名 江苏沙钢物资贸易有限公司；开户行 中国银行张家港分行；账号 4658 7012 3456", text);
    }

    [Theory]
    [InlineData(BalanceTiming.BeforeDelivery, 0, "款到发货")]
    [InlineData(BalanceTiming.OnDelivery, 0, "货到付款")]
    [InlineData(BalanceTiming.AfterDelivery, 30, "货到 30 天内付清")]
    public void BalanceTimingIsWordedAsTradersSayIt(BalanceTiming timing, int days, string expected) =>
        Assert.Contains(expected, Clause(ContractTemplate.Compose(Facts() with { Payment = new PaymentTerms(20m, timing, days) }), "付款方式"));

    [Fact]
    public void WithoutDepositThereIsNoDepositForfeitureRule()
    {
        var content = ContractTemplate.Compose(Facts() with { Payment = new PaymentTerms(0m, BalanceTiming.BeforeDelivery), DepositAmount = 0m });

        Assert.Contains("本合同不设定金", Clause(content, "付款方式"));
        Assert.Contains("货款人民币 ¥216,033.75", Clause(content, "付款方式"));
        Assert.DoesNotContain("第五百八十七条", Clause(content, "违约责任"));
    }

    [Fact]
    public void BreachClauseHasDailyPenaltyCapAndDepositRules()
    {
        var text = Clause(ContractTemplate.Compose(Facts()), "违约责任");

        Assert.Contains("逾期未付金额的 0.05%", text);
        Assert.Contains("逾期未交货物金额的 0.05%", text);
        Assert.Contains("不超过合同总金额的 10%（即 ¥21,603.38）", text);
        Assert.Contains("无权请求返还定金", text);
        Assert.Contains("双倍返还定金（《民法典》第五百八十七条）", text);
    }

    [Fact]
    public void InvoiceClauseIsAVatSpecialInvoiceToTheInvoiceDetails()
    {
        var text = Clause(ContractTemplate.Compose(Facts()), "发票");

        Assert.Contains("税率为 13% 的增值税专用发票", text);
        Assert.Contains("纳税人识别号 91310113MA1GL1234X", text);
        Assert.Contains("开户行及账号 中国工商银行上海宝山支行 1001234567890123456", text);
        Assert.Contains("地址、电话 上海市宝山区蕴川路 1888 号 021-56781234", text);
    }

    [Fact]
    public void DisputesGoToTheCourtWhereTheSellerIsDomiciledAfterNegotiation()
    {
        var text = Clause(ContractTemplate.Compose(Facts()), "争议解决");

        Assert.StartsWith("因本合同引起的或者与本合同有关的争议，双方应首先友好协商解决", text);
        Assert.Contains("卖方住所地（江苏省张家港市锦丰镇沙钢大厦）有管辖权的人民法院", text);
    }

    [Fact]
    public void EffectivenessNeedsBothElectronicSignaturesAndCitesTheSignatureLaw()
    {
        var text = Clause(ContractTemplate.Compose(Facts()), "合同生效");

        Assert.Contains("双方授权签署人在平台以电子签名方式签署", text);
        Assert.Contains("与手写签名或者盖章具有同等的法律效力（《中华人民共和国电子签名法》第十四条）", text);
        Assert.Contains("SHA-256", text);
    }

    [Fact]
    public void RemarksBecomeTheLastClauseOnlyWhenThereAreAny()
    {
        Assert.DoesNotContain(ContractTemplate.Compose(Facts() with { Remarks = "  \n " }).Clauses, c => c.Heading == "其他约定");

        var content = ContractTemplate.Compose(Facts() with { Remarks = "  每车须附钢厂质保书原件。 " });
        var last = content.Clauses[^1];
        Assert.Equal(("第十三条", "其他约定", "每车须附钢厂质保书原件。"), (last.Number, last.Heading, last.Text));
    }

    [Fact]
    public void EqualFactsComposeEqualClauses()
    {
        Assert.Equal(ContractTemplate.Compose(Facts()).Clauses, ContractTemplate.Compose(Facts()).Clauses);
        Assert.DoesNotContain("{", AllText(ContractTemplate.Compose(Facts())));
    }

    [Fact]
    public void FiguresAreFormattedToTheFenTonnesToTheKilogramAndDatesWithYearMonthDay()
    {
        Assert.Equal("¥1,234,567.80", ContractTemplate.FormatMoney(1234567.8m));
        Assert.Equal("¥0.05", ContractTemplate.FormatMoney(0.045m));
        Assert.Equal("-¥200.00", ContractTemplate.FormatMoney(-200m));
        Assert.Equal("25.500", ContractTemplate.FormatTonnes(Tonnes.Of(25.5m, "q")));
        Assert.Equal("2026年01月06日", ContractTemplate.FormatDate(new DateOnly(2026, 1, 6)));
        Assert.Equal("0.3", ContractTemplate.FormatPercent(0.30m));
    }

    [Fact]
    public void DepositAboveTwentyPercentIsRefusedOnTheDepositPercent()
    {
        var error = Assert.Throws<DomainException>(() => ContractTemplate.Compose(Facts() with { Payment = new PaymentTerms(20.01m, BalanceTiming.BeforeDelivery) }));

        Assert.Equal((ErrorKind.InvalidArgument, "payment.deposit_percent", "DEPOSIT_OVER_LIMIT"), (error.Kind, error.Violations[0].Field, error.Violations[0].Reason));
    }

    [Fact]
    public void DepositAmountAboveTwentyPercentOfTheTotalIsRefused()
    {
        var error = Assert.Throws<DomainException>(() => ContractTemplate.Compose(Facts() with { DepositAmount = 43206.76m }));

        Assert.Equal(("deposit_amount", "DEPOSIT_OVER_LIMIT"), (error.Violations[0].Field, error.Violations[0].Reason));
    }

    [Fact]
    public void ContractWithoutGoodsOrWordsIsRefusedNamingEachField()
    {
        var error = Assert.Throws<DomainException>(() => ContractTemplate.Compose(Facts() with { Goods = [], TotalInWords = "", InspectionDays = 0 }));

        Assert.Equal(["goods", "total_in_words", "inspection_days"], error.Violations.Select(v => v.Field));
    }
}
