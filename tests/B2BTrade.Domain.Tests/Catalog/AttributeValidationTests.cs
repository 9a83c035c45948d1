using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Tests.Catalog;

public class AttributeValidationTests
{
    private static readonly ImmutableList<AttributeDefinition> s_rebar = CatalogSeed.Taxonomy().EffectiveSchema("steel.rebar");

    private static readonly AttributeDefinition s_length = new()
    {
        Key = "length",
        LabelZh = "长度",
        LabelEn = "Length",
        Kind = AttributeKind.Range,
        Unit = "m",
        Min = 6,
        Max = 12,
        Decimals = 1,
    };

    private static Dictionary<string, string> ValidRebar() => new()
    {
        ["grade"] = "HRB400E",
        ["diameter"] = "20",
        ["length"] = "9m",
        ["mill"] = "shagang",
        ["weight_basis"] = "theoretical",
    };

    [Fact]
    public void NormalisesLabelsUnitsAndPrefixesToCanonicalValues()
    {
        var input = ValidRebar();
        input["grade"] = "hrb500e";
        input["diameter"] = "Φ12mm";
        input["mill"] = "沙钢";
        input["weight_basis"] = "过磅";
        input["product_name"] = "  抗震螺纹钢 ";

        var values = CatalogRules.ValidateAttributes(s_rebar, input);

        Assert.Equal("HRB500E", values["grade"]);
        Assert.Equal("12", values["diameter"]);
        Assert.Equal("shagang", values["mill"]);
        Assert.Equal("weighed", values["weight_basis"]);
        Assert.Equal("抗震螺纹钢", values["product_name"]);
    }

    [Fact]
    public void ReportsEveryBadAttributeByItsOwnField()
    {
        var input = new Dictionary<string, string>
        {
            ["grade"] = "HRB999",
            ["diameter"] = "40",
            ["length"] = "9m",
            ["weight_basis"] = "理计",
            ["colour"] = "red",
            ["product_name"] = new string('螺', 31),
        };

        var error = Assert.Throws<DomainException>(() => CatalogRules.ValidateAttributes(s_rebar, input));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        var reasons = error.Violations.ToDictionary(v => v.Field, v => v.Reason);
        Assert.Equal("NOT_ALLOWED_VALUE", reasons["attributes.grade"]);
        Assert.Equal("OUT_OF_RANGE", reasons["attributes.diameter"]);
        Assert.Equal("REQUIRED", reasons["attributes.mill"]);
        Assert.Equal("UNKNOWN_ATTRIBUTE", reasons["attributes.colour"]);
        Assert.Equal("TOO_LONG", reasons["attributes.product_name"]);
        Assert.Equal(5, error.Violations.Length);
        Assert.Contains("Φ12–Φ32mm", error.Violations.Single(v => v.Field == "attributes.diameter").MessageZh, StringComparison.Ordinal);
        Assert.All(error.Violations, v => Assert.False(string.IsNullOrEmpty(v.MessageZh)));
    }

    [Theory]
    [InlineData("20cm", "WRONG_UNIT")]
    [InlineData("12.5", "TOO_PRECISE")]
    [InlineData("粗", "NOT_A_NUMBER")]
    [InlineData("11", "OUT_OF_RANGE")]
    public void RejectsDiametersWithTheWrongUnitPrecisionOrSize(string diameter, string reason)
    {
        var input = ValidRebar();
        input["diameter"] = diameter;

        var error = Assert.Throws<DomainException>(() => CatalogRules.ValidateAttributes(s_rebar, input));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("attributes.diameter", violation.Field);
        Assert.Equal(reason, violation.Reason);
    }

    [Theory]
    [InlineData("9-12", "9-12")]
    [InlineData("9m~12m", "9-12")]
    [InlineData("6.0至7.5", "6-7.5")]
    [InlineData("12", "12")]
    [InlineData("9-9", "9")]
    public void RangeAttributesAcceptASingleValueOrAFromToSpan(string raw, string normalised)
    {
        var values = CatalogRules.ValidateAttributes([s_length], new Dictionary<string, string> { ["length"] = raw });

        Assert.Equal(normalised, values["length"]);
    }

    [Theory]
    [InlineData("12-9", "INVALID_RANGE")]
    [InlineData("5-9", "OUT_OF_RANGE")]
    [InlineData("9-13", "OUT_OF_RANGE")]
    [InlineData("9-x", "NOT_A_NUMBER")]
    public void RangeAttributesRejectReversedOrOutOfBoundsSpans(string raw, string reason)
    {
        var error = Assert.Throws<DomainException>(() => CatalogRules.ValidateAttributes([s_length], new Dictionary<string, string> { ["length"] = raw }));

        Assert.Equal(reason, Assert.Single(error.Violations).Reason);
        Assert.Equal("attributes.length", error.Violations[0].Field);
    }

    [Fact]
    public void BlankOptionalValuesAreDroppedAndBlankRequiredOnesReported()
    {
        var input = ValidRebar();
        input["product_name"] = "  ";
        input["grade"] = " ";

        var error = Assert.Throws<DomainException>(() => CatalogRules.ValidateAttributes(s_rebar, input));
        Assert.Equal("attributes.grade", Assert.Single(error.Violations).Field);

        input["grade"] = "HRB400E";
        Assert.False(CatalogRules.ValidateAttributes(s_rebar, input).ContainsKey("product_name"));
    }

    [Fact]
    public void KeySpecsShowListColumnsInSchemaOrderWithUnits()
    {
        var values = CatalogRules.ValidateAttributes(s_rebar, ValidRebar());

        var specs = CatalogRules.KeySpecs(s_rebar, values);

        Assert.Equal(["HRB400E", "Φ20mm", "9米", "沙钢", "理计"], specs.Select(s => s.DisplayZh));
        Assert.Equal(["材质", "规格", "长度", "钢厂", "计量方式"], specs.Select(s => s.LabelZh));
    }

    [Fact]
    public void OperatorDefinitionsWithoutOptionsOrWithInvertedBoundsAreRefused()
    {
        var v = new Validation();
        CatalogRules.ValidateDefinition(v, new AttributeDefinition { Key = "Grade!", LabelZh = "材质", LabelEn = "Grade", Kind = AttributeKind.Enum }, "attribute");
        CatalogRules.ValidateDefinition(v, s_length with { Min = 12, Max = 6 }, "other");

        var error = Assert.Throws<DomainException>(v.ThrowIfInvalid);

        Assert.Equal(["attribute.key", "attribute.options", "other.min"], error.Violations.Select(x => x.Field));
    }

    [Fact]
    public void RebarTheoreticalWeightFollowsTheStandardFormula()
    {
        Assert.Equal(0.888m, CatalogRules.RebarKgPerMetre(12));
        Assert.Equal(2.468m, CatalogRules.RebarKgPerMetre(20));
        Assert.Equal(6.318m, CatalogRules.RebarKgPerMetre(32));
    }

    [Fact]
    public void TaxInclusiveAmountSplitsIntoNetAndVatThatAddBack()
    {
        var (net, vat) = CatalogRules.SplitTaxInclusive(3850.00m, 0.13m);

        Assert.Equal(3407.08m, net);
        Assert.Equal(442.92m, vat);
        Assert.Equal(3850.00m, net + vat);
    }
}
