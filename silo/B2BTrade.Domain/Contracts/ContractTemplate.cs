using System.Globalization;
using System.Text;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Contracts;

/// <summary>
/// Composes the clauses of the platform's 工业品买卖合同 from a confirmed order's facts. The clauses cover Civil Code
/// Art. 470 (subject, quantity, quality, price, time/place/manner of performance, breach liability, dispute resolution;
/// the parties and their domiciles are the header block) plus packaging, measurement, acceptance, batch delivery and
/// invoice (DESIGN §4 rule 10). Every figure comes from the facts, formatted as the renderers print it.
/// </summary>
public static class ContractTemplate
{
    /// <summary>Late payment / late delivery penalty per day, in percent of the overdue amount.</summary>
    public const decimal DailyPenaltyPercent = 0.05m;

    /// <summary>Cap of all penalties, in percent of the contract total.</summary>
    public const decimal PenaltyCapPercent = 10m;

    /// <summary>Days after the contract takes effect within which the buyer pays the deposit.</summary>
    public const int DepositDueDays = 3;

    /// <summary>Days after a party is in default beyond which the other party may terminate.</summary>
    public const int TerminationAfterDays = 30;

    /// <summary>Days after payment within which the seller issues the VAT invoice.</summary>
    public const int InvoiceDueDays = 15;

    /// <summary>The opening paragraph printed above the goods table.</summary>
    public const string Preamble = "买卖双方根据《中华人民共和国民法典》及有关法律法规的规定，遵循平等、自愿、公平、诚实信用的原则，就下列货物的买卖经平台协商一致，订立本合同，共同遵守。";

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static ContractContent Compose(ContractFacts facts)
    {
        Validate(facts);

        var clauses = new List<(string Heading, string Text)>
        {
            ("标的、数量及价款", Subject(facts)),
            ("质量标准", Quality(facts)),
            ("交货时间、地点及方式", Delivery(facts)),
            ("计量方式及磅差", Measurement(facts)),
            ("包装标准", Packaging()),
            ("验收方式", Acceptance(facts)),
            ("付款方式", PaymentClause(facts)),
            ("发票", Invoice(facts)),
            ("违约责任", Breach(facts)),
            ("不可抗力", ForceMajeure()),
            ("争议解决", Disputes(facts)),
            ("合同生效", Effectiveness()),
        };

        if (!string.IsNullOrWhiteSpace(facts.Remarks))
        {
            clauses.Add(("其他约定", facts.Remarks.Trim()));
        }

        return new ContractContent(facts, [.. clauses.Select((c, i) => new ContractClause(ArticleNumber(i + 1), c.Heading, c.Text))]);
    }

    /// <summary>"第一条" … "第九十九条".</summary>
    public static string ArticleNumber(int n) => $"第{ChineseCount(n)}条";

    /// <summary>¥ to the fen with thousands separators: "¥1,234,567.80", "-¥200.00".</summary>
    public static string FormatMoney(decimal amount) => (amount < 0 ? "-¥" : "¥") + FormatAmount(Math.Abs(amount));

    /// <summary>An amount in a 金额（元） column: "1,234,567.80".</summary>
    public static string FormatAmount(decimal amount) => Cny.Round(amount).ToString("#,##0.00", s_invariant);

    /// <summary>Tonnes with 3 decimals: "25.500".</summary>
    public static string FormatTonnes(Tonnes quantity) => quantity.ToString();

    /// <summary>"2026年12月06日".</summary>
    public static string FormatDate(DateOnly date) => date.ToString("yyyy'年'MM'月'dd'日'", s_invariant);

    /// <summary>A percent without trailing zeros: 13, 0.3, 0.05.</summary>
    public static string FormatPercent(decimal percent) => percent.ToString("0.####", s_invariant);

    public static string TransportLabel(TransportMode mode) => mode switch
    {
        TransportMode.Road => "汽运",
        TransportMode.Rail => "铁运",
        TransportMode.Waterway => "水运",
        TransportMode.BuyerPickup => "买方自提",
        TransportMode.Multimodal => "多式联运",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown transport mode."),
    };

