using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Tests.Catalog;

public class CategoryTreeTests
{
    private static readonly CategoryTree s_seed = CatalogSeed.Taxonomy();
    private static readonly Func<string, bool> s_noListings = _ => false;

    private static AttributeDefinition Grade => new()
    {
        Key = "grade",
        LabelZh = "材质",
        LabelEn = "Grade",
        Kind = AttributeKind.Enum,
        Options = [new AttributeOption("Q235B", "Q235B", "Q235B")],
    };

    [Fact]
    public void PathFromRootGivesTheBreadcrumb()
    {
        Assert.Equal(["metals", "steel", "steel.rebar"], s_seed.PathFromRoot("steel.rebar").Select(n => n.Id));
        Assert.Equal("金属矿产 > 钢材 > 螺纹钢", s_seed.PathNameZh("steel.rebar"));
        Assert.Equal([1, 2, 3], s_seed.PathFromRoot("steel.rebar").Select(n => n.Level));
    }

    [Fact]
    public void SubtreeFilterOfSteelCoversExactlyItsSevenProducts()
    {
        var ids = s_seed.SubtreeIds("steel");

        Assert.Equal("steel", ids[0]);
        Assert.Equal(
            ["steel.rebar", "steel.wire_rod", "steel.hrc", "steel.crc", "steel.plate", "steel.section", "steel.pipe"],
            ids.Skip(1));
        Assert.Contains("coal.thermal", s_seed.SubtreeIds("minerals"));
        Assert.DoesNotContain("nonferrous.copper", s_seed.SubtreeIds("steel"));
    }

