using System.Data.Common;
using System.Text.Json;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.ReadModel;

/// <summary>
/// Fans an <see cref="InboxNotice"/> out to the inboxes of its recipients (members of an enterprise holding one of
/// the roles, from the read model). Each notice is posted exactly once: the event id is recorded in the same
/// transaction as the rows, so replaying an event whose outbox row outlived the post (a crash between the inbox
/// commit and the outbox delete, when the inbox is a file of its own) changes nothing.
/// </summary>
public static class InboxProjection
{
    private const int RecipientsPerStatement = 100;

    /// <summary>How long posted event ids are kept to recognise a replay; an outbox row is deleted moments after its post.</summary>
    public static readonly TimeSpan AppliedEventRetention = TimeSpan.FromDays(7);

    /// <summary>The recipients of a notice, read from the members in the read model (the main database).</summary>
    public static async Task<List<string>> RecipientsAsync(DbConnection connection, DbTransaction? transaction, InboxNotice notice)
    {
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in notice.Recipients)
        {
            var members = await connection.QueryAsync(
                "SELECT user_id, roles FROM rm_enterprise_members WHERE enterprise_id = @id",
                r => (UserId: r.GetString(0), Roles: JsonSerializer.Deserialize<int[]>(r.GetString(1)) ?? []),
                transaction, ("@id", group.EnterpriseId));
            recipients.UnionWith(members.Where(m => m.Roles.Intersect(group.Roles).Any() && m.UserId != notice.ExcludeUserId).Select(m => m.UserId));
        }

        return recipients.Order(StringComparer.Ordinal).ToList();
    }

    public static InboxNotice Parse(string payload) => JsonSerializer.Deserialize<InboxNotice>(payload) ?? throw new InvalidOperationException("Empty inbox notice.");

    /// <summary>Posts the notice to the recipients in the inbox database; returns the live pushes to send once the transaction has committed (none for a replay).</summary>
    public static async Task<List<(string Topic, string Payload)>> PostAsync(DbConnection connection, DbTransaction transaction, string eventId, InboxNotice notice, IReadOnlyList<string> recipients)
    {
        var now = Projections.Micros(DateTimeOffset.UtcNow);
        var pushes = new List<(string, string)>();
        var first = await connection.ExecuteAsync(
            "INSERT INTO inbox_applied_events (event_id, applied_micros) VALUES (@event, @at) ON CONFLICT (event_id) DO NOTHING",
            transaction, ("@event", eventId), ("@at", now));
        if (first == 0)
        {
            return pushes;
        }

        // One multi-row upsert per chunk of recipients: a notice to a seller with many staff costs one statement, not one
        // per member. A coalesced notice has one row per (user, subject, kind), updated in place and marked unread
        // again; any other notice is a row of its own (the event id makes a replay harmless).
        foreach (var chunk in recipients.Chunk(RecipientsPerStatement))
        {
            var parameters = new List<(string, object?)>
            {
                ("@kind", (int)notice.Kind), ("@subject", notice.SubjectId), ("@tzh", notice.TitleZh), ("@ten", notice.TitleEn),
                ("@bzh", notice.BodyZh), ("@ben", notice.BodyEn), ("@at", now), ("@unread", false),
            };
            var rows = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                var userId = chunk[i];
                var notificationId = notice.Coalesce
                    ? Ids.Derived("ntf", userId, notice.SubjectId + "\n" + (int)notice.Kind)
                    : Ids.Derived("ntf", userId, eventId);
                parameters.Add(($"@id{i}", notificationId));
                parameters.Add(($"@user{i}", userId));
                rows.Add($"(@id{i}, @user{i}, @kind, @subject, @tzh, @ten, @bzh, @ben, 1, @at, @unread)");
                pushes.Add((InboxNotice.Topic(userId), JsonSerializer.Serialize(new InboxPushed(notice.Kind, notice.SubjectId))));
            }

            await connection.ExecuteAsync(
                $"""
                INSERT INTO inbox_items (notification_id, user_id, kind, subject_id, title_zh, title_en, body_zh, body_en, event_count, created_micros, read)
                VALUES {string.Join(", ", rows)}
                ON CONFLICT (notification_id) DO {(notice.Coalesce
                    ? """
                      UPDATE SET event_count = CASE WHEN inbox_items.read = excluded.read THEN inbox_items.event_count + 1 ELSE 1 END, read = excluded.read,
                        title_zh = excluded.title_zh, title_en = excluded.title_en, body_zh = excluded.body_zh, body_en = excluded.body_en, created_micros = excluded.created_micros
                      """
                    : "NOTHING")}
                """,
                transaction, [.. parameters]);
        }

        return pushes;
    }

    /// <summary>Forgets posted event ids past <see cref="AppliedEventRetention"/>.</summary>
    public static Task<int> PruneAppliedEventsAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now) =>
        connection.ExecuteAsync("DELETE FROM inbox_applied_events WHERE applied_micros < @cutoff", transaction, ("@cutoff", Projections.Micros(now - AppliedEventRetention)));
}

/// <summary>What an API node hears when a user's inbox changed; it reads the item (when a subject is named) and the count from the table.</summary>
public sealed record InboxPushed(NotificationKind Kind, string SubjectId)
{
    /// <summary>Only the unread count changed (notifications were read).</summary>
    public static InboxPushed CountChanged { get; } = new(0, "");
}
