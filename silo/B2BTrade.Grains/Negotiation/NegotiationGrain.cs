using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using B2BTrade.Domain.Audit;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Grains.Infrastructure;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace B2BTrade.Grains.Negotiation;

/// <summary>
/// One negotiation thread. Terms changes go through the audited journal with their notifications in the same
/// transaction; chat messages go to the append-only message table with the small chat state, without an audit entry
/// (the table itself is the record). Live events are pushed after each commit.
/// </summary>
[GrainType("negotiation")]
public sealed partial class NegotiationGrain : Grain, INegotiationGrain, IRemindable
{
    private const string DeadlineReminder = "quote-deadline";

    /// <summary>Both sides hear that an open quote runs out this long before it does (when it was given for longer than twice that).</summary>
    private static readonly TimeSpan s_expiringNotice = TimeSpan.FromHours(1);

    private readonly AggregateJournal<NegotiationState> _journal;
    private readonly IPersistentState<AggregateState<ChatState>> _chat;
    private readonly ILivePush _push;
    private readonly ILogger<NegotiationGrain> _logger;

    public NegotiationGrain(
        [PersistentState("negotiation", StorageNames.Grains)] IPersistentState<AggregateState<NegotiationState>> state,
        [PersistentState("negotiation-chat", StorageNames.Grains)] IPersistentState<AggregateState<ChatState>> chat,
        TimeProvider time,
        ILivePush push,
        ILogger<NegotiationGrain> logger)
    {
        _chat = chat;
        _push = push;
        _logger = logger;
        _journal = new AggregateJournal<NegotiationState>(state, "negotiation", this.GetPrimaryKeyString(), time, s => s, ReadModelRow);
    }

    private string Id => this.GetPrimaryKeyString();

    private ChatState Chat => _chat.State.Aggregate ?? new ChatState();

