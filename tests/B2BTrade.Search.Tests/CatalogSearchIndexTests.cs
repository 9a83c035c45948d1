using B2BTrade.Silo.Search;

namespace B2BTrade.Search.Tests;

public sealed class CatalogIndexFixture : IDisposable
{
    public CatalogIndexFixture()
    {
        Docs = CatalogGenerator.Generate(20_000, seed: 7).ToList();
        Index = new CatalogSearchIndex();
        foreach (var d in Docs)
        {
            Index.Upsert(d);
        }

        var t = TradeTokenizer.Shared;
        Tokens = Docs.ToDictionary(
            d => d.ListingId,
            d => new HashSet<string>(new[] { d.Name, d.Brand, d.Origin }.Concat(d.KeySpecs).SelectMany(t.DocumentTokens), StringComparer.Ordinal));
    }

    public List<SearchDocument> Docs { get; }
    public CatalogSearchIndex Index { get; }
    public Dictionary<string, HashSet<string>> Tokens { get; }

    public void Dispose() => Index.Dispose();
}

public sealed class CatalogSearchIndexTests(CatalogIndexFixture fx) : IClassFixture<CatalogIndexFixture>
{
    private List<SearchDocument> Expected(SearchQuery q, string? exclude = null)
    {
        var tokens = q.Keyword is null ? [] : TradeTokenizer.Shared.QueryTokens(q.Keyword);
        return fx.Docs.Where(d => BruteForce.Matches(d, q, tokens, fx.Tokens[d.ListingId], exclude)).ToList();
    }

