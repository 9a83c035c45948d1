using System.Globalization;
using System.Text.Json;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Grains;
using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.ReadModel;

/// <summary>A thread's row in an enterprise's list.</summary>
public sealed record ThreadListItem(
    string ThreadId, string? RfqId, string BuyerEnterpriseId, string BuyerName, string SellerEnterpriseId, string SellerName, string ProductName,
    ThreadStatus Status, string QuantityTonnes, string? UnitPrice, string? TotalAmount, int LatestVersion, DateTimeOffset? ValidUntil, DateTimeOffset UpdatedAt);

/// <summary>One notification of a user's message center.</summary>
public sealed record InboxItem(
    string NotificationId, NotificationKind Kind, string SubjectId, string TitleZh, string TitleEn, string BodyZh, string BodyEn, int Count, DateTimeOffset CreatedAt, bool Read);

/// <summary>Negotiation lists, chat history and the message center, answered from tables (never by asking grains).</summary>
public sealed class NegotiationQueries(SqlDatabase database, InboxDatabase inbox)
{
    /// <summary>An enterprise's threads on one side, newest activity first. A QUOTED thread past its validity counts as EXPIRED.</summary>
    public async Task<Page<ThreadListItem>> ListThreadsAsync(string enterpriseId, Side side, IReadOnlyCollection<ThreadStatus> statuses, string? rfqId, DateTimeOffset now, int pageSize, string? pageToken)
    {
        var (beforeMicros, beforeId) = PageToken.DecodeTimeKey(pageToken);
        var column = side == Side.Buyer ? "buyer_enterprise_id" : "seller_enterprise_id";
        var nowMicros = Projections.Micros(now);
        var parameters = new List<(string, object?)> { ("@ent", enterpriseId), ("@before", beforeMicros), ("@beforeId", beforeId), ("@limit", pageSize + 1), ("@now", nowMicros) };
        var filters = new List<string>();
        if (statuses.Count > 0)
        {
            var effective = new List<string>();
            foreach (var status in statuses.Distinct())
            {
                effective.Add(status switch
                {
                    ThreadStatus.Quoted => "(status = 2 AND (valid_until_micros IS NULL OR valid_until_micros > @now))",
                    ThreadStatus.Expired => "(status = 7 OR (status = 2 AND valid_until_micros <= @now))",
                    _ => $"status = {(int)status}",
                });
            }

            filters.Add("(" + string.Join(" OR ", effective) + ")");
        }

        if (!string.IsNullOrEmpty(rfqId))
        {
            filters.Add("rfq_id = @rfq");
            parameters.Add(("@rfq", rfqId));
        }

        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            $"""
            SELECT thread_id, rfq_id, buyer_enterprise_id, buyer_name, seller_enterprise_id, seller_name, product_name, status, quantity_tonnes,
                   unit_price, total_amount, latest_version, valid_until_micros, updated_micros
            FROM rm_threads
            WHERE {column} = @ent AND (updated_micros < @before OR (updated_micros = @before AND thread_id < @beforeId))
            {string.Concat(filters.Select(f => " AND " + f))}
            ORDER BY updated_micros DESC, thread_id DESC LIMIT @limit
            """,
            r =>
            {
                var status = (ThreadStatus)Convert.ToInt32(r.GetValue(7), CultureInfo.InvariantCulture);
                long? validMicros = r.IsDBNull(12) ? null : r.GetInt64(12);
                if (status == ThreadStatus.Quoted && validMicros <= nowMicros)
                {
                    status = ThreadStatus.Expired;
                }

                return new ThreadListItem(r.GetString(0), r.GetNullableString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                    status, r.GetString(8), r.GetNullableString(9), r.GetNullableString(10), Convert.ToInt32(r.GetValue(11), CultureInfo.InvariantCulture),
                    validMicros is { } v ? FromMicros(v) : null, FromMicros(r.GetInt64(13)));
            },
            null, [.. parameters]);
        return rows.Count > pageSize
            ? new Page<ThreadListItem>(rows.Take(pageSize).ToList(), PageToken.EncodeTimeKey(rows[pageSize - 1].UpdatedAt, rows[pageSize - 1].ThreadId))
            : new Page<ThreadListItem>(rows, "");
    }

    /// <summary>A thread's messages before a sequence, newest first; one more than asked tells whether older ones exist.</summary>
    public async Task<(IReadOnlyList<ChatMessage> Messages, bool HasMore)> ListMessagesAsync(string threadId, long beforeSequence, int pageSize)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            """
            SELECT sequence, sender_user_id, sender_name, sender_side, body, attachment, sent_at, client_message_id
            FROM thread_messages WHERE thread_id = @thread AND sequence < @before ORDER BY sequence DESC LIMIT @limit
            """,
            r => Message(threadId, r), null, ("@thread", threadId), ("@before", beforeSequence <= 0 ? long.MaxValue : beforeSequence), ("@limit", pageSize + 1));
        return (rows.Take(pageSize).ToList(), rows.Count > pageSize);
    }

    /// <summary>Messages after a sequence, oldest first (a watcher catching up).</summary>
    public async Task<IReadOnlyList<ChatMessage>> MessagesAfterAsync(string threadId, long afterSequence, int limit)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QueryAsync(
            """
            SELECT sequence, sender_user_id, sender_name, sender_side, body, attachment, sent_at, client_message_id
            FROM thread_messages WHERE thread_id = @thread AND sequence > @after ORDER BY sequence LIMIT @limit
            """,
            r => Message(threadId, r), null, ("@thread", threadId), ("@after", afterSequence), ("@limit", limit));
    }

    /// <summary>The stored message of a sender's client id (a retried send).</summary>
    public async Task<ChatMessage?> FindMessageAsync(string threadId, string senderUserId, string clientMessageId)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            """
            SELECT sequence, sender_user_id, sender_name, sender_side, body, attachment, sent_at, client_message_id
            FROM thread_messages WHERE thread_id = @thread AND sender_user_id = @sender AND client_message_id = @client
            """,
            r => Message(threadId, r), null, ("@thread", threadId), ("@sender", senderUserId), ("@client", clientMessageId));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<Page<InboxItem>> ListInboxAsync(string userId, bool unreadOnly, int pageSize, string? pageToken)
    {
        var (beforeMicros, beforeId) = PageToken.DecodeTimeKey(pageToken);
        await using var connection = await inbox.OpenAsync();
        var rows = await connection.QueryAsync(
            $"""
            SELECT notification_id, kind, subject_id, title_zh, title_en, body_zh, body_en, event_count, created_micros, read
            FROM inbox_items
            WHERE user_id = @user AND (created_micros < @before OR (created_micros = @before AND notification_id < @beforeId)) {(unreadOnly ? "AND read = @unread" : "")}
            ORDER BY created_micros DESC, notification_id DESC LIMIT @limit
            """,
            Item, null, ("@user", userId), ("@before", beforeMicros), ("@beforeId", beforeId), ("@limit", pageSize + 1), ("@unread", false));
        return rows.Count > pageSize
            ? new Page<InboxItem>(rows.Take(pageSize).ToList(), PageToken.EncodeTimeKey(rows[pageSize - 1].CreatedAt, rows[pageSize - 1].NotificationId))
            : new Page<InboxItem>(rows, "");
    }

    /// <summary>The user's latest notification about a subject (what a live push announces).</summary>
    public async Task<InboxItem?> LatestInboxItemAsync(string userId, string subjectId)
    {
        await using var connection = await inbox.OpenAsync();
        var rows = await connection.QueryAsync(
            """
            SELECT notification_id, kind, subject_id, title_zh, title_en, body_zh, body_en, event_count, created_micros, read
            FROM inbox_items WHERE user_id = @user AND subject_id = @subject ORDER BY created_micros DESC, notification_id DESC LIMIT 1
            """,
            Item, null, ("@user", userId), ("@subject", subjectId));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<long> UnreadCountAsync(string userId)
    {
        await using var connection = await inbox.OpenAsync();
        var rows = await connection.QueryAsync("SELECT COUNT(*) FROM inbox_items WHERE user_id = @user AND read = @unread", r => r.GetInt64(0), null, ("@user", userId), ("@unread", false));
        return rows[0];
    }

    /// <summary>Marks the user's notifications read: the given ids, those about a subject, or all. Returns the unread count left.</summary>
    public async Task<long> MarkInboxReadAsync(string userId, IReadOnlyCollection<string> notificationIds, string? subjectId, bool all)
    {
        await inbox.InTransactionAsync(async (connection, transaction) =>
        {
            if (all)
            {
                return await connection.ExecuteAsync("UPDATE inbox_items SET read = @read WHERE user_id = @user AND read = @unread", transaction, ("@read", true), ("@user", userId), ("@unread", false));
            }

            var changed = 0;
            if (!string.IsNullOrEmpty(subjectId))
            {
                changed += await connection.ExecuteAsync("UPDATE inbox_items SET read = @read WHERE user_id = @user AND subject_id = @subject AND read = @unread", transaction,
                    ("@read", true), ("@user", userId), ("@subject", subjectId), ("@unread", false));
            }

            foreach (var id in notificationIds)
            {
                changed += await connection.ExecuteAsync("UPDATE inbox_items SET read = @read WHERE user_id = @user AND notification_id = @id", transaction,
                    ("@read", true), ("@user", userId), ("@id", id));
            }

            return changed;
        });
        return await UnreadCountAsync(userId);
    }

    /// <summary>Clears the user's unread message notification of a thread once the thread is read.</summary>
    public Task<int> MarkInboxMessagesReadAsync(string userId, string threadId) =>
        inbox.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE inbox_items SET read = @read WHERE user_id = @user AND subject_id = @subject AND kind = @kind AND read = @unread", transaction,
            ("@read", true), ("@user", userId), ("@subject", threadId), ("@kind", (int)NotificationKind.Message), ("@unread", false)));

    private static InboxItem Item(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), (NotificationKind)Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
            Convert.ToInt32(r.GetValue(7), CultureInfo.InvariantCulture), FromMicros(r.GetInt64(8)), Convert.ToBoolean(r.GetValue(9), CultureInfo.InvariantCulture));

    private static ChatMessage Message(string threadId, System.Data.Common.DbDataReader r) =>
        new(threadId, r.GetInt64(0), new Participant(r.GetString(1), r.GetString(2), (Side)Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture)), r.GetString(4),
            r.IsDBNull(5) ? null : JsonSerializer.Deserialize<ChatAttachment>(r.GetString(5)), r.GetInstant(6), r.GetString(7));

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