    public async Task<ThreadView> OpenAsync(Caller caller, string requestId, string? rfqId, string buyerEnterpriseId, string listingId, Terms terms, ImmutableArray<string> attachmentFileIds)
    {
        var expectedId = rfqId is null ? Ids.Derived("thr", buyerEnterpriseId, requestId) : Ids.Derived("thr", rfqId, listingId);
        if (Id != expectedId)
        {
            throw Errors.PermissionDenied("Thread ids are assigned by the platform.", "询盘编号由平台分配。");
        }

        var fingerprint = rfqId is null ? NegotiationRules.InquiryFingerprint(buyerEnterpriseId, listingId, terms, attachmentFileIds) : null;
        if (_journal.Current is { } existing)
        {
            var participant = await RequireParticipantAsync(caller, existing, Side.Buyer);
            RequestFingerprint.RequireSame(existing.RequestFingerprint, fingerprint, "inquiry", "个询盘");
            return View(existing, participant);
        }

        var buyer = await BuyerOfAsync(caller, buyerEnterpriseId);
        var listing = await ListingAsync(listingId);
        var parties = new ThreadParties(
            buyerEnterpriseId, await LegalNameAsync(buyerEnterpriseId), listing.SellerEnterpriseId, await LegalNameAsync(listing.SellerEnterpriseId), listing.ListingId, listing.CategoryId);
        var filled = terms with
        {
            ProductName = string.IsNullOrWhiteSpace(terms.ProductName) ? listing.Name : terms.ProductName,
            Attributes = terms.Attributes.Count == 0 ? listing.Attributes.ToImmutableSortedDictionary(StringComparer.Ordinal) : terms.Attributes,
        };
        var attachments = new List<ChatAttachment>();
        for (var i = 0; i < attachmentFileIds.Length; i++)
        {
            attachments.Add(await ShareableFileAsync(caller, attachmentFileIds[i], $"attachment_file_ids[{i}]"));
        }

        var view = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            if (current is not null)
            {
                return Decision<NegotiationState, ThreadView>.Unchanged(View(current, buyer));
            }

            var opened = NegotiationRules.Open(Id, rfqId, parties, filled, buyer, _journal.Now) with { RequestFingerprint = fingerprint };
            return Changed(opened, "negotiation.opened", buyer, Notice(opened, NotificationKind.NewInquiry, Side.Seller, buyer,
                $"新询盘：{opened.Latest.Terms.ProductName}", $"New inquiry: {opened.Latest.Terms.ProductName}",
                $"{parties.BuyerName} 询价 {opened.Latest.Terms.Quantity} 吨", $"{parties.BuyerName} asks for {opened.Latest.Terms.Quantity} t"));
        });
        for (var i = 0; i < attachments.Count; i++)
        {
            await AppendMessageAsync(buyer, $"inquiry-attachment-{i}", "", attachments[i]);
        }

        await PublishThreadChangedAsync();
        return attachments.Count == 0 ? view : View(Require(_journal.Current), buyer);
    }

    public async Task<ThreadView> GetAsync(Caller caller)
    {
        var state = Require(_journal.Current);
        return View(state, await RequireParticipantAsync(caller, state, Side.Buyer));
    }

    public async Task<Side> AuthorizeAsync(Caller caller)
    {
        var state = Require(_journal.Current);
        return (await RequireParticipantAsync(caller, state, Side.Buyer)).Side;
    }

    public async Task<ThreadView> QuoteAsync(Caller caller, Terms terms, string? etag)
    {
        var seller = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Seller);
        var view = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var state = Require(current);
            var next = NegotiationRules.Quote(state, terms, seller, etag, _journal.Now);
            var t = next.Latest.Terms;
            var revised = state.Offers.Any(o => o.Kind == OfferKind.Quote);
            return Changed(next, "negotiation.quoted", seller, Notice(next, NotificationKind.NewQuote, Side.Buyer, seller,
                $"{(revised ? "报价已更新" : "新报价")}：{t.ProductName}", $"{(revised ? "Revised quote" : "New quote")}: {t.ProductName}",
                $"{state.Parties.SellerName} 报价 ¥{Money(t.UnitPrice)}/吨，{t.Quantity} 吨，有效期至 {Local(t.ValidUntil)}",
                $"{state.Parties.SellerName} quotes ¥{Money(t.UnitPrice)}/t for {t.Quantity} t, valid until {Local(t.ValidUntil)}"));
        });
        await ScheduleDeadlineAsync();
        await PublishThreadChangedAsync();
        return view;
    }

    public async Task<ThreadView> CounterAsync(Caller caller, Terms terms, string? etag)
    {
        var buyer = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Buyer);
        var view = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var state = Require(current);
            var next = NegotiationRules.Counter(state, terms, buyer, etag, _journal.Now);
            var t = next.Latest.Terms;
            return Changed(next, "negotiation.countered", buyer, Notice(next, NotificationKind.CounterOffer, Side.Seller, buyer,
                $"买方还价：{t.ProductName}", $"Counter-offer: {t.ProductName}",
                $"{state.Parties.BuyerName} 还价 ¥{Money(t.UnitPrice)}/吨，{t.Quantity} 吨，交货 {t.DeliveryDate:yyyy-MM-dd}",
                $"{state.Parties.BuyerName} counters at ¥{Money(t.UnitPrice)}/t for {t.Quantity} t, delivery {t.DeliveryDate:yyyy-MM-dd}"));
        });
        await ScheduleDeadlineAsync();
        await PublishThreadChangedAsync();
        return view;
    }

    public async Task<ThreadView> AcceptAsync(Caller caller, int version)
    {
        var buyer = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Buyer);
        var view = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var state = Require(current);
            var next = NegotiationRules.Accept(state, version, buyer, _journal.Now);
            var t = next.Agreed!.Terms;
            var total = Money(next.Agreed.Totals?.Total);
            return Changed(next, "negotiation.accepted", buyer, next.RfqId is null
                ? Notice(next, NotificationKind.QuoteAccepted, Side.Seller, buyer, $"报价已被接受：{t.ProductName}", $"Quote accepted: {t.ProductName}",
                    $"{state.Parties.BuyerName} 接受了第 {version} 版报价，总额 ¥{total}", $"{state.Parties.BuyerName} accepted version {version}, total ¥{total}")
                : Notice(next, NotificationKind.RfqAwarded, Side.Seller, buyer, $"中标：{t.ProductName}", $"RFQ awarded to you: {t.ProductName}",
                    $"{state.Parties.BuyerName} 将询价单授予贵司，总额 ¥{total}", $"{state.Parties.BuyerName} awarded the RFQ to you, total ¥{total}"));
        });
        await ScheduleDeadlineAsync();
        await PublishThreadChangedAsync();
        return view;
    }

    public async Task<ThreadView> DeclineAsync(Caller caller, string reason)
    {
        var buyer = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Buyer);
        var view = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var state = Require(current);
            var next = NegotiationRules.Decline(state, reason, buyer, _journal.Now);
            return Changed(next, "negotiation.declined", buyer, Notice(next, NotificationKind.ThreadDeclined, Side.Seller, buyer,
                $"买方已拒绝：{next.Latest.Terms.ProductName}", $"Declined: {next.Latest.Terms.ProductName}",
                next.ClosingReason.Length > 0 ? next.ClosingReason : "买方未说明原因", next.ClosingReason.Length > 0 ? next.ClosingReason : "No reason given"));
        });
        await ScheduleDeadlineAsync();
        await PublishThreadChangedAsync();
        return view;
    }

    public async Task<ThreadView> WithdrawAsync(Caller caller, int version, string reason)
    {
        var seller = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Seller);
        var view = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var state = Require(current);
            var next = NegotiationRules.Withdraw(state, version, reason, seller, _journal.Now);
            return Changed(next, "negotiation.withdrawn", seller, Notice(next, NotificationKind.QuoteWithdrawn, Side.Buyer, seller,
                $"报价已撤回：{next.Latest.Terms.ProductName}", $"Quote withdrawn: {next.Latest.Terms.ProductName}",
                next.ClosingReason.Length > 0 ? next.ClosingReason : "卖方未说明原因", next.ClosingReason.Length > 0 ? next.ClosingReason : "No reason given"));
        });
        await ScheduleDeadlineAsync();
        await PublishThreadChangedAsync();
        return view;
    }

    public async Task<AgreedDeal> GetAgreedAsync(Caller caller)
    {
        var state = Require(_journal.Current);
        var buyer = await RequireParticipantAsync(caller, state, Side.Buyer);
        return buyer.Side == Side.Buyer
            ? new AgreedDeal(Id, NegotiationRules.RequireOrderable(state, ""), state.Parties)
            : throw Errors.PermissionDenied("Only the buyer's purchasers and admins can order.", "仅买方的采购人员或管理员可以下单。");
    }

    public async Task<AgreedDeal> ClaimForOrderAsync(Caller caller, string orderId)
    {
        var buyer = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Buyer);
        if (buyer.Side != Side.Buyer)
        {
            throw Errors.PermissionDenied("Only the buyer's purchasers and admins can order.", "仅买方的采购人员或管理员可以下单。");
        }

        // A claim by an order that was never written (its placement died half way) must not block the agreed deal for good.
        var abandoned = NegotiationRules.ClaimToCheck(Require(_journal.Current), orderId, _journal.Now) is { } other
            && !await GrainFactory.GetGrain<IOrderGrain>(other).IsWrittenAsync()
            ? other
            : null;
        var view = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var state = Require(current);
            var next = NegotiationRules.ClaimForOrder(state, orderId, _journal.Now, abandoned);
            var deal = new AgreedDeal(Id, next.Agreed!, next.Parties);
            return ReferenceEquals(next, state)
                ? Decision<NegotiationState, AgreedDeal>.Unchanged(deal)
                : new Decision<NegotiationState, AgreedDeal>(next, "negotiation.ordered", deal);
        });
        await PublishThreadChangedAsync();
        return view;
    }

    public async Task ReleaseOrderClaimAsync(string orderId)
    {
        await _journal.ExecuteAsync("order:" + orderId, current =>
        {
            var state = Require(current);
            var next = NegotiationRules.ReleaseOrderClaim(state, orderId, _journal.Now);
            return ReferenceEquals(next, state) ? Decision<NegotiationState, bool>.Unchanged(false) : new Decision<NegotiationState, bool>(next, "negotiation.order-released", true);
        });
        await PublishThreadChangedAsync();
    }

    public async Task CloseNotAwardedAsync(string rfqId)
    {
        var state = Require(_journal.Current);
        if (state.RfqId != rfqId)
        {
            throw Errors.PermissionDenied("The thread is not part of this RFQ.", "该询盘不属于此询价单。");
        }

        var system = new Participant("system", "system", Side.Buyer);
        await _journal.ExecuteAsync(Caller.System.UserId, current =>
        {
            var s = Require(current);
            var next = NegotiationRules.CloseAsNotAwarded(s, _journal.Now);
            return ReferenceEquals(next, s)
                ? Decision<NegotiationState, bool>.Unchanged(false)
                : new Decision<NegotiationState, bool>(next, "negotiation.closed-not-awarded", true)
                {
                    Events = [Notice(next, NotificationKind.RfqAwarded, Side.Seller, system, $"未中标：{s.Latest.Terms.ProductName}", $"RFQ awarded to another seller: {s.Latest.Terms.ProductName}",
                        $"{s.Parties.BuyerName} 已将询价单授予其他卖家，本询盘已关闭", $"{s.Parties.BuyerName} awarded the RFQ to another seller; this thread is closed")],
                };
        });
        await ScheduleDeadlineAsync();
        await PublishThreadChangedAsync();
    }

    public async Task<ChatMessage> SendMessageAsync(Caller caller, string clientMessageId, string text, string? attachmentFileId)
    {
        var sender = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Buyer);
        if (ChatRules.PreviousSend(Chat, sender.UserId, clientMessageId) is { } previous)
        {
            return ChatRules.RequireSameSend(previous, text, attachmentFileId);
        }

        var attachment = string.IsNullOrEmpty(attachmentFileId) ? null : await ShareableFileAsync(caller, attachmentFileId, "attachment_file_id");
        return await AppendMessageAsync(sender, clientMessageId, text, attachment);
    }

    public async Task<long> MarkReadAsync(Caller caller, long upToSequence)
    {
        var reader = await RequireParticipantAsync(caller, Require(_journal.Current), Side.Buyer);
        var before = Chat;
        var next = ChatRules.MarkRead(before, reader, upToSequence);
        if (!ReferenceEquals(next, before))
        {
            await WriteChatAsync(next);
            if (next.ReadSequenceOf(reader.Side) != before.ReadSequenceOf(reader.Side))
            {
                await PublishAsync(new ThreadLiveEvent(ThreadLiveEvent.ReadMarked, Side: reader.Side, Sequence: next.ReadSequenceOf(reader.Side)));
            }
        }

        return next.UnreadFor(reader.UserId);
    }

    public Task<long> LastSequenceAsync() => Task.FromResult(Chat.LastSequence);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineReminder)
        {
            return;
        }

        var state = _journal.Current;
        var now = _journal.Now;
        if (state?.OpenQuote is { } quote && state.Status == ThreadStatus.Quoted)
        {
            var system = new Participant("system", "system", Side.Seller);
            var t = quote.Terms;
            if (NegotiationRules.IsPastValidity(quote, now))
            {
                await _journal.ExecuteAsync(Caller.System.UserId, current =>
                {
                    var s = Require(current);
                    var next = NegotiationRules.Expire(s, now);
                    return ReferenceEquals(next, s) ? Decision<NegotiationState, bool>.Unchanged(false) : new Decision<NegotiationState, bool>(next, "negotiation.expired", true)
                    {
                        Events = [.. new[] { Side.Buyer, Side.Seller }.Select(side => Notice(next, NotificationKind.QuoteExpired, side, system,
                            $"报价已过期：{t.ProductName}", $"Quote expired: {t.ProductName}",
                            $"第 {quote.Version} 版报价已于 {Local(t.ValidUntil)} 过期", $"Version {quote.Version} expired at {Local(t.ValidUntil)}"))],
                    };
                });
                await PublishThreadChangedAsync();
            }
            else if (ExpiringNoticeDue(state, now))
            {
                await _journal.ExecuteAsync(Caller.System.UserId, current =>
                {
                    var s = Require(current);
                    return !ExpiringNoticeDue(s, now) ? Decision<NegotiationState, bool>.Unchanged(false) : new Decision<NegotiationState, bool>(s with { ExpiringNoticeVersion = quote.Version }, "negotiation.expiring-notice", true)
                    {
                        Events = [.. new[] { Side.Buyer, Side.Seller }.Select(side => Notice(s, NotificationKind.QuoteExpiring, side, system,
                            $"报价即将过期：{t.ProductName}", $"Quote expiring soon: {t.ProductName}",
                            $"第 {quote.Version} 版报价将于 {Local(t.ValidUntil)} 过期", $"Version {quote.Version} expires at {Local(t.ValidUntil)}"))],
                    };
                });
            }
        }

        await ScheduleDeadlineAsync();
    }

    /// <summary>Keeps one durable reminder at the next deadline of the open quote (the expiring notice, then the expiry), or none.</summary>
    private async Task ScheduleDeadlineAsync()
    {
        var state = _journal.Current;
        var now = _journal.Now;
        if (state?.OpenQuote?.Terms.ValidUntil is { } until && state.Status == ThreadStatus.Quoted)
        {
            var next = ExpiringNoticeAt(state) is { } notice && state.ExpiringNoticeVersion != state.OpenQuoteVersion && notice > now ? notice : until;
            var due = next - now;
            await this.RegisterOrUpdateReminder(DeadlineReminder, due > TimeSpan.FromSeconds(1) ? due : TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            return;
        }

        await this.UnregisterReminderIfAnyAsync(DeadlineReminder);
    }

    private static DateTimeOffset? ExpiringNoticeAt(NegotiationState state) =>
        state.OpenQuote is { Terms.ValidUntil: { } until } quote && until - quote.CreatedAt > 2 * s_expiringNotice ? until - s_expiringNotice : null;

    private static bool ExpiringNoticeDue(NegotiationState state, DateTimeOffset now) =>
        state.Status == ThreadStatus.Quoted && ExpiringNoticeAt(state) is { } at && at <= now && state.ExpiringNoticeVersion != state.OpenQuoteVersion;

    private async Task<ChatMessage> AppendMessageAsync(Participant sender, string clientMessageId, string text, ChatAttachment? attachment)
    {
        var before = Chat;
        var (next, message) = ChatRules.Append(before, Id, sender, text, attachment, clientMessageId, _journal.Now);
        var journal = (IJournaledState)_chat.State;
        journal.PendingRows.Add(new AppendRow("thread_messages",
        [
            new("thread_id", Id),
            new("sequence", message.Sequence),
            new("sender_user_id", sender.UserId),
            new("sender_name", sender.DisplayName),
            new("sender_side", (int)sender.Side),
            new("body", message.Text),
            new("attachment", attachment is null ? null : JsonSerializer.Serialize(attachment)),
            new("sent_at", message.SentAt),
            new("client_message_id", clientMessageId),
        ]));

        // One message notification per side while it has unread messages; reading the thread clears it.
        var other = sender.Side == Side.Buyer ? Side.Seller : Side.Buyer;
        if (before.ReadSequenceOf(other) >= before.LastSequence && _journal.Current is { } state)
        {
            var preview = attachment is null ? Preview(text) : $"[文件] {attachment.Name}";
            var (kind, payload) = Notice(state, NotificationKind.Message, other, sender, $"新消息：{state.Latest.Terms.ProductName}", $"New message: {state.Latest.Terms.ProductName}",
                $"{sender.DisplayName}：{preview}", $"{sender.DisplayName}: {(attachment is null ? Preview(text) : "[file] " + attachment.Name)}");
            journal.PendingOutbox.Add(_journal.Event(kind, (InboxNotice)payload with { Coalesce = true }, message.Sequence));
        }

        try
        {
            await WriteChatAsync(next);
        }
        catch (Exception e) when (e is AppendConflictException || e.InnerException is AppendConflictException)
        {
            throw new DomainException(ErrorKind.AlreadyExists, "MESSAGE_ALREADY_SENT", "This message was already sent.", "该消息已发送。");
        }

        await PublishAsync(new ThreadLiveEvent(ThreadLiveEvent.MessageAdded, message));
        return message;
    }

    private async Task WriteChatAsync(ChatState next)
    {
        var holder = _chat.State;
        var before = holder.Aggregate;
        holder.Aggregate = next;
        try
        {
            await _chat.WriteStateAsync();
        }
        catch (Exception e)
        {
            holder.Aggregate = before;
            try
            {
                await _chat.ReadStateAsync();
            }
            catch (Exception)
            {
                // The restored state stands; the next write re-reads if storage was ahead.
            }

            if (e is InconsistentStateException || e.InnerException is InconsistentStateException)
            {
                throw new DomainException(ErrorKind.Aborted, "CONCURRENT_MODIFICATION", "The thread was changed concurrently; retry.", "会话已被并发修改，请重试。");
            }

            throw;
        }
        finally
        {
            ((IJournaledState)holder).PendingRows.Clear();
            ((IJournaledState)holder).PendingOutbox.Clear();
        }
    }

    private async Task<ChatAttachment> ShareableFileAsync(Caller caller, string fileId, string field)
    {
        StoredFile file;
        try
        {
            file = Ids.IsWellFormed(fileId, "f")
                ? await GrainFactory.GetGrain<IFileGrain>(fileId).ShareWithThreadAsync(caller, Id)
                : throw Errors.NotFound("File", "文件");
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw Errors.InvalidField(field, "FILE_NOT_FOUND", "The file was not found; upload it through FileService first.", "未找到文件，请先上传。");
        }

        return new ChatAttachment(file.FileId, file.DisplayName, file.ContentType, file.SizeBytes);
    }

    private async Task<Participant> BuyerOfAsync(Caller caller, string buyerEnterpriseId)
    {
        var roles = Ids.IsWellFormed(buyerEnterpriseId, "ent") ? await GrainFactory.GetGrain<IEnterpriseGrain>(buyerEnterpriseId).GetRolesAsync(caller.UserId) : [];
        return roles.Any(r => r is MemberRole.Purchaser or MemberRole.Admin)
            ? new Participant(caller.UserId, caller.DisplayName, Side.Buyer)
            : throw Errors.PermissionDenied("Only the enterprise's purchasers and admins can send inquiries for it.", "仅本企业的采购人员或管理员可以发起询盘。");
    }

    /// <summary>
    /// The caller as a participant: a Purchaser/Admin of the buyer or a Sales/Admin of the seller, checked on
    /// <paramref name="preferred"/> first (someone in both enterprises acts on the side the command needs).
    /// Anyone else learns nothing, not even that the thread exists.
    /// </summary>
    private async Task<Participant> RequireParticipantAsync(Caller caller, NegotiationState state, Side preferred)
    {
        foreach (var side in preferred == Side.Buyer ? new[] { Side.Buyer, Side.Seller } : [Side.Seller, Side.Buyer])
        {
            var roles = await GrainFactory.GetGrain<IEnterpriseGrain>(state.EnterpriseOf(side)).GetRolesAsync(caller.UserId);
            if (roles.Any(r => r == MemberRole.Admin || r == (side == Side.Buyer ? MemberRole.Purchaser : MemberRole.Sales)))
            {
                return new Participant(caller.UserId, caller.DisplayName, side);
            }
        }

        throw ThreadNotFound();
    }

    private async Task<ListingState> ListingAsync(string listingId)
    {
        try
        {
            var listing = Ids.IsWellFormed(listingId, "lst") ? (await GrainFactory.GetGrain<IListingGrain>(listingId).GetAsync()).State : throw Errors.NotFound("Listing", "商品");
            return listing.Status == ListingStatus.Active
                ? listing
                : throw Errors.Precondition("LISTING_NOT_ACTIVE", "The listing is not on the market.", "该商品已下架。");
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw Errors.InvalidField("listing_id", "LISTING_NOT_FOUND", "The listing was not found.", "未找到该商品。");
        }
    }

    private async Task<string> LegalNameAsync(string enterpriseId) =>
        await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetLegalNameAsync()
        ?? throw Errors.InvalidField("buyer_enterprise_id", "ENTERPRISE_NOT_FOUND", "The enterprise was not found.", "未找到该企业。");

    private ThreadView View(NegotiationState state, Participant viewer)
    {
        var now = _journal.Now;
        var chat = Chat;
        var expired = state.Offers.Where(o => o.Kind == OfferKind.Quote && o.Version != state.AgreedVersion && NegotiationRules.IsPastValidity(o, now))
            .Select(o => o.Version).ToImmutableHashSet();
        return new ThreadView(state, NegotiationRules.EffectiveStatus(state, now), viewer.Side, chat.LastSequence, chat.UnreadFor(viewer.UserId),
            chat.ReadSequenceOf(viewer.Side == Side.Buyer ? Side.Seller : Side.Buyer), expired);
    }

    private Decision<NegotiationState, ThreadView> Changed(NegotiationState next, string action, Participant actor, (string Kind, object Payload) notice) =>
        new(next, action, View(next, actor)) { Events = [notice] };

    private static (string Kind, object Payload) Notice(NegotiationState state, NotificationKind kind, Side to, Participant author, string titleZh, string titleEn, string bodyZh, string bodyEn)
    {
        var roles = to == Side.Buyer ? new[] { (int)MemberRole.Purchaser, (int)MemberRole.Admin } : [(int)MemberRole.Sales, (int)MemberRole.Admin];
        return (InboxNotice.EventKind, new InboxNotice(kind, state.ThreadId, titleZh, titleEn, bodyZh, bodyEn, [new InboxRecipients(state.EnterpriseOf(to), roles)], author.UserId));
    }

    private async Task PublishThreadChangedAsync() =>
        await PublishAsync(new ThreadLiveEvent(ThreadLiveEvent.ThreadChanged, Sequence: _journal.Current?.LatestVersion ?? 0));

    private async Task PublishAsync(ThreadLiveEvent live)
    {
        try
        {
            await _push.PublishAsync(ThreadLiveEvent.Topic(Id), JsonSerializer.Serialize(live));
        }
        catch (Exception e)
        {
            // The change is committed; watchers catch up from storage on their next event or reconnect.
            LogPushFailed(e, Id);
        }
    }

    private static object ReadModelRow(NegotiationState s)
    {
        var latest = s.Latest;
        var open = s.OpenQuote;
        return new
        {
            threadId = s.ThreadId,
            rfqId = s.RfqId,
            buyerEnterpriseId = s.Parties.BuyerEnterpriseId,
            buyerName = s.Parties.BuyerName,
            sellerEnterpriseId = s.Parties.SellerEnterpriseId,
            sellerName = s.Parties.SellerName,
            productName = latest.Terms.ProductName,
            status = (int)s.Status,
            quantityTonnes = latest.Terms.Quantity.ToString(),
            unitPrice = latest.Terms.UnitPrice is { } p ? Cny.Format(p) : null,
            totalAmount = latest.Totals is { } t ? Cny.Format(t.Total) : null,
            latestVersion = latest.Version,
            validUntil = open?.Terms.ValidUntil,
            updatedAt = s.UpdatedAt,
        };
    }

    private static NegotiationState Require(NegotiationState? state) => state ?? throw ThreadNotFound();

    private static DomainException ThreadNotFound() => Errors.NotFound("Negotiation thread", "询盘");

    private static string Money(decimal? amount) => amount is { } a ? a.ToString("#,##0.00", CultureInfo.InvariantCulture) : "—";

    private static string Local(DateTimeOffset? at) => at?.ToOffset(TermsRules.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    private static string Preview(string text) => text.Length <= 60 ? text : text[..60] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push for thread {ThreadId} failed")]
    private partial void LogPushFailed(Exception exception, string threadId);
}
