using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using B2BTrade.Benchmarks.Echo;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Operations.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Decimal = B2BTrade.Protos.Common.V1.Decimal;

using static B2BTrade.Benchmarks.BenchApi;

namespace B2BTrade.Benchmarks;

/// <summary>
/// W2: negotiation chat latency on the real single-node server (a child process: the API host with its co-hosted
/// silo on SQLite, as shipped). 1,000 inquiry threads, one WatchThread stream per thread on the seller side, and the
/// buyer sending messages at a steady open-loop rate across the threads: latency = SendMessage call start → the
/// message arriving on the seller's stream. The raw baseline is the same shape on a bare gRPC server (another child
/// process): unary Publish → in-memory fan-out → server stream, same streams, rate and connections. Then SendMessage
/// latency on a thread holding 100,000 messages vs a new thread.
/// </summary>
public static partial class W2
{
    // WatchThread allows 32 live streams per user (StreamQuota.MaxStreamsPerUser); the seller side spreads its
    // streams over Sales members.
    private const int StreamsPerUser = 30;

    private sealed record Options(int Threads, double Rate, double Warmup, double Duration, int BigMessages, int AppendSamples, string? ApiDll, string? Out, int Rounds = 1, string? Timelines = null);

    private sealed record Row(string Scenario, int Streams, double Rate, long Messages, long Missing, double P50, double P99, double Max, double AckP50, double AckP99);

    /// <summary>One side's measured window: what was lost and the sorted latencies (Stopwatch ticks), kept for pooling over rounds.</summary>
    private sealed record Measured(string Scenario, int Streams, double Rate, long Missing, long[] Latencies, long[] Acks)
    {
        /// <summary>Each delivered message in send order: when it was sent (ticks after the first measured send) and its latency.</summary>
        public IReadOnlyList<(long SentAt, long Latency)> Timeline { get; init; } = [];

        public Row Summary() => new(Scenario, Streams, Rate, Latencies.Length, Missing,
            Harness.Percentile(Latencies, 0.50), Harness.Percentile(Latencies, 0.99), Harness.Percentile(Latencies, 1.0), Harness.Percentile(Acks, 0.50), Harness.Percentile(Acks, 0.99));
    }

    private sealed record AppendRow(string Thread, long Messages, int Samples, double P50, double P99, double Max, double Mean);

