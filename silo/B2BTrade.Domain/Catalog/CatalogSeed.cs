using System.Collections.Immutable;

namespace B2BTrade.Domain.Catalog;

/// <summary>
/// The seeded commodity taxonomy. Built through <see cref="CategoryTreeRules.AddCategory"/>, so the seed obeys the
/// same rules operators do. Shared attributes sit on the parent (钢材's 钢厂 list is inherited by its seven leaves).
/// </summary>
public static class CatalogSeed
{
    private static readonly WeightBasis[] s_weighed = [WeightBasis.Weighed];
    private static readonly WeightBasis[] s_both = [WeightBasis.Theoretical, WeightBasis.Weighed];

    public static CategoryTree Taxonomy()
    {
        var tree = CategoryTree.Empty;
        void Add(string id, string? parent, string zh, string en, params AttributeDefinition[] attributes) =>
            tree = CategoryTreeRules.AddCategory(tree, new NewCategory { Id = id, ParentId = parent, NameZh = zh, NameEn = en, Attributes = attributes });
        void AddWeighed(string id, string zh, string en, params AttributeDefinition[] attributes) =>
            tree = CategoryTreeRules.AddCategory(tree, new NewCategory { Id = id, ParentId = "steel", NameZh = zh, NameEn = en, WeightBases = s_weighed, Attributes = attributes });
        void Root(string id, string zh, string en, decimal vat, WeightBasis[] bases) =>
            tree = CategoryTreeRules.AddCategory(tree, new NewCategory { Id = id, NameZh = zh, NameEn = en, VatRate = vat, WeightBases = bases });

        // 金属矿产 > 钢材
        Root("metals", "金属矿产", "Metals", 0.13m, s_weighed);
        tree = CategoryTreeRules.AddCategory(tree, new NewCategory
        {
            Id = "steel",
            ParentId = "metals",
            NameZh = "钢材",
            NameEn = "Steel",
            WeightBases = s_both,
            Attributes =
            [
                Enum("mill", "钢厂", "Mill", 80, required: true, list: true,
                    ("shagang", "沙钢", "Shagang"), ("yonggang", "永钢", "Yonggang"), ("zenith", "中天", "Zenith Steel"), ("jingye", "敬业", "Jingye"),
                    ("ansteel", "鞍钢", "Ansteel"), ("masteel", "马钢", "Masteel"), ("shougang", "首钢", "Shougang"), ("hbis", "河钢", "HBIS"),
                    ("baosteel", "宝钢", "Baosteel"), ("bengang", "本钢", "Bengang"), ("rizhao", "日照钢铁", "Rizhao Steel"), ("nisco", "南钢", "Nanjing Steel"),
                    ("baotou", "包钢", "Baotou Steel"), ("pinggang", "萍钢", "Pingxiang Steel"), ("sansteel", "三钢", "Sansteel"), ("delong", "德龙", "Delong"),
                    ("tianjin_pipe", "天津钢管", "TPCO"), ("youfa", "友发", "Youfa")),
            ],
        });
        Add("steel.rebar", "steel", "螺纹钢", "Rebar",
            Text("product_name", "品名", "Product name", 10, 30),
            Enum("grade", "材质", "Grade", 20, required: true, list: true,
                ("HRB400E", "HRB400E", "HRB400E"), ("HRB500E", "HRB500E", "HRB500E"), ("HRB400", "HRB400", "HRB400"), ("HRB335", "HRB335", "HRB335")),
            Number("diameter", "规格", "Diameter", 30, "mm", 12, 32, 0, prefix: "Φ", required: true, list: true),
            Enum("length", "长度", "Length", 40, required: true, list: true, ("9m", "9米", "9 m"), ("12m", "12米", "12 m")),
            WeightBasisAttribute());
        Add("steel.wire_rod", "steel", "线材", "Wire rod",
            Enum("product_name", "品名", "Product", 10, required: true, list: true, ("high_wire", "高线", "High-speed wire rod"), ("coiled_rebar", "盘螺", "Coiled rebar"), ("plain_wire", "普线", "Plain wire rod")),
            Enum("grade", "材质", "Grade", 20, required: true, list: true, ("HPB300", "HPB300", "HPB300"), ("Q195", "Q195", "Q195"), ("Q235", "Q235", "Q235"), ("HRB400E", "HRB400E", "HRB400E")),
            Number("diameter", "规格", "Diameter", 30, "mm", 5.5m, 14, 1, prefix: "Φ", required: true, list: true),
            WeightBasisAttribute());
        // Coils are weighed: a coil has no length to compute a theoretical weight from.
        AddWeighed("steel.hrc", "热轧板卷", "Hot-rolled coil",
            Enum("grade", "材质", "Grade", 20, required: true, list: true,
                ("Q235B", "Q235B", "Q235B"), ("Q355B", "Q355B", "Q355B"), ("SPHC", "SPHC", "SPHC"), ("SS400", "SS400", "SS400"), ("Q195", "Q195", "Q195")),
            Number("thickness", "厚度", "Thickness", 30, "mm", 1.2m, 25, 2, required: true, list: true),
            Number("width", "宽度", "Width", 40, "mm", 1000, 2000, 0, required: true, list: true),
            Enum("edge", "边部", "Edge", 50, required: false, list: false, ("mill_edge", "毛边", "Mill edge"), ("trimmed", "切边", "Trimmed edge")));
        AddWeighed("steel.crc", "冷轧板卷", "Cold-rolled coil",
            Enum("grade", "材质", "Grade", 20, required: true, list: true,
                ("SPCC", "SPCC", "SPCC"), ("DC01", "DC01", "DC01"), ("DC03", "DC03", "DC03"), ("DC04", "DC04", "DC04"), ("ST12", "ST12", "ST12")),
            Number("thickness", "厚度", "Thickness", 30, "mm", 0.2m, 3, 2, required: true, list: true),
            Number("width", "宽度", "Width", 40, "mm", 900, 1850, 0, required: true, list: true));
        Add("steel.plate", "steel", "中厚板", "Medium and heavy plate",
            Enum("grade", "材质", "Grade", 20, required: true, list: true,
                ("Q235B", "Q235B", "Q235B"), ("Q355B", "Q355B", "Q355B"), ("Q345R", "Q345R", "Q345R"), ("Q355NE", "Q355NE", "Q355NE")),
            Number("thickness", "厚度", "Thickness", 30, "mm", 6, 150, 0, required: true, list: true),
            Number("width", "宽度", "Width", 40, "mm", 1500, 4000, 0, required: true, list: true),
            Range("length", "长度", "Length", 50, "mm", 2000, 18000, 0, list: false),
            WeightBasisAttribute());
        Add("steel.section", "steel", "型钢", "Sections",
            Enum("product_name", "品名", "Product", 10, required: true, list: true,
                ("h_beam", "H型钢", "H-beam"), ("i_beam", "工字钢", "I-beam"), ("angle", "角钢", "Angle"), ("channel", "槽钢", "Channel")),
            Enum("grade", "材质", "Grade", 20, required: true, list: true, ("Q235B", "Q235B", "Q235B"), ("Q355B", "Q355B", "Q355B")),
            Text("size", "规格", "Size", 30, 40, required: true, list: true),
            Range("length", "长度", "Length", 40, "m", 6, 12, 0, list: true),
            WeightBasisAttribute());
        Add("steel.pipe", "steel", "管材", "Pipes",
            Enum("product_name", "品名", "Product", 10, required: true, list: true,
                ("welded", "焊管", "Welded pipe"), ("seamless", "无缝管", "Seamless pipe"), ("galvanised", "镀锌管", "Galvanised pipe"), ("spiral", "螺旋管", "Spiral pipe")),
            Enum("grade", "材质", "Grade", 20, required: true, list: true, ("Q235B", "Q235B", "Q235B"), ("Q355B", "Q355B", "Q355B"), ("20#", "20#", "No. 20"), ("L245", "L245", "L245")),
            Number("outer_diameter", "外径", "Outer diameter", 30, "mm", 10, 1620, 1, prefix: "Φ", required: true, list: true),
            Number("wall", "壁厚", "Wall thickness", 40, "mm", 1, 60, 2, required: true, list: true),
            Range("length", "长度", "Length", 50, "m", 6, 12, 0, list: false),
            WeightBasisAttribute());

        // 金属矿产 > 有色金属
        tree = CategoryTreeRules.AddCategory(tree, new NewCategory { Id = "nonferrous", ParentId = "metals", NameZh = "有色金属", NameEn = "Non-ferrous metals", WeightBases = s_weighed });
        Add("nonferrous.copper", "nonferrous", "铜", "Copper",
            Enum("product_name", "品名", "Product", 10, required: true, list: true, ("cathode", "电解铜", "Copper cathode"), ("rod", "铜杆", "Copper rod")),
            Enum("grade", "品级", "Grade", 20, required: true, list: true, ("grade_a", "A级", "Grade A"), ("no1", "1#", "No. 1")),
            Enum("brand", "品牌", "Brand", 30, required: true, list: true,
                ("guixi", "贵溪", "Guixi"), ("jinchuan", "金川", "Jinchuan"), ("tongling", "铜陵", "Tongling"), ("daye", "大冶", "Daye"), ("yunnan", "云铜", "Yunnan Copper"), ("zijin", "紫金", "Zijin")),
            Number("purity", "铜含量", "Cu content", 40, "%", 99.9m, 99.9999m, 4, list: false));
        Add("nonferrous.aluminium", "nonferrous", "铝", "Aluminium",
            Enum("product_name", "品名", "Product", 10, required: true, list: true, ("ingot", "铝锭", "Ingot"), ("billet", "铝棒", "Billet")),
            Enum("grade", "品级", "Grade", 20, required: true, list: true, ("Al99.70", "Al99.70", "Al99.70"), ("Al99.85", "Al99.85", "Al99.85"), ("Al99.90", "Al99.90", "Al99.90")),
            Enum("brand", "品牌", "Brand", 30, required: true, list: true,
                ("chalco", "中铝", "Chalco"), ("weiqiao", "魏桥", "Weiqiao"), ("xinfa", "信发", "Xinfa"), ("shenhuo", "神火", "Shenhuo"), ("yunlv", "云铝", "Yunnan Aluminium"), ("east_hope", "东方希望", "East Hope")));
        Add("nonferrous.zinc", "nonferrous", "锌", "Zinc",
            Enum("grade", "品级", "Grade", 20, required: true, list: true, ("zn99995", "0#锌 Zn99.995", "Zn99.995"), ("zn9999", "1#锌 Zn99.99", "Zn99.99")),
            Enum("brand", "品牌", "Brand", 30, required: true, list: true, ("zhuye", "株冶", "Zhuye"), ("chihong", "驰宏", "Chihong"), ("huludao", "葫芦岛", "Huludao"), ("sgc", "韶关冶炼", "Shaoguan")));
        Add("nonferrous.nickel", "nonferrous", "镍", "Nickel",
            Enum("product_name", "品名", "Product", 10, required: true, list: true, ("cathode", "电解镍", "Nickel cathode"), ("briquette", "镍豆", "Nickel briquette")),
            Enum("brand", "品牌", "Brand", 30, required: true, list: true, ("jinchuan", "金川", "Jinchuan"), ("norilsk", "俄镍", "Norilsk"), ("xinxin", "新鑫", "Xinxin"), ("bhp", "必和必拓", "BHP")));
        Add("nonferrous.lead", "nonferrous", "铅", "Lead",
            Enum("grade", "品级", "Grade", 20, required: true, list: true, ("pb99994", "1#铅 Pb99.994", "Pb99.994")),
            Enum("brand", "品牌", "Brand", 30, required: true, list: true, ("yuguang", "豫光", "Yuguang"), ("nanling", "中金岭南", "Nanling"), ("chihong", "驰宏", "Chihong")));
        Add("nonferrous.tin", "nonferrous", "锡", "Tin",
            Enum("grade", "品级", "Grade", 20, required: true, list: true, ("sn9990", "Sn99.90", "Sn99.90"), ("sn9995", "Sn99.95", "Sn99.95")),
            Enum("brand", "品牌", "Brand", 30, required: true, list: true, ("yunxi", "云锡", "Yunnan Tin"), ("huaxi", "华锡", "Huaxi")));

        // 矿产
        Root("minerals", "矿产", "Minerals", 0.13m, s_weighed);
        Add("minerals.iron_ore", "minerals", "铁矿石", "Iron ore",
            Enum("product_name", "品名", "Product", 10, required: true, list: true,
                ("pb_fines", "PB粉", "PB fines"), ("newman_fines", "纽曼粉", "Newman fines"), ("carajas_fines", "卡粉", "Carajas fines"),
                ("mac_fines", "麦克粉", "Mac fines"), ("ssf", "超特粉", "Super special fines"), ("brbf", "巴混", "BRBF")),
            Number("fe", "铁品位", "Fe grade", 20, "%", 50, 68, 1, required: true, list: true),
            Enum("port", "港口", "Port", 30, required: true, list: true,
                ("rizhao", "日照港", "Rizhao"), ("qingdao", "青岛港", "Qingdao"), ("caofeidian", "曹妃甸港", "Caofeidian"), ("jingtang", "京唐港", "Jingtang"),
                ("lanshan", "岚山港", "Lanshan"), ("lianyungang", "连云港", "Lianyungang"), ("tianjin", "天津港", "Tianjin")),
            Number("moisture", "水分", "Moisture", 40, "%", 0, 15, 1, list: false));
        Add("coal", "minerals", "煤炭", "Coal");
        Add("coal.thermal", "coal", "动力煤", "Thermal coal",
            Number("calorific", "热值", "Calorific value", 10, "kcal/kg", 4500, 6000, 0, required: true, list: true),
            Number("sulphur", "硫分", "Sulphur", 20, "%", 0, 3, 2, required: true, list: true),
            Number("volatile", "挥发分", "Volatile matter", 30, "%", 0, 50, 1, list: false),
            Range("size", "粒度", "Size", 40, "mm", 0, 300, 0, list: false));
        Add("coal.coking", "coal", "焦煤", "Coking coal",
            Enum("product_name", "品名", "Product", 10, required: true, list: true, ("prime", "主焦煤", "Prime coking coal"), ("one_third", "1/3焦煤", "1/3 coking coal"), ("fat", "肥煤", "Fat coal"), ("lean", "瘦煤", "Lean coal")),
            Number("ash", "灰分", "Ash", 20, "%", 0, 15, 1, required: true, list: true),
            Number("sulphur", "硫分", "Sulphur", 30, "%", 0, 3, 2, required: true, list: true),
            Number("g_value", "粘结指数", "Caking index (G)", 40, "", 0, 110, 0, list: false));
        Add("minerals.coke", "minerals", "焦炭", "Coke",
            Enum("grade", "等级", "Grade", 10, required: true, list: true, ("quasi_first", "准一级", "Quasi first grade"), ("first", "一级", "First grade"), ("second", "二级", "Second grade")),
            Number("ash", "灰分", "Ash", 20, "%", 0, 20, 1, required: true, list: true),
            Number("sulphur", "硫分", "Sulphur", 30, "%", 0, 2, 2, list: false),
            Number("csr", "热强度", "CSR", 40, "%", 0, 80, 0, list: false),
            Range("size", "粒度", "Size", 50, "mm", 0, 150, 0, list: false));

        // 能源化工
        Root("energy_chem", "能源化工", "Energy & chemicals", 0.13m, s_weighed);
        tree = CategoryTreeRules.AddCategory(tree, new NewCategory
        {
            Id = "plastics",
            ParentId = "energy_chem",
            NameZh = "塑料",
            NameEn = "Plastics",
            Attributes =
            [
                Text("grade_code", "牌号", "Grade code", 10, 30, list: true),
                Enum("producer", "生产商", "Producer", 20, required: true, list: true,
                    ("sinopec", "中石化", "Sinopec"), ("petrochina", "中石油", "PetroChina"), ("chn_energy", "国家能源", "CHN Energy"),
                    ("hengli", "恒力石化", "Hengli"), ("zpc", "浙石化", "ZPC"), ("zhongtai", "中泰化学", "Zhongtai"), ("tianye", "新疆天业", "Tianye"), ("beiyuan", "北元化工", "Beiyuan")),
            ],
        });
        Add("plastics.pp", "plastics", "PP", "Polypropylene",
            Enum("use", "用途", "Use", 30, required: true, list: true, ("raffia", "拉丝", "Raffia"), ("injection", "注塑", "Injection"), ("copolymer", "共聚", "Copolymer"), ("fibre", "纤维", "Fibre")),
            Number("mfr", "熔指", "Melt flow rate", 40, "g/10min", 0.1m, 100, 1, list: false));
        Add("plastics.pe", "plastics", "PE", "Polyethylene",
            Enum("type", "种类", "Type", 30, required: true, list: true, ("hdpe", "HDPE", "HDPE"), ("ldpe", "LDPE", "LDPE"), ("lldpe", "LLDPE", "LLDPE")),
            Enum("use", "用途", "Use", 40, required: true, list: true, ("film", "膜料", "Film"), ("injection", "注塑", "Injection"), ("blow", "中空", "Blow moulding"), ("pipe", "管材", "Pipe"), ("raffia", "拉丝", "Raffia")));
        Add("plastics.pvc", "plastics", "PVC", "PVC",
            Enum("process", "工艺", "Process", 30, required: true, list: true, ("carbide", "电石法", "Calcium carbide"), ("ethylene", "乙烯法", "Ethylene")),
            Enum("model", "型号", "Model", 40, required: true, list: true, ("sg3", "SG-3", "SG-3"), ("sg5", "SG-5", "SG-5"), ("sg8", "SG-8", "SG-8")));
        Add("chem.rubber", "energy_chem", "橡胶", "Rubber",
            Enum("product_name", "品种", "Type", 10, required: true, list: true,
                ("rss_wf", "全乳胶", "Whole-latex (SCRWF)"), ("tsr20", "20号标胶", "TSR 20"), ("br9000", "顺丁橡胶 BR9000", "BR9000"), ("sbr1502", "丁苯橡胶 SBR1502", "SBR1502")),
            Number("year", "年份", "Production year", 20, "", 2015, 2040, 0, list: true));
        Add("chem.methanol", "energy_chem", "甲醇", "Methanol",
            Enum("grade", "级别", "Grade", 10, required: true, list: true, ("superior", "优等品", "Superior"), ("first", "一等品", "First class"), ("qualified", "合格品", "Qualified")),
            Number("purity", "纯度", "Purity", 20, "%", 99, 99.99m, 2, list: false));
        Add("chem.asphalt", "energy_chem", "沥青", "Asphalt",
            Enum("product_name", "品种", "Type", 10, required: true, list: true, ("road", "道路沥青", "Road asphalt"), ("modified", "改性沥青", "Modified asphalt")),
            Enum("penetration", "标号", "Grade", 20, required: true, list: true, ("70", "70#", "70#"), ("90", "90#", "90#"), ("sbs_id", "SBS I-D", "SBS I-D")));

        // 农产品: 9% VAT (agricultural products)
        Root("agri", "农产品", "Agricultural products", 0.09m, s_weighed);
        Add("agri.soybean", "agri", "大豆", "Soybeans",
            Enum("origin", "产地", "Origin", 10, required: true, list: true, ("domestic", "国产", "China"), ("brazil", "巴西", "Brazil"), ("usa", "美国", "USA"), ("argentina", "阿根廷", "Argentina")),
            Number("moisture", "水分", "Moisture", 20, "%", 0, 20, 1, required: true, list: true),
            Number("protein", "蛋白", "Protein", 30, "%", 30, 45, 1, required: true, list: true));
        Add("agri.corn", "agri", "玉米", "Corn",
            Enum("grade", "等级", "Grade", 10, required: true, list: true, ("g1", "一等", "Grade 1"), ("g2", "二等", "Grade 2"), ("g3", "三等", "Grade 3")),
            Number("moisture", "水分", "Moisture", 20, "%", 0, 30, 1, required: true, list: true),
            Number("test_weight", "容重", "Test weight", 30, "g/L", 600, 800, 0, list: true),
            Number("mould", "霉变", "Mouldy kernels", 40, "%", 0, 10, 1, list: false));
        Add("agri.wheat", "agri", "小麦", "Wheat",
            Enum("variety", "品种", "Variety", 10, required: true, list: true, ("ordinary", "普通小麦", "Ordinary wheat"), ("strong", "强筋小麦", "Strong-gluten wheat")),
            Enum("grade", "等级", "Grade", 20, required: true, list: true, ("g1", "一等", "Grade 1"), ("g2", "二等", "Grade 2"), ("g3", "三等", "Grade 3")),
            Number("test_weight", "容重", "Test weight", 30, "g/L", 680, 850, 0, list: true),
            Number("moisture", "水分", "Moisture", 40, "%", 0, 20, 1, list: false));
        Add("agri.soymeal", "agri", "豆粕", "Soybean meal",
            Number("protein", "蛋白", "Protein", 10, "%", 40, 50, 1, required: true, list: true),
            Number("moisture", "水分", "Moisture", 20, "%", 0, 15, 1, list: false),
            Enum("producer", "油厂", "Crusher", 30, required: false, list: true,
                ("cofco", "中粮", "COFCO"), ("wilmar", "益海嘉里", "Wilmar"), ("jiusan", "九三", "Jiusan"), ("bunge", "邦吉", "Bunge"), ("cargill", "嘉吉", "Cargill")));
        return tree;
    }

