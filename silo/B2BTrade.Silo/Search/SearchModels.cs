namespace B2BTrade.Silo.Search;

/// <summary>One listing as the search index sees it (built from the catalog read model / change feed).
/// Independent of the catalog domain types on purpose.</summary>
public sealed record SearchDocument(
    string ListingId,
    string SellerId,
    string SellerName,
    string[] CategoryPath,
    IReadOnlyDictionary<string, string> EnumAttributes,
    IReadOnlyDictionary<string, decimal> NumberAttributes,
    string Name,
    string Brand,
    string Origin,
    string WarehouseCity,
    decimal PriceMin,
    decimal PriceMax,
    decimal StockTonnes,
    decimal MoqTonnes,
    string[] KeySpecs,
    DateTimeOffset UpdatedAt,
    bool Active,
    long Version)
{
    /// <summary>More text a keyword may match: category names along the path, warehouse city, seller name.</summary>
    public IReadOnlyList<string> ExtraText { get; init; } = [];
}

/// <summary>Inclusive numeric range; a null bound is open.</summary>
public readonly record struct NumberRange(decimal? Min, decimal? Max)
{
    public bool Contains(decimal value) => (Min is not { } lo || value >= lo) && (Max is not { } hi || value <= hi);
}

public enum SearchSort
{
    /// <summary>Most recently updated first.</summary>
    UpdatedDesc = 0,
    /// <summary>Lowest price (PriceMin) first.</summary>
    PriceAsc = 1,
    /// <summary>Highest price (PriceMin) first.</summary>
    PriceDesc = 2,
    /// <summary>Largest stock first.</summary>
    StockDesc = 3,
}

/// <summary>A search request. Attribute filters: OR within a key, AND across keys. Price range matches listings whose
/// [PriceMin, PriceMax] overlaps it. Ties in the sort order are broken by listing id (ordinal).</summary>
public sealed record SearchQuery
{
    public string? CategoryId { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>>? Attributes { get; init; }
    public IReadOnlyDictionary<string, NumberRange>? Numbers { get; init; }
    public decimal? PriceMin { get; init; }
    public decimal? PriceMax { get; init; }
    public IReadOnlyCollection<string>? Origins { get; init; }
    public IReadOnlyCollection<string>? Cities { get; init; }
    public IReadOnlyCollection<string>? SellerIds { get; init; }
    public string? Keyword { get; init; }
    public SearchSort Sort { get; init; }
    /// <summary>1..100.</summary>
    public int PageSize { get; init; } = 20;
    /// <summary>Opaque token from a previous <see cref="SearchResult.NextPageToken"/> (same sort).</summary>
    public string? PageToken { get; init; }
    public bool IncludeFacets { get; init; } = true;
}

public readonly record struct FacetValue(string Value, int Count);

/// <summary>Counts per value of one field under the current filter excluding the field's own filter (disjunctive
/// faceting). Field names: see <see cref="SearchFields"/>. Values with count 0 are omitted; order: count desc, value.</summary>
public sealed record FacetGroup(string Field, IReadOnlyList<FacetValue> Values);

public sealed record SearchResult(int Total, IReadOnlyList<SearchDocument> Items, string? NextPageToken, IReadOnlyList<FacetGroup> Facets)
{
    public FacetGroup? Facet(string field) => Facets.FirstOrDefault(f => f.Field == field);
}

/// <summary>Facet field names.</summary>
public static class SearchFields
{
    /// <summary>Children of the query category (roots when none) under the full filter.</summary>
    public const string Category = "category";
    public const string Origin = "origin";
    public const string City = "city";
    public const string Seller = "seller";
    public const string AttributePrefix = "attr:";

    public static string Attribute(string key) => AttributePrefix + key;
}
