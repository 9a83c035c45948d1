using System.Diagnostics;
using System.Globalization;
using B2BTrade.Protos.Catalog.V1;
using Grpc.Core;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Every page of one seller's search, as one client saw it.</summary>
internal sealed record SearchSnapshot(
    IReadOnlyList<Listing> Hits,
    long TotalCount,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Facets,
    IReadOnlyList<string> PagingProblems);

/// <summary>
/// Compares SearchListings (this API node's in-memory index) with the listings themselves (GetListing, served by
/// the listing grains): exactly the active listings, each with the price, stock, grade and origin the grain holds,
/// and grade and origin facet counts equal to the counts over those listings.
/// </summary>
internal static class CatalogSearchCheck
{
    /// <summary>Facets whose counts are checked; both change as the scripts rotate grade and origin.</summary>
    public static readonly string[] CheckedFacets = ["grade", "origin"];

    private const int SmallPages = 7; // small, so a few dozen listings span several pages
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(45);

    /// <summary>GetListing for each id (as the seller: delisted listings stay visible to it).</summary>
    public static async Task<Dictionary<string, Listing>> GetAllAsync(CatalogService.CatalogServiceClient catalog, Metadata auth, IEnumerable<string> ids)
    {
        var listings = new Dictionary<string, Listing>();
        foreach (var id in ids)
        {
            listings[id] = (await Transient.RetryAsync(d => catalog.GetListingAsync(new GetListingRequest { ListingId = id }, auth, d).ResponseAsync, s_budget)).Listing;
        }

        return listings;
    }

    /// <summary>Pages through SearchListings filtered by the seller; facets from the first page.</summary>
    public static async Task<SearchSnapshot> SearchSellerAsync(CatalogService.CatalogServiceClient catalog, Metadata auth, string sellerId, int pageSize = SmallPages)
    {
        var hits = new List<Listing>();
        var problems = new List<string>();
        var facets = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        long? total = null;
        var token = "";
        for (var page = 1; ; page++)
        {
            var request = new SearchListingsRequest { SellerEnterpriseIds = { sellerId }, PageSize = pageSize, PageToken = token };
            var response = await Transient.RetryAsync(d => catalog.SearchListingsAsync(request, auth, d).ResponseAsync, s_budget);
            if (page == 1)
            {
                total = response.TotalCount;
                foreach (var facet in response.Facets)
                {
                    facets[facet.Key] = facet.Values.Where(v => v.Count > 0).ToDictionary(v => v.Value, v => v.Count);
                }
            }
            else if (response.TotalCount != total)
            {
                problems.Add($"total_count changed while paging: {total} on page 1, {response.TotalCount} on page {page}");
            }

            hits.AddRange(response.Listings);
            if (response.NextPageToken.Length == 0)
            {
                break;
            }

            if (page > 100)
            {
                problems.Add("more than 100 pages: the page token does not advance");
                break;
            }

            token = response.NextPageToken;
        }

        foreach (var duplicate in hits.GroupBy(h => h.ListingId).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key} is on {duplicate.Count()} pages");
        }

        return new SearchSnapshot(hits, total ?? 0, facets, problems);
    }

    /// <summary>Where <paramref name="search"/> differs from <paramref name="truth"/> (GetListing of every listing of the seller); empty when it matches.</summary>
    public static List<string> Differences(IReadOnlyDictionary<string, Listing> truth, SearchSnapshot search)
    {
        var problems = new List<string>(search.PagingProblems);
        var active = truth.Values.Where(l => l.Status == ListingStatus.Active).ToDictionary(l => l.ListingId);
        var hits = search.Hits.GroupBy(h => h.ListingId).ToDictionary(g => g.Key, g => g.First());

        foreach (var (id, listing) in active.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!hits.TryGetValue(id, out var hit))
            {
                problems.Add($"missing from search: {id} ({ListingShape.Of(listing)}, etag {listing.Etag})");
                continue;
            }

            var want = ListingShape.Of(listing);
            var got = new ListingShape(true, Amount(hit.DisplayPrice), Tonnes(hit.Spec.StockTonnes), GradeOf(hit, want.Grade), hit.Spec.Origin);
            if (got != want)
            {
                problems.Add($"stale in search: {id} is [{got}] in search but [{want}] in GetListing (etag {listing.Etag})");
            }
        }

        foreach (var id in hits.Keys.Where(h => !active.ContainsKey(h)).Order(StringComparer.Ordinal))
        {
            problems.Add(truth.TryGetValue(id, out var listing)
                ? $"in search but {listing.Status} per GetListing: {id} (etag {listing.Etag})"
                : $"in search but not a listing this test knows: {id}");
        }

        if (search.TotalCount != active.Count)
        {
            problems.Add($"total_count {search.TotalCount}, but {active.Count} listings are active");
        }

        foreach (var facet in CheckedFacets)
        {
            var expected = active.Values.GroupBy(l => facet == "origin" ? l.Spec.Origin : l.Spec.Attributes[facet])
                .ToDictionary(g => g.Key, g => (long)g.Count());
            var actual = search.Facets.TryGetValue(facet, out var values) ? values : new Dictionary<string, long>();
            if (!(expected.Count == actual.Count && expected.All(e => actual.TryGetValue(e.Key, out var n) && n == e.Value)))
            {
                problems.Add($"facet {facet}: search counts {Show(actual)}, GetListing counts {Show(expected)}");
            }
        }

        return problems;
    }

    /// <summary>
    /// Searches until it matches <paramref name="truth"/> or <paramref name="timeout"/> has passed; the differences
    /// of the last search (empty when it converged) and how long it took.
    /// </summary>
    public static async Task<(List<string> Differences, TimeSpan Took)> WaitForMatchAsync(
        CatalogService.CatalogServiceClient catalog, Metadata auth, string sellerId, IReadOnlyDictionary<string, Listing> truth, TimeSpan timeout)
    {
        var pageSize = truth.Count > 100 ? 100 : SmallPages;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var differences = Differences(truth, await SearchSellerAsync(catalog, auth, sellerId, pageSize));
            if (differences.Count == 0 || clock.Elapsed > timeout)
            {
                return (differences, clock.Elapsed);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The grade a result row shows among its key specs (grade values are shown as they are).</summary>
    private static string GradeOf(Listing hit, string expected) =>
        hit.KeySpecs.Contains(expected) ? expected : hit.KeySpecs.FirstOrDefault(k => k.StartsWith("HRB", StringComparison.Ordinal)) ?? "(none)";

    private static decimal Amount(Protos.Common.V1.Money? money) => money is null ? -1 : decimal.Parse(money.Amount, CultureInfo.InvariantCulture);

    private static decimal Tonnes(Protos.Common.V1.Decimal? value) => value is null ? -1 : decimal.Parse(value.Value, CultureInfo.InvariantCulture);

    private static string Show(IReadOnlyDictionary<string, long> counts) =>
        "{" + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}")) + "}";
}
