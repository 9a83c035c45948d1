using System.Globalization;
using B2BTrade.Domain.Common;
using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.ReadModel;

/// <summary>A row of an enterprise's order list.</summary>
public sealed record OrderRow(
    string OrderId, int Status, string BuyerEnterpriseId, string BuyerName, string SellerEnterpriseId, string SellerName,
    string ProductSummary, string QuantityTonnes, string TotalAmount, string PlacedByName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A row of an enterprise's contract list.</summary>
public sealed record ContractRow(
    string ContractId, string ContractNumber, string OrderId, int Status, string BuyerName, string SellerName, string TotalAmount, DateTimeOffset CreatedAt);

/// <summary>Order and contract lists, answered from tables (never by asking grains), newest first, keyset-paged.</summary>
public sealed class OrderQueries(SqlDatabase database)
{
    public async Task<Page<OrderRow>> ListOrdersAsync(string enterpriseId, bool asBuyer, IReadOnlyCollection<int> statuses, int pageSize, string? pageToken)
    {
        var (beforeMicros, beforeId) = PageToken.DecodeTimeKey(pageToken);
        var column = asBuyer ? "buyer_enterprise_id" : "seller_enterprise_id";
        var statusFilter = statuses.Count == 0 ? "AND status > 0" : $"AND status IN ({string.Join(", ", statuses.Select(s => s.ToString(CultureInfo.InvariantCulture)))})";
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            $"""
            SELECT order_id, status, buyer_enterprise_id, buyer_name, seller_enterprise_id, seller_name, product_summary, quantity_tonnes, total_amount,
              placed_by_name, created_micros, updated_micros
            FROM rm_orders
            WHERE {column} = @enterprise {statusFilter} AND (created_micros < @before OR (created_micros = @before AND order_id < @beforeId))
            ORDER BY created_micros DESC, order_id DESC LIMIT @limit
            """,
            r => new OrderRow(r.GetString(0), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.GetString(7), r.GetString(8), r.GetString(9), FromMicros(r.GetInt64(10)), FromMicros(r.GetInt64(11))),
            null, ("@enterprise", enterpriseId), ("@before", beforeMicros), ("@beforeId", beforeId), ("@limit", pageSize + 1));
        return rows.Count > pageSize
            ? new Page<OrderRow>(rows.Take(pageSize).ToList(), PageToken.EncodeTimeKey(rows[pageSize - 1].CreatedAt, rows[pageSize - 1].OrderId))
            : new Page<OrderRow>(rows, "");
    }

    public async Task<Page<ContractRow>> ListContractsAsync(string enterpriseId, int pageSize, string? pageToken)
    {
        var (beforeMicros, beforeId) = PageToken.DecodeTimeKey(pageToken);
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            """
            SELECT contract_id, contract_number, order_id, status, buyer_name, seller_name, total_amount, created_micros
            FROM rm_contracts
            WHERE (buyer_enterprise_id = @enterprise OR seller_enterprise_id = @enterprise)
              AND (created_micros < @before OR (created_micros = @before AND contract_id < @beforeId))
            ORDER BY created_micros DESC, contract_id DESC LIMIT @limit
            """,
            r => new ContractRow(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture), r.GetString(4), r.GetString(5),
                r.GetString(6), FromMicros(r.GetInt64(7))),
            null, ("@enterprise", enterpriseId), ("@before", beforeMicros), ("@beforeId", beforeId), ("@limit", pageSize + 1));
        return rows.Count > pageSize
            ? new Page<ContractRow>(rows.Take(pageSize).ToList(), PageToken.EncodeTimeKey(rows[pageSize - 1].CreatedAt, rows[pageSize - 1].ContractId))
            : new Page<ContractRow>(rows, "");
    }

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
