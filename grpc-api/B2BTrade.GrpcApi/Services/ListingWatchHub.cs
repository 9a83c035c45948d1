using System.Threading.Channels;
using B2BTrade.Grains;

namespace B2BTrade.GrpcApi.Services;

/// <summary>A listing as the read model holds it at a version (the projection's version); <see cref="View"/> is null once inactive.</summary>
public sealed record ListingChanged(string ListingId, long Version, bool Active, ListingView? View, string SellerName);

/// <summary>
/// Fans the read-model change feed out to this node's WatchListings streams. Each watcher has a bounded queue that
/// drops the oldest entries when a client reads too slowly: every entry is a full snapshot, so the newest one is
/// all a client needs.
/// </summary>
public sealed class ListingWatchHub
{
    private const int QueueCapacity = 1024;

    /// <summary>Open watch streams one user may hold on one node (a few browser tabs and an ERP, not a flood).</summary>
    public const int MaxStreamsPerUser = 16;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Watcher>> _byListing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _streamsByUser = new(StringComparer.Ordinal);

    /// <summary>True when some stream on this node watches the listing (the feed parses full snapshots only then).</summary>
    public bool IsWatched(string listingId)
    {
        lock (_lock)
        {
            return _byListing.ContainsKey(listingId);
        }
    }

    /// <summary>Subscribes one stream of <paramref name="userId"/>; RESOURCE_EXHAUSTED beyond <see cref="MaxStreamsPerUser"/>.</summary>
    public Watcher Watch(string userId, IReadOnlyCollection<string> listingIds)
    {
        var watcher = new Watcher(this, userId, [.. listingIds]);
        lock (_lock)
        {
            var open = _streamsByUser.GetValueOrDefault(userId);
            if (open >= MaxStreamsPerUser)
            {
                throw Domain.Common.Errors.Exhausted("TOO_MANY_WATCH_STREAMS", $"At most {MaxStreamsPerUser} watch streams may be open at once; close one first.", $"同时最多可打开 {MaxStreamsPerUser} 个实时订阅，请先关闭其他页面。");
            }

            _streamsByUser[userId] = open + 1;
            foreach (var id in watcher.ListingIds)
            {
                if (!_byListing.TryGetValue(id, out var set))
                {
                    _byListing[id] = set = [];
                }

                set.Add(watcher);
            }
        }

        return watcher;
    }

    public void Publish(ListingChanged change)
    {
        Watcher[] targets;
        lock (_lock)
        {
            if (!_byListing.TryGetValue(change.ListingId, out var set))
            {
                return;
            }

            targets = [.. set];
        }

        foreach (var watcher in targets)
        {
            watcher.Queue.Writer.TryWrite(change);
        }
    }

    private void Remove(Watcher watcher)
    {
        lock (_lock)
        {
            if (_streamsByUser.TryGetValue(watcher.UserId, out var open))
            {
                if (open <= 1)
                {
                    _streamsByUser.Remove(watcher.UserId);
                }
                else
                {
                    _streamsByUser[watcher.UserId] = open - 1;
                }
            }

            foreach (var id in watcher.ListingIds)
            {
                if (_byListing.TryGetValue(id, out var set) && set.Remove(watcher) && set.Count == 0)
                {
                    _byListing.Remove(id);
                }
            }
        }
    }

    /// <summary>One stream's subscription; dispose to stop receiving.</summary>
    public sealed class Watcher(ListingWatchHub hub, string userId, HashSet<string> listingIds) : IDisposable
    {
        private int _disposed;

        internal string UserId { get; } = userId;

        internal HashSet<string> ListingIds { get; } = listingIds;

        internal Channel<ListingChanged> Queue { get; } = Channel.CreateBounded<ListingChanged>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<ListingChanged> Changes => Queue.Reader;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Remove(this);
                Queue.Writer.TryComplete();
            }
        }
    }
}
