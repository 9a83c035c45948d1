using System.Collections.Concurrent;
using System.Threading.Channels;
using B2BTrade.Benchmarks.Echo;
using Grpc.Core;

namespace B2BTrade.Benchmarks;

public sealed class EchoServiceImpl(EchoHub hub) : EchoService.EchoServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = request.Text });

    public override Task<PublishReply> Publish(PublishRequest request, ServerCallContext context)
    {
        hub.Publish(request.Topic, new Delivery { Id = request.Id, Text = request.Text });
        return Task.FromResult(new PublishReply { Id = request.Id });
    }

    /// <summary>Same shape as WatchThread: subscribe, send an opening event, then relay a bounded channel to the stream.</summary>
    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<Delivery> responseStream, ServerCallContext context)
    {
        var events = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var subscription = hub.Subscribe(request.Topic, events.Writer);
        await responseStream.WriteAsync(new Delivery());
        try
        {
            await foreach (var item in events.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(item, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>In-memory topics: each open Subscribe stream's channel writer, by topic.</summary>
public sealed class EchoHub
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<ChannelWriter<Delivery>, byte>> _topics = new(StringComparer.Ordinal);

    public IDisposable Subscribe(string topic, ChannelWriter<Delivery> writer)
    {
        var subscribers = _topics.GetOrAdd(topic, _ => new());
        subscribers[writer] = 0;
        return new Subscription(() => subscribers.TryRemove(writer, out _));
    }

    public void Publish(string topic, Delivery item)
    {
        if (_topics.TryGetValue(topic, out var subscribers))
        {
            foreach (var writer in subscribers.Keys)
            {
                writer.TryWrite(item);
            }
        }
    }

    private sealed class Subscription(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
