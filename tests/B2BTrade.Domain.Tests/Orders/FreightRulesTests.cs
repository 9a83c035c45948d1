using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Domain.Orders;

namespace B2BTrade.Domain.Tests.Orders;

public class FreightRulesTests
{
    private static FreightRule Zone(string province, decimal perTonne, params TransportMode[] modes) =>
        new(province, perTonne, null, null, null, [.. modes]);

    private static FreightRule Km(string province, decimal rate, int km, params TransportMode[] modes) =>
        new(province, null, rate, km, null, [.. modes]);

    private static DomainException Invalid(params FreightRule[] rules) => Assert.Throws<DomainException>(() => FreightRules.Validate(rules));

    private static void AssertSingle(DomainException error, string field, string reason)
    {
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        var violation = Assert.Single(error.Violations);
        Assert.Equal(field, violation.Field);
        Assert.Equal(reason, violation.Reason);
    }

    [Fact]
    public void ProvincesAreTheThirtyFourProvinceLevelDivisionsByFullName()
    {
        Assert.Equal(34, FreightRules.Provinces.Count);
        Assert.Equal(34, FreightRules.Provinces.Distinct().Count());
        Assert.Equal("北京市", FreightRules.Provinces[0]);
        Assert.Equal("台湾省", FreightRules.Provinces[^1]);
        Assert.Contains("新疆维吾尔自治区", FreightRules.Provinces);
        Assert.Contains("内蒙古自治区", FreightRules.Provinces);
        Assert.Contains("香港特别行政区", FreightRules.Provinces);
        Assert.Contains("澳门特别行政区", FreightRules.Provinces);
        Assert.Equal(4, FreightRules.Provinces.Count(p => p.EndsWith('市')));
        Assert.Equal(5, FreightRules.Provinces.Count(p => p.EndsWith("自治区", StringComparison.Ordinal)));
        Assert.Equal(2, FreightRules.Provinces.Count(p => p.EndsWith("特别行政区", StringComparison.Ordinal)));
        Assert.Equal(23, FreightRules.Provinces.Count(p => p.EndsWith('省')));
    }

    [Fact]
    public void ValidateTrimsNamesAndSortsAndDeduplicatesModesKeepingRuleOrder()
    {
        var rules = FreightRules.Validate(
        [
            Zone(" 江苏省 ", 45m, TransportMode.Rail, TransportMode.Road, TransportMode.Rail),
            Km("*", 0.35m, 1200) with { LoadingPerTonne = 5m },
        ]);

        Assert.Equal(2, rules.Count);
        Assert.Equal("江苏省", rules[0].DestinationProvince);
        Assert.Equal([TransportMode.Road, TransportMode.Rail], rules[0].TransportModes);
        Assert.Equal(45m, rules[0].PerTonne);
        Assert.Equal("*", rules[1].DestinationProvince);
        Assert.Equal(0.35m, rules[1].PerTonneKmRate);
        Assert.Equal(1200, rules[1].DistanceKm);
        Assert.Equal(5m, rules[1].LoadingPerTonne);
    }

    [Fact]
    public void AcceptsBoundaryValues()
    {
        var rules = FreightRules.Validate(
        [
            Zone("北京市", 0m),
            Zone("上海市", 100_000m) with { LoadingPerTonne = 100_000m },
            Km("天津市", 0.0001m, 1),
            Km("河北省", 100m, 5000),
        ]);

        Assert.Equal(4, rules.Count);
    }

    [Theory]
    [InlineData("江苏")]
    [InlineData("Jiangsu")]
    [InlineData("")]
    [InlineData("**")]
    public void RejectsAnythingButAFullProvinceNameOrStar(string province) =>
        AssertSingle(Invalid(Zone("北京市", 10m), Zone(province, 45m)), "rules[1].destination_province", "UNKNOWN_PROVINCE");

    [Fact]
    public void RequiresExactlyOneCharge()
    {
        AssertSingle(Invalid(new FreightRule("江苏省", null, null, null, 5m, [])), "rules[0]", "CHARGE_REQUIRED");
        AssertSingle(Invalid(new FreightRule("江苏省", 45m, 0.35m, 1200, null, [])), "rules[0]", "CHARGE_REQUIRED");
    }

