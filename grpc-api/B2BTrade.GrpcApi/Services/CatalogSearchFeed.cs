using System.Globalization;
using System.Text.Json;
using B2BTrade.Domain.Catalog;
using B2BTrade.Grains;
using B2BTrade.Silo.Data;
using B2BTrade.Silo.Search;

namespace B2BTrade.GrpcApi.Services;

/// <summary>
/// Keeps this API node's search index current: loads every listing from the read model at start, then polls
/// rows changed since the last seen update (with an overlap; upserts are version-guarded, so repeats are no-ops).
/// </summary>
public sealed partial class CatalogSearchFeed(SqlDatabase database, IGrainFactory grains, CatalogSearchIndex index, ILogger<CatalogSearchFeed> logger) : BackgroundService
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan s_overlap = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var tree = await grains.GetGrain<ICategoryTreeGrain>("default").GetAsync();
                since = await ApplyChangesAsync(tree, since, stoppingToken);
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

    private async Task<DateTimeOffset> ApplyChangesAsync(CategoryTree tree, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(
            """
            SELECT l.listing_id, l.version, l.document, l.status, l.updated_at, COALESCE(e.legal_name, '')
            FROM rm_listings l LEFT JOIN rm_enterprises e ON e.enterprise_id = l.seller_enterprise_id
            WHERE l.updated_at >= @since
            """,
            r => (Id: r.GetString(0), Version: Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), Document: r.GetString(2),
                Status: Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture), Updated: r.GetInstant(4), Seller: r.GetString(5)),
            null, ("@since", since == DateTimeOffset.MinValue ? since : since - s_overlap));
        foreach (var row in rows)
        {
            index.Upsert(Document(row.Document, row.Version, row.Status == (int)ListingStatus.Active, row.Seller, tree));
        }

        return rows.Count == 0 ? since : rows.Max(r => r.Updated);
    }

    public static SearchDocument Document(string json, long version, bool active, string sellerName, CategoryTree tree)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var categoryId = root.GetProperty("categoryId").GetString()!;
        var schema = tree.Find(categoryId) is null ? [] : tree.EffectiveSchema(categoryId);
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
        return new SearchDocument(
            root.GetProperty("listingId").GetString()!,
            root.GetProperty("sellerEnterpriseId").GetString()!,
            sellerName,
            tree.Find(categoryId) is null ? [categoryId] : [.. tree.PathFromRoot(categoryId).Select(n => n.Id)],
            enums,
            numbers,
            root.GetProperty("name").GetString()!,
            root.GetProperty("brand").GetString() ?? "",
            root.GetProperty("origin").GetString() ?? "",
            root.GetProperty("warehouseCity").GetString() ?? "",
            root.GetProperty("priceMin").GetDecimal(),
            root.GetProperty("priceMax").GetDecimal(),
            Tonnes("stockTonnes"),
            Tonnes("moqTonnes"),
            [.. root.GetProperty("keySpecs").EnumerateArray().Select(k => k.GetString() ?? "")],
            root.GetProperty("updatedAt").GetDateTimeOffset(),
            active,
            version);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog search feed failed; retrying")]
    private partial void LogFeedFailed(Exception exception);
}
