using System.Collections.Immutable;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Negotiation;

/// <summary>A file attached to a chat message.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.chat-attachment")]
public sealed record ChatAttachment([property: Id(0)] string FileId, [property: Id(1)] string Name, [property: Id(2)] string ContentType, [property: Id(3)] long SizeBytes);

/// <summary>One chat message as stored in the append-only message table.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.chat-message")]
public sealed record ChatMessage(
    [property: Id(0)] string ThreadId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] Participant Sender,
    [property: Id(3)] string Text,
    [property: Id(4)] ChatAttachment? Attachment,
    [property: Id(5)] DateTimeOffset SentAt,
    [property: Id(6)] string ClientMessageId);

/// <summary>
/// What a thread's grain keeps about its chat: the last sequence, the latest messages and read marks. The full
/// history lives in the message table, so this stays the same size however long the conversation gets. A retried
/// send older than the recent messages is caught by the table's unique (thread, sender, client id) index.
/// </summary>
[GenerateSerializer, Alias("b2btrade.chat-state")]
public sealed record ChatState
{
    public const int RecentMessages = 20;

    [Id(0)] public long LastSequence { get; init; }
    [Id(1)] public ImmutableList<ChatMessage> Recent { get; init; } = [];
    [Id(2)] public long BuyerReadSequence { get; init; }
    [Id(3)] public long SellerReadSequence { get; init; }
    [Id(4)] public ImmutableDictionary<string, long> ReadByUser { get; init; } = ImmutableDictionary<string, long>.Empty;

    public long ReadSequenceOf(Side side) => side == Side.Buyer ? BuyerReadSequence : SellerReadSequence;

    public long UnreadFor(string userId) => LastSequence - ReadByUser.GetValueOrDefault(userId);
}

public static class ChatRules
{
    public const int MaxTextLength = 4000;

    /// <summary>The stored message of a retried send, if it is among the recent messages.</summary>
    public static ChatMessage? PreviousSend(ChatState chat, string senderId, string clientMessageId) =>
        chat.Recent.LastOrDefault(m => m.Sender.UserId == senderId && m.ClientMessageId == clientMessageId);

    /// <summary>
    /// A retry of <paramref name="previous"/> (same text and attachment) answers with it; the same client message id
    /// with other content is a client bug that must not pass for a delivered message.
    /// </summary>
    public static ChatMessage RequireSameSend(ChatMessage previous, string text, string? attachmentFileId)
    {
        var sameAttachment = (previous.Attachment?.FileId ?? "") == (attachmentFileId ?? "");
        return previous.Text == text && sameAttachment
            ? previous
            : throw Errors.InvalidField("client_message_id", "CLIENT_MESSAGE_ID_REUSED",
                "This client message id was already used for a different message.", "该客户端消息编号已用于另一条消息。");
    }

    /// <summary>Appends a message: the next sequence, the sender's own read mark moved to it.</summary>
    public static (ChatState Next, ChatMessage Message) Append(ChatState chat, string threadId, Participant sender, string text, ChatAttachment? attachment, string clientMessageId, DateTimeOffset now)
    {
        if (text.Length > MaxTextLength)
        {
            throw Errors.InvalidField("text", "TOO_LONG", $"A message has at most {MaxTextLength} characters.", $"消息最多 {MaxTextLength} 个字符。");
        }

        if (string.IsNullOrWhiteSpace(text) && attachment is null)
        {
            throw Errors.InvalidField("text", "REQUIRED", "Write a message or attach a file.", "请输入消息或添加附件。");
        }

        var message = new ChatMessage(threadId, chat.LastSequence + 1, sender, text, attachment, now, clientMessageId);
        var recent = chat.Recent.Add(message);
        var next = chat with
        {
            LastSequence = message.Sequence,
            Recent = recent.Count > ChatState.RecentMessages ? recent.RemoveRange(0, recent.Count - ChatState.RecentMessages) : recent,
        };
        return (MarkRead(next, sender, message.Sequence), message);
    }

    /// <summary>Moves a reader's mark forward (never back), clamped to the last message.</summary>
    public static ChatState MarkRead(ChatState chat, Participant reader, long upTo)
    {
        var sequence = Math.Clamp(upTo, 0, chat.LastSequence);
        if (sequence <= chat.ReadByUser.GetValueOrDefault(reader.UserId))
        {
            return chat;
        }

        var next = chat with { ReadByUser = chat.ReadByUser.SetItem(reader.UserId, sequence) };
        return reader.Side == Side.Buyer
            ? next with { BuyerReadSequence = Math.Max(next.BuyerReadSequence, sequence) }
            : next with { SellerReadSequence = Math.Max(next.SellerReadSequence, sequence) };
    }
}
