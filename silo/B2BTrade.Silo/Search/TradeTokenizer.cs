using System.Collections.Concurrent;
using JiebaNet.Segmenter;

namespace B2BTrade.Silo.Search;

/// <summary>Chinese word segmentation (jieba.NET, dictionary mode without HMM so that documents and queries split the
/// same way) with the trade word list added. Tokens are lower-cased (grade codes match case-insensitively);
/// whitespace and punctuation are dropped. Documents are cut in search mode (long words plus their dictionary
/// sub-words, e.g. 热轧板卷 → 热轧 + 热轧板卷), queries in exact mode, so "热轧" finds 热轧板卷 but "热轧板卷" does not find
/// 冷轧板卷.</summary>
public sealed class TradeTokenizer
{
    /// <summary>Words added to the jieba dictionary.</summary>
    public static readonly IReadOnlyList<string> TradeWords =
    [
        "螺纹钢", "热轧板卷", "冷轧板卷", "中厚板", "盘螺", "高线", "线材", "电解铜", "铝锭", "铁矿石", "动力煤", "焦炭",
        "沙钢", "永钢", "中天", "敬业", "鞍钢", "马钢", "首钢", "河钢", "宝钢", "日照", "江铜", "贵溪", "金川", "铜陵",
        "理计", "过磅", "PB粉", "纽曼粉", "卡粉",
        "HRB400E", "HRB400", "HRB500E", "HPB300", "Q235B", "Q355B", "Q345B", "SPHC", "SS400", "SPCC", "DC01", "DC03",
    ];

    private static readonly Lazy<TradeTokenizer> s_shared = new(() => new TradeTokenizer());
    private readonly JiebaSegmenter _segmenter;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, string[]> _docCache = new(StringComparer.Ordinal);

    public static TradeTokenizer Shared => s_shared.Value;

    private TradeTokenizer()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "jieba");
        if (Directory.Exists(dir))
        {
            ConfigManager.ConfigFileBaseDir = dir;
        }

        _segmenter = new JiebaSegmenter();
        foreach (var word in TradeWords)
        {
            _segmenter.AddWord(word);
            _segmenter.AddWord(word.ToLowerInvariant());
        }
    }

    /// <summary>Tokens of one document field (search mode; cached per distinct string, bounded).</summary>
    public string[] DocumentTokens(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (_docCache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        string[] tokens;
        lock (_gate)
        {
            tokens = Clean(_segmenter.CutForSearch(text.ToLowerInvariant(), hmm: false));
        }

        if (_docCache.Count > 500_000)
        {
            _docCache.Clear();
        }

        _docCache[text] = tokens;
        return tokens;
    }

    /// <summary>Tokens of a query (exact mode); the match is the AND of them.</summary>
    public string[] QueryTokens(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        lock (_gate)
        {
            return Clean(_segmenter.Cut(text.ToLowerInvariant(), cutAll: false, hmm: false));
        }
    }

    private static string[] Clean(IEnumerable<string> raw)
    {
        var result = new List<string>();
        foreach (var token in raw)
        {
            var t = token.Trim();
            if (t.Length == 0 || !t.Any(char.IsLetterOrDigit) || result.Contains(t, StringComparer.Ordinal))
            {
                continue;
            }

            result.Add(t);
        }

        return [.. result];
    }
}
