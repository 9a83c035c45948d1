using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;
using static B2BTrade.Domain.Tests.Negotiation.NegotiationFixtures;

namespace B2BTrade.Domain.Tests.Negotiation;

public class TermsRulesTests
{
    [Fact]
    public void GoodsAmountIsQuantityTimesPriceRoundedHalfUpToTheFen()
    {
        // 1.005 t × 1.00 = 1.005 → 1.01 (half-up, not banker's 1.00)
        var totals = TermsRules.Totals(Quote(1.00m) with { Quantity = T("1.005"), Payment = null })!;

        Assert.Equal(1.01m, totals.Goods);
        Assert.Equal(1.01m, totals.Total);
        Assert.Equal(0m, totals.Deposit);
    }

    [Fact]
    public void GoodsAmountKeepsKilogramsExact()
    {
        var totals = TermsRules.Totals(Quote(3650.55m) with { Quantity = T("25.125") })!;

        // 25.125 × 3650.55 = 91720.06875 → 91720.07
        Assert.Equal(91720.07m, totals.Goods);
    }

    [Fact]
    public void HighestApplicableVolumeDiscountIsTakenOffEveryTonne()
    {
        var terms = Quote(3650m) with
        {
            Quantity = T("600"),
            VolumeDiscounts = [new VolumeDiscount(T("100"), 10m), new VolumeDiscount(T("500"), 20m), new VolumeDiscount(T("1000"), 50m)],
        };

        var totals = TermsRules.Totals(terms)!;

        Assert.Equal(new VolumeDiscount(T("500"), 20m), TermsRules.ApplicableDiscount(terms));
        Assert.Equal(2_190_000m, totals.Goods);
        Assert.Equal(12_000m, totals.Discount);
        Assert.Equal(2_178_000m, totals.Total);
        Assert.Equal(3630m, totals.EffectiveUnitPrice);
    }

    [Fact]
    public void VolumeDiscountAppliesExactlyAtItsThresholdAndNotBelow()
    {
        var tiers = new[] { new VolumeDiscount(T("500"), 20m) };

        Assert.Equal(10_000m, TermsRules.Totals(Quote() with { Quantity = T("500"), VolumeDiscounts = [.. tiers] })!.Discount);
        Assert.Equal(0m, TermsRules.Totals(Quote() with { Quantity = T("499.999"), VolumeDiscounts = [.. tiers] })!.Discount);
    }

    [Fact]
    public void PerTonneAndLumpSumServicesAreAddedToTheTotal()
    {
        var terms = Quote(3000m) with
        {
            Quantity = T("10.5"),
            Services = [new ServiceCharge(ServiceKind.Freight, 45.5m, ChargeUnit.PerTonne), new ServiceCharge(ServiceKind.Loading, 300m, ChargeUnit.LumpSum)],
            Payment = new PaymentTerms(20m, BalanceTiming.BeforeDelivery),
        };

        var totals = TermsRules.Totals(terms)!;

        Assert.Equal(31_500m, totals.Goods);
        Assert.Equal(477.75m + 300m, totals.Services);
        Assert.Equal(32_277.75m, totals.Total);
        Assert.Equal(6_455.55m, totals.Deposit);
    }

    [Fact]
    public void DepositIsRoundedHalfUpToTheFen()
    {
        // total 1000.05 × 12.5% = 125.00625 → 125.01
        var terms = Quote(1000.05m) with { Quantity = T("1"), Payment = new PaymentTerms(12.5m, BalanceTiming.OnDelivery) };

        Assert.Equal(125.01m, TermsRules.Totals(terms)!.Deposit);
    }

    [Fact]
    public void InquiryWithoutTargetPriceHasNoTotals()
    {
        Assert.Null(TermsRules.Totals(Inquiry));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public void NonPositivePriceIsReportedOnTheUnitPriceAmount(string price)
    {
        var error = Invalid(() => TermsRules.Validate(Quote(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)), OfferKind.Quote, T0));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("terms.unit_price.amount", violation.Field);
        Assert.Equal("MUST_BE_POSITIVE", violation.Reason);
    }

    [Fact]
    public void AttributeKeysWithSurroundingSpacesAreRefused()
    {
        var terms = Quote() with { Attributes = Quote().Attributes.SetItem(" grade", "HRB500E") };

        var error = Invalid(() => TermsRules.Validate(terms, OfferKind.Quote, T0));

        Assert.Equal(["terms.attributes. grade"], Fields(error));
    }

    [Fact]
    public void AnOfferWhoseTotalNoOrderCouldCarryIsRefused()
    {
        // ¥1,000,000 a tonne is allowed, 10,000,000 t too, but not their product (an attacker's review: such a quote was
        // accepted and then could never be ordered).
        var error = Invalid(() => TermsRules.Validate(Quote(1_000_000m) with { Quantity = T("10000000") }, OfferKind.Quote, T0));
        var violation = Assert.Single(error.Violations);
        Assert.Equal(("terms.unit_price", "TOTAL_TOO_LARGE"), (violation.Field, violation.Reason));

        // ¥1,000,000,000,000 exactly is still a valid total.
        Assert.Equal(Cny.MaxAmount, TermsRules.Totals(TermsRules.Validate(Quote(100_000m) with { Quantity = T("10000000") }, OfferKind.Quote, T0))!.Total);
    }

