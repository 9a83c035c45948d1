using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.Storage;

/// <summary>A listing's stock holds, read from the rows its grain writes beside its state (not a projection: always current).</summary>
public sealed class StoredListingHolds(SqlDatabase database) : Grains.Infrastructure.IListingHolds
{
    public async Task<IReadOnlyDictionary<string, Domain.Catalog.Tonnes>> LoadAsync(string listingId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync("SELECT order_id, tonnes FROM listing_holds WHERE listing_id = @listing",
            r => (OrderId: r.GetString(0), Tonnes: Domain.Catalog.Tonnes.Parse(r.GetString(1), "tonnes")), null, ("@listing", listingId));
        return rows.ToDictionary(r => r.OrderId, r => r.Tonnes, StringComparer.Ordinal);
    }
}
