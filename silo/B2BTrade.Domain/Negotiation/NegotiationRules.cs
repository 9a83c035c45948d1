using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Negotiation;

/// <summary>
/// The negotiation state machine. The buyer opens with an inquiry; the seller quotes and may revise or withdraw;
/// the buyer accepts the open quote, counters or declines. Acceptance freezes the accepted version as the agreed
/// terms. Every offer is a new version; nothing is ever rewritten.
/// </summary>
public static class NegotiationRules
{
    /// <summary>Rounds in one thread; a longer haggle belongs in a new inquiry.</summary>
    public const int MaxVersions = 100;

    public const int MaxReasonLength = 500;

    /// <summary>What a CreateInquiry request asked for, so a retry can be told from a reused request id.</summary>
    public static string InquiryFingerprint(string buyerEnterpriseId, string listingId, Terms terms, IEnumerable<string> attachmentFileIds) =>
        RequestFingerprint.OfJson(new { buyerEnterpriseId, listingId, terms, attachmentFileIds });

    /// <summary>What a CreateRfq request asked for, so a retry can be told from a reused request id.</summary>
    public static string RfqFingerprint(string buyerEnterpriseId, string title, IEnumerable<string> listingIds, Terms terms) =>
        RequestFingerprint.OfJson(new { buyerEnterpriseId, title, listingIds, terms });

