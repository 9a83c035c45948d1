using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace B2BTrade.Domain.Negotiation;

public enum ThreadStatus
{
    /// <summary>The buyer asked; waiting for the seller's quote.</summary>
    AwaitingQuote = 1,

    /// <summary>The seller quoted; the buyer may accept, counter or decline.</summary>
    Quoted = 2,

    /// <summary>The buyer countered; waiting for the seller.</summary>
    Countered = 3,

    /// <summary>The buyer accepted; the agreed terms are frozen.</summary>
    Accepted = 4,

    /// <summary>The buyer declined; closed.</summary>
    Declined = 5,

    /// <summary>The seller withdrew the open quote; the seller may quote again.</summary>
    Withdrawn = 6,

    /// <summary>The open quote passed its validity.</summary>
    Expired = 7,

    /// <summary>The RFQ went to another seller; closed.</summary>
    Closed = 8,
}

public enum OfferKind
{
    Inquiry = 1,
    Quote = 2,
    CounterOffer = 3,
}

/// <summary>A member acting on a thread, on one side.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.participant")]
public sealed record Participant([property: Id(0)] string UserId, [property: Id(1)] string DisplayName, [property: Id(2)] Side Side);

/// <summary>One version of a thread's terms, with its author and the totals the platform computed.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.offer")]
public sealed record Offer(
    [property: Id(0)] int Version,
    [property: Id(1)] OfferKind Kind,
    [property: Id(2)] Participant Author,
    [property: Id(3)] Terms Terms,
    [property: Id(4)] OfferTotals? Totals,
    [property: Id(5)] DateTimeOffset CreatedAt);

/// <summary>The two enterprises of a thread and what the inquiry was made on.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.thread-parties")]
public sealed record ThreadParties(
    [property: Id(0)] string BuyerEnterpriseId,
    [property: Id(1)] string BuyerName,
    [property: Id(2)] string SellerEnterpriseId,
    [property: Id(3)] string SellerName,
    [property: Id(4)] string ListingId,
    [property: Id(5)] string CategoryId);

/// <summary>A negotiation thread between one buyer and one seller: every version of the terms, and where it stands.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.negotiation")]
public sealed record NegotiationState
{
    [Id(0)] public required string ThreadId { get; init; }
    [Id(1)] public string? RfqId { get; init; }
    [Id(2)] public required ThreadParties Parties { get; init; }
    [Id(3)] public ThreadStatus Status { get; init; }
    [Id(4)] public ImmutableList<Offer> Offers { get; init; } = [];

    /// <summary>The quote the buyer may accept now (0 when none).</summary>
    [Id(5)] public int OpenQuoteVersion { get; init; }

    /// <summary>The accepted version (0 before acceptance).</summary>
    [Id(6)] public int AgreedVersion { get; init; }
    [Id(7)] public DateTimeOffset? AcceptedAt { get; init; }
    [Id(8)] public string ClosingReason { get; init; } = "";
    [Id(9)] public DateTimeOffset CreatedAt { get; init; }
    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The open quote version both sides were told is about to expire (0 when none).</summary>
    [Id(11)] public int ExpiringNoticeVersion { get; init; }

    /// <summary>The open or completed order placed from the agreed terms (one at a time; released when that order ends unfulfilled).</summary>
    [Id(12)] public string? OrderId { get; init; }

    /// <summary>When <see cref="OrderId"/> claimed the thread (null in states stored before this was kept).</summary>
    [Id(13)] public DateTimeOffset? OrderClaimedAt { get; init; }

    /// <summary>
    /// What the CreateInquiry request that opened the thread asked for (<see cref="NegotiationRules.InquiryFingerprint"/>);
    /// null for RFQ threads and in states stored before it was kept.
    /// </summary>
    [Id(14)] public string? RequestFingerprint { get; init; }

    /// <summary>The last version number: the thread's etag for offers.</summary>
    [JsonIgnore]
    public int LatestVersion => Offers.Count == 0 ? 0 : Offers[^1].Version;

    [JsonIgnore]
    public Offer Latest => Offers[^1];

    [JsonIgnore]
    public Offer? OpenQuote => OpenQuoteVersion == 0 ? null : Offers[OpenQuoteVersion - 1];

    /// <summary>The frozen agreed terms: the input of ordering.</summary>
    [JsonIgnore]
    public Offer? Agreed => AgreedVersion == 0 ? null : Offers[AgreedVersion - 1];

    [JsonIgnore]
    public bool IsClosed => Status is ThreadStatus.Accepted or ThreadStatus.Declined or ThreadStatus.Closed;

    public string EnterpriseOf(Side side) => side == Side.Buyer ? Parties.BuyerEnterpriseId : Parties.SellerEnterpriseId;
}