    [Fact]
    public void ZeroQuantityIsReportedOnQuantityTonnes()
    {
        var error = Invalid(() => TermsRules.Validate(Quote() with { Quantity = T("0") }, OfferKind.Quote, T0));

        Assert.Equal(["terms.quantity_tonnes"], Fields(error));
    }

    [Fact]
    public void DeliveryDateIsJudgedAgainstTheChinaDateNotTheUtcDate()
    {
        // 2025-03-14 16:30 UTC is already 2025-03-15 00:30 in China: the 14th is yesterday there.
        var justAfterChinaMidnight = new DateTimeOffset(2025, 3, 14, 16, 30, 0, TimeSpan.Zero);
        var terms = Inquiry with { DeliveryDate = new DateOnly(2025, 3, 14) };

        var error = Invalid(() => TermsRules.Validate(terms, OfferKind.Inquiry, justAfterChinaMidnight));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("terms.delivery_date", violation.Field);
        Assert.Equal("IN_THE_PAST", violation.Reason);
        Assert.Equal(new DateOnly(2025, 3, 15), TermsRules.ChinaToday(justAfterChinaMidnight));
    }

    [Fact]
    public void DeliveryDateTodayInChinaIsAcceptedUpToChinaMidnight()
    {
        // 2025-03-14 15:59:59 UTC = 23:59:59 China time on the 14th.
        var justBeforeChinaMidnight = new DateTimeOffset(2025, 3, 14, 15, 59, 59, TimeSpan.Zero);

        var valid = TermsRules.Validate(Inquiry with { DeliveryDate = new DateOnly(2025, 3, 14) }, OfferKind.Inquiry, justBeforeChinaMidnight);

        Assert.Equal(new DateOnly(2025, 3, 14), valid.DeliveryDate);
    }

    [Fact]
    public void DeliveryDateMoreThanAYearAheadIsRejected()
    {
        var error = Invalid(() => TermsRules.Validate(Inquiry with { DeliveryDate = new DateOnly(2026, 3, 16) }, OfferKind.Inquiry, T0));

        Assert.Equal("TOO_FAR", Assert.Single(error.Violations).Reason);
    }

    [Theory]
    [InlineData("20.01")]
    [InlineData("-0.01")]
    public void DepositOutsideZeroToTwentyPercentIsRejected(string percent)
    {
        var terms = Quote() with { Payment = new PaymentTerms(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), BalanceTiming.BeforeDelivery) };