    public static NegotiationState Open(string threadId, string? rfqId, ThreadParties parties, Terms terms, Participant buyer, DateTimeOffset now)
    {
        RequireSide(buyer, Side.Buyer);
        if (parties.BuyerEnterpriseId == parties.SellerEnterpriseId)
        {
            throw Errors.Precondition("OWN_LISTING", "An enterprise cannot send an inquiry to itself.", "不能向本企业的商品询价。");
        }

        var valid = TermsRules.Validate(terms, OfferKind.Inquiry, now);
        return new NegotiationState
        {
            ThreadId = threadId,
            RfqId = rfqId,
            Parties = parties,
            Status = ThreadStatus.AwaitingQuote,
            Offers = [new Offer(1, OfferKind.Inquiry, buyer, valid, TermsRules.Totals(valid), now)],
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>The status as of <paramref name="now"/>: an open quote past its validity is expired even before the reminder has run.</summary>
    public static ThreadStatus EffectiveStatus(NegotiationState state, DateTimeOffset now) =>
        state.Status == ThreadStatus.Quoted && IsPastValidity(state.OpenQuote, now) ? ThreadStatus.Expired : state.Status;

    public static bool IsPastValidity(Offer? offer, DateTimeOffset now) => offer?.Terms.ValidUntil is { } until && until <= now;

    /// <summary>The seller quotes, or revises the open quote.</summary>
    public static NegotiationState Quote(NegotiationState state, Terms terms, Participant seller, string? etag, DateTimeOffset now)
    {
        RequireSide(seller, Side.Seller);
        RequireEtag(state, etag);
        var status = EffectiveStatus(state, now);
        if (status is not (ThreadStatus.AwaitingQuote or ThreadStatus.Quoted or ThreadStatus.Countered or ThreadStatus.Withdrawn or ThreadStatus.Expired))
        {
            throw Closed(status);
        }

        var next = AddOffer(state, OfferKind.Quote, terms, seller, now);
        return next with { Status = ThreadStatus.Quoted, OpenQuoteVersion = next.LatestVersion, ClosingReason = "" };
    }

    /// <summary>The buyer answers with other terms.</summary>
    public static NegotiationState Counter(NegotiationState state, Terms terms, Participant buyer, string? etag, DateTimeOffset now)
    {
        RequireSide(buyer, Side.Buyer);
        RequireEtag(state, etag);
        var status = EffectiveStatus(state, now);
        if (status is not (ThreadStatus.Quoted or ThreadStatus.Countered or ThreadStatus.Withdrawn or ThreadStatus.Expired))
        {
            throw status == ThreadStatus.AwaitingQuote
                ? Errors.Precondition("NO_QUOTE_YET", "Wait for the seller's quote before countering.", "请等待卖方报价后再还价。")
                : Closed(status);
        }

        var next = AddOffer(state, OfferKind.CounterOffer, terms, buyer, now);
        return next with { Status = ThreadStatus.Countered, OpenQuoteVersion = 0, ClosingReason = "" };
    }

    /// <summary>The buyer accepts the open quote it saw; an expired or replaced quote cannot be accepted.</summary>
    public static NegotiationState Accept(NegotiationState state, int version, Participant buyer, DateTimeOffset now)
    {
        RequireSide(buyer, Side.Buyer);
        var status = EffectiveStatus(state, now);
        if (status == ThreadStatus.Expired)
        {
            throw Errors.Precondition("QUOTE_EXPIRED", "The quote has expired and can no longer be accepted; ask the seller to quote again.", "报价已过有效期，无法接受，请联系卖方重新报价。");
        }

        if (status != ThreadStatus.Quoted)
        {
            throw status == ThreadStatus.Accepted && state.AgreedVersion == version
                ? Errors.Precondition("ALREADY_ACCEPTED", "This quote is already accepted.", "该报价已被接受。")
                : Errors.Precondition("NO_OPEN_QUOTE", "There is no open quote to accept.", "当前没有可接受的报价。");
        }

        if (version != state.OpenQuoteVersion)
        {
            throw new DomainException(ErrorKind.Aborted, "VERSION_MISMATCH", $"The open quote is version {state.OpenQuoteVersion}; reload and review it before accepting.", $"当前报价为第 {state.OpenQuoteVersion} 版，请刷新查看后再接受。");
        }

        return state with { Status = ThreadStatus.Accepted, AgreedVersion = version, AcceptedAt = now, UpdatedAt = now };
    }

    public static NegotiationState Decline(NegotiationState state, string reason, Participant buyer, DateTimeOffset now)
    {
        RequireSide(buyer, Side.Buyer);
        if (state.IsClosed)
        {
            throw Closed(state.Status);
        }

        return state with { Status = ThreadStatus.Declined, OpenQuoteVersion = 0, ClosingReason = Reason(reason), UpdatedAt = now };
    }

    /// <summary>The seller withdraws the open quote it names.</summary>
    public static NegotiationState Withdraw(NegotiationState state, int version, string reason, Participant seller, DateTimeOffset now)
    {
        RequireSide(seller, Side.Seller);
        var status = EffectiveStatus(state, now);
        if (status != ThreadStatus.Quoted && status != ThreadStatus.Expired)
        {
            throw status == ThreadStatus.Accepted
                ? Errors.Precondition("ALREADY_ACCEPTED", "The buyer has already accepted this quote; it can no longer be withdrawn.", "买方已接受该报价，无法撤回。")
                : Errors.Precondition("NO_OPEN_QUOTE", "There is no open quote to withdraw.", "当前没有可撤回的报价。");
        }

        if (version != state.OpenQuoteVersion)
        {
            throw new DomainException(ErrorKind.Aborted, "VERSION_MISMATCH", $"The open quote is version {state.OpenQuoteVersion}.", $"当前报价为第 {state.OpenQuoteVersion} 版。");
        }

        return state with { Status = ThreadStatus.Withdrawn, OpenQuoteVersion = 0, ClosingReason = Reason(reason), UpdatedAt = now };
    }

    /// <summary>The validity deadline passed (reminder). Unchanged when the quote was replaced, accepted or is still valid.</summary>
    public static NegotiationState Expire(NegotiationState state, DateTimeOffset now) =>
        state.Status == ThreadStatus.Quoted && IsPastValidity(state.OpenQuote, now)
            ? state with { Status = ThreadStatus.Expired, OpenQuoteVersion = 0, UpdatedAt = now }
            : state;

    /// <summary>The RFQ went to another seller.</summary>
    public static NegotiationState CloseAsNotAwarded(NegotiationState state, DateTimeOffset now) =>
        state.IsClosed ? state : state with { Status = ThreadStatus.Closed, OpenQuoteVersion = 0, ClosingReason = "RFQ awarded to another seller", UpdatedAt = now };

    private static NegotiationState AddOffer(NegotiationState state, OfferKind kind, Terms terms, Participant author, DateTimeOffset now)
    {
        if (state.Offers.Count >= MaxVersions)
        {
            throw Errors.Precondition("TOO_MANY_VERSIONS", $"A thread holds at most {MaxVersions} versions; open a new inquiry.", $"单个询盘最多 {MaxVersions} 轮，请重新发起询盘。");
        }

        var valid = TermsRules.Validate(terms, kind, now);
        var offer = new Offer(state.LatestVersion + 1, kind, author, valid, TermsRules.Totals(valid), now);
        return state with { Offers = state.Offers.Add(offer), UpdatedAt = now };
    }

    private static void RequireEtag(NegotiationState state, string? etag)
    {
        if (!string.IsNullOrEmpty(etag) && etag != state.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new DomainException(ErrorKind.Aborted, "ETAG_MISMATCH", "The thread has a newer version; reload and review it first.", "协商已有新版本，请刷新查看后再操作。");
        }
    }

    private static void RequireSide(Participant participant, Side side)
    {
        if (participant.Side != side)
        {
            throw side == Side.Buyer
                ? Errors.PermissionDenied("Only the buyer's purchasers can do this.", "仅买方采购人员可执行此操作。")
                : Errors.PermissionDenied("Only the seller's sales staff can do this.", "仅卖方销售人员可执行此操作。");
        }
    }

    private static string Reason(string reason)
    {
        var trimmed = reason.Trim();
        return trimmed.Length > MaxReasonLength
            ? throw Errors.InvalidField("reason", "TOO_LONG", $"The reason has at most {MaxReasonLength} characters.", $"原因最多 {MaxReasonLength} 个字符。")
            : trimmed;
    }

    private static DomainException Closed(ThreadStatus status) => status switch
    {
        ThreadStatus.Accepted => Errors.Precondition("ALREADY_ACCEPTED", "The terms are agreed; the thread is closed for offers.", "双方已达成一致，不能再报价或还价。"),
        ThreadStatus.Declined => Errors.Precondition("THREAD_DECLINED", "The buyer declined; the thread is closed.", "买方已拒绝，询盘已关闭。"),
        ThreadStatus.Closed => Errors.Precondition("THREAD_CLOSED", "The RFQ went to another seller; the thread is closed.", "该询价单已授予其他卖家，询盘已关闭。"),
        ThreadStatus.Countered => Errors.Precondition("AWAITING_SELLER", "The seller has not answered your counter-offer yet.", "卖方尚未回复您的还价。"),
        _ => Errors.Precondition("INVALID_STATE", "This is not possible in the thread's current state.", "当前状态下无法执行此操作。"),
    };

    /// <summary>The agreed offer an order is placed from: the thread must be accepted and not already ordered by another order.</summary>
    public static Offer RequireOrderable(NegotiationState state, string orderId)
    {
        if (state.Status != ThreadStatus.Accepted || state.Agreed is not { } agreed)
        {
            throw Errors.Precondition("THREAD_NOT_ACCEPTED", "Only a negotiation whose quote was accepted can be ordered.", "仅已接受报价的询盘可以下单。");
        }

        if (state.OrderId is { } existing && existing != orderId)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "ALREADY_ORDERED", "An order was already placed from this negotiation.", "该询盘已下单。",
                metadata: new Dictionary<string, string> { ["order_id"] = existing });
        }

        return agreed;
    }

