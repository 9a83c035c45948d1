namespace B2BTrade.Silo.Search;

/// <summary>Realistic demo/benchmark listings (seeded, deterministic): skewed categories, mills, cities, sellers and
/// prices per category. Category ids form a 3-level tree (see <see cref="Categories"/>).</summary>
public static class CatalogGenerator
{
    public sealed record CategoryInfo(string Id, string Name, string[] Path, double Weight, decimal PriceLow, decimal PriceHigh, bool Steel);

    public const string Grade = "材质";
    public const string Spec = "规格";
    public const string Mill = "钢厂";
    public const string Length = "长度";
    public const string Weighing = "计量方式";
    public const string Width = "宽度";
    public const string Diameter = "直径";
    public const string Thickness = "厚度";
    public const string Variety = "品种";

    public static readonly IReadOnlyDictionary<string, string> CategoryNames = new Dictionary<string, string>
    {
        ["metal"] = "金属矿产", ["steel"] = "钢材", ["nonferrous"] = "有色金属", ["minerals"] = "矿产", ["coal"] = "煤炭",
        ["rebar"] = "螺纹钢", ["hrc"] = "热轧板卷", ["crc"] = "冷轧板卷", ["plate"] = "中厚板", ["wire"] = "高线",
        ["coilrebar"] = "盘螺", ["copper"] = "电解铜", ["aluminium"] = "铝锭", ["ironore"] = "铁矿石", ["thermal"] = "动力煤",
        ["coke"] = "焦炭",
    };

    public static readonly IReadOnlyList<CategoryInfo> Categories =
    [
        new("rebar", "螺纹钢", ["metal", "steel", "rebar"], 30, 3300, 3900, true),
        new("hrc", "热轧板卷", ["metal", "steel", "hrc"], 22, 3400, 4200, true),
        new("crc", "冷轧板卷", ["metal", "steel", "crc"], 9, 4100, 4900, true),
        new("plate", "中厚板", ["metal", "steel", "plate"], 8, 3600, 4400, true),
        new("wire", "高线", ["metal", "steel", "wire"], 7, 3500, 4000, true),
        new("coilrebar", "盘螺", ["metal", "steel", "coilrebar"], 6, 3500, 4000, true),
        new("copper", "电解铜", ["metal", "nonferrous", "copper"], 5, 68000, 76000, false),
        new("aluminium", "铝锭", ["metal", "nonferrous", "aluminium"], 3, 18500, 20500, false),
        new("ironore", "铁矿石", ["minerals", "ironore"], 4, 750, 950, false),
        new("thermal", "动力煤", ["minerals", "coal", "thermal"], 3, 700, 900, false),
        new("coke", "焦炭", ["minerals", "coal", "coke"], 3, 1700, 2100, false),
    ];

    /// <summary>Mill → origin province; weights skewed.</summary>
    public static readonly (string Mill, string Origin, double Weight)[] Mills =
    [
        ("沙钢", "江苏", 18), ("永钢", "江苏", 12), ("中天", "江苏", 10), ("敬业", "河北", 10), ("鞍钢", "辽宁", 9),
        ("马钢", "安徽", 8), ("首钢", "河北", 8), ("河钢", "河北", 9), ("宝钢", "上海", 10), ("日照", "山东", 6),
    ];

    public static readonly (string City, double Weight)[] Cities =
    [
        ("上海", 20), ("杭州", 10), ("南京", 9), ("无锡", 9), ("天津", 10), ("唐山", 8), ("广州", 9), ("佛山", 7),
        ("武汉", 7), ("成都", 6), ("重庆", 5), ("西安", 4), ("郑州", 4), ("济南", 4), ("沈阳", 3), ("长沙", 3),
    ];

    private static readonly decimal[] s_diameters = [12, 14, 16, 18, 20, 22, 25, 28, 32];
    private static readonly decimal[] s_wireDiameters = [6, 6.5m, 8, 10, 12];
    private static readonly decimal[] s_hrcThickness = [1.2m, 1.5m, 1.8m, 2.0m, 2.5m, 2.75m, 3.0m, 4.0m, 5.75m, 7.75m, 9.75m, 11.75m];
    private static readonly decimal[] s_crcThickness = [0.3m, 0.5m, 0.8m, 1.0m, 1.2m, 1.5m, 2.0m, 2.5m, 3.0m];
    private static readonly decimal[] s_plateThickness = [6, 8, 10, 12, 14, 16, 20, 25];
    private static readonly string[] s_widths = ["1250", "1500", "1800", "2000", "2200"];
    private static readonly string[] s_surnames = ["鑫", "盛", "恒", "华", "源", "泰", "隆", "丰", "宏", "达", "德", "诚", "瑞", "通", "金", "永"];

