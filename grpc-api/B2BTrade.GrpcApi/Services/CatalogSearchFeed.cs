using System.Globalization;
using System.Text.Json;
using B2BTrade.Domain.Catalog;
using B2BTrade.Grains;
using B2BTrade.Grains.Catalog;
using B2BTrade.Silo.Data;
using B2BTrade.Silo.ReadModel;
using B2BTrade.Silo.Search;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace B2BTrade.GrpcApi.Services;

/// <summary>
/// Keeps this API node's search index current and feeds its WatchListings streams: loads every listing from the
/// read model at start, then polls rows projected since the last one seen, by the database's clock and with an
/// overlap for transactions that committed late (upserts are version-guarded, so repeats are no-ops).
/// </summary>
public sealed partial class CatalogSearchFeed(SqlDatabase database, IGrainFactory grains, CatalogSearchIndex index, ListingWatchHub watchers, ILogger<CatalogSearchFeed> logger)
    : BackgroundService
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan s_treeRefresh = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_treeTimeout = TimeSpan.FromSeconds(2);
    private const long OverlapMicros = 5_000_000;
    private volatile bool _loaded;

    private volatile LabelSet _labels = new(null, [], []);

    /// <summary>Enum option labels by (attribute key, stored value) from the tree last read; the first definition of a key wins.</summary>
    public IReadOnlyDictionary<(string Key, string Value), string> OptionLabels(bool english) => english ? _labels.En : _labels.Zh;

    private void RememberLabels(CategoryTree tree)
    {
        if (ReferenceEquals(tree, _labels.Tree))
        {
            return;
        }

        var (zh, en) = (new Dictionary<(string, string), string>(), new Dictionary<(string, string), string>());
        foreach (var definition in tree.Nodes.Values.SelectMany(n => n.Attributes))
        {
            foreach (var option in definition.Options)
            {
                zh.TryAdd((definition.Key, option.Value), option.LabelZh);
                en.TryAdd((definition.Key, option.Value), option.LabelEn);
            }
        }

        _labels = new LabelSet(tree, zh, en);
    }

    /// <summary>Swapped as one reference, so a search never sees labels of two different trees.</summary>
    private sealed record LabelSet(CategoryTree? Tree, Dictionary<(string, string), string> Zh, Dictionary<(string, string), string> En);

    /// <summary>True once the index holds everything the read model held at start (readiness).</summary>
    public bool IsLoaded => _loaded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? since = null;
        CategoryTree? tree = null;
        var treeRead = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The tree only shapes documents (paths, attribute kinds): a stale one for a while beats a feed that
                // stops while the silo holding the tree grain is down, so refresh it now and then, briefly, and keep the last.
                if (tree is null || DateTimeOffset.UtcNow - treeRead > s_treeRefresh)
                {
                    try
                    {
                        tree = await grains.GetGrain<ICategoryTreeGrain>("default").GetAsync().WaitAsync(s_treeTimeout, stoppingToken);
                        treeRead = DateTimeOffset.UtcNow;
                        RememberLabels(tree);
                    }
                    catch (Exception e) when (tree is not null && !stoppingToken.IsCancellationRequested)
                    {
                        LogTreeRefreshFailed(e);
                    }
                }

                if (since is null)
                {
                    since = await LoadAllAsync(tree, stoppingToken);
                    _loaded = true;
                }

                since = await ApplyChangesAsync(tree, since.Value, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFeedFailed(e);
            }

            try
            {
                await Task.Delay(s_poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Loads the whole read model in pages of <see cref="LoadPageSize"/>; returns the database clock from before the first page.</summary>
    private async Task<long> LoadAllAsync(CategoryTree tree, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var start = (await connection.QueryAsync($"SELECT {Projections.DatabaseClockMicros(database.Dialect)}", r => Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture)))[0];
        var after = "";
        while (true)
        {
            var rows = await connection.QueryAsync(
                $"{SelectRows} WHERE l.listing_id > @after ORDER BY l.listing_id LIMIT {LoadPageSize}", ReadRow, null, ("@after", after));
            index.UpsertMany(rows.Select(row => Document(row.Document, row.Version, row.Status == (int)ListingStatus.Active, row.Seller, tree)));
            if (rows.Count < LoadPageSize)
            {
                return start;
            }

            after = rows[^1].Id;
        }
    }

    private async Task<long> ApplyChangesAsync(CategoryTree tree, long since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync($"{SelectRows} WHERE l.projected_at >= @since", ReadRow, null, ("@since", since - OverlapMicros));
        foreach (var row in rows)
        {
            var active = row.Status == (int)ListingStatus.Active;
            if (index.VersionOf(row.Id) >= row.Version)
            {
                continue; // seen in an earlier poll (the overlap window): skip parsing it again
            }

            if (index.Upsert(Document(row.Document, row.Version, active, row.Seller, tree)) && watchers.IsWatched(row.Id))
            {
                watchers.Publish(Change(row.Id, row.Version, active, row.Document, row.Seller));
            }
        }

        return rows.Count == 0 ? since : Math.Max(since, rows.Max(r => r.Projected));
    }

    private const int LoadPageSize = 5000;

    private const string SelectRows = """
        SELECT l.listing_id, l.version, l.document, l.status, l.projected_at, COALESCE(e.legal_name, '')
        FROM rm_listings l LEFT JOIN rm_enterprises e ON e.enterprise_id = l.seller_enterprise_id
        """;

    private static (string Id, long Version, string Document, int Status, long Projected, string Seller) ReadRow(System.Data.Common.DbDataReader r) =>
        (r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), r.GetString(2),
            Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture), r.GetString(5));

    /// <summary>A read-model row as a watch update; inactive listings carry no details.</summary>
    public static ListingChanged Change(string listingId, long version, bool active, string json, string sellerName)
    {
        if (!active)
        {
            return new ListingChanged(listingId, version, false, null, sellerName);
        }

        using var document = JsonDocument.Parse(json);
        return new ListingChanged(listingId, version, true, ListingReadModel.ParseView(document.RootElement), sellerName);
    }

    public static SearchDocument Document(string json, long version, bool active, string sellerName, CategoryTree tree)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var categoryId = root.GetProperty("categoryId").GetString()!;
        var known = tree.Find(categoryId) is not null;
        var schema = known ? tree.EffectiveSchema(categoryId) : [];
        var path = known ? tree.PathFromRoot(categoryId).ToList() : [];
        var enums = new Dictionary<string, string>();
        var numbers = new Dictionary<string, decimal>();
        foreach (var attribute in root.GetProperty("attributes").EnumerateObject())
        {
            var value = attribute.Value.GetString() ?? "";
            switch (schema.FirstOrDefault(a => a.Key == attribute.Name)?.Kind)
            {
                case AttributeKind.Enum:
                    enums[attribute.Name] = value;
                    break;
                case AttributeKind.Number or AttributeKind.Range when CatalogRules.ParseNormalisedRange(value) is { } range && range.From == range.To:
                    numbers[attribute.Name] = range.From;
                    break;
            }
        }

        decimal Tonnes(string property) => decimal.Parse(root.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
        var warehouseCity = root.GetProperty("warehouseCity").GetString() ?? "";
        return new SearchDocument(
            root.GetProperty("listingId").GetString()!,
            root.GetProperty("sellerEnterpriseId").GetString()!,
            sellerName,
            known ? [.. path.Select(n => n.Id)] : [categoryId],
            enums,
            numbers,
            root.GetProperty("name").GetString()!,
            root.GetProperty("brand").GetString() ?? "",
            root.GetProperty("origin").GetString() ?? "",
            warehouseCity,
            root.GetProperty("priceMin").GetDecimal(),
            root.GetProperty("priceMax").GetDecimal(),
            Tonnes("stockTonnes"),
            Tonnes("moqTonnes"),
            [.. root.GetProperty("keySpecs").EnumerateArray().Select(k => k.GetString() ?? "")],
            root.GetProperty("updatedAt").GetDateTimeOffset(),
            active,
            version)
        {
            ExtraText = [.. path.Select(n => n.NameZh), .. path.Select(n => n.NameEn), warehouseCity, sellerName],
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Category tree refresh failed; the search feed goes on with the last tree")]
    private partial void LogTreeRefreshFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog search feed failed; retrying")]
    private partial void LogFeedFailed(Exception exception);
}

/// <summary>Not ready until this node's search index has loaded the read model (else searches would come back empty).</summary>
public sealed class CatalogSearchHealthCheck(CatalogSearchFeed feed) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(feed.IsLoaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The catalog search index is still loading."));
}