    public static async Task<int> RunAsync(string[] args)
    {
        var o = new Options(1000, 200, 5, 30, 100_000, 1000, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            string V() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--threads" => o with { Threads = int.Parse(V(), CultureInfo.InvariantCulture) },
                "--rate" => o with { Rate = double.Parse(V(), CultureInfo.InvariantCulture) },
                "--warmup" => o with { Warmup = double.Parse(V(), CultureInfo.InvariantCulture) },
                "--duration" => o with { Duration = double.Parse(V(), CultureInfo.InvariantCulture) },
                "--big" => o with { BigMessages = int.Parse(V(), CultureInfo.InvariantCulture) },
                "--append-samples" => o with { AppendSamples = int.Parse(V(), CultureInfo.InvariantCulture) },
                "--rounds" => o with { Rounds = int.Parse(V(), CultureInfo.InvariantCulture) is var n and >= 1 ? n : throw new ArgumentException("--rounds must be at least 1") },
                "--api-dll" => o with { ApiDll = V() },
                "--out" => o with { Out = V() },
                "--timelines" => o with { Timelines = V() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        var report = new BenchReport();
        void Say(string line) => report.Say(line);
        if (FindApiDll(o.ApiDll) is not { } apiDll)
        {
            return 2;
        }

        SayHeader(report, "W2 negotiation chat", apiDll);
        Say($"threads {o.Threads}, rate {o.Rate}/s, warm-up {o.Warmup} s, measured {o.Duration} s, rounds {o.Rounds} (each with its warm-up); big thread {o.BigMessages:N0} messages, {o.AppendSamples} append samples per thread");

        var rows = new List<Row>();
        var clock = Stopwatch.StartNew();
        await using var server = await BenchServer.StartAsync(apiDll, "w2");
        Say($"{clock.Elapsed.TotalSeconds:0.0}s: server up (pid {server.Pid}, data {server.DataDir})");
        try
        {
            using var setupChannel = Channel(server.GrpcUrl);
            var world = await SetUpAsync(setupChannel, server, o.Threads, Say, clock);

            // 1. Send → delivery on the counterparty's stream: the real server and the raw baseline, both up, measured in
            // turns. With several rounds the order alternates (W2 first, then the baseline first, …) and each side's
            // samples are pooled, so neither side is always the one measured while the shared machine is quieter.
            Task<Measured> MeasureServer() => LiveAsync("W2 SendMessage → WatchThread", o, server.GrpcUrl, world.ThreadIds, async (channel, topic, id, text) =>
            {
                var negotiation = new NegotiationService.NegotiationServiceClient(channel);
                await negotiation.SendMessageAsync(new SendMessageRequest { ThreadId = topic, ClientMessageId = id, Text = text }, world.Buyer, deadline: DateTime.UtcNow.AddSeconds(30));
            }, async (channel, topic, index, arrived, ready, token) =>
            {
                var negotiation = new NegotiationService.NegotiationServiceClient(channel);
                using var call = negotiation.WatchThread(new WatchThreadRequest { ThreadId = topic }, world.SellerWatchers[index / StreamsPerUser], cancellationToken: token);
                while (await call.ResponseStream.MoveNext(token))
                {
                    var e = call.ResponseStream.Current;
                    if (e.EventCase == WatchThreadResponse.EventOneofCase.Thread)
                    {
                        ready();
                    }
                    else if (e.EventCase == WatchThreadResponse.EventOneofCase.Message)
                    {
                        arrived(e.Message.ClientMessageId);
                    }
                }
            }, Say, clock);

            await using var echo = await EchoServer.StartAsync();
            Task<Measured> MeasureEcho() => LiveAsync("raw gRPC Publish → Subscribe", o, echo.Url, world.ThreadIds, async (channel, topic, id, text) =>
            {
                await new EchoService.EchoServiceClient(channel).PublishAsync(new PublishRequest { Topic = topic, Id = id, Text = text }, deadline: DateTime.UtcNow.AddSeconds(30));
            }, async (channel, topic, index, arrived, ready, token) =>
            {
                using var call = new EchoService.EchoServiceClient(channel).Subscribe(new SubscribeRequest { Topic = topic }, cancellationToken: token);
                while (await call.ResponseStream.MoveNext(token))
                {
                    if (call.ResponseStream.Current.Id.Length == 0)
                    {
                        ready();
                    }
                    else
                    {
                        arrived(call.ResponseStream.Current.Id);
                    }
                }
            }, Say, clock);

            var serverRounds = new List<Measured>();
            var echoRounds = new List<Measured>();
            for (var round = 1; round <= o.Rounds; round++)
            {
                if (round % 2 == 1)
                {
                    serverRounds.Add(await MeasureServer());
                    echoRounds.Add(await MeasureEcho());
                }
                else
                {
                    echoRounds.Add(await MeasureEcho());
                    serverRounds.Add(await MeasureServer());
                }
            }

            if (o.Timelines is not null)
            {
                await WriteTimelinesAsync(o.Timelines, serverRounds, echoRounds);
                Say($"per-message timelines written to {o.Timelines}");
            }

            rows.Add(Pool(serverRounds).Summary());
            rows.Add(Pool(echoRounds).Summary());
            Say("");
            if (o.Rounds > 1)
            {
                Say(RoundsTable(serverRounds, echoRounds));
                Say("Pooled over the rounds:");
                Say("");
            }

            Say(LiveTable(rows));
            Say(string.Create(CultureInfo.InvariantCulture, $"p99(W2) / p99(raw) = {rows[0].P99 / rows[1].P99:0.00} (target ≤ 2); p50 ratio {rows[0].P50 / rows[1].P50:0.00}"));

            // 2. Append latency on a 100k-message thread vs a new one.
            var appends = await AppendAsync(setupChannel, world, o, Say, clock);
            Say("");
            Say(AppendTable(appends));
            Say($"load average at end: {BenchApi.LoadAverage()}; server process peak working set {server.PeakMb()} MB");
            var files = Directory.GetFiles(server.DataDir, "*.db*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).OrderBy(f => f.Name).ToList();
            Say($"SQLite files under the data folder: {files.Sum(f => f.Length) / 1048576.0:0.0} MB ({string.Join(", ", files.Select(f => $"{f.Name} {f.Length / 1048576.0:0.0}"))})");
        }
        catch
        {
            Console.Error.WriteLine(server.Tail());
            throw;
        }

        if (o.Out is not null)
        {
            await File.WriteAllTextAsync(o.Out, report.ToString());
        }

        return 0;
    }

    // ------------------------------------------------------------------ the live measurement

    private delegate Task Send(GrpcChannel channel, string topic, string id, string text);

    private delegate Task Watch(GrpcChannel channel, string topic, int index, Action<string> arrived, Action ready, CancellationToken token);

    private static async Task<Measured> LiveAsync(string name, Options o, Uri url, IReadOnlyList<string> topics, Send send, Watch watch, Action<string> say, Stopwatch clock)
    {
        // Streams over their own channel (HTTP/2 connections are opened as each fills its 100 streams); sends over another.
        using var streamChannel = Channel(url);
        using var sendChannel = Channel(url);
        using var stop = new CancellationTokenSource();
        var sent = new ConcurrentDictionary<string, (long Start, bool Measured)>(StringComparer.Ordinal);
        var timeline = new ConcurrentBag<(long SentAt, long Latency)>();
        var acks = new ConcurrentBag<long>();
        var readyCount = 0;
        var streamErrors = 0;
        string? firstStreamError = null;

        void Arrived(string id)
        {
            var now = Stopwatch.GetTimestamp();
            if (sent.TryRemove(id, out var s) && s.Measured)
            {
                timeline.Add((s.Start, now - s.Start));
            }
        }

        var watchers = new Task[topics.Count];
        for (var i = 0; i < topics.Count; i++)
        {
            var index = i;
            watchers[i] = Task.Run(async () =>
            {
                try
                {
                    await watch(streamChannel, topics[index], index, Arrived, () => Interlocked.Increment(ref readyCount), stop.Token);
                }
                catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
                {
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref streamErrors);
                    Interlocked.CompareExchange(ref firstStreamError, e.GetType().Name + ": " + e.Message, null);
                }
            });
        }

        var opened = Stopwatch.StartNew();
        while (Volatile.Read(ref readyCount) < topics.Count)
        {
            if (streamErrors > 0)
            {
                throw new InvalidOperationException($"{name}: {streamErrors} streams failed to open: {firstStreamError}");
            }

            if (opened.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"{name}: only {readyCount} of {topics.Count} streams opened in 3 minutes");
            }

            await Task.Delay(50);
        }

        say($"{clock.Elapsed.TotalSeconds:0.0}s: {name}: {topics.Count} streams open in {opened.Elapsed.TotalSeconds:0.0} s");

        // Open loop: one send every 1/rate s, whatever the previous ones are doing.
        var inFlight = new List<Task>();
        var sendErrors = 0;
        string? firstSendError = null;
        var run = Guid.NewGuid().ToString("N")[..6];
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var begin = Stopwatch.GetTimestamp();
        var warmupEnd = begin + (long)(o.Warmup * Stopwatch.Frequency);
        var end = warmupEnd + (long)(o.Duration * Stopwatch.Frequency);
        var interval = Stopwatch.Frequency / o.Rate;
        long measuredCount = 0;
        for (long k = 0; ; k++)
        {
            var due = begin + (long)(k * interval);
            if (due >= end)
            {
                break;
            }

            // Sleep, never spin, until the send is due: on 2 cores a spinning load generator takes the CPU the server
            // needs. A send may start up to a timer tick late; latency counts from when it really starts.
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }

            var topic = topics[(int)(k % topics.Count)];
            var id = $"w2-{run}-{k}";
            var measured = due >= warmupEnd;
            measuredCount += measured ? 1 : 0;
            inFlight.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                sent[id] = (start, measured);
                try
                {
                    await send(sendChannel, topic, id, "价格还能再谈吗？第 " + id + " 条");
                    if (measured)
                    {
                        acks.Add(Stopwatch.GetTimestamp() - start);
                    }
                }
                catch (Exception e)
                {
                    sent.TryRemove(id, out _);
                    Interlocked.Increment(ref sendErrors);
                    Interlocked.CompareExchange(ref firstSendError, e.GetType().Name + ": " + e.Message, null);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        var generatorCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds / Stopwatch.GetElapsedTime(begin).TotalSeconds;
        var drain = Stopwatch.StartNew();
        while (!sent.IsEmpty && drain.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        var missing = sent.Count(s => s.Value.Measured);
        await stop.CancelAsync();
        await Task.WhenAll(watchers).WaitAsync(TimeSpan.FromSeconds(30));
        var lat = timeline.Select(t => t.Latency).Order().ToArray();
        var ack = acks.Order().ToArray();
        say($"{clock.Elapsed.TotalSeconds:0.0}s: {name}: {measuredCount} measured sends, {lat.Length} delivered, {missing} not delivered within 10 s, {sendErrors} send errors{(firstSendError is null ? "" : $" (first: {firstSendError})")}, {streamErrors} stream errors{(firstStreamError is null ? "" : $" (first: {firstStreamError})")}; load generator CPU {generatorCpu:P0} of one core");
        var first = timeline.IsEmpty ? 0 : timeline.Min(t => t.SentAt);
        return new Measured(name, topics.Count, o.Rate, missing + sendErrors, lat, ack) { Timeline = [.. timeline.Select(t => (t.SentAt - first, t.Latency)).OrderBy(t => t.Item1)] };
    }

    private static Measured Pool(List<Measured> rounds) => rounds[0] with
    {
        Missing = rounds.Sum(r => r.Missing),
        Latencies = [.. rounds.SelectMany(r => r.Latencies).Order()],
        Acks = [.. rounds.SelectMany(r => r.Acks).Order()],
    };

    /// <summary>One CSV per side and round (sent_ms, latency_ms): whether slow deliveries come in bursts, and how often.</summary>
    private static async Task WriteTimelinesAsync(string folder, List<Measured> server, List<Measured> echo)
    {
        Directory.CreateDirectory(folder);
        static string Ms(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.000", CultureInfo.InvariantCulture);
        foreach (var (side, rounds) in new[] { ("w2", server), ("raw", echo) })
        {
            for (var i = 0; i < rounds.Count; i++)
            {
                var lines = rounds[i].Timeline.Select(t => $"{Ms(t.SentAt)},{Ms(t.Latency)}").Prepend("sent_ms,latency_ms");
                await File.WriteAllLinesAsync(Path.Combine(folder, $"{side}-round{i + 1}.csv"), lines);
            }
        }
    }

    private static string RoundsTable(List<Measured> server, List<Measured> echo)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| round | measured first | W2 p50 ms | W2 p99 ms | raw p50 ms | raw p99 ms | p99 ratio |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
        for (var i = 0; i < server.Count; i++)
        {
            var (s, e) = (server[i].Summary(), echo[i].Summary());
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {(i % 2 == 0 ? "W2" : "raw")} | {s.P50:0.00} | {s.P99:0.00} | {e.P50:0.00} | {e.P99:0.00} | {s.P99 / e.P99:0.00} |");
        }

        var ratios = server.Zip(echo, (s, e) => s.Summary().P99 / e.Summary().P99).Order().ToArray();
        var median = Harness.Median(ratios);
        sb.AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"median of the rounds' p99 ratios: {median:0.00}");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ append on a long thread vs a new one

    private static async Task<List<AppendRow>> AppendAsync(GrpcChannel channel, World world, Options o, Action<string> say, Stopwatch clock)
    {
        var negotiation = new NegotiationService.NegotiationServiceClient(channel);
        var buyer = Bearer(await LoginAsync(new IdentityService.IdentityServiceClient(channel), world.BuyerEmail));
        var big = await InquiryAsync(negotiation, buyer, world.BuyerEnterpriseId, world.ListingId);

        // Fill through the API: 16 sends in flight to the one thread (its grain takes them one at a time).
        var fill = Stopwatch.StartNew();
        long next = 0;
        var fillers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                if (n > o.BigMessages)
                {
                    return;
                }

                await negotiation.SendMessageAsync(new SendMessageRequest { ThreadId = big, ClientMessageId = $"fill-{n:D8}", Text = $"历史消息 {n}：规格、价格和交期确认。" }, buyer, deadline: DateTime.UtcNow.AddSeconds(60));
                if (n % 10_000 == 0)
                {
                    say($"{clock.Elapsed.TotalSeconds:0.0}s: big thread: {n:N0} messages ({n / fill.Elapsed.TotalSeconds:N0}/s)");
                }
            }
        })).ToArray();
        await Task.WhenAll(fillers);
        say($"{clock.Elapsed.TotalSeconds:0.0}s: big thread filled with {o.BigMessages:N0} messages through SendMessage in {fill.Elapsed.TotalSeconds:0.0} s ({o.BigMessages / fill.Elapsed.TotalSeconds:N0}/s at 16 in flight)");

