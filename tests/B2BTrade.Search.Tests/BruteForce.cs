using B2BTrade.Silo.Search;

namespace B2BTrade.Search.Tests;

/// <summary>Reference evaluation in plain LINQ (keyword via the same tokenizer, substring-free).</summary>
internal static class BruteForce
{
    public static bool Matches(SearchDocument d, SearchQuery q, string[] tokens, HashSet<string> docTokens, string? excludeField)
    {
        if (!d.Active)
        {
            return false;
        }

        if (q.CategoryId is not null && !d.CategoryPath.Contains(q.CategoryId))
        {
            return false;
        }

        if (tokens.Any(t => !docTokens.Contains(t)))
        {
            return false;
        }

        if (q.PriceMax is { } pmax && d.PriceMin > pmax)
        {
            return false;
        }

        if (q.PriceMin is { } pmin && d.PriceMax < pmin)
        {
            return false;
        }

        if (q.Numbers is not null && q.Numbers.Any(n => !d.NumberAttributes.TryGetValue(n.Key, out var v) || !n.Value.Contains(v)))
        {
            return false;
        }

        bool In(string field, IReadOnlyCollection<string>? set, string? value) =>
            excludeField == field || set is null || set.Count == 0 || (value is not null && set.Contains(value));

        if (!In(SearchFields.Origin, q.Origins, d.Origin) || !In(SearchFields.City, q.Cities, d.WarehouseCity) || !In(SearchFields.Seller, q.SellerIds, d.SellerId))
        {
            return false;
        }

        return q.Attributes is null || q.Attributes.All(a => In(SearchFields.Attribute(a.Key), a.Value, d.EnumAttributes.GetValueOrDefault(a.Key)));
    }

    public static long SortKey(SearchDocument d, SearchSort sort) => sort switch
    {
        SearchSort.PriceAsc => (long)(d.PriceMin * 10000),
        SearchSort.PriceDesc => -(long)(d.PriceMin * 10000),
        SearchSort.StockDesc => -(long)(d.StockTonnes * 10000),
        _ => -d.UpdatedAt.UtcTicks,
    };

    public static List<SearchDocument> Ordered(IEnumerable<SearchDocument> docs, SearchSort sort) =>
        docs.OrderBy(d => SortKey(d, sort)).ThenBy(d => d.ListingId, StringComparer.Ordinal).ToList();
}
