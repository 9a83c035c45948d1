using System.Collections.Concurrent;
using System.Collections.Immutable;
using B2BTrade.Grains.Infrastructure;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace B2BTrade.Silo.Push;

/// <summary>Live push inside one process (the single-node default: grains and API share it).</summary>
public class InProcessLivePush : ILivePush
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<string>>> _handlers = new(StringComparer.Ordinal);

    public virtual Task PublishAsync(string topic, string payload)
    {
        Deliver(topic, payload);
        return Task.CompletedTask;
    }

    public IDisposable Subscribe(string topic, Action<string> handler)
    {
        _handlers.AddOrUpdate(topic, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(() =>
        {
            while (_handlers.TryGetValue(topic, out var list))
            {
                var next = list.Remove(handler);
                if (next.IsEmpty ? _handlers.TryRemove(new(topic, list)) : _handlers.TryUpdate(topic, next, list))
                {
                    return;
                }
            }
        });
    }

    /// <summary>Hands a payload to this process's subscribers of the topic.</summary>
    protected void Deliver(string topic, string payload)
    {
        if (_handlers.TryGetValue(topic, out var list))
        {
            foreach (var handler in list)
            {
                handler(payload);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}

/// <summary>
/// Live push across a cluster over one Redis pub/sub channel: silos publish, every API node hears everything and
/// hands each payload to its local subscribers. Redis pub/sub is at most once; subscribers catch up from storage.
/// </summary>
public sealed partial class RedisLivePush : InProcessLivePush, IAsyncDisposable
{
    private static readonly RedisChannel s_channel = RedisChannel.Literal("b2btrade:push");
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;
    private readonly ILogger<RedisLivePush> _logger;

    public RedisLivePush(string configuration, bool listen, ILogger<RedisLivePush> logger)
    {
        _logger = logger;
        _connection = new(async () =>
        {
            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            var connection = await ConnectionMultiplexer.ConnectAsync(options);
            if (listen)
            {
                await connection.GetSubscriber().SubscribeAsync(s_channel, (_, value) =>
                {
                    var text = (string?)value ?? "";
                    var split = text.IndexOf('\n', StringComparison.Ordinal);
                    if (split > 0)
                    {
                        Deliver(text[..split], text[(split + 1)..]);
                    }
                });
            }

            return connection;
        });
    }

    /// <summary>Connects (and subscribes when listening) ahead of the first use.</summary>
    public Task StartAsync() => _connection.Value;

    public override async Task PublishAsync(string topic, string payload)
    {
        try
        {
            var connection = await _connection.Value;
            await connection.GetSubscriber().PublishAsync(s_channel, topic + "\n" + payload);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogPublishFailed(e, topic);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis push on {Topic} failed; watchers catch up from storage")]
    private partial void LogPublishFailed(Exception exception, string topic);
}