    private static AttributeDefinition WeightBasisAttribute() =>
        Enum("weight_basis", "计量方式", "Weight basis", 90, required: true, list: true, ("theoretical", "理计", "Theoretical"), ("weighed", "过磅", "Weighed"));

    private static AttributeDefinition Enum(string key, string zh, string en, int order, bool required, bool list, params (string Value, string Zh, string En)[] options) => new()
    {
        Key = key,
        LabelZh = zh,
        LabelEn = en,
        Kind = AttributeKind.Enum,
        Options = [.. options.Select(o => new AttributeOption(o.Value, o.Zh, o.En))],
        Required = required,
        Filterable = true,
        ShownInList = list,
        SortOrder = order,
    };

    private static AttributeDefinition Number(
        string key, string zh, string en, int order, string unit, decimal min, decimal max, int decimals, string prefix = "", bool required = false, bool list = false) => new()
    {
        Key = key,
        LabelZh = zh,
        LabelEn = en,
        Kind = AttributeKind.Number,
        Unit = unit,
        Min = min,
        Max = max,
        Decimals = decimals,
        Prefix = prefix,
        Required = required,
        Filterable = true,
        ShownInList = list,
        SortOrder = order,
    };

    private static AttributeDefinition Range(string key, string zh, string en, int order, string unit, decimal min, decimal max, int decimals, bool list) =>
        Number(key, zh, en, order, unit, min, max, decimals, list: list) with { Kind = AttributeKind.Range };

    private static AttributeDefinition Text(string key, string zh, string en, int order, int maxLength, bool required = false, bool list = false) => new()
    {
        Key = key,
        LabelZh = zh,
        LabelEn = en,
        Kind = AttributeKind.Text,
        MaxLength = maxLength,
        Required = required,
        ShownInList = list,
        SortOrder = order,
    };

    /// <summary>Leaf ids of the seed, for generators and tests.</summary>
    public static ImmutableList<string> LeafIds(CategoryTree tree) => [.. tree.Leaves.Select(l => l.Id)];
}