        var error = Invalid(() => TermsRules.Validate(terms, OfferKind.Quote, T0));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("terms.payment.deposit_percent", violation.Field);
        Assert.Equal("DEPOSIT_OVER_LIMIT", violation.Reason);
    }

    [Fact]
    public void DepositOfExactlyTwentyPercentIsAllowed()
    {
        var valid = TermsRules.Validate(Quote() with { Payment = new PaymentTerms(20m, BalanceTiming.BeforeDelivery) }, OfferKind.Quote, T0);

        Assert.Equal(20m, valid.Payment!.DepositPercent);
    }

    [Fact]
    public void QuoteWithoutValidUntilIsRejectedButAnInquiryMayOmitIt()
    {
        var error = Invalid(() => TermsRules.Validate(Quote() with { ValidUntil = null }, OfferKind.Quote, T0));

        Assert.Equal(["terms.valid_until"], Fields(error));
        Assert.Null(TermsRules.Validate(Inquiry, OfferKind.Inquiry, T0).ValidUntil);
    }

    [Fact]
    public void QuoteValidityMustBeAtLeastAMinuteAndAtMostNinetyDays()
    {
        Assert.Equal("TOO_SOON", Assert.Single(Invalid(() => TermsRules.Validate(Quote(validUntil: T0.AddSeconds(59)), OfferKind.Quote, T0)).Violations).Reason);
        Assert.Equal("TOO_FAR", Assert.Single(Invalid(() => TermsRules.Validate(Quote(validUntil: T0.AddDays(90).AddSeconds(1)), OfferKind.Quote, T0)).Violations).Reason);
        Assert.NotNull(TermsRules.Validate(Quote(validUntil: T0.AddMinutes(1)), OfferKind.Quote, T0).ValidUntil);
    }

    [Fact]
    public void QuoteAndCounterRequireAUnitPrice()
    {
        var error = Invalid(() => TermsRules.Validate(Quote() with { UnitPrice = null }, OfferKind.CounterOffer, T0));

        Assert.Equal(["terms.unit_price"], Fields(error));
    }

    [Fact]
    public void EveryBadFieldIsReportedAtOnceUnderTheGivenPrefix()
    {
        var bad = Quote(-5m) with { Quantity = T("0"), Payment = new PaymentTerms(25m, BalanceTiming.BeforeDelivery), DeliveryPlace = " " };

        var error = Invalid(() => TermsRules.Validate(bad, OfferKind.Quote, T0, prefix: "rfq.terms"));

        Assert.Equal(
            ["rfq.terms.delivery_place", "rfq.terms.payment.deposit_percent", "rfq.terms.quantity_tonnes", "rfq.terms.unit_price.amount"],
            Fields(error).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BalanceDaysOnlyForPaymentAfterDeliveryAndWithinOneToOneHundredEightyDays()
    {
        Assert.Equal(["terms.payment.balance_days"], Fields(Invalid(() => TermsRules.Validate(Quote() with { Payment = new PaymentTerms(0m, BalanceTiming.AfterDelivery, 181) }, OfferKind.Quote, T0))));
        Assert.Equal(["terms.payment.balance_days"], Fields(Invalid(() => TermsRules.Validate(Quote() with { Payment = new PaymentTerms(0m, BalanceTiming.BeforeDelivery, 30) }, OfferKind.Quote, T0))));
        Assert.Equal(180, TermsRules.Validate(Quote() with { Payment = new PaymentTerms(0m, BalanceTiming.AfterDelivery, 180) }, OfferKind.Quote, T0).Payment!.BalanceDays);
    }

    [Fact]
    public void NegativeServiceAmountAndDiscountAbovePriceNameTheirIndex()
    {
        var terms = Quote(100m) with
        {
            Services = [new ServiceCharge(ServiceKind.Freight, 10m, ChargeUnit.PerTonne), new ServiceCharge(ServiceKind.Storage, -1m, ChargeUnit.LumpSum)],
            VolumeDiscounts = [new VolumeDiscount(T("50"), 100m)],
        };

        var error = Invalid(() => TermsRules.Validate(terms, OfferKind.Quote, T0));

        Assert.Equal(["terms.services[1].amount.amount", "terms.volume_discounts[0].discount_per_tonne.amount"], Fields(error).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void QualityStandardLongerThanSixtyFourCharactersIsRejected()
    {
        Assert.Equal(["terms.quality_standard"], Fields(Invalid(() => TermsRules.Validate(Quote() with { QualityStandard = new string('G', 65) }, OfferKind.Quote, T0))));
    }

    [Fact]
    public void ValidationTrimsTextAndOrdersDiscountsByThreshold()
    {
        var valid = TermsRules.Validate(
            Quote() with { ProductName = "  螺纹钢 ", VolumeDiscounts = [new VolumeDiscount(T("500"), 20m), new VolumeDiscount(T("100"), 10m)] },
            OfferKind.Quote,
            T0);

        Assert.Equal("螺纹钢", valid.ProductName);
        Assert.Equal([T("100"), T("500")], valid.VolumeDiscounts.Select(d => d.MinQuantity));
    }

    [Fact]
    public void DiffListsChangedFieldsWithDisplayValuesAndTheNewTotal()
    {
        var before = Quote(3650m);
        var after = before with { UnitPrice = 3600m, Payment = new PaymentTerms(20m, BalanceTiming.AfterDelivery, 30) };

        var diff = TermsRules.Diff(before, after);

        Assert.Equal(
            [
                new FieldChange("unit_price", "¥3,650.00", "¥3,600.00"),
                new FieldChange("payment.deposit_percent", "10%", "20%"),
                new FieldChange("payment.balance_timing", "款到发货", "交货后 30 天付清"),
                new FieldChange("totals.total_amount", "¥365,000.00", "¥360,000.00"),
            ],
            diff);
    }

    [Fact]
    public void DiffOfIdenticalTermsIsEmpty()
    {
        Assert.Empty(TermsRules.Diff(Quote(), Quote()));
    }

    [Fact]
    public void DiffShowsQuantityAndValidityInChinaTime()
    {
        var before = Quote(validUntil: new DateTimeOffset(2025, 3, 20, 16, 0, 0, TimeSpan.Zero));
        var after = before with { Quantity = T("120.5"), ValidUntil = new DateTimeOffset(2025, 3, 21, 16, 0, 0, TimeSpan.Zero) };

        var diff = TermsRules.Diff(before, after);

        Assert.Contains(new FieldChange("quantity_tonnes", "100.000", "120.500"), diff);
        Assert.Contains(new FieldChange("valid_until", "2025-03-21 00:00 UTC+8", "2025-03-22 00:00 UTC+8"), diff);
        Assert.Equal("totals.total_amount", diff[^1].Field);
    }

    [Fact]
    public void DiffSpeaksEnglishWhenAsked()
    {
        var before = Quote(3650m);
        var after = before with { Transport = TransportMode.Rail, Payment = new PaymentTerms(20m, BalanceTiming.AfterDelivery, 30), TaxIncluded = false };

        var diff = TermsRules.Diff(before, after, english: true);

        Assert.Contains(new FieldChange("tax_included", "VAT included", "VAT excluded"), diff);
        Assert.Contains(new FieldChange("transport_mode", "road", "rail"), diff);
        Assert.Contains(new FieldChange("payment.balance_timing", "payment before delivery", "balance 30 days after delivery"), diff);
    }
}