        var fresh = await InquiryAsync(negotiation, buyer, world.BuyerEnterpriseId, world.ListingId);
        var onBig = new List<long>();
        var onFresh = new List<long>();

        // Closed loop, one call at a time, alternating the two threads so both see the same machine noise.
        for (var i = 0; i < o.AppendSamples + 50; i++)
        {
            foreach (var (thread, into) in new[] { (big, onBig), (fresh, onFresh) })
            {
                var start = Stopwatch.GetTimestamp();
                await negotiation.SendMessageAsync(new SendMessageRequest { ThreadId = thread, ClientMessageId = $"append-{i:D6}", Text = "好的，按这个价格走合同。" }, buyer, deadline: DateTime.UtcNow.AddSeconds(30));
                if (i >= 50)
                {
                    into.Add(Stopwatch.GetTimestamp() - start);
                }
            }
        }

        AppendRow Of(string name, long messages, List<long> ticks)
        {
            var sorted = ticks.Order().ToArray();
            return new AppendRow(name, messages, sorted.Length, Harness.Percentile(sorted, 0.50), Harness.Percentile(sorted, 0.99), Harness.Percentile(sorted, 1.0), sorted.Average(t => (double)t) * 1000 / Stopwatch.Frequency);
        }

        return [Of("thread holding 100k messages", o.BigMessages, onBig), Of("new thread", 0, onFresh)];
    }

    // ------------------------------------------------------------------ setup through the public API

    private sealed record World(Metadata Buyer, string BuyerEmail, string BuyerEnterpriseId, string ListingId, IReadOnlyList<Metadata> SellerWatchers, IReadOnlyList<string> ThreadIds);

    private static async Task<World> SetUpAsync(GrpcChannel channel, BenchServer server, int threads, Action<string> say, Stopwatch clock)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var enterprises = new EnterpriseService.EnterpriseServiceClient(channel);
        var operatorAuth = Bearer(await LoginAsync(identity, OperatorEmail, OperatorPassword));

        var sellerEmail = Email("w2-seller");
        var seller = Bearer(await RegisterAsync(identity, server, sellerEmail));
        var sellerId = await VerifiedEnterpriseAsync(channel, seller, operatorAuth, isSeller: true);
        var buyerEmail = Email("w2-buyer");
        var buyer = Bearer(await RegisterAsync(identity, server, buyerEmail));
        var buyerId = await VerifiedEnterpriseAsync(channel, buyer, operatorAuth, isSeller: false);

        // Sales members so the seller side can hold one stream per thread within the per-user stream limit.
        var watchers = new List<Metadata> { seller };
        while (watchers.Count * StreamsPerUser < threads)
        {
            var email = Email("w2-sales");
            var member = Bearer(await RegisterAsync(identity, server, email));
            var invitation = (await enterprises.InviteMemberAsync(new InviteMemberRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                EnterpriseId = sellerId,
                Invitee = new ContactAddress { Email = email },
                Roles = { MemberRole.Sales },
            }, seller)).Invitation;
            await enterprises.AcceptInvitationAsync(new AcceptInvitationRequest { EnterpriseId = sellerId, InvitationId = invitation.InvitationId }, member);
            watchers.Add(member);
        }

        var catalog = new CatalogService.CatalogServiceClient(channel);
        var listing = (await catalog.CreateListingAsync(new CreateListingRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            SellerEnterpriseId = sellerId,
            Spec = new ListingSpec
            {
                CategoryId = "steel.rebar",
                Name = "螺纹钢 HRB400E Φ25",
                Attributes = { ["grade"] = "HRB400E", ["diameter"] = "Φ25", ["length"] = "12m", ["mill"] = "沙钢" },
                Brand = "沙钢",
                Origin = "江苏",
                WarehouseCity = "上海",
                WarehouseAddress = "宝山区蕴川路 1000 号",
                WeightBasis = WeightBasis.Theoretical,
                DeliveryPriceBasis = DeliveryPriceBasis.ExWorks,
                UnitPrice = new Money { CurrencyCode = "CNY", Amount = "3650.00" },
                MoqTonnes = new Decimal { Value = "25" },
                StockTonnes = new Decimal { Value = "50000.000" },
            },
        }, seller)).Listing.ListingId;
        say($"{clock.Elapsed.TotalSeconds:0.0}s: verified seller {sellerId} (+{watchers.Count - 1} Sales members), verified buyer {buyerId}, listing {listing}");

        var negotiation = new NegotiationService.NegotiationServiceClient(channel);
        var ids = new string[threads];
        var made = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, threads), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            ids[i] = await InquiryAsync(negotiation, buyer, buyerId, listing));
        say($"{clock.Elapsed.TotalSeconds:0.0}s: {threads} inquiries created in {made.Elapsed.TotalSeconds:0.0} s");
        return new World(buyer, buyerEmail, buyerId, listing, watchers, ids);
    }

    private static async Task<string> InquiryAsync(NegotiationService.NegotiationServiceClient negotiation, Metadata buyer, string buyerId, string listingId)
    {
        var delivery = DateTime.UtcNow.AddHours(8).Date.AddDays(7);
        var request = new CreateInquiryRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            BuyerEnterpriseId = buyerId,
            ListingId = listingId,
            Terms = new Terms
            {
                ProductName = "螺纹钢 HRB400E Φ25",
                QuantityTonnes = new Decimal { Value = "300.000" },
                UnitPrice = new Money { CurrencyCode = "CNY", Amount = "3600.00" },
                TaxIncluded = true,
                DeliveryBasis = DeliveryBasis.Delivered,
                DeliveryDate = new Date { Year = delivery.Year, Month = delivery.Month, Day = delivery.Day },
                DeliveryPlace = "上海市宝山区蕴川路 1000 号",
                TransportMode = TransportMode.Road,
                Payment = new PaymentTerms { DepositPercent = new Decimal { Value = "10" }, BalanceTiming = BalanceTiming.BeforeDelivery },
            },
        };
        return (await negotiation.CreateInquiryAsync(request, buyer, deadline: DateTime.UtcNow.AddSeconds(60))).Thread.ThreadId;
    }

    // ------------------------------------------------------------------ output

    private static string LiveTable(IEnumerable<Row> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | streams | rate /s | delivered | lost | p50 ms | p99 ms | max ms | unary ack p50 ms | unary ack p99 ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Streams:N0} | {r.Rate:0} | {r.Messages:N0} | {r.Missing} | {r.P50:0.00} | {r.P99:0.00} | {r.Max:0.00} | {r.AckP50:0.00} | {r.AckP99:0.00} |");
        }

        return sb.ToString();
    }

    private static string AppendTable(IEnumerable<AppendRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| SendMessage on | messages before | samples | p50 ms | p99 ms | max ms | mean ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Thread} | {r.Messages:N0} | {r.Samples:N0} | {r.P50:0.00} | {r.P99:0.00} | {r.Max:0.00} | {r.Mean:0.00} |");
        }

        return sb.ToString();
    }

    // ------------------------------------------------------------------ child processes

    /// <summary>The raw baseline server: this executable in `w2-echo-server` mode, a separate process like the API host.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly Process _process;

        private EchoServer(Process process, Uri url)
        {
            _process = process;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<EchoServer> StartAsync()
        {
            var port = FreePort();
            var self = typeof(W2).Assembly.Location;
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
            start.ArgumentList.Add(self);
            start.ArgumentList.Add("w2-echo-server");
            start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return new EchoServer(process, new Uri($"http://127.0.0.1:{port}"));
                }
                catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }

    /// <summary>`w2-echo-server PORT`: Kestrel, HTTP/2 cleartext on loopback, the echo service only; runs until killed.</summary>
    public static async Task<int> RunEchoServerAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, int.Parse(args[0], CultureInfo.InvariantCulture), o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<EchoHub>();
        await using var app = builder.Build();
        app.MapGrpcService<EchoServiceImpl>();
        await app.RunAsync();
        return 0;
    }
}