    [Fact]
    public void UnknownCategoryIsNotFound()
    {
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => s_seed.PathFromRoot("steel.gold")).Kind);
    }

    [Fact]
    public void AddingACategoryWithAnExistingIdIsRefused()
    {
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.AddCategory(s_seed, new NewCategory { Id = "steel.rebar", ParentId = "steel", NameZh = "螺纹", NameEn = "Rebar" }));

        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("CATEGORY_EXISTS", error.Reason);
    }

    [Fact]
    public void AddingUnderALeafThatHasListingsIsRefused()
    {
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.AddCategory(
            s_seed, new NewCategory { Id = "steel.rebar.seismic", ParentId = "steel.rebar", NameZh = "抗震螺纹", NameEn = "Seismic rebar" }, id => id == "steel.rebar"));

        Assert.Equal("CATEGORY_HAS_LISTINGS", error.Reason);
    }

    [Fact]
    public void AddedCategoryAppearsUnderItsParentAndInheritsVatAndSchema()
    {
        var tree = CategoryTreeRules.AddCategory(s_seed, new NewCategory { Id = "steel.strip", ParentId = "steel", NameZh = "带钢", NameEn = "Strip" }, s_noListings);

        Assert.Contains("steel.strip", tree.Get("steel").ChildIds);
        Assert.Equal(3, tree.Get("steel.strip").Level);
        Assert.Equal(0.13m, tree.EffectiveVatRate("steel.strip"));
        Assert.Contains(tree.EffectiveSchema("steel.strip"), a => a.Key == "mill");
        Assert.Equal(s_seed.Version + 1, tree.Version);
    }

    [Fact]
    public void InvalidIdNamesAndVatAreReportedTogether()
    {
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.AddCategory(
            s_seed, new NewCategory { Id = "Steel Rebar", ParentId = "steel", NameZh = "", NameEn = "x", VatRate = 0.17m }));

        Assert.Equal(["id", "name_zh", "vat_rate"], error.Violations.Select(v => v.Field));
    }

    [Fact]
    public void AttributeKeyAlreadyInheritedCannotBeRedefinedBelow()
    {
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.AddCategory(
            s_seed, new NewCategory { Id = "steel.strip", ParentId = "steel", NameZh = "带钢", NameEn = "Strip", Attributes = [Grade with { Key = "mill" }] }));
        Assert.Equal("attributes[0].key", Assert.Single(error.Violations).Field);

        var conflict = Assert.Throws<DomainException>(() => CategoryTreeRules.SetAttribute(s_seed, "steel", Grade));
        Assert.Equal("ATTRIBUTE_KEY_CONFLICT", conflict.Reason);
    }

    [Fact]
    public void MovingACategoryUnderItsOwnDescendantIsRefused()
    {
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.Move(s_seed, "minerals", "coal.thermal"));
        Assert.Equal("CATEGORY_CYCLE", error.Reason);

        var self = Assert.Throws<DomainException>(() => CategoryTreeRules.Move(s_seed, "coal", "coal"));
        Assert.Equal("CATEGORY_CYCLE", self.Reason);
    }

    [Fact]
    public void MovingASubtreeRelevelsItAndUpdatesBothParents()
    {
        var tree = CategoryTreeRules.Move(s_seed, "coal", "energy_chem", s_noListings);

        Assert.Equal(["energy_chem", "coal", "coal.thermal"], tree.PathFromRoot("coal.thermal").Select(n => n.Id));
        Assert.Equal(3, tree.Get("coal.thermal").Level);
        Assert.DoesNotContain("coal", tree.Get("minerals").ChildIds);
        Assert.Contains("coal", tree.Get("energy_chem").ChildIds);
        Assert.DoesNotContain("coal.thermal", tree.SubtreeIds("minerals"));
    }

    [Fact]
    public void MovingToTheTopLevelNeedsItsOwnVatRate()
    {
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.Move(s_seed, "steel", null));
        Assert.Equal("ROOT_NEEDS_DEFAULTS", error.Reason);

        var tree = CategoryTreeRules.Move(CategoryTreeRules.SetVatRate(s_seed, "steel", 0.13m), "steel", null);
        Assert.Contains("steel", tree.RootIds);
        Assert.Equal(1, tree.Get("steel").Level);
        Assert.Equal(2, tree.Get("steel.rebar").Level);
    }

    [Fact]
    public void CategoryWithListingsOrChildrenCannotBeDeleted()
    {
        Assert.Equal("CATEGORY_HAS_LISTINGS", Assert.Throws<DomainException>(() => CategoryTreeRules.Remove(s_seed, "steel.rebar", id => id == "steel.rebar")).Reason);
        Assert.Equal("CATEGORY_HAS_CHILDREN", Assert.Throws<DomainException>(() => CategoryTreeRules.Remove(s_seed, "steel", s_noListings)).Reason);

        var tree = CategoryTreeRules.Remove(s_seed, "nonferrous.tin", s_noListings);
        Assert.Null(tree.Find("nonferrous.tin"));
        Assert.DoesNotContain("nonferrous.tin", tree.Get("nonferrous").ChildIds);
    }

    [Fact]
    public void RenamingAndChangingAnAttributeKeepTheRestOfTheTree()
    {
        var tree = CategoryTreeRules.Rename(s_seed, "steel.rebar", "螺纹钢筋", "Ribbed bar");
        var diameter = tree.EffectiveSchema("steel.rebar").Single(a => a.Key == "diameter");
        tree = CategoryTreeRules.SetAttribute(tree, "steel.rebar", diameter with { Max = 40 });

        Assert.Equal("螺纹钢筋", tree.Get("steel.rebar").NameZh);
        Assert.Equal(40, tree.EffectiveSchema("steel.rebar").Single(a => a.Key == "diameter").Max);
        Assert.Equal(s_seed.EffectiveSchema("steel.rebar").Count, tree.EffectiveSchema("steel.rebar").Count);
        Assert.Equal(s_seed.Nodes.Count, tree.Nodes.Count);
    }

    [Fact]
    public void UpsertAddsThenReplacesNamesParentVatBasesAndOwnAttributesInOrder()
    {
        var added = CategoryTreeRules.Upsert(s_seed, new NewCategory { Id = "steel.rail", ParentId = "steel", NameZh = "钢轨", NameEn = "Rails", Attributes = [Grade] }, s_noListings);
        Assert.Equal(3, added.Get("steel.rail").Level);

        var length = new AttributeDefinition { Key = "rail_length", LabelZh = "长度", LabelEn = "Length", Kind = AttributeKind.Number, Unit = "m", Min = 12.5m, Max = 100m, Decimals = 1 };
        var edited = CategoryTreeRules.Upsert(added, new NewCategory
        {
            Id = "steel.rail", ParentId = "nonferrous", NameZh = "重轨", NameEn = "Heavy rails", VatRate = 0.09m, WeightBases = [WeightBasis.Weighed], Attributes = [length, Grade],
        }, s_noListings);
        var rail = edited.Get("steel.rail");
        Assert.Equal(("重轨", "nonferrous", 0.09m), (rail.NameZh, rail.ParentId, rail.VatRate));
        Assert.Equal(["rail_length", "grade"], rail.Attributes.Select(a => a.Key));
        Assert.DoesNotContain("steel.rail", edited.Get("steel").ChildIds);

        var dropped = CategoryTreeRules.Upsert(edited, new NewCategory { Id = "steel.rail", ParentId = "nonferrous", NameZh = "重轨", NameEn = "Heavy rails", WeightBases = [WeightBasis.Weighed], Attributes = [Grade] }, s_noListings);
        Assert.Equal(["grade"], dropped.Get("steel.rail").Attributes.Select(a => a.Key));
    }

    [Fact]
    public void UpsertIgnoresInheritedAttributesSentBackUnchangedButRefusesChangedOnes()
    {
        var leaf = s_seed.Get("steel.rebar");
        var effective = s_seed.EffectiveSchema("steel.rebar");
        var roundTrip = new NewCategory { Id = leaf.Id, ParentId = leaf.ParentId, NameZh = leaf.NameZh, NameEn = leaf.NameEn, VatRate = leaf.VatRate, WeightBases = [.. leaf.WeightBases], Attributes = [.. effective] };
        var same = CategoryTreeRules.Upsert(s_seed, roundTrip, s_noListings);
        Assert.Equal(effective.Select(a => a.Key), same.EffectiveSchema("steel.rebar").Select(a => a.Key));
        Assert.Equal(effective.Select(a => a.Prefix), same.EffectiveSchema("steel.rebar").Select(a => a.Prefix));

        var inherited = s_seed.EffectiveSchema("steel").FirstOrDefault();
        if (inherited is not null)
        {
            var changed = roundTrip with { Attributes = [.. effective.Select(a => a.Key == inherited.Key ? a with { LabelZh = "改名" } : a)] };
            Assert.Throws<DomainException>(() => CategoryTreeRules.Upsert(s_seed, changed, s_noListings));
        }
    }

    [Fact]
    public void UpsertNeverMovesAChildUnderALeafThatHoldsListings()
    {
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.Upsert(s_seed, new NewCategory { Id = "steel.rebar.coil", ParentId = "steel.rebar", NameZh = "盘螺", NameEn = "Coil" }, id => id == "steel.rebar"));
        Assert.Equal("CATEGORY_HAS_LISTINGS", error.Reason);
        var rootWithoutBases = Assert.Throws<DomainException>(() => CategoryTreeRules.Upsert(s_seed, new NewCategory { Id = "metals", NameZh = "金属矿产", NameEn = "Metals", VatRate = 0.13m }, s_noListings));
        Assert.Equal("ROOT_NEEDS_DEFAULTS", rootWithoutBases.Reason);
    }

    [Fact]
    public void UpsertErrorsNameAttributesByTheirPlaceInTheRequest()
    {
        var inherited = s_seed.EffectiveSchema("steel");
        Assert.NotEmpty(inherited);
        var bad = Grade with { Key = "Bad Key!" };
        var error = Assert.Throws<DomainException>(() => CategoryTreeRules.Upsert(s_seed, new NewCategory
        {
            Id = "steel.rail", ParentId = "steel", NameZh = "钢轨", NameEn = "Rails", Attributes = [.. inherited, bad],
        }, s_noListings));
        Assert.Contains(error.Violations, v => v.Field == $"attributes[{inherited.Count}].key");
    }
}
