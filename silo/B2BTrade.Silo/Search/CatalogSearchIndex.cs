using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace B2BTrade.Silo.Search;

/// <summary>In-memory faceted catalog search. Columnar: per field value → posting (bitmap or id list) of internal doc
/// ids, per field an ordinal column, numeric columns as scaled longs (4 decimals), an alive bitmap, and an inverted
/// index of jieba tokens of Name + Brand + KeySpecs + Origin. Thread-safe: any number of concurrent <see cref="Search"/>
/// callers; writes (<see cref="Upsert"/>, <see cref="Remove"/>) are serialized and applied in version order per
/// listing (a version not newer than the one held, or than a removal's, is ignored).</summary>
public sealed class CatalogSearchIndex : IDisposable
{
    private const decimal Scale = 10_000m;
    private const int MaxPageSize = 100;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly TradeTokenizer _tokenizer;
    private readonly Dictionary<string, int> _docIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FacetField> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Posting> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _categoryChildren = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _categoryRoots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Posting> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sellerNames = new(StringComparer.Ordinal);
    private readonly FacetField _origin;
    private readonly FacetField _city;
    private readonly FacetField _seller;
    private SearchDocument?[] _docs;
    private string[][] _docTokens;
    private ulong[] _alive;
    private long[] _priceMin;
    private long[] _priceMax;
    private long[] _stock;
    private long[] _updated;
    private int _capacity;
    private int _words;
    private int _next;
    private int _live;

    public CatalogSearchIndex(int initialCapacity = 1024, TradeTokenizer? tokenizer = null)
    {
        _tokenizer = tokenizer ?? TradeTokenizer.Shared;
        _capacity = Math.Max(64, (initialCapacity + 63) & ~63);
        _words = _capacity / 64;
        _docs = new SearchDocument?[_capacity];
        _docTokens = new string[_capacity][];
        _alive = new ulong[_words];
        _priceMin = new long[_capacity];
        _priceMax = new long[_capacity];
        _stock = new long[_capacity];
        _updated = new long[_capacity];
        _origin = Field(SearchFields.Origin);
        _city = Field(SearchFields.City);
        _seller = Field(SearchFields.Seller);
    }