    private static void AssertFacet(SearchResult r, string field, IEnumerable<string?> values)
    {
        var expected = values.Where(v => v is not null).GroupBy(v => v!).ToDictionary(g => g.Key, g => g.Count());
        var actual = r.Facet(field)?.Values.ToDictionary(v => v.Value, v => v.Count) ?? [];
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Random_queries_match_brute_force_results_order_and_facets()
    {
        var rng = new Random(123);
        for (var i = 0; i < 200; i++)
        {
            var q = CatalogGenerator.RandomQuery(rng, pageSize: 50);
            if (i % 5 == 0)
            {
                q = q with { SellerIds = [CatalogGenerator.SellerId(rng.Next(3)), CatalogGenerator.SellerId(rng.Next(40))], Origins = i % 10 == 0 ? ["江苏", "河北"] : null };
            }

            if (i % 7 == 0)
            {
                q = q with { CategoryId = null };
            }

            var r = fx.Index.Search(q);
            var expected = Expected(q);
            Assert.Equal(expected.Count, r.Total);
            var ordered = BruteForce.Ordered(expected, q.Sort).Take(q.PageSize).Select(d => d.ListingId);
            Assert.Equal(ordered, r.Items.Select(d => d.ListingId));

            AssertFacet(r, SearchFields.City, Expected(q, SearchFields.City).Select(d => d.WarehouseCity));
            AssertFacet(r, SearchFields.Origin, Expected(q, SearchFields.Origin).Select(d => d.Origin));
            AssertFacet(r, SearchFields.Seller, Expected(q, SearchFields.Seller).Select(d => d.SellerId));
            foreach (var key in new[] { CatalogGenerator.Grade, CatalogGenerator.Mill, CatalogGenerator.Spec, CatalogGenerator.Weighing, CatalogGenerator.Width, CatalogGenerator.Variety })
            {
                var field = SearchFields.Attribute(key);
                AssertFacet(r, field, Expected(q, field).Select(d => d.EnumAttributes.GetValueOrDefault(key)));
            }

            var depth = q.CategoryId is null ? 0 : expected.FirstOrDefault()?.CategoryPath.ToList().IndexOf(q.CategoryId) + 1 ?? 0;
            AssertFacet(r, SearchFields.Category, expected.Select(d => d.CategoryPath.Length > depth ? d.CategoryPath[depth] : null));
        }
    }

    [Fact]
    public void Multi_select_facets_are_disjunctive()
    {
        var q = new SearchQuery { CategoryId = "rebar", Attributes = new Dictionary<string, IReadOnlyCollection<string>> { [CatalogGenerator.Mill] = ["沙钢"] } };
        var r = fx.Index.Search(q);
        var mills = r.Facet(SearchFields.Attribute(CatalogGenerator.Mill))!.Values;
        Assert.True(mills.Count >= 8, "other mills keep their counts while 沙钢 is selected");
        var all = fx.Docs.Count(d => d.CategoryPath.Contains("rebar"));
        Assert.Equal(all, mills.Sum(v => v.Count));
        Assert.Equal(mills.Single(v => v.Value == "沙钢").Count, r.Total);
        // Another field's facet is narrowed by the mill filter.
        Assert.Equal(r.Total, r.Facet(SearchFields.City)!.Values.Sum(v => v.Count));
    }

    [Fact]
    public void Paging_tokens_walk_every_result_exactly_once()
    {
        foreach (var sort in Enum.GetValues<SearchSort>())
        {
            var q = new SearchQuery { CategoryId = "hrc", Sort = sort, PageSize = 37, IncludeFacets = false };
            var seen = new List<string>();
            string? token = null;
            do
            {
                var r = fx.Index.Search(q with { PageToken = token });
                seen.AddRange(r.Items.Select(d => d.ListingId));
                token = r.NextPageToken;
            }
            while (token is not null);

            var expected = BruteForce.Ordered(fx.Docs.Where(d => d.CategoryPath.Contains("hrc")), sort).Select(d => d.ListingId);
            Assert.Equal(expected, seen);
        }
    }

    [Fact]
    public void Keyword_search_uses_word_segmentation()
    {
        var r = fx.Index.Search(new SearchQuery { Keyword = "螺纹钢 沙钢 HRB400E", PageSize = 100 });
        Assert.True(r.Total > 0);
        Assert.Equal(fx.Docs.Count(d => d.CategoryPath[^1] == "rebar" && d.Brand == "沙钢" && d.EnumAttributes[CatalogGenerator.Grade] == "HRB400E"), r.Total);
        Assert.All(r.Items, d => Assert.Contains("HRB400E", d.Name, StringComparison.Ordinal));

        var hot = fx.Index.Search(new SearchQuery { Keyword = "热轧板卷", PageSize = 100 });
        Assert.Equal(fx.Docs.Count(d => d.CategoryPath[^1] == "hrc"), hot.Total);
        Assert.DoesNotContain(hot.Items, d => d.Name.Contains("冷轧板卷", StringComparison.Ordinal));

        var lower = fx.Index.Search(new SearchQuery { Keyword = "hrb400e" });
        var upper = fx.Index.Search(new SearchQuery { Keyword = "HRB400E" });
        Assert.True(lower.Total > 0);
        Assert.Equal(upper.Total, lower.Total);
        Assert.Equal(fx.Docs.Count(d => d.KeySpecs.Contains("HRB400E")), lower.Total);

        Assert.Equal(0, fx.Index.Search(new SearchQuery { Keyword = "不锈钢管 316L" }).Total);
        Assert.Equal(0, fx.Index.Search(new SearchQuery { Keyword = "螺纹" + "钢筋笼" }).Total);
    }

    [Fact]
    public void Segmenter_keeps_trade_words_and_grade_codes_whole()
    {
        var tokens = TradeTokenizer.Shared.QueryTokens("螺纹钢HRB400E沙钢 热轧板卷Q235B 鞍钢");
        Assert.Equal(["螺纹钢", "hrb400e", "沙钢", "热轧板卷", "q235b", "鞍钢"], tokens);
    }

    [Fact]
    public void Decimal_prices_and_tonnes_are_exact()
    {
        var doc = fx.Docs.First(d => d.CategoryPath[^1] == "copper");
        var r = fx.Index.Search(new SearchQuery { CategoryId = "copper", PriceMin = doc.PriceMax, PriceMax = doc.PriceMax, PageSize = 100, Sort = SearchSort.StockDesc });
        Assert.Contains(r.Items, d => d.ListingId == doc.ListingId);
        var stock = fx.Docs.Where(d => d.CategoryPath.Contains("copper")).Max(d => d.StockTonnes);
        Assert.Equal(stock, r.Items.Count == 0 ? 0 : fx.Index.Search(new SearchQuery { CategoryId = "copper", Sort = SearchSort.StockDesc }).Items[0].StockTonnes);
        Assert.Equal(0, fx.Index.Search(new SearchQuery { CategoryId = "copper", PriceMin = doc.PriceMax + 0.01m, PriceMax = doc.PriceMax + 0.99m }).Items.Count(d => d.ListingId == doc.ListingId));
    }
}

public sealed class VersioningTests
{
    private static SearchDocument Doc(string id, long version, decimal price, bool active = true) =>
        CatalogGenerator.Generate(1).Single() with { ListingId = id, Version = version, PriceMin = price, PriceMax = price + 0.005m, StockTonnes = 123.456m, Active = active };

