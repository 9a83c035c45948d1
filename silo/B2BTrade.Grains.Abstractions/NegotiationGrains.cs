using System.Collections.Immutable;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Grains;

/// <summary>A thread as one caller sees it: the effective status (expired once the validity passed) and the caller's chat marks.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.thread-view")]
public sealed record ThreadView(
    [property: Id(0)] NegotiationState State,
    [property: Id(1)] ThreadStatus Status,
    [property: Id(2)] Side CallerSide,
    [property: Id(3)] long MessageCount,
    [property: Id(4)] long UnreadCount,
    [property: Id(5)] long CounterpartyReadSequence,
    [property: Id(6)] ImmutableHashSet<int> ExpiredVersions);

/// <summary>One negotiation thread between a buyer and a seller enterprise (key: "thr_…").</summary>
[Alias("b2btrade.INegotiationGrain")]
public interface INegotiationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the thread with the buyer's inquiry on a listing; a repeat returns the thread as it is. The key is
    /// derived from (buyer, request id) for an inquiry and from (RFQ, listing) inside an RFQ.
    /// </summary>
    Task<ThreadView> OpenAsync(Caller caller, string requestId, string? rfqId, string buyerEnterpriseId, string listingId, Terms terms, ImmutableArray<string> attachmentFileIds);

    /// <summary>The thread, for a member of either side; NOT_FOUND for anyone else.</summary>
    [ReadOnly]
    Task<ThreadView> GetAsync(Caller caller);

    /// <summary>The caller's side; NOT_FOUND when the caller may not see the thread.</summary>
    [ReadOnly]
    Task<Side> AuthorizeAsync(Caller caller);

    Task<ThreadView> QuoteAsync(Caller caller, Terms terms, string? etag);

    Task<ThreadView> CounterAsync(Caller caller, Terms terms, string? etag);

    Task<ThreadView> AcceptAsync(Caller caller, int version);

    Task<ThreadView> DeclineAsync(Caller caller, string reason);

    Task<ThreadView> WithdrawAsync(Caller caller, int version, string reason);

    /// <summary>Closes the thread because its RFQ went to another seller (called by the RFQ grain).</summary>
    Task CloseNotAwardedAsync(string rfqId);

    /// <summary>Appends a chat message; a retried client message id returns the stored message.</summary>
    Task<ChatMessage> SendMessageAsync(Caller caller, string clientMessageId, string text, string? attachmentFileId);

    /// <summary>Moves the caller's read mark; returns the caller's unread count.</summary>
    Task<long> MarkReadAsync(Caller caller, long upToSequence);

    /// <summary>The last message sequence (a watcher checks it cheaply before reading the table to catch up).</summary>
    [ReadOnly]
    Task<long> LastSequenceAsync();

    /// <summary>The agreed terms for an order form (a Purchaser or Admin of the buyer; the thread accepted and not ordered yet).</summary>
    Task<AgreedDeal> GetAgreedAsync(Caller caller);

    /// <summary>Reserves the agreed terms for one order (order grains; idempotent for the same order; ALREADY_ORDERED for another).</summary>
    Task<AgreedDeal> ClaimForOrderAsync(Caller caller, string orderId);

    /// <summary>Frees the thread after its order was rejected, cancelled or expired, or failed to place (order grains; idempotent).</summary>
    Task ReleaseOrderClaimAsync(string orderId);
}

/// <summary>What the API nodes hear about a thread: a change of terms or status, a message, or a read mark.</summary>
public sealed record ThreadLiveEvent(string Type, ChatMessage? Message = null, Side? Side = null, long Sequence = 0)
{
    public const string ThreadChanged = "thread";
    public const string MessageAdded = "message";
    public const string ReadMarked = "read";

    public static string Topic(string threadId) => "thread:" + threadId;
}

/// <summary>A seller invited to an RFQ.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.rfq-seller")]
public sealed record RfqSeller([property: Id(0)] string ThreadId, [property: Id(1)] string ListingId, [property: Id(2)] string SellerEnterpriseId);

[GenerateSerializer, Immutable, Alias("b2btrade.rfq-state")]
public sealed record RfqState
{
    [Id(0)] public required string RfqId { get; init; }
    [Id(1)] public required string BuyerEnterpriseId { get; init; }
    [Id(2)] public required string Title { get; init; }
    [Id(3)] public required Terms RequestedTerms { get; init; }
    [Id(4)] public ImmutableList<RfqSeller> Sellers { get; init; } = [];
    [Id(5)] public string? AwardedThreadId { get; init; }
    [Id(6)] public DateTimeOffset CreatedAt { get; init; }
    [Id(7)] public string CreatedBy { get; init; } = "";

    /// <summary>The non-awarded threads are all closed (after an award).</summary>
    [Id(8)] public bool OthersClosed { get; init; }

    /// <summary>What the CreateRfq request asked for (<see cref="NegotiationRules.RfqFingerprint"/>); null in states stored before it was kept.</summary>
    [Id(9)] public string? RequestFingerprint { get; init; }
}

/// <summary>An RFQ with each seller's thread as the buyer sees it.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.rfq-view")]
public sealed record RfqView([property: Id(0)] RfqState State, [property: Id(1)] ImmutableList<ThreadView> Threads);

/// <summary>A request for quotation (key: "rfq_…"): one thread per seller, compared side by side, awarded to one.</summary>
[Alias("b2btrade.IRfqGrain")]
public interface IRfqGrain : IGrainWithStringKey
{
    /// <summary>Creates the RFQ and opens a thread per listing's seller; a repeat finishes and returns the same RFQ.</summary>
    Task<RfqView> CreateAsync(Caller caller, string requestId, string buyerEnterpriseId, string title, ImmutableArray<string> listingIds, Terms terms);

    /// <summary>The RFQ with every seller's current quote (buyer side only).</summary>
    Task<RfqView> GetAsync(Caller caller);

    /// <summary>Accepts one thread's open quote and closes the others.</summary>
    Task<RfqView> AwardAsync(Caller caller, string threadId, int version);
}

/// <summary>The agreed offer of an accepted thread and its parties: what an order is placed from.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.agreed-deal")]
public sealed record AgreedDeal([property: Id(0)] string ThreadId, [property: Id(1)] Offer Agreed, [property: Id(2)] ThreadParties Parties);
