using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Contracts;

/// <summary>A contracting party as printed in the contract (from the enterprise's verified registration).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-party")]
public sealed record ContractParty(
    [property: Id(0)] string EnterpriseId,
    [property: Id(1)] string LegalName,
    [property: Id(2)] string CreditCode,
    [property: Id(3)] string LegalRepresentative,
    [property: Id(4)] string Address,
    [property: Id(5)] string ContactName,
    [property: Id(6)] string ContactPhone,
    [property: Id(7)] string BankName,
    [property: Id(8)] string BankAccountName,
    [property: Id(9)] string BankAccountNumber);

/// <summary>A row of the goods table.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-goods-line")]
public sealed record ContractGoodsLine(
    [property: Id(0)] int LineNumber,
    [property: Id(1)] string ProductName,
    [property: Id(2)] string Specification,
    [property: Id(3)] Tonnes Quantity,
    [property: Id(4)] decimal UnitPrice,
    [property: Id(5)] decimal Amount,
    [property: Id(6)] decimal VatRatePercent);

/// <summary>A numbered clause ("第三条 质量标准及验收 ...").</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-clause")]
public sealed record ContractClause([property: Id(0)] string Number, [property: Id(1)] string Heading, [property: Id(2)] string Text);

/// <summary>A line of the fee summary printed under the goods table (货款, 运费, 装卸费, 优惠 ...).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-fee")]
public sealed record ContractFee([property: Id(0)] string Label, [property: Id(1)] decimal Amount);

/// <summary>
/// The facts a contract is composed from: everything comes from the confirmed order (its agreed terms and price
/// breakdown) and the two enterprises' registrations, never typed in by either party.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-facts")]
public sealed record ContractFacts
{
    [Id(0)] public required string ContractNumber { get; init; }
    [Id(1)] public required string OrderId { get; init; }
    [Id(2)] public required ContractParty Buyer { get; init; }
    [Id(3)] public required ContractParty Seller { get; init; }
    [Id(4)] public required ImmutableList<ContractGoodsLine> Goods { get; init; }
    [Id(5)] public required ImmutableList<ContractFee> Fees { get; init; }
    [Id(6)] public required decimal TotalAmount { get; init; }
    [Id(7)] public required string TotalInWords { get; init; }
    [Id(8)] public required decimal TaxAmount { get; init; }
    [Id(9)] public required PaymentTerms Payment { get; init; }
    [Id(10)] public required decimal DepositAmount { get; init; }
    [Id(11)] public required DateOnly DeliveryDate { get; init; }

    /// <summary>The full delivery address with the receiving contact, e.g. "上海市上海市宝山区蕴川路1号（收货人 张三 13800138000）".</summary>
    [Id(12)] public required string DeliveryPlace { get; init; }
    [Id(13)] public required TransportMode Transport { get; init; }

    /// <summary>True when the seller bears freight (到货价); false when the buyer does (出厂价 + 运费, or 自提).</summary>
    [Id(14)] public required bool SellerBearsFreight { get; init; }
    [Id(15)] public required string QualityStandard { get; init; }
    [Id(16)] public required WeightBasis WeightBasis { get; init; }

    /// <summary>磅差 tolerance in percent (default 0.3): within it the seller's weight stands, beyond it the buyer's weighed figure governs.</summary>
    [Id(17)] public decimal WeighbridgeTolerancePercent { get; init; } = 0.3m;

    /// <summary>Days after arrival the buyer has to raise quality objections.</summary>
    [Id(18)] public int InspectionDays { get; init; } = 7;

    /// <summary>The 增值税专用发票 details the seller invoices to.</summary>
    [Id(19)] public required string InvoiceTitle { get; init; }
    [Id(20)] public required string InvoiceTaxNumber { get; init; }
    [Id(21)] public required string InvoiceBank { get; init; }
    [Id(22)] public required string InvoiceBankAccount { get; init; }
    [Id(23)] public required string InvoiceAddressPhone { get; init; }

    /// <summary>China date the contract is generated (签订日期).</summary>
    [Id(24)] public required DateOnly ContractDate { get; init; }

    /// <summary>Remarks agreed in the negotiation or written by the buyer on the order, printed as a supplementary clause.</summary>
    [Id(25)] public string Remarks { get; init; } = "";
}

/// <summary>A composed contract: its facts and the clauses generated from them, in order.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-content")]
public sealed record ContractContent([property: Id(0)] ContractFacts Facts, [property: Id(1)] ImmutableList<ContractClause> Clauses);