    public static string[] GradesFor(string category) => category switch
    {
        "rebar" => ["HRB400E", "HRB400", "HRB500E"],
        "coilrebar" => ["HRB400E", "HRB400"],
        "wire" => ["HPB300", "Q195", "Q235"],
        "hrc" => ["Q235B", "Q355B", "SPHC", "SS400"],
        "crc" => ["SPCC", "DC01", "DC03"],
        "plate" => ["Q235B", "Q345B", "Q355B"],
        "copper" => ["1#", "A级"],
        "aluminium" => ["A00", "AL99.70"],
        "ironore" => ["62%", "65%", "58%"],
        "thermal" => ["5500大卡", "5000大卡", "4500大卡"],
        _ => ["准一级", "一级", "二级"],
    };

    private static string[] VarietiesFor(string category) => category switch
    {
        "copper" => ["贵溪", "江铜", "金川", "铜陵"],
        "aluminium" => ["中铝", "神火", "云铝"],
        "ironore" => ["PB粉", "纽曼粉", "卡粉", "巴西粉"],
        "thermal" => ["山西", "内蒙", "印尼"],
        _ => ["山西", "河北", "山东"],
    };

    public static string SellerId(int i) => $"S{i:D5}";

    public static IEnumerable<SearchDocument> Generate(int count, int seed = 42)
    {
        var rng = new Random(seed);
        var sellers = Math.Max(20, count / 500);
        var baseTime = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var catCum = Cumulative(Categories.Select(c => c.Weight));
        var millCum = Cumulative(Mills.Select(m => m.Weight));
        var cityCum = Cumulative(Cities.Select(c => c.Weight));
        var sellerCum = Cumulative(Enumerable.Range(1, sellers).Select(i => 1.0 / Math.Pow(i, 0.8)));
        for (var i = 0; i < count; i++)
        {
            var cat = Categories[Pick(rng, catCum)];
            var (mill, origin, _) = Mills[Pick(rng, millCum)];
            var city = Cities[Pick(rng, cityCum)].City;
            var seller = Pick(rng, sellerCum);
            var grades = GradesFor(cat.Id);
            var grade = grades[(int)(Math.Pow(rng.NextDouble(), 1.6) * grades.Length)];
            var enums = new Dictionary<string, string> { [Grade] = grade };
            var numbers = new Dictionary<string, decimal>();
            var specs = new List<string> { grade };
            string name;
            string brand;
            if (cat.Steel)
            {
                brand = mill;
                enums[Mill] = mill;
                switch (cat.Id)
                {
                    case "rebar" or "coilrebar" or "wire":
                    {
                        var dias = cat.Id == "wire" ? s_wireDiameters : cat.Id == "coilrebar" ? s_diameters[..4] : s_diameters;
                        var dia = dias[(int)(Math.Pow(rng.NextDouble(), 1.3) * dias.Length)];
                        numbers[Diameter] = dia;
                        enums[Spec] = $"Φ{dia}";
                        specs.Add($"Φ{dia}");
                        if (cat.Id == "rebar")
                        {
                            var len = rng.NextDouble() < 0.7 ? "9m" : "12m";
                            enums[Length] = len;
                            specs.Add(len);
                        }

                        var weighing = rng.NextDouble() < 0.75 ? "理计" : "过磅";
                        enums[Weighing] = weighing;
                        specs.Add(weighing);
                        name = $"{cat.Name} {grade} Φ{dia} {mill}";
                        break;
                    }

                    default:
                    {
                        var ts = cat.Id == "crc" ? s_crcThickness : cat.Id == "plate" ? s_plateThickness : s_hrcThickness;
                        var t = ts[rng.Next(ts.Length)];
                        var width = s_widths[rng.Next(cat.Id == "plate" ? 5 : 3)];
                        numbers[Thickness] = t;
                        enums[Width] = width;
                        var spec = cat.Id == "plate" ? $"{t}*{width}*L" : $"{t}*{width}*C";
                        enums[Spec] = spec;
                        specs.Add(spec);
                        name = $"{cat.Name} {grade} {spec} {mill}";
                        break;
                    }
                }
            }
            else
            {
                var varieties = VarietiesFor(cat.Id);
                brand = varieties[rng.Next(varieties.Length)];
                enums[Variety] = brand;
                origin = cat.Id switch
                {
                    "ironore" => brand is "巴西粉" ? "巴西" : "澳大利亚",
                    "thermal" => brand,
                    "coke" => brand,
                    _ => brand is "贵溪" or "江铜" ? "江西" : brand is "金川" ? "甘肃" : "安徽",
                };
                specs.Add(brand);
                name = $"{cat.Name} {brand} {grade}";
            }

            var step = cat.PriceHigh > 10000 ? 10m : 1m;
            var low = cat.PriceLow + (Math.Round((decimal)rng.NextDouble() * (cat.PriceHigh - cat.PriceLow) / step) * step);
            var high = low + (rng.Next(0, 6) * 10m * (cat.PriceHigh > 10000 ? 10 : 1));
            var stock = Math.Round(10m + ((decimal)Math.Pow(rng.NextDouble(), 2) * 4990m), 3);
            var moq = rng.Next(1, 21) * 5m;
            yield return new SearchDocument(
                ListingId: $"L{i:D8}",
                SellerId: SellerId(seller),
                SellerName: $"{city}{s_surnames[seller % s_surnames.Length]}{s_surnames[(seller / 16) % s_surnames.Length]}钢铁贸易有限公司",
                CategoryPath: cat.Path,
                EnumAttributes: enums,
                NumberAttributes: numbers,
                Name: name,
                Brand: brand,
                Origin: origin,
                WarehouseCity: city,
                PriceMin: low,
                PriceMax: high,
                StockTonnes: stock,
                MoqTonnes: moq,
                KeySpecs: [.. specs],
                UpdatedAt: baseTime.AddSeconds(-rng.Next(0, 30 * 86400)),
                Active: true,
                Version: 1);
        }
    }