    /// <summary>How long a claim must be old before the order that made it may be asked whether it was ever written.</summary>
    public static readonly TimeSpan AbandonedClaimAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The order id that claimed the thread long enough ago that, if that order was never written (its placement died
    /// half way), the claim is abandoned; null when another claim is not in the way or is too recent to judge.
    /// </summary>
    public static string? ClaimToCheck(NegotiationState state, string orderId, DateTimeOffset now) =>
        state.OrderId is { } other && other != orderId && now - (state.OrderClaimedAt ?? state.UpdatedAt) >= AbandonedClaimAfter ? other : null;

    /// <param name="abandonedClaim">An order id that claimed the thread and was found never written: its claim gives way.</param>
    public static NegotiationState ClaimForOrder(NegotiationState state, string orderId, DateTimeOffset now, string? abandonedClaim = null)
    {
        var current = abandonedClaim is not null && state.OrderId == abandonedClaim ? state with { OrderId = null } : state;
        RequireOrderable(current, orderId);
        return state.OrderId == orderId ? state : current with { OrderId = orderId, OrderClaimedAt = now, UpdatedAt = now };
    }

    public static NegotiationState ReleaseOrderClaim(NegotiationState state, string orderId, DateTimeOffset now) =>
        state.OrderId == orderId ? state with { OrderId = null, OrderClaimedAt = null, UpdatedAt = now } : state;
}