    [Fact]
    public void Older_versions_are_ignored_and_remove_then_readd_works()
    {
        using var index = new CatalogSearchIndex(initialCapacity: 8);
        Assert.True(index.Upsert(Doc("A", 2, 3500.25m)));
        Assert.False(index.Upsert(Doc("A", 1, 9999m)));
        Assert.False(index.Upsert(Doc("A", 2, 9999m)));
        Assert.Equal(3500.25m, index.Get("A")!.PriceMin);

        Assert.True(index.Upsert(Doc("A", 3, 3600m)));
        Assert.Equal(1, index.Search(new SearchQuery { PriceMin = 3600m, PriceMax = 3600m }).Total);
        Assert.Equal(0, index.Search(new SearchQuery { PriceMin = 3500m, PriceMax = 3599m }).Total);

        Assert.True(index.Remove("A", version: 4));
        Assert.Null(index.Get("A"));
        Assert.Equal(0, index.Search(new SearchQuery()).Total);
        Assert.False(index.Upsert(Doc("A", 4, 3700m)));
        Assert.True(index.Upsert(Doc("A", 5, 3700m)));
        var r = index.Search(new SearchQuery());
        Assert.Equal(1, r.Total);
        Assert.Equal(123.456m, r.Items[0].StockTonnes);
        Assert.Equal(3700.005m, r.Items[0].PriceMax);

        Assert.True(index.Upsert(Doc("A", 6, 3700m, active: false)));
        Assert.Equal(0, index.Search(new SearchQuery()).Total);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Growth_and_updates_keep_postings_consistent()
    {
        var docs = CatalogGenerator.Generate(3000, seed: 3).ToList();
        using var index = new CatalogSearchIndex(initialCapacity: 16);
        foreach (var d in docs)
        {
            index.Upsert(d);
        }

        // Move every third listing to 上海 and delete every fifth.
        foreach (var d in docs.Where((_, i) => i % 3 == 0))
        {
            index.Upsert(d with { WarehouseCity = "上海", Version = 2 });
        }

        foreach (var d in docs.Where((_, i) => i % 5 == 0))
        {
            index.Remove(d.ListingId);
        }

        var expected = docs.Select((d, i) => (d, i)).Where(x => x.i % 5 != 0).Select(x => x.i % 3 == 0 ? "上海" : x.d.WarehouseCity).ToList();
        var r = index.Search(new SearchQuery { Cities = ["上海"] });
        Assert.Equal(expected.Count(c => c == "上海"), r.Total);
        Assert.Equal(expected.Count, r.Facet(SearchFields.City)!.Values.Sum(v => v.Count));
    }

    [Fact]
    public void Concurrent_readers_and_writer()
    {
        var docs = CatalogGenerator.Generate(5000, seed: 5).ToList();
        using var index = new CatalogSearchIndex();
        index.UpsertMany(docs);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var readers = Enumerable.Range(0, 3).Select(i => Task.Factory.StartNew(() =>
        {
            var rng = new Random(i);
            var n = 0;
            while (!cts.IsCancellationRequested)
            {
                var r = index.Search(CatalogGenerator.RandomQuery(rng));
                Assert.True(r.Total >= r.Items.Count);
                n++;
            }

            return n;
        }, TaskCreationOptions.LongRunning)).ToArray();
        var v = 2;
        while (!cts.IsCancellationRequested)
        {
            foreach (var d in docs.Take(200))
            {
                index.Upsert(d with { Version = v, PriceMin = d.PriceMin + 1, PriceMax = d.PriceMax + 1 });
            }

            v++;
            Thread.Sleep(1);
        }

        Assert.All(readers, t => Assert.True(t.Result > 0));
    }
}