    [Theory]
    [InlineData("-0.01", "MUST_NOT_BE_NEGATIVE")]
    [InlineData("45.001", "TOO_PRECISE")]
    [InlineData("100000.01", "OUT_OF_RANGE")]
    public void RejectsBadPerTonnePrices(string amount, string reason)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        AssertSingle(Invalid(Zone("江苏省", value)), "rules[0].per_tonne.amount", reason);
        AssertSingle(Invalid(Zone("江苏省", 45m) with { LoadingPerTonne = value }), "rules[0].loading_per_tonne.amount", reason);
    }

    [Theory]
    [InlineData("0", "MUST_BE_POSITIVE")]
    [InlineData("-0.35", "MUST_BE_POSITIVE")]
    [InlineData("0.35001", "TOO_PRECISE")]
    [InlineData("100.0001", "OUT_OF_RANGE")]
    public void RejectsBadTonneKmRates(string rate, string reason) =>
        AssertSingle(Invalid(Km("江苏省", decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), 1200)), "rules[0].per_tonne_km.rate.amount", reason);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(5001)]
    public void RejectsDistancesOutsideOneTo5000Km(int km) =>
        AssertSingle(Invalid(Km("江苏省", 0.35m, km)), "rules[0].per_tonne_km.distance_km", "OUT_OF_RANGE");

    [Fact]
    public void ATonneKmRuleNeedsBothRateAndDistance()
    {
        AssertSingle(Invalid(new FreightRule("江苏省", null, null, 1200, null, [])), "rules[0].per_tonne_km.rate.amount", "REQUIRED");
        AssertSingle(Invalid(new FreightRule("江苏省", null, 0.35m, null, null, [])), "rules[0].per_tonne_km.distance_km", "OUT_OF_RANGE");
    }

    [Fact]
    public void BuyerPickupIsNotAFreightMode()
    {
        AssertSingle(Invalid(Zone("江苏省", 45m, TransportMode.Road, TransportMode.BuyerPickup)), "rules[0].transport_modes", "INVALID");
        AssertSingle(Invalid(Zone("江苏省", 45m, (TransportMode)99)), "rules[0].transport_modes", "INVALID");
    }

    [Fact]
    public void AtMostOneHundredRules()
    {
        var hundred = FreightRules.Provinces.Take(34).Select(p => Zone(p, 10m, TransportMode.Road))
            .Concat(FreightRules.Provinces.Take(34).Select(p => Zone(p, 10m, TransportMode.Rail)))
            .Concat(FreightRules.Provinces.Take(32).Select(p => Zone(p, 10m, TransportMode.Waterway)))
            .ToArray();

        Assert.Equal(100, FreightRules.Validate(hundred).Count);
        AssertSingle(Invalid([.. hundred, Zone("*", 10m)]), "rules", "TOO_MANY");
    }

    [Fact]
    public void TwoRulesForTheSameProvinceWithoutModesAreDuplicates() =>
        AssertSingle(Invalid(Zone("江苏省", 45m), Zone("浙江省", 50m), Zone(" 江苏省", 40m)), "rules[2]", "DUPLICATE_RULE");

    [Fact]
    public void TwoRulesForTheSameProvinceSharingAModeAreDuplicates() =>
        AssertSingle(Invalid(Zone("*", 45m, TransportMode.Road, TransportMode.Rail), Zone("*", 40m, TransportMode.Rail)), "rules[1]", "DUPLICATE_RULE");

    [Fact]
    public void RulesForDifferentModesOrAModeBesideTheDefaultMayCoexist()
    {
        var rules = FreightRules.Validate(
        [
            Zone("江苏省", 45m),
            Zone("江苏省", 30m, TransportMode.Waterway),
            Zone("江苏省", 35m, TransportMode.Rail),
            Zone("*", 60m),
        ]);

        Assert.Equal(4, rules.Count);
    }

    [Fact]
    public void ReportsEveryBadFieldAtOnce()
    {
        var error = Invalid(Zone("火星", -1m), Km("江苏省", 0m, 0, TransportMode.BuyerPickup));

        Assert.Equal("INVALID_FIELDS", error.Reason);
        Assert.Equal(
            ["rules[0].destination_province", "rules[0].per_tonne.amount", "rules[1].per_tonne_km.rate.amount", "rules[1].per_tonne_km.distance_km", "rules[1].transport_modes"],
            error.Violations.Select(v => v.Field));
    }

    [Fact]
    public void FindPrefersTheExactProvinceThenAModeNamingRule()
    {
        var jiangsuAll = Zone("江苏省", 45m);
        var jiangsuWater = Zone("江苏省", 30m, TransportMode.Waterway);
        var starRoad = Zone("*", 70m, TransportMode.Road);
        var starAll = Zone("*", 60m);
        FreightRule[] rules = [starRoad, starAll, jiangsuWater, jiangsuAll];

        Assert.Same(jiangsuWater, FreightRules.Find(rules, "江苏省", TransportMode.Waterway));
        Assert.Same(jiangsuAll, FreightRules.Find(rules, "江苏省", TransportMode.Rail));
        Assert.Same(jiangsuAll, FreightRules.Find(rules, " 江苏省 ", TransportMode.Road));
        Assert.Same(starRoad, FreightRules.Find(rules, "浙江省", TransportMode.Road));
        Assert.Same(starAll, FreightRules.Find(rules, "浙江省", TransportMode.Rail));
    }

    [Fact]
    public void FindFallsBackToStarWhenTheProvincesRulesDoNotCoverTheMode()
    {
        var jiangsuRail = Zone("江苏省", 35m, TransportMode.Rail);
        var starAll = Zone("*", 60m);

        Assert.Same(starAll, FreightRules.Find([jiangsuRail, starAll], "江苏省", TransportMode.Road));
        Assert.Null(FreightRules.Find([jiangsuRail], "江苏省", TransportMode.Road));
        Assert.Null(FreightRules.Find([jiangsuRail], "浙江省", TransportMode.Rail));
        Assert.Null(FreightRules.Find([], "江苏省", TransportMode.Rail));
    }
}
