using B2BTrade.Domain.Catalog;

namespace B2BTrade.Domain.Tests.Catalog;

public class CatalogSeedTests
{
    private static readonly CategoryTree s_tree = CatalogSeed.Taxonomy();

    [Fact]
    public void SeedHasTheFourTopLevelCategoriesAndThreeLevels()
    {
        Assert.Equal(["金属矿产", "矿产", "能源化工", "农产品"], s_tree.Roots.Select(r => r.NameZh));
        Assert.Equal(3, s_tree.Nodes.Values.Max(n => n.Level));
        Assert.Equal(["螺纹钢", "线材", "热轧板卷", "冷轧板卷", "中厚板", "型钢", "管材"], s_tree.Children("steel").Select(c => c.NameZh));
        Assert.Equal(["铜", "铝", "锌", "镍", "铅", "锡"], s_tree.Children("nonferrous").Select(c => c.NameZh));
        Assert.Equal(["动力煤", "焦煤"], s_tree.Children("coal").Select(c => c.NameZh));
        Assert.Equal(["PP", "PE", "PVC"], s_tree.Children("plastics").Select(c => c.NameZh));
        Assert.Equal(["大豆", "玉米", "小麦", "豆粕"], s_tree.Children("agri").Select(c => c.NameZh));
    }

    [Fact]
    public void EveryLeafHasARequiredFilterableSchemaAndAWeightBasis()
    {
        Assert.True(s_tree.Leaves.Count() >= 25);
        Assert.All(s_tree.Leaves, leaf =>
        {
            var schema = s_tree.EffectiveSchema(leaf.Id);
            Assert.NotEmpty(schema);
            Assert.Contains(schema, a => a.Required);
            Assert.Contains(schema, a => a.Filterable);
            Assert.Contains(schema, a => a.ShownInList);
            Assert.Equal(schema.Count, schema.Select(a => a.Key).Distinct().Count());
            Assert.NotEmpty(s_tree.EffectiveWeightBases(leaf.Id));
        });
    }

    [Fact]
    public void RebarSchemaHasGradesDiameterLengthMillsAndWeightBasis()
    {
        var schema = s_tree.EffectiveSchema("steel.rebar").ToDictionary(a => a.Key);

        Assert.Equal(AttributeKind.Text, schema["product_name"].Kind);
        Assert.Equal(["HRB400E", "HRB500E", "HRB400", "HRB335"], schema["grade"].Options.Select(o => o.Value));
        var diameter = schema["diameter"];
        Assert.Equal((AttributeKind.Number, "mm", 12m, 32m, "Φ"), (diameter.Kind, diameter.Unit, diameter.Min!.Value, diameter.Max!.Value, diameter.Prefix));
        Assert.True(diameter.Filterable);
        Assert.Equal(["9米", "12米"], schema["length"].Options.Select(o => o.LabelZh));
        Assert.Subset(schema["mill"].Options.Select(o => o.LabelZh).ToHashSet(), new HashSet<string> { "沙钢", "永钢", "中天", "敬业", "鞍钢", "马钢", "首钢", "河钢" });
        Assert.Equal(["理计", "过磅"], schema["weight_basis"].Options.Select(o => o.LabelZh));
        Assert.Equal([WeightBasis.Theoretical, WeightBasis.Weighed], s_tree.EffectiveWeightBases("steel.rebar"));
    }

    [Fact]
    public void OtherLeavesCarryTheirTradeSpecificAttributes()
    {
        Keys("steel.hrc", "grade", "thickness", "width", "mill");
        Keys("nonferrous.copper", "product_name", "grade", "brand");
        Keys("minerals.iron_ore", "product_name", "fe", "port");
        Keys("coal.thermal", "calorific", "sulphur");
        Keys("plastics.pp", "grade_code", "use");
        Keys("agri.soybean", "origin", "moisture", "protein");
        var fe = s_tree.EffectiveSchema("minerals.iron_ore").Single(a => a.Key == "fe");
        Assert.Equal((50m, 68m, "%"), (fe.Min!.Value, fe.Max!.Value, fe.Unit));
        var kcal = s_tree.EffectiveSchema("coal.thermal").Single(a => a.Key == "calorific");
        Assert.Equal((4500m, 6000m, "kcal/kg"), (kcal.Min!.Value, kcal.Max!.Value, kcal.Unit));
        Assert.Contains(s_tree.EffectiveSchema("plastics.pp").Single(a => a.Key == "use").Options, o => o.LabelZh == "拉丝");
        Assert.Equal([WeightBasis.Weighed], s_tree.EffectiveWeightBases("steel.hrc"));
    }

    [Theory]
    [InlineData("steel.rebar", "0.13")]
    [InlineData("nonferrous.copper", "0.13")]
    [InlineData("coal.thermal", "0.13")]
    [InlineData("plastics.pvc", "0.13")]
    [InlineData("agri.soybean", "0.09")]
    [InlineData("agri.corn", "0.09")]
    [InlineData("agri.wheat", "0.09")]
    [InlineData("agri.soymeal", "0.09")]
    public void VatIsThirteenPercentForGoodsAndNineForAgriculturalProducts(string category, string rate)
    {
        Assert.Equal(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), s_tree.EffectiveVatRate(category));
    }

    private static void Keys(string category, params string[] keys) =>
        Assert.Subset(s_tree.EffectiveSchema(category).Select(a => a.Key).ToHashSet(), keys.ToHashSet());
}
