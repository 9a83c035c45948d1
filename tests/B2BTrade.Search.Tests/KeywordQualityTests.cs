using B2BTrade.Silo.Search;

namespace B2BTrade.Search.Tests;

/// <summary>What buyers type into the search box, against listings named the way Chinese traders name them.</summary>
public sealed class KeywordQualityTests : IDisposable
{
    private readonly CatalogSearchIndex _index = new();

    public KeywordQualityTests()
    {
        Add("rebar", ["金属矿产", "钢材", "螺纹钢", "Metals", "Steel", "Rebar"], "沙钢 HRB400E Φ25 12m", "沙钢", "江苏张家港", "上海", "上海钢联贸易有限公司", ["HRB400E", "Φ25mm", "12m"]);
        Add("wire", ["金属矿产", "钢材", "线材", "Metals", "Steel", "Wire rod"], "高线 HPB300 Φ6.5", "永钢", "江苏张家港", "杭州", "杭州物产钢铁有限公司", ["HPB300", "Φ6.5mm"]);
        Add("hrc", ["金属矿产", "钢材", "热轧板卷", "Metals", "Steel", "Hot-rolled coil"], "热轧板卷 Q235B 5.75*1500*C", "鞍钢", "辽宁鞍山", "天津", "天津物产金属有限公司", ["Q235B", "5.75mm"]);
        Add("crc", ["金属矿产", "钢材", "冷轧板卷", "Metals", "Steel", "Cold-rolled coil"], "冷轧板卷 SPCC 1.0*1250*C", "宝钢", "上海宝山", "上海", "上海宝钢商贸有限公司", ["SPCC", "1.0mm"]);
        Add("copper", ["金属矿产", "有色金属", "铜", "Metals", "Non-ferrous metals", "Copper"], "电解铜 Cu≥99.95% 1#", "江铜", "江西贵溪", "上海", "江西铜业贸易有限公司", ["1#"]);
        Add("ore", ["矿产", "铁矿石", "Minerals", "Iron ore"], "PB粉 62.5% 青岛港现货", "力拓", "澳大利亚", "青岛", "青岛港国际贸易有限公司", ["62.5%"]);
        Add("methanol", ["能源化工", "甲醇", "Energy & chemicals", "Methanol"], "甲醇 优等品 国标", "久泰", "内蒙古", "太仓", "太仓化工物流有限公司", ["优等品"]);
        Add("soy", ["农产品", "大豆", "Farm produce", "Soybeans"], "进口大豆 巴西 蛋白≥35%", "中粮", "巴西", "大连", "大连粮油贸易有限公司", ["35%"]);
    }

    private void Add(string id, string[] categoryNames, string name, string brand, string origin, string city, string seller, string[] keySpecs) =>
        _index.Upsert(new SearchDocument(id, "ent_" + id, seller, ["c"], new Dictionary<string, string>(), new Dictionary<string, decimal>(),
            name, brand, origin, city, 1000m, 1000m, 100m, 1m, keySpecs, DateTimeOffset.UnixEpoch, true, 1)
        { ExtraText = [.. categoryNames, city, seller] });

    [Theory]
    [InlineData("螺纹钢", "rebar")]
    [InlineData("螺纹", "rebar")]
    [InlineData("上海 螺纹钢", "rebar")]
    [InlineData("沙钢螺纹钢", "rebar")]
    [InlineData("hrb400e", "rebar")]
    [InlineData("HRB400E 螺纹钢 上海", "rebar")]
    [InlineData("rebar", "rebar")]
    [InlineData("钢材", "rebar,wire,hrc,crc")]
    [InlineData("线材", "wire")]
    [InlineData("热轧板卷", "hrc")]
    [InlineData("热轧", "hrc")]
    [InlineData("Q235B 鞍钢", "hrc")]
    [InlineData("冷轧 宝钢", "crc")]
    [InlineData("电解铜", "copper")]
    [InlineData("铜", "copper")]
    [InlineData("有色金属", "copper")]
    [InlineData("铁矿石", "ore")]
    [InlineData("PB粉", "ore")]
    [InlineData("甲醇", "methanol")]
    [InlineData("大连 大豆", "soy")]
    [InlineData("进口大豆", "soy")]
    [InlineData("上海", "rebar,crc,copper")]
    [InlineData("不锈钢", "")]
    [InlineData("螺纹钢 天津", "")]
    public void BuyersFindWhatTheyTypeAndNothingElse(string keyword, string expected)
    {
        var found = _index.Search(new SearchQuery { Keyword = keyword, PageSize = 100 }).Items.Select(d => d.ListingId).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), found);
    }

    public void Dispose() => _index.Dispose();
}
