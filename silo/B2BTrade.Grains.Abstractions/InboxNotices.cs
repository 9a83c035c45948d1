namespace B2BTrade.Grains;

/// <summary>What a message-center notification is about (numbers match inbox.v1.NotificationKind).</summary>
public enum NotificationKind
{
    NewInquiry = 1,
    NewQuote = 2,
    CounterOffer = 3,
    Message = 4,
    QuoteExpiring = 5,
    QuoteExpired = 6,
    QuoteAccepted = 7,
    ThreadDeclined = 8,
    QuoteWithdrawn = 9,
    RfqAwarded = 10,
    NewOrder = 11,
    OrderApprovalRequired = 12,
    OrderApproved = 13,
    OrderConfirmed = 14,
    OrderRejected = 15,
    OrderCancelled = 16,
    OrderExpired = 17,
    ContractToSign = 18,
    ContractEffective = 19,
}

/// <summary>Members of an enterprise holding any of the roles (numbers of <see cref="Domain.Enterprises.MemberRole"/>).</summary>
public sealed record InboxRecipients(string EnterpriseId, int[] Roles);

/// <summary>
/// A notification to post into the message center, written to the outbox with the change that caused it and fanned
/// out to each recipient's inbox by the projection (so it is never lost, and posted once). With
/// <see cref="Coalesce"/>, the notification of the same kind and subject is updated (and marked unread again) instead of adding another.
/// </summary>
public sealed record InboxNotice(
    NotificationKind Kind,
    string SubjectId,
    string TitleZh,
    string TitleEn,
    string BodyZh,
    string BodyEn,
    InboxRecipients[] Recipients,
    string? ExcludeUserId,
    bool Coalesce = false)
{
    public const string EventKind = "inbox.notify";

    public static string Topic(string userId) => "user:" + userId;
}