    /// <summary>Live (indexed) listings.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _live;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public SearchDocument? Get(string listingId)
    {
        _lock.EnterReadLock();
        try
        {
            return _docIds.TryGetValue(listingId, out var d) && Bits.Get(_alive, d) ? _docs[d] : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>A seller's name as its newest indexed listing carries it (for labelling the seller facet); null when unknown.</summary>
    public string? SellerName(string sellerId)
    {
        _lock.EnterReadLock();
        try
        {
            return _sellerNames.TryGetValue(sellerId, out var name) ? name : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The newest version applied for a listing (live or removed); null when never seen.</summary>
    public long? VersionOf(string listingId)
    {
        _lock.EnterReadLock();
        try
        {
            return _versions.TryGetValue(listingId, out var version) ? version : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Adds or replaces a listing; an inactive document removes it. Returns false when ignored as stale.</summary>
    public bool Upsert(SearchDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var tokens = Tokenize(doc);
        _lock.EnterWriteLock();
        try
        {
            return UpsertLocked(doc, tokens);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Bulk load (initial build from the read model): one lock, capacity reserved up front.</summary>
    public int UpsertMany(IEnumerable<SearchDocument> docs)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var applied = 0;
        _lock.EnterWriteLock();
        try
        {
            if (docs.TryGetNonEnumeratedCount(out var n))
            {
                EnsureCapacity(_next + n);
            }

            foreach (var doc in docs)
            {
                if (UpsertLocked(doc, Tokenize(doc)))
                {
                    applied++;
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return applied;
    }

    /// <summary>Removes a listing. With a version, a removal not newer than the held version is ignored; the removal's
    /// version is remembered so that older upserts arriving later stay ignored.</summary>
    public bool Remove(string listingId, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(listingId);
        _lock.EnterWriteLock();
        try
        {
            var has = _versions.TryGetValue(listingId, out var held);
            if (version is { } v)
            {
                if (has && v <= held)
                {
                    return false;
                }

                _versions[listingId] = v;
            }

            return Unindex(listingId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public SearchResult Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), $"PageSize must be 1..{MaxPageSize}");
        }

        var tokens = string.IsNullOrWhiteSpace(query.Keyword) ? [] : _tokenizer.QueryTokens(query.Keyword);
        if (!string.IsNullOrWhiteSpace(query.Keyword) && tokens.Length == 0)
        {
            tokens = [query.Keyword.Trim().ToLowerInvariant()]; // punctuation only: matches nothing sensible
        }

        var cursor = query.PageToken is null ? ((long Key, string Id)?)null : DecodeToken(query.PageToken, query.Sort);
        _lock.EnterReadLock();
        try
        {
            return SearchLocked(query, tokens, cursor);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    // ---------------------------------------------------------------- writes

    private string[] Tokenize(SearchDocument doc)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        set.UnionWith(_tokenizer.DocumentTokens(doc.Name));
        set.UnionWith(_tokenizer.DocumentTokens(doc.Brand));
        set.UnionWith(_tokenizer.DocumentTokens(doc.Origin));
        foreach (var spec in doc.KeySpecs)
        {
            set.UnionWith(_tokenizer.DocumentTokens(spec));
        }

        foreach (var text in doc.ExtraText)
        {
            set.UnionWith(_tokenizer.DocumentTokens(text));
        }

        return [.. set];
    }

    private bool UpsertLocked(SearchDocument doc, string[] tokens)
    {
        if (_versions.TryGetValue(doc.ListingId, out var held) && doc.Version <= held)
        {
            return false;
        }

        _versions[doc.ListingId] = doc.Version;
        if (!doc.Active)
        {
            Unindex(doc.ListingId);
            return true;
        }

        Unindex(doc.ListingId);
        if (!_docIds.TryGetValue(doc.ListingId, out var d))
        {
            EnsureCapacity(_next + 1);
            d = _next++;
            _docIds[doc.ListingId] = d;
        }

        _docs[d] = doc;
        _docTokens[d] = tokens;
        Bits.Set(_alive, d);
        _live++;
        _priceMin[d] = Scaled(doc.PriceMin);
        _priceMax[d] = Scaled(doc.PriceMax);
        _stock[d] = Scaled(doc.StockTonnes);
        _updated[d] = doc.UpdatedAt.UtcTicks;
        _origin.Add(d, doc.Origin, _words);
        _city.Add(d, doc.WarehouseCity, _words);
        _seller.Add(d, doc.SellerId, _words);
        _sellerNames[doc.SellerId] = doc.SellerName;
        foreach (var (key, value) in doc.EnumAttributes)
        {
            Field(SearchFields.Attribute(key)).Add(d, value, _words);
        }

        foreach (var (key, value) in doc.NumberAttributes)
        {
            if (!_numbers.TryGetValue(key, out var column))
            {
                column = new long[_capacity];
                Array.Fill(column, long.MinValue);
                _numbers[key] = column;
            }

            column[d] = Scaled(value);
        }

        string? parent = null;
        foreach (var category in doc.CategoryPath)
        {
            Posting(_categories, category).Add(d, _words);
            if (parent is null)
            {
                _categoryRoots.Add(category);
            }
            else
            {
                if (!_categoryChildren.TryGetValue(parent, out var children))
                {
                    _categoryChildren[parent] = children = new SortedSet<string>(StringComparer.Ordinal);
                }

                children.Add(category);
            }

            parent = category;
        }

        foreach (var token in tokens)
        {
            Posting(_tokens, token).Add(d, _words);
        }

        return true;
    }

    private bool Unindex(string listingId)
    {
        if (!_docIds.TryGetValue(listingId, out var d) || !Bits.Get(_alive, d))
        {
            return false;
        }

        var doc = _docs[d]!;
        Bits.Clear(_alive, d);
        _live--;
        _origin.Remove(d);
        _city.Remove(d);
        _seller.Remove(d);
        foreach (var key in doc.EnumAttributes.Keys)
        {
            Field(SearchFields.Attribute(key)).Remove(d);
        }

        foreach (var key in doc.NumberAttributes.Keys)
        {
            _numbers[key][d] = long.MinValue;
        }

        foreach (var category in doc.CategoryPath)
        {
            _categories[category].Remove(d);
        }

        foreach (var token in _docTokens[d])
        {
            _tokens[token].Remove(d);
        }

        _docs[d] = null;
        _docTokens[d] = [];
        return true;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _capacity)
        {
            return;
        }

        var capacity = _capacity;
        while (capacity < needed)
        {
            capacity = capacity < 1 << 20 ? capacity * 2 : capacity + (capacity / 2);
        }

        capacity = (capacity + 63) & ~63;
        _capacity = capacity;
        _words = capacity / 64;
        Array.Resize(ref _docs, capacity);
        Array.Resize(ref _docTokens, capacity);
        Array.Resize(ref _alive, _words);
        Array.Resize(ref _priceMin, capacity);
        Array.Resize(ref _priceMax, capacity);
        Array.Resize(ref _stock, capacity);
        Array.Resize(ref _updated, capacity);
        foreach (var key in _numbers.Keys.ToList())
        {
            var column = _numbers[key];
            var old = column.Length;
            Array.Resize(ref column, capacity);
            column.AsSpan(old).Fill(long.MinValue);
            _numbers[key] = column;
        }

        foreach (var field in _fields.Values)
        {
            field.Resize(capacity, _words);
        }

        foreach (var p in _categories.Values)
        {
            p.Resize(_words);
        }

        foreach (var p in _tokens.Values)
        {
            p.Resize(_words);
        }
    }

    private FacetField Field(string name)
    {
        if (!_fields.TryGetValue(name, out var field))
        {
            _fields[name] = field = new FacetField(name, _capacity);
        }

        return field;
    }

    private static Posting Posting(Dictionary<string, Posting> map, string key)
    {
        if (!map.TryGetValue(key, out var p))
        {
            map[key] = p = new Posting();
        }

        return p;
    }

    private static long Scaled(decimal value) => (long)decimal.Floor(value * Scale);

    private static long ScaledCeiling(decimal value) => (long)decimal.Ceiling(value * Scale);

    // ---------------------------------------------------------------- reads

    private sealed class Scratch : IDisposable
    {
        private readonly List<ulong[]> _rented = [];
        private readonly int _words;

        public Scratch(int words) => _words = words;

        public Span<ulong> Rent(bool clear = true) => RentArray(clear).AsSpan(0, _words);

        /// <summary>An array of at least the word count; only the first words are meaningful.</summary>
        public ulong[] RentArray(bool clear = true)
        {
            var a = ArrayPool<ulong>.Shared.Rent(_words);
            _rented.Add(a);
            if (clear)
            {
                a.AsSpan(0, _words).Clear();
            }

            return a;
        }

        public void Dispose()
        {
            foreach (var a in _rented)
            {
                ArrayPool<ulong>.Shared.Return(a);
            }
        }
    }

    private SearchResult SearchLocked(SearchQuery q, string[] tokens, (long Key, string Id)? cursor)
    {
        using var scratch = new Scratch(_words);
        var tmp = scratch.Rent(clear: false);

        // Base: alive ∧ category ∧ keyword tokens ∧ numeric ranges (not faceted, so shared by every facet).
        var baseSet = scratch.Rent(clear: false);
        _alive.CopyTo(baseSet);
        if (q.CategoryId is not null)
        {
            AndPosting(baseSet, _categories.GetValueOrDefault(q.CategoryId), tmp);
        }

        foreach (var token in tokens)
        {
            AndPosting(baseSet, _tokens.GetValueOrDefault(token), tmp);
        }

        ApplyRanges(q, baseSet);

        // Disjunctive filters: one bitset per field (OR of its selected values).
        var active = new List<(FacetField? Field, string Name, ulong[] Array)>();
        void AddFilter(string name, IReadOnlyCollection<string>? values)
        {
            if (values is null || values.Count == 0)
            {
                return;
            }

            var array = scratch.RentArray();
            var set = array.AsSpan(0, _words);
            var field = _fields.GetValueOrDefault(name);
            if (field is not null)
            {
                foreach (var value in values)
                {
                    if (field.ValueIds.TryGetValue(value, out var ord))
                    {
                        field.Postings[ord].OrInto(set);
                    }
                }
            }

            active.Add((field, name, array));
        }

        AddFilter(SearchFields.Origin, q.Origins);
        AddFilter(SearchFields.City, q.Cities);
        AddFilter(SearchFields.Seller, q.SellerIds);
        if (q.Attributes is not null)
        {
            foreach (var (key, values) in q.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                AddFilter(SearchFields.Attribute(key), values);
            }
        }

        var full = scratch.Rent(clear: false);
        baseSet.CopyTo(full);
        foreach (var a in active)
        {
            Bits.And(full, a.Array.AsSpan(0, _words));
        }

        var total = Bits.PopCount(full);
        var (items, next) = Page(q, full, cursor);

        var facets = new List<FacetGroup>();
        if (q.IncludeFacets)
        {
            var children = q.CategoryId is null ? _categoryRoots : _categoryChildren.GetValueOrDefault(q.CategoryId);
            var categoryValues = new List<FacetValue>();
            if (children is not null && total > 0)
            {
                foreach (var child in children)
                {
                    var n = _categories[child].CountIn(full);
                    if (n > 0)
                    {
                        categoryValues.Add(new FacetValue(child, n));
                    }
                }
            }

            facets.Add(new FacetGroup(SearchFields.Category, Sorted(categoryValues)));
            foreach (var field in _fields.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                var own = active.FindIndex(a => a.Name == field.Name);
                ReadOnlySpan<ulong> filter = full;
                var count = total;
                if (own >= 0)
                {
                    baseSet.CopyTo(tmp);
                    for (var i = 0; i < active.Count; i++)
                    {
                        if (i != own)
                        {
                            Bits.And(tmp, active[i].Array.AsSpan(0, _words));
                        }
                    }

                    filter = tmp;
                    count = Bits.PopCount(tmp);
                }

                var values = count == 0 ? [] : field.Count(filter, count, _words);
                if (values.Count > 0 || own >= 0 || field.Name is SearchFields.Origin or SearchFields.City or SearchFields.Seller)
                {
                    facets.Add(new FacetGroup(field.Name, Sorted(values)));
                }
            }
        }

        return new SearchResult(total, items, next, facets);
    }

    private static void AndPosting(Span<ulong> set, Posting? posting, Span<ulong> tmp)
    {
        if (posting is null)
        {
            set.Clear();
        }
        else
        {
            posting.AndInto(set, tmp);
        }
    }

    private void ApplyRanges(SearchQuery q, Span<ulong> set)
    {
        var checks = new List<(long[] Column, long Min, long Max)>();
        if (q.Numbers is not null)
        {
            foreach (var (key, range) in q.Numbers)
            {
                if (!_numbers.TryGetValue(key, out var column))
                {
                    set.Clear();
                    return;
                }

                checks.Add((column, range.Min is { } lo ? ScaledCeiling(lo) : long.MinValue + 1, range.Max is { } hi ? Scaled(hi) : long.MaxValue));
            }
        }

        // Price overlap: PriceMin ≤ query max and PriceMax ≥ query min.
        if (q.PriceMax is { } pmax)
        {
            checks.Add((_priceMin, long.MinValue, Scaled(pmax)));
        }

        if (q.PriceMin is { } pmin)
        {
            checks.Add((_priceMax, ScaledCeiling(pmin), long.MaxValue));
        }

        if (checks.Count == 0)
        {
            return;
        }

        var arr = checks.ToArray();
        for (var w = 0; w < set.Length; w++)
        {
            var word = set[w];
            var keep = word;
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                word &= word - 1;
                var d = (w << 6) + bit;
                foreach (var (column, min, max) in arr)
                {
                    var v = column[d];
                    if (v < min || v > max)
                    {
                        keep &= ~(1UL << bit);
                        break;
                    }
                }
            }

            set[w] = keep;
        }
    }

    private static List<FacetValue> Sorted(List<FacetValue> values)
    {
        values.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Value, b.Value));
        return values;
    }

    private long SortKey(SearchSort sort, int d) => sort switch
    {
        SearchSort.PriceAsc => _priceMin[d],
        SearchSort.PriceDesc => -_priceMin[d],
        SearchSort.StockDesc => -_stock[d],
        _ => -_updated[d],
    };

    private (List<SearchDocument> Items, string? Next) Page(SearchQuery q, ReadOnlySpan<ulong> set, (long Key, string Id)? cursor)
    {
        var size = q.PageSize;
        var heap = new (long Key, int Doc)[size];
        var heapCount = 0;
        var after = 0;
        for (var w = 0; w < set.Length; w++)
        {
            var word = set[w];
            while (word != 0)
            {
                var d = (w << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
                var key = SortKey(q.Sort, d);
                if (cursor is { } c && (key < c.Key || (key == c.Key && string.CompareOrdinal(_docs[d]!.ListingId, c.Id) <= 0)))
                {
                    continue;
                }

                after++;
                if (heapCount < size)
                {
                    heap[heapCount] = (key, d);
                    SiftUp(heap, heapCount++);
                }
                else if (Less(key, d, heap[0].Key, heap[0].Doc))
                {
                    heap[0] = (key, d);
                    SiftDown(heap, heapCount);
                }
            }
        }

        var page = heap.AsSpan(0, heapCount).ToArray();
        Array.Sort(page, (a, b) => Less(a.Key, a.Doc, b.Key, b.Doc) ? -1 : Less(b.Key, b.Doc, a.Key, a.Doc) ? 1 : 0);
        var items = page.Select(p => _docs[p.Doc]!).ToList();
        string? next = null;
        if (after > size && items.Count > 0)
        {
            var last = page[^1];
            next = EncodeToken(q.Sort, last.Key, _docs[last.Doc]!.ListingId);
        }

        return (items, next);
    }

    private bool Less(long ka, int da, long kb, int db) =>
        ka < kb || (ka == kb && string.CompareOrdinal(_docs[da]!.ListingId, _docs[db]!.ListingId) < 0);

    private void SiftUp((long Key, int Doc)[] heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Less(heap[parent].Key, heap[parent].Doc, heap[i].Key, heap[i].Doc))
            {
                break;
            }

            (heap[parent], heap[i]) = (heap[i], heap[parent]);
            i = parent;
        }
    }

    private void SiftDown((long Key, int Doc)[] heap, int count)
    {
        var i = 0;
        while (true)
        {
            var l = (2 * i) + 1;
            var r = l + 1;
            var largest = i;
            if (l < count && Less(heap[largest].Key, heap[largest].Doc, heap[l].Key, heap[l].Doc))
            {
                largest = l;
            }

            if (r < count && Less(heap[largest].Key, heap[largest].Doc, heap[r].Key, heap[r].Doc))
            {
                largest = r;
            }

            if (largest == i)
            {
                return;
            }

            (heap[largest], heap[i]) = (heap[i], heap[largest]);
            i = largest;
        }
    }

    private static string EncodeToken(SearchSort sort, long key, string listingId)
    {
        var raw = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(int)sort}|{key}|{listingId}"));
        return Convert.ToBase64String(raw).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (long Key, string Id) DecodeToken(string token, SearchSort sort)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|', 3);
            if (parts.Length != 3 || int.Parse(parts[0], CultureInfo.InvariantCulture) != (int)sort)
            {
                throw new FormatException("sort mismatch");
            }

            return (long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException("invalid page token", nameof(token), e);
        }
    }

    /// <summary>One single-valued facetable field: value dictionary, postings, ordinal column.</summary>
    private sealed class FacetField(string name, int capacity)
    {
        public string Name { get; } = name;
        public Dictionary<string, int> ValueIds { get; } = new(StringComparer.Ordinal);
        public List<string> Values { get; } = [];
        public List<Posting> Postings { get; } = [];
        private int[] _ord = NewOrd(capacity);

        public void Add(int d, string value, int words)
        {
            if (!ValueIds.TryGetValue(value, out var o))
            {
                o = Values.Count;
                ValueIds[value] = o;
                Values.Add(value);
                Postings.Add(new Posting());
            }

            _ord[d] = o;
            Postings[o].Add(d, words);
        }

        public void Remove(int d)
        {
            var o = _ord[d];
            if (o >= 0)
            {
                Postings[o].Remove(d);
                _ord[d] = -1;
            }
        }

        public void Resize(int capacity, int words)
        {
            var old = _ord.Length;
            Array.Resize(ref _ord, capacity);
            _ord.AsSpan(old).Fill(-1);
            foreach (var p in Postings)
            {
                p.Resize(words);
            }
        }

        /// <summary>Counts per value within filter (which has matches set bits): by postings, or by walking the
        /// filter's docs through the ordinal column when that is cheaper.</summary>
        public List<FacetValue> Count(ReadOnlySpan<ulong> filter, int matches, int words)
        {
            long postingCost = 0;
            foreach (var p in Postings)
            {
                postingCost += p.Dense is not null ? words / 4 : p.Count;
            }

            var counts = new int[Values.Count];
            if ((long)matches * 2 + (words / 8) < postingCost)
            {
                for (var w = 0; w < filter.Length; w++)
                {
                    var word = filter[w];
                    while (word != 0)
                    {
                        var o = _ord[(w << 6) + BitOperations.TrailingZeroCount(word)];
                        word &= word - 1;
                        if (o >= 0)
                        {
                            counts[o]++;
                        }
                    }
                }
            }
            else
            {
                for (var o = 0; o < counts.Length; o++)
                {
                    if (Postings[o].Count > 0)
                    {
                        counts[o] = Postings[o].CountIn(filter);
                    }
                }
            }

            var result = new List<FacetValue>();
            for (var o = 0; o < counts.Length; o++)
            {
                if (counts[o] > 0)
                {
                    result.Add(new FacetValue(Values[o], counts[o]));
                }
            }

            return result;
        }

        private static int[] NewOrd(int capacity)
        {
            var a = new int[capacity];
            Array.Fill(a, -1);
            return a;
        }
    }
}