    public static string WeightBasisLabel(WeightBasis basis) => basis switch
    {
        WeightBasis.Theoretical => "理计",
        WeightBasis.Weighed => "过磅",
        _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, "Unknown weight basis."),
    };

    /// <summary>The contract's total quantity, the sum of the goods lines.</summary>
    public static Tonnes TotalQuantity(ContractFacts facts) => facts.Goods.Aggregate(Tonnes.Zero, (sum, line) => sum + line.Quantity);

    private static void Validate(ContractFacts facts)
    {
        var v = new Validation();
        if (facts.Goods.IsEmpty)
        {
            v.Add("goods", "REQUIRED", "A contract lists at least one goods line.", "合同至少包含一行货物。");
        }

        v.Required("total_in_words", facts.TotalInWords, "Total in words", "大写金额");
        if (facts.Payment.DepositPercent is < 0 or > TermsRules.MaxDepositPercent)
        {
            v.Add("payment.deposit_percent", "DEPOSIT_OVER_LIMIT", "The deposit is 0 to 20% of the contract value (Civil Code Art. 586).", "定金不得超过合同总额的 20%（《民法典》第五百八十六条）。");
        }
        else if (facts.DepositAmount < 0 || facts.DepositAmount > Cny.Round(facts.TotalAmount * TermsRules.MaxDepositPercent / 100m))
        {
            v.Add("deposit_amount", "DEPOSIT_OVER_LIMIT", "The deposit is 0 to 20% of the contract value (Civil Code Art. 586).", "定金不得超过合同总额的 20%（《民法典》第五百八十六条）。");
        }

        if (facts.Payment.BalanceTiming == BalanceTiming.AfterDelivery && facts.Payment.BalanceDays < 1)
        {
            v.Add("payment.balance_days", "OUT_OF_RANGE", "Credit terms are at least 1 day after delivery.", "账期至少为交货后 1 天。");
        }

        if (facts.InspectionDays < 1)
        {
            v.Add("inspection_days", "OUT_OF_RANGE", "The inspection period is at least 1 day.", "质量异议期至少为 1 天。");
        }

        if (facts.WeighbridgeTolerancePercent is < 0 or > 5)
        {
            v.Add("weighbridge_tolerance_percent", "OUT_OF_RANGE", "The weighbridge tolerance is 0 to 5%.", "磅差须在 0 至 5% 之间。");
        }

        v.ThrowIfInvalid();
    }

    private static string Subject(ContractFacts f)
    {
        var fees = string.Join("；", f.Fees.Select(fee => $"{fee.Label} {FormatMoney(fee.Amount)}"));
        var price = f.SellerBearsFreight
            ? "本合同单价为含税到货价，已包含将货物运至交货地点的运输费用。"
            : "本合同单价为含税出厂价，不含运输费用。";
        return Lines(
            "1. 货物的品名、规格、数量、含税单价及金额详见本合同货物明细表，货物明细表为本合同不可分割的组成部分。",
            $"2. 货物总数量 {FormatTonnes(TotalQuantity(f))} 吨。合同总金额（含税）人民币 {FormatMoney(f.TotalAmount)}（大写：人民币{f.TotalInWords}），其中增值税税额 {FormatMoney(f.TaxAmount)}。",
            fees.Length > 0 ? $"3. 价款构成：{fees}。" : null,
            $"{(fees.Length > 0 ? 4 : 3)}. {price}合同履行期间价格不因市场行情变化而调整。");
    }

    private static string Quality(ContractFacts f) => Lines(
        $"1. 货物质量执行 {f.QualityStandard.Trim()}。卖方随货提供生产厂家出具的质量证明书（材质书），货物应与质量证明书相符。",
        $"2. 买方应在货物到达交货地点之日起 {f.InspectionDays} 日内完成质量检验。对质量有异议的，应在该期限内通过平台书面提出，并附检验报告、照片等证据；逾期未提出的，视为货物质量符合约定，但依通常检验方法不能发现的隐蔽瑕疵除外。",
        "3. 经双方确认或经有资质的第三方检验机构检验确认质量不符合约定的，买方有权要求退货、换货或减少价款，检验费用由责任方承担。");

    private static string Delivery(ContractFacts f)
    {
        var pickup = f.Transport == TransportMode.BuyerPickup;
        var freight = f.SellerBearsFreight
            ? "运输由卖方负责安排，运费由卖方承担（已包含在合同价款中）。"
            : pickup
                ? "买方自行安排车辆到提货地点提货，运输费用由买方承担。"
                : "运费由买方承担；卖方代为安排运输的，运费按第一条所列金额随货款一并结算。";
        var risk = pickup
            ? "货物在卖方仓库（提货地点）交付买方或其指定承运人并装车完毕时起，货物毁损、灭失的风险转移至买方。"
            : "货物在交货地点交付买方（以买方或其指定收货人签收为准）时起，货物毁损、灭失的风险转移至买方；交付前的风险由卖方承担。";
        return Lines(
            $"1. 交货时间：卖方应于 {FormatDate(f.DeliveryDate)}（含当日）前交付全部货物。经双方在平台确认发货通知，可以分批交货，每批数量以发货通知为准，各批次按实际交付重量分别结算。",
            $"2. {(pickup ? "提货地点" : "交货地点")}：{f.DeliveryPlace.Trim()}。",
            $"3. 运输方式：{TransportLabel(f.Transport)}。{freight}",
            $"4. 风险转移：{risk}");
    }

    private static string Measurement(ContractFacts f)
    {
        var tolerance = FormatPercent(f.WeighbridgeTolerancePercent);
        return f.WeightBasis == WeightBasis.Theoretical
            ? Lines(
                "1. 计量方式：理计。结算重量按理论重量计算，即理论单重乘以数量，理论单重按相应国家标准的公称尺寸计算（如热轧带肋钢筋每米重量 = 0.00617 × 公称直径² 千克）。",
                $"2. 磅差：买方抽检过磅重量与理计重量之差在 ±{tolerance}%（含）以内的，以理计重量结算；超出 ±{tolerance}% 的，买方应在到货之日起 {f.InspectionDays} 日内凭地磅过磅单提出，经双方共同复磅确认后，以买方过磅重量结算，多退少补。")
            : Lines(
                "1. 计量方式：过磅。以卖方出厂（发货）过磅重量作为交货重量，卖方随货提供过磅单。",
                $"2. 磅差：买方过磅重量与卖方过磅重量之差在 ±{tolerance}%（含）以内的，以卖方过磅重量为准；超出 ±{tolerance}% 的，以买方过磅重量为准结算，多退少补。买方应在到货之日起 {f.InspectionDays} 日内提供法定计量机构检定合格的地磅出具的过磅单，逾期视为认可卖方重量。");
    }

    private static string Packaging() => Lines(
        "1. 钢材等成件货物按生产厂家出厂标准包装，捆扎牢固，每捆（件）挂有载明品名、规格、炉批号及重量的标牌；煤炭、矿石等散装货物按散装方式交付，卖方应采取防雨、防混杂措施。",
        "2. 包装物不回收，包装费用已包含在货物单价中。因包装不符合约定造成货物损失的，由卖方承担。");

    private static string Acceptance(ContractFacts f) => Lines(
        "1. 货物到达交货地点（或买方提货）时，买方应当场核对品名、规格、数量（件数）及外观，并在送货单（提货单）上签收或在平台确认收货；签收仅表明数量及外观相符。",
        $"2. 货物的重量按第四条、质量按第二条约定验收。买方在第二条约定的 {f.InspectionDays} 日内未提出书面异议的，视为货物数量和质量符合约定（《民法典》第六百二十一条）。");

    private static string PaymentClause(ContractFacts f)
    {
        var balance = Cny.Round(f.TotalAmount - f.DepositAmount);
        var lines = new List<string?>();
        var n = 1;
        if (f.DepositAmount > 0)
        {
            lines.Add($"{n++}. 定金：本合同生效之日起 {DepositDueDays} 日内，买方向卖方支付定金人民币 {FormatMoney(f.DepositAmount)}，为合同总金额的 {FormatPercent(f.Payment.DepositPercent)}%，不超过合同总金额的 20%（《民法典》第五百八十六条）。合同履行后，定金抵作价款。");
        }
        else
        {
            lines.Add($"{n++}. 本合同不设定金。");
        }

        var timing = f.Payment.BalanceTiming switch
        {
            BalanceTiming.BeforeDelivery => "款到发货：买方应于卖方发货前付清，卖方收到款项后发货",
            BalanceTiming.OnDelivery => "货到付款：买方应于货物到达交货地点并签收当日付清",
            BalanceTiming.AfterDelivery => $"货到 {f.Payment.BalanceDays} 天内付清：买方应于货物到达交货地点并签收之日起 {f.Payment.BalanceDays} 日内付清",
            _ => throw new ArgumentOutOfRangeException(nameof(f), f.Payment.BalanceTiming, "Unknown balance timing."),
        };
        lines.Add($"{n++}. {(f.DepositAmount > 0 ? "余款" : "货款")}人民币 {FormatMoney(balance)}，{timing}。分批交货的，各批货款按该批实际交付重量结算，依上述时间支付，最终按结算单多退少补。");
        lines.Add($"{n}. 卖方收款账户：户名 {f.Seller.BankAccountName}；开户行 {f.Seller.BankName}；账号 {f.Seller.BankAccountNumber}。账户变更须经双方在平台书面确认，买方向上述账户付款即视为履行付款义务。");
        return Lines([.. lines]);
    }

    private static string Invoice(ContractFacts f)
    {
        var rates = string.Join("、", f.Goods.Select(g => FormatPercent(g.VatRatePercent) + "%").Distinct());
        return Lines(
            $"1. 卖方应按实际结算金额向买方开具税率为 {rates} 的增值税专用发票，于每批货款结清之日起 {InvoiceDueDays} 日内开具并交付买方。",
            $"2. 开票信息：名称 {f.InvoiceTitle}；纳税人识别号 {f.InvoiceTaxNumber}；地址、电话 {f.InvoiceAddressPhone}；开户行及账号 {f.InvoiceBank} {f.InvoiceBankAccount}。",
            "3. 因卖方原因发票不合规或无法认证抵扣的，卖方应负责重新开具，并赔偿买方由此遭受的税款损失。");
    }

    private static string Breach(ContractFacts f)
    {
        var cap = Cny.Round(f.TotalAmount * PenaltyCapPercent / 100m);
        var daily = FormatPercent(DailyPenaltyPercent);
        var capPercent = FormatPercent(PenaltyCapPercent);
        return Lines(
            $"1. 买方逾期付款的，每逾期一日，按逾期未付金额的 {daily}% 向卖方支付违约金；卖方逾期交货的，每逾期一日，按逾期未交货物金额的 {daily}% 向买方支付违约金。违约金累计不超过合同总金额的 {capPercent}%（即 {FormatMoney(cap)}）。",
            $"2. 任何一方逾期超过 {TerminationAfterDays} 日的，守约方有权书面通知解除合同，并要求违约方赔偿损失。",
            f.DepositAmount > 0
                ? "3. 给付定金的买方不履行债务或者履行债务不符合约定，致使不能实现合同目的的，无权请求返还定金；收受定金的卖方不履行债务或者履行债务不符合约定，致使不能实现合同目的的，应当双倍返还定金（《民法典》第五百八十七条）。同时约定违约金和定金的，守约方可以选择适用违约金或者定金条款（《民法典》第五百八十八条）。"
                : null,
            $"{(f.DepositAmount > 0 ? 4 : 3)}. 卖方交付的货物质量不符合约定的，应负责退货或换货，并承担由此产生的运输、检验等费用。");
    }

    private static string ForceMajeure() => Lines(
        "1. 因地震、台风、洪水、战争、政府行为等不能预见、不能避免且不能克服的不可抗力致使不能履行合同的，根据不可抗力的影响，部分或者全部免除责任；但迟延履行后发生不可抗力的，不免除其违约责任（《民法典》第五百九十条）。",
        "2. 受影响的一方应在不可抗力发生之日起 3 日内通过平台通知对方，并在 15 日内提供有关机构出具的证明，以减轻可能给对方造成的损失。");

    private static string Disputes(ContractFacts f) =>
        $"因本合同引起的或者与本合同有关的争议，双方应首先友好协商解决，也可以通过平台的争议处理程序调解；协商或者调解不成的，任何一方均可向卖方住所地（{f.Seller.Address.Trim()}）有管辖权的人民法院提起诉讼。";

    private static string Effectiveness() => Lines(
        "1. 本合同自双方授权签署人在平台以电子签名方式签署之日起生效，生效时间以后签署一方的签署时间为准。",
        "2. 双方确认，本合同使用的可靠的电子签名与手写签名或者盖章具有同等的法律效力（《中华人民共和国电子签名法》第十四条）。",
        "3. 平台保存经双方签署的合同文件及其 SHA-256 摘要值，任何一方均可通过平台合同验证功能核验合同文件及签名是否被篡改。",
        "4. 本合同未尽事宜，双方可以签订补充协议，补充协议与本合同具有同等法律效力。");

    private static string Lines(params string?[] lines) => string.Join("\n", lines.Where(l => l is not null));

    private static string ChineseCount(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 99);
        const string Digits = "零一二三四五六七八九";
        var tens = n / 10;
        var ones = n % 10;
        var text = new StringBuilder();
        if (tens > 1)
        {
            text.Append(Digits[tens]);
        }

        if (tens > 0)
        {
            text.Append('十');
        }

        if (ones > 0)
        {
            text.Append(Digits[ones]);
        }

        return text.ToString();
    }
}
