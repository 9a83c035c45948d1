using B2BTrade.Grains;
using B2BTrade.Silo.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BTrade.Silo.Orders;

/// <summary>
/// Releases stock held for orders that were never written. Placement holds the stock first and then writes the order;
/// a process that dies in between leaves holds with no order. A retry of the same request reuses them; otherwise this
/// sweeper asks each such order grain to let them go, and the grain does so only if the order still does not exist.
/// Every silo runs one; two sweeping the same hold is harmless (releasing is idempotent).
/// </summary>
public sealed partial class ListingHoldSweeper(SqlDatabase database, IGrainFactory grains, TimeProvider time, ILogger<ListingHoldSweeper> logger) : BackgroundService
{
    /// <summary>How old a hold must be before its missing order counts as never written: far beyond any placement's own time.</summary>
    public static readonly TimeSpan OrphanAfter = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(5);

    private const int BatchSize = 200;

    /// <summary>Releases the holds older than <paramref name="olderThan"/> whose order does not exist; returns how many it looked at.</summary>
    public async Task<int> SweepAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        List<(string ListingId, string OrderId)> orphans;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            orphans = await connection.QueryAsync(
                $"""
                SELECT h.listing_id, h.order_id FROM listing_holds h
                WHERE h.held_at < @cutoff
                  AND NOT EXISTS (SELECT 1 FROM grain_state g WHERE g.state_name = 'order' AND g.grain_id = 'order/' || h.order_id)
                LIMIT {BatchSize}
                """,
                r => (r.GetString(0), r.GetString(1)), null, ("@cutoff", time.GetUtcNow() - olderThan));
        }

        foreach (var (listingId, orderId) in orphans)
        {
            await grains.GetGrain<IOrderGrain>(orderId).ReleaseOrphanHoldAsync(listingId);
            LogReleased(listingId, orderId);
        }

        return orphans.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(s_interval, stoppingToken);
                while (await SweepAsync(OrphanAfter, stoppingToken) == BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogSweepFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the stock listing {ListingId} held for order {OrderId}, which was never written")]
    private partial void LogReleased(string listingId, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping orphan stock holds failed; will retry")]
    private partial void LogSweepFailed(Exception exception);
}
