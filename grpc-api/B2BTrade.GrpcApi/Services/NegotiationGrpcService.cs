using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Grains;
using B2BTrade.Grains.Infrastructure;
using B2BTrade.GrpcApi.Extensions;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Silo.ReadModel;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Neg = B2BTrade.Domain.Negotiation;

namespace B2BTrade.GrpcApi.Services;

/// <summary>
/// Inquiries, quotes, RFQs and chat. The thread and RFQ grains hold the rules and decide who may see what; lists and
/// history come from tables; WatchThread relays the live push of the thread's grain, filling any gap from the
/// message table so a stream never skips or repeats a message.
/// </summary>
[Authorize]
public sealed class NegotiationGrpcService(IGrainFactory grains, NegotiationQueries queries, ILivePush push, StreamQuota quota, TimeProvider time, IHostApplicationLifetime host)
    : NegotiationService.NegotiationServiceBase
{
    private static readonly TimeSpan s_catchUpInterval = TimeSpan.FromSeconds(10);

    public override async Task<CreateInquiryResponse> CreateInquiry(CreateInquiryRequest request, ServerCallContext context)
    {
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var buyer = RequestParsing.Id(request.BuyerEnterpriseId, "ent", "buyer_enterprise_id");
        var listing = RequestParsing.Id(request.ListingId, "lst", "listing_id");
        var terms = NegotiationMapping.Terms(request.Terms);
        if (request.AttachmentFileIds.Count > 10)
        {
            throw Errors.InvalidField("attachment_file_ids", "TOO_MANY", "At most 10 attachments.", "附件最多 10 个。");
        }

        var thread = grains.GetGrain<INegotiationGrain>(Ids.Derived("thr", buyer, requestId));
        var view = await thread.OpenAsync(context.Caller(), requestId, null, buyer, listing, terms, [.. request.AttachmentFileIds]);
        return new CreateInquiryResponse { Thread = NegotiationMapping.Thread(view) };
    }

    public override async Task<CreateRfqResponse> CreateRfq(CreateRfqRequest request, ServerCallContext context)
    {
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var buyer = RequestParsing.Id(request.BuyerEnterpriseId, "ent", "buyer_enterprise_id");
        var listings = request.ListingIds.Select((id, i) => RequestParsing.Id(id, "lst", $"listing_ids[{i}]")).ToImmutableArray();
        var terms = NegotiationMapping.Terms(request.Terms);
        var view = await grains.GetGrain<IRfqGrain>(Ids.Derived("rfq", buyer, requestId)).CreateAsync(context.Caller(), requestId, buyer, request.Title ?? "", listings, terms);
        return new CreateRfqResponse { Rfq = NegotiationMapping.Rfq(view) };
    }

    public override async Task<GetRfqResponse> GetRfq(GetRfqRequest request, ServerCallContext context) =>
        new() { Rfq = NegotiationMapping.Rfq(await Rfq(request.RfqId).GetAsync(context.Caller())) };

    public override async Task<AwardRfqResponse> AwardRfq(AwardRfqRequest request, ServerCallContext context)
    {
        var rfq = Rfq(request.RfqId);
        var thread = RequestParsing.Id(request.ThreadId, "thr", "thread_id");
        return new AwardRfqResponse { Rfq = NegotiationMapping.Rfq(await rfq.AwardAsync(context.Caller(), thread, Version(request.Version))) };
    }

    public override async Task<GetThreadResponse> GetThread(GetThreadRequest request, ServerCallContext context) =>
        new() { Thread = NegotiationMapping.Thread(await Thread(request.ThreadId).GetAsync(context.Caller())) };

    public override async Task<ListThreadsResponse> ListThreads(ListThreadsRequest request, ServerCallContext context)
    {
        var enterprise = RequestParsing.Id(request.EnterpriseId, "ent", "enterprise_id");
        var side = RequestParsing.Enum<Neg.Side>((int)request.Side, "side");
        var statuses = request.Statuses.Select((s, i) => RequestParsing.Enum<Neg.ThreadStatus>((int)s, $"statuses[{i}]")).ToList();
        var rfq = string.IsNullOrEmpty(request.RfqId) ? null : RequestParsing.Id(request.RfqId, "rfq", "rfq_id");
        var pageSize = RequestParsing.PageSize(request.PageSize);
        var roles = await grains.GetGrain<IEnterpriseGrain>(enterprise).GetRolesAsync(context.Caller().UserId);
        if (roles.Length == 0)
        {
            throw Errors.NotFound("Enterprise", "企业");
        }

        if (!roles.Any(r => r == MemberRole.Admin || r == (side == Neg.Side.Buyer ? MemberRole.Purchaser : MemberRole.Sales)))
        {
            throw Errors.PermissionDenied(
                side == Neg.Side.Buyer ? "Only purchasers and admins see the enterprise's inquiries." : "Only sales staff and admins see the inquiries the enterprise received.",
                side == Neg.Side.Buyer ? "仅采购人员和管理员可查看本企业的询盘。" : "仅销售人员和管理员可查看本企业收到的询盘。");
        }

        var page = await queries.ListThreadsAsync(enterprise, side, statuses, rfq, time.GetUtcNow(), pageSize, request.PageToken);
        var response = new ListThreadsResponse { NextPageToken = page.NextPageToken };
        response.Threads.AddRange(page.Items.Select(NegotiationMapping.Summary));
        return response;
    }

    public override async Task<SubmitQuoteResponse> SubmitQuote(SubmitQuoteRequest request, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        var terms = NegotiationMapping.Terms(request.Terms);
        return new SubmitQuoteResponse { Thread = NegotiationMapping.Thread(await thread.QuoteAsync(context.Caller(), terms, request.Etag)) };
    }

    public override async Task<CounterOfferResponse> CounterOffer(CounterOfferRequest request, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        var terms = NegotiationMapping.Terms(request.Terms);
        return new CounterOfferResponse { Thread = NegotiationMapping.Thread(await thread.CounterAsync(context.Caller(), terms, request.Etag)) };
    }

    public override async Task<AcceptQuoteResponse> AcceptQuote(AcceptQuoteRequest request, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        return new AcceptQuoteResponse { Thread = NegotiationMapping.Thread(await thread.AcceptAsync(context.Caller(), Version(request.Version))) };
    }

    public override async Task<DeclineThreadResponse> DeclineThread(DeclineThreadRequest request, ServerCallContext context) =>
        new() { Thread = NegotiationMapping.Thread(await Thread(request.ThreadId).DeclineAsync(context.Caller(), request.Reason ?? "")) };

    public override async Task<WithdrawQuoteResponse> WithdrawQuote(WithdrawQuoteRequest request, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        return new WithdrawQuoteResponse { Thread = NegotiationMapping.Thread(await thread.WithdrawAsync(context.Caller(), Version(request.Version), request.Reason ?? "")) };
    }

    public override Task<PreviewTermsResponse> PreviewTerms(PreviewTermsRequest request, ServerCallContext context)
    {
        _ = context.Caller();
        var terms = Neg.TermsRules.Validate(NegotiationMapping.Terms(request.Terms), request.ForQuote ? Neg.OfferKind.Quote : Neg.OfferKind.CounterOffer, time.GetUtcNow());
        return Task.FromResult(new PreviewTermsResponse { Totals = NegotiationMapping.Totals(Neg.TermsRules.Totals(terms)) });
    }

    public override async Task<DiffVersionsResponse> DiffVersions(DiffVersionsRequest request, ServerCallContext context)
    {
        var view = await Thread(request.ThreadId).GetAsync(context.Caller());
        var offers = view.State.Offers;
        Neg.Offer Pick(int version, string field) => version >= 1 && version <= offers.Count
            ? offers[version - 1]
            : throw Errors.InvalidField(field, "NO_SUCH_VERSION", $"The thread has versions 1 to {offers.Count}.", $"该询盘的版本为 1 至 {offers.Count}。");
        var (from, to) = (Pick(request.FromVersion, "from_version"), Pick(request.ToVersion, "to_version"));
        var response = new DiffVersionsResponse();
        response.Changes.AddRange(Neg.TermsRules.Diff(from.Terms, to.Terms, english: context.Locale() == "en-US").Select(c => new FieldChange { Field = c.Field, Before = c.Before, After = c.After }));
        return response;
    }

    public override async Task<SendMessageResponse> SendMessage(SendMessageRequest request, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        var clientId = Ids.ValidateRequestId(request.ClientMessageId, "client_message_id");
        var attachment = string.IsNullOrEmpty(request.AttachmentFileId) ? null : RequestParsing.Id(request.AttachmentFileId, "f", "attachment_file_id");
        var caller = context.Caller();
        try
        {
            return new SendMessageResponse { Message = NegotiationMapping.Message(await thread.SendMessageAsync(caller, clientId, request.Text ?? "", attachment)) };
        }
        catch (DomainException e) when (e.Reason == "MESSAGE_ALREADY_SENT")
        {
            // A retry of a send older than the grain's recent messages: answer with the stored message below.
        }

        var stored = await queries.FindMessageAsync(request.ThreadId, caller.UserId, clientId)
            ?? throw new DomainException(ErrorKind.Aborted, "CONCURRENT_MODIFICATION", "The message could not be stored; retry.", "消息未能保存，请重试。");
        return new SendMessageResponse { Message = NegotiationMapping.Message(stored) };
    }

    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        var pageSize = request.PageSize switch
        {
            < 0 => throw Errors.InvalidField("page_size", "INVALID_PAGE_SIZE", "page_size must not be negative.", "page_size 不能为负数。"),
            0 => 50,
            > 200 => 200,
            _ => request.PageSize,
        };
        if (request.BeforeSequence < 0)
        {
            throw Errors.InvalidField("before_sequence", "OUT_OF_RANGE", "before_sequence must not be negative.", "before_sequence 不能为负数。");
        }

        await thread.AuthorizeAsync(context.Caller());
        var (messages, hasMore) = await queries.ListMessagesAsync(request.ThreadId, request.BeforeSequence, pageSize);
        var response = new ListMessagesResponse { HasMore = hasMore };
        response.Messages.AddRange(messages.Select(NegotiationMapping.Message));
        return response;
    }

    public override async Task<MarkThreadReadResponse> MarkThreadRead(MarkThreadReadRequest request, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        var caller = context.Caller();
        var unread = await thread.MarkReadAsync(caller, request.UpToSequence);
        if (unread == 0 && await queries.MarkInboxMessagesReadAsync(caller.UserId, request.ThreadId) > 0)
        {
            // Reading the whole thread also clears its message notification; the caller's open inboxes recount.
            await push.PublishAsync(InboxNotice.Topic(caller.UserId), JsonSerializer.Serialize(InboxPushed.CountChanged));
        }

        return new MarkThreadReadResponse { UnreadCount = unread };
    }

    public override async Task WatchThread(WatchThreadRequest request, IServerStreamWriter<WatchThreadResponse> responseStream, ServerCallContext context)
    {
        var thread = Thread(request.ThreadId);
        var caller = context.Caller();
        if (request.AfterSequence < 0)
        {
            throw Errors.InvalidField("after_sequence", "OUT_OF_RANGE", "after_sequence must not be negative.", "after_sequence 不能为负数。");
        }

        using var slot = quota.Open(caller.UserId);
        var events = Channel.CreateBounded<ThreadLiveEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        // Subscribed before the first read, so nothing committed in between is missed (and duplicates are skipped by sequence).
        using var subscription = push.Subscribe(ThreadLiveEvent.Topic(request.ThreadId), payload =>
        {
            if (JsonSerializer.Deserialize<ThreadLiveEvent>(payload) is { } live)
            {
                events.Writer.TryWrite(live);
            }
        });
        var view = await thread.GetAsync(caller);
        await responseStream.WriteAsync(new WatchThreadResponse { Thread = NegotiationMapping.Thread(view) });
        var last = view.MessageCount;
        if (request.AfterSequence > 0)
        {
            last = await CatchUpAsync(Math.Min(request.AfterSequence, view.MessageCount));
        }

        async Task<long> CatchUpAsync(long after)
        {
            while (true)
            {
                var missed = await queries.MessagesAfterAsync(request.ThreadId, after, 200);
                foreach (var message in missed)
                {
                    await responseStream.WriteAsync(new WatchThreadResponse { Message = NegotiationMapping.Message(message) });
                    after = message.Sequence;
                }

                if (missed.Count < 200)
                {
                    return after;
                }
            }
        }

        using var lifetime = new LiveStreamLifetime(context, time, host);
        try
        {
            while (!lifetime.Token.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
                tick.CancelAfter(s_catchUpInterval + TimeSpan.FromMilliseconds(Random.Shared.Next(5000)));
                ThreadLiveEvent? live = null;
                try
                {
                    live = await events.Reader.ReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!lifetime.Token.IsCancellationRequested)
                {
                    // Quiet for a while: if the grain has a message this stream has not seen (a push lost when a silo
                    // died after its commit), catch up from the table. Asking the grain first keeps idle streams off the database.
                    if (await thread.LastSequenceAsync() > last)
                    {
                        last = await CatchUpAsync(last);
                    }

                    continue;
                }

                switch (live.Type)
                {
                    case ThreadLiveEvent.MessageAdded when live.Message is { } message:
                        if (message.Sequence == last + 1)
                        {
                            await responseStream.WriteAsync(new WatchThreadResponse { Message = NegotiationMapping.Message(message) });
                            last = message.Sequence;
                        }
                        else if (message.Sequence > last)
                        {
                            last = await CatchUpAsync(last);
                        }

                        break;
                    case ThreadLiveEvent.ReadMarked when live.Side is { } side:
                        await responseStream.WriteAsync(new WatchThreadResponse { ReadReceipt = new ReadReceipt { Side = (Side)(int)side, Sequence = live.Sequence } });
                        break;
                    case ThreadLiveEvent.ThreadChanged:
                        await responseStream.WriteAsync(new WatchThreadResponse { Thread = NegotiationMapping.Thread(await thread.GetAsync(caller)) });
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.Token.IsCancellationRequested)
        {
        }

        lifetime.End();
    }

    private INegotiationGrain Thread(string? id) => grains.GetGrain<INegotiationGrain>(RequestParsing.Id(id, "thr", "thread_id"));

    private IRfqGrain Rfq(string? id) => grains.GetGrain<IRfqGrain>(RequestParsing.Id(id, "rfq", "rfq_id"));

    private static int Version(int version) =>
        version > 0 ? version : throw Errors.InvalidField("version", "REQUIRED", "Give the version you saw.", "请提供您看到的版本号。");
}

/// <summary>Live streams one user may hold open on one node (tabs and an ERP, not a flood).</summary>
public sealed class StreamQuota
{
    public const int MaxStreamsPerUser = 32;
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public IDisposable Open(string userId)
    {
        var count = _open.AddOrUpdate(userId, 1, (_, n) => n + 1);
        if (count > MaxStreamsPerUser)
        {
            Release(userId);
            throw Errors.Exhausted("TOO_MANY_STREAMS", $"At most {MaxStreamsPerUser} live streams may be open at once; close one first.", $"同时最多可打开 {MaxStreamsPerUser} 个实时连接，请先关闭其他页面。");
        }

        return new Slot(this, userId);
    }

    private void Release(string userId)
    {
        if (_open.AddOrUpdate(userId, 0, (_, n) => n - 1) <= 0)
        {
            _open.TryRemove(new(userId, 0));
        }
    }

    private sealed class Slot(StreamQuota quota, string userId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                quota.Release(userId);
            }
        }
    }
}
