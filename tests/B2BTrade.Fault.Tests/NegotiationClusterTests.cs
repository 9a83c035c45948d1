using System.Diagnostics;
using B2BTrade.Fault.Tests.Infrastructure;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Operations.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace B2BTrade.Fault.Tests;

/// <summary>
/// Negotiation in the cluster mode (two silos on PostgreSQL, Redis membership and push, two API nodes): what one
/// party does through one API node reaches the other party's open streams on the other node, and a silo killed in
/// the middle of a conversation loses no acknowledged message and leaves no gap or duplicate on the streams.
/// </summary>
public sealed class NegotiationClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(45);

    // Pushed through Redis pub/sub to the other API node.
    private static readonly TimeSpan s_crossNode = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task MessagesQuotesAndNotificationsCrossApiNodesAndSurviveASiloKill()
    {
        await using var cluster = await LocalCluster.StartFromEnvironmentAsync("negotiation", apiNodes: 2);
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var clock = Stopwatch.StartNew();
                using var channel1 = cluster.ApiNodes[0].OpenChannel();
                using var channel2 = cluster.ApiNodes[1].OpenChannel();
                var seller = await VerifiedAsync(channel1, "negseller");
                var buyer = await VerifiedAsync(channel1, "negbuyer");
                var listing = await Negotiations.ListingAsync(new CatalogService.CatalogServiceClient(channel1), seller);
                var buyerApi = new NegotiationService.NegotiationServiceClient(channel1);
                var sellerApi = new NegotiationService.NegotiationServiceClient(channel2);
                var thread = await Negotiations.InquiryAsync(buyerApi, buyer, listing);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: thread {thread.ThreadId} opened through node 1");

                using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
                var sellerSeen = new EventLog();
                var buyerSeen = new EventLog();
                var sellerWatch = WatchAsync(sellerApi, thread.ThreadId, seller, sellerSeen, stop.Token);
                var buyerWatch = WatchAsync(buyerApi, thread.ThreadId, buyer, buyerSeen, stop.Token);
                var buyerInbox = new InboxService.InboxServiceClient(channel1).WatchInbox(new WatchInboxRequest(), buyer.Auth, cancellationToken: stop.Token);
                Assert.True(await buyerInbox.ResponseStream.MoveNext(stop.Token));
                await sellerSeen.WaitForThreadAsync(t => t.ThreadId == thread.ThreadId, s_budget);
                await buyerSeen.WaitForThreadAsync(t => t.ThreadId == thread.ThreadId, s_budget);

                // Node 1 → node 2: the buyer's message reaches the seller's stream.
                var hello = await Send(buyerApi, buyer, thread.ThreadId, "您好，请报 300 吨 HRB400E Φ25 到货价");
                await sellerSeen.WaitForMessagesAsync(hello.Sequence, s_crossNode);

                // Node 2 → node 1: the seller's quote reaches the buyer's stream and inbox.
                var quoted = (await sellerApi.SubmitQuoteAsync(new SubmitQuoteRequest
                {
                    ThreadId = thread.ThreadId,
                    Etag = thread.Etag,
                    Terms = Negotiations.Terms(3580m, DateTimeOffset.UtcNow.AddDays(2)),
                }, seller.Auth)).Thread;
                await buyerSeen.WaitForThreadAsync(t => t.Status == ThreadStatus.Quoted && t.OpenQuoteVersion == quoted.OpenQuoteVersion, s_crossNode);
                var notified = await NextNotificationAsync(buyerInbox, NotificationKind.NewQuote, s_crossNode, stop.Token);
                Assert.Equal(thread.ThreadId, notified.SubjectId);

                // Both sides talk while silo 1 is killed: every acknowledged message is kept, and both streams end up
                // with exactly 1..N, in order, once each.
                var acknowledged = new List<long> { hello.Sequence };
                for (var i = 0; i < 40; i++)
                {
                    if (i == 15)
                    {
                        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {acknowledged.Count} messages acknowledged, SIGKILL silo1 (pid {cluster.Silo1.Id})");
                        cluster.Silo1.Kill();
                    }

                    var (api, party) = i % 2 == 0 ? (buyerApi, buyer) : (sellerApi, seller);
                    acknowledged.Add((await Send(api, party, thread.ThreadId, $"第 {i} 条")).Sequence);
                }

                var last = acknowledged.Max();
                Assert.Equal(Enumerable.Range(1, (int)last).Select(n => (long)n), acknowledged.Order());
                await sellerSeen.WaitForMessagesAsync(last, TimeSpan.FromSeconds(30));
                await buyerSeen.WaitForMessagesAsync(last, TimeSpan.FromSeconds(30));
                Assert.Equal(Enumerable.Range(1, (int)last).Select(n => (long)n), sellerSeen.Sequences);
                Assert.Equal(Enumerable.Range(1, (int)last).Select(n => (long)n), buyerSeen.Sequences);

                var history = await Transient.RetryAsync(d => buyerApi.ListMessagesAsync(new ListMessagesRequest { ThreadId = thread.ThreadId, PageSize = 200 }, buyer.Auth, d).ResponseAsync, s_budget);
                Assert.Equal(Enumerable.Range(1, (int)last).Reverse().Select(n => (long)n), history.Messages.Select(m => m.Sequence));

                // The agreed terms survive the silo that may have held the thread.
                var accepted = await Transient.RetryAsync(d => buyerApi.AcceptQuoteAsync(new AcceptQuoteRequest { ThreadId = thread.ThreadId, Version = quoted.OpenQuoteVersion }, buyer.Auth, d).ResponseAsync, s_budget);
                Assert.Equal(ThreadStatus.Accepted, accepted.Thread.Status);
                await sellerSeen.WaitForThreadAsync(t => t.Status == ThreadStatus.Accepted && t.AgreedVersion == quoted.OpenQuoteVersion, TimeSpan.FromSeconds(10));
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {last} messages on both streams in order; accepted version {quoted.OpenQuoteVersion}");

                await stop.CancelAsync();
                await Task.WhenAll(sellerWatch, buyerWatch);
            },
            cluster.Tails);
    }

    private static async Task<Message> Send(NegotiationService.NegotiationServiceClient api, Seller party, string threadId, string text)
    {
        var request = new SendMessageRequest { ThreadId = threadId, ClientMessageId = Guid.NewGuid().ToString(), Text = text };
        return (await Transient.RetryAsync(d => api.SendMessageAsync(request, party.Auth, d).ResponseAsync, s_budget)).Message;
    }

    /// <summary>Keeps a WatchThread open, reopening after the last message seen when the stream breaks (as the SDK does).</summary>
    private static async Task WatchAsync(NegotiationService.NegotiationServiceClient api, string threadId, Seller party, EventLog log, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var call = api.WatchThread(new WatchThreadRequest { ThreadId = threadId, AfterSequence = log.LastSequence }, party.Auth, cancellationToken: stop);
                await foreach (var e in call.ResponseStream.ReadAllAsync(stop))
                {
                    log.Add(e);
                }
            }
            catch (RpcException) when (!stop.IsCancellationRequested)
            {
                await Task.Delay(200, CancellationToken.None);
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<Notification> NextNotificationAsync(AsyncServerStreamingCall<WatchInboxResponse> inbox, NotificationKind kind, TimeSpan within, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(within);
        while (await inbox.ResponseStream.MoveNext(deadline.Token))
        {
            if (inbox.ResponseStream.Current.Notification is { } n && n.Kind == kind)
            {
                Assert.True(inbox.ResponseStream.Current.UnreadCount >= 1);
                return n;
            }
        }

        throw new Xunit.Sdk.XunitException($"no {kind} notification arrived within {within}");
    }

    private static async Task<Seller> VerifiedAsync(Grpc.Net.Client.GrpcChannel channel, string tag)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var operatorAuth = Accounts.Bearer(await Accounts.LoginAsync(identity, LocalCluster.OperatorEmail, LocalCluster.OperatorPassword, TimeSpan.FromSeconds(60)));
        return await Sellers.VerifiedAsync(channel, new OperatorOutboxCodes(new OperatorService.OperatorServiceClient(channel), operatorAuth), operatorAuth, tag);
    }

    /// <summary>What one party's stream delivered: every message sequence in arrival order and the latest thread.</summary>
    private sealed class EventLog
    {
        private readonly Lock _lock = new();
        private readonly List<long> _sequences = [];
        private B2BTrade.Protos.Negotiation.V1.Thread? _thread;

        public long LastSequence
        {
            get
            {
                lock (_lock)
                {
                    return _sequences.Count == 0 ? 0 : _sequences[^1];
                }
            }
        }

        public IReadOnlyList<long> Sequences
        {
            get
            {
                lock (_lock)
                {
                    return [.. _sequences];
                }
            }
        }

        public void Add(WatchThreadResponse e)
        {
            lock (_lock)
            {
                if (e.Message is { } m)
                {
                    _sequences.Add(m.Sequence);
                }
                else if (e.Thread is { } t)
                {
                    _thread = t;
                }
            }
        }

        public Task WaitForMessagesAsync(long sequence, TimeSpan within) =>
            WaitAsync(() => LastSequence >= sequence, within, () => $"messages up to {sequence} (seen {string.Join(",", Sequences)})");

        public Task WaitForThreadAsync(Func<B2BTrade.Protos.Negotiation.V1.Thread, bool> condition, TimeSpan within) =>
            WaitAsync(() => { lock (_lock) { return _thread is { } t && condition(t); } }, within, () => $"a thread update (last: {_thread?.Status})");

        private static async Task WaitAsync(Func<bool> condition, TimeSpan within, Func<string> what)
        {
            var until = DateTime.UtcNow + within;
            while (!condition())
            {
                if (DateTime.UtcNow > until)
                {
                    throw new Xunit.Sdk.XunitException($"timed out after {within} waiting for {what()}");
                }

                await Task.Delay(20);
            }
        }
    }
}