    /// <summary>A realistic search: a category (usually a leaf), 1–3 attribute filters, often a price band, sometimes a
    /// diameter/thickness range, city or keyword; random sort.</summary>
    public static SearchQuery RandomQuery(Random rng, int pageSize = 20)
    {
        var catCum = Cumulative(Categories.Select(c => c.Weight));
        var cat = Categories[Pick(rng, catCum)];
        var attrs = new Dictionary<string, IReadOnlyCollection<string>>();
        var candidates = new List<(string Key, string[] Values)> { (Grade, GradesFor(cat.Id)) };
        if (cat.Steel)
        {
            candidates.Add((Mill, Mills.Select(m => m.Mill).ToArray()));
            candidates.Add((cat.Id is "rebar" or "coilrebar" or "wire" ? Weighing : Width, cat.Id is "rebar" or "coilrebar" or "wire" ? ["理计", "过磅"] : s_widths[..3]));
        }
        else
        {
            candidates.Add((Variety, VarietiesFor(cat.Id)));
        }

        var filters = rng.Next(1, Math.Min(3, candidates.Count) + 1);
        foreach (var (key, values) in candidates.OrderBy(_ => rng.Next()).Take(filters))
        {
            attrs[key] = values.OrderBy(_ => rng.Next()).Take(rng.Next(1, Math.Min(2, values.Length) + 1)).ToArray();
        }

        decimal? pmin = null, pmax = null;
        if (rng.NextDouble() < 0.7)
        {
            var span = cat.PriceHigh - cat.PriceLow;
            pmin = cat.PriceLow + Math.Round(span * (decimal)(rng.NextDouble() * 0.5));
            pmax = pmin + Math.Round(span * (decimal)(0.2 + (rng.NextDouble() * 0.5)));
        }

        Dictionary<string, NumberRange>? numbers = null;
        if (rng.NextDouble() < 0.3 && cat.Steel)
        {
            numbers = cat.Id is "rebar" or "coilrebar" or "wire"
                ? new() { [Diameter] = new NumberRange(14, 25) }
                : new() { [Thickness] = new NumberRange(1.5m, 10m) };
        }

        string[]? cities = rng.NextDouble() < 0.3 ? [Cities[rng.Next(6)].City, Cities[rng.Next(Cities.Length)].City] : null;
        string? keyword = rng.NextDouble() < 0.3
            ? rng.Next(3) switch
            {
                0 => Mills[rng.Next(Mills.Length)].Mill,
                1 => $"{cat.Name} {GradesFor(cat.Id)[0]}",
                _ => cat.Name,
            }
            : null;
        return new SearchQuery
        {
            CategoryId = rng.NextDouble() < 0.1 ? cat.Path[^2] : cat.Id,
            Attributes = attrs,
            Numbers = numbers,
            PriceMin = pmin,
            PriceMax = pmax,
            Cities = cities,
            Keyword = keyword,
            Sort = (SearchSort)rng.Next(4),
            PageSize = pageSize,
        };
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var list = weights.ToArray();
        var total = list.Sum();
        var acc = 0.0;
        return list.Select(w => acc += w / total).ToArray();
    }

    private static int Pick(Random rng, double[] cumulative)
    {
        var x = rng.NextDouble();
        var i = Array.BinarySearch(cumulative, x);
        i = i < 0 ? ~i : i;
        return Math.Min(i, cumulative.Length - 1);
    }
}
