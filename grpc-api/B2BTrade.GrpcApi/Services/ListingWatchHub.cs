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
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Watcher>> _byListing = new(StringComparer.Ordinal);

    /// <summary>True when some stream on this node watches the listing (the feed parses full snapshots only then).</summary>
    public bool IsWatched(string listingId)
    {
        lock (_lock)
        {
            return _byListing.ContainsKey(listingId);
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _byListing.Values.SelectMany(w => w).Distinct().Count();
            }
        }
    }

    public Watcher Watch(IReadOnlyCollection<string> listingIds)
    {
        var watcher = new Watcher(this, [.. listingIds]);
        lock (_lock)
        {
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
    public sealed class Watcher(ListingWatchHub hub, HashSet<string> listingIds) : IDisposable
    {
        internal HashSet<string> ListingIds { get; } = listingIds;

        internal Channel<ListingChanged> Queue { get; } = Channel.CreateBounded<ListingChanged>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<ListingChanged> Changes => Queue.Reader;

        public void Dispose()
        {
            hub.Remove(this);
            Queue.Writer.TryComplete();
        }
    }
}
