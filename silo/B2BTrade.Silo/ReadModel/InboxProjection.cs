using System.Data.Common;
using System.Text.Json;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.ReadModel;

/// <summary>
/// Fans an <see cref="InboxNotice"/> out to the inboxes of its recipients (members of an enterprise holding one of
/// the roles, from the read model), inside the outbox transaction, so each notice is posted exactly once.
/// </summary>
public static class InboxProjection
{
    private const int RecipientsPerStatement = 100;

    /// <summary>Posts the notice; returns the live pushes to send once the transaction has committed.</summary>
    public static async Task<List<(string Topic, string Payload)>> PostAsync(DbConnection connection, DbTransaction transaction, string eventId, string payload)
    {
        var notice = JsonSerializer.Deserialize<InboxNotice>(payload) ?? throw new InvalidOperationException("Empty inbox notice.");
        var now = Projections.Micros(DateTimeOffset.UtcNow);
        var pushes = new List<(string, string)>();
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in notice.Recipients)
        {
            var members = await connection.QueryAsync(
                "SELECT user_id, roles FROM rm_enterprise_members WHERE enterprise_id = @id",
                r => (UserId: r.GetString(0), Roles: JsonSerializer.Deserialize<int[]>(r.GetString(1)) ?? []),
                transaction, ("@id", group.EnterpriseId));
            recipients.UnionWith(members.Where(m => m.Roles.Intersect(group.Roles).Any() && m.UserId != notice.ExcludeUserId).Select(m => m.UserId));
        }

        // One multi-row upsert per chunk of recipients: a notice to a seller with many staff costs one statement, not one
        // per member. A coalesced notice has one row per (user, subject, kind), updated in place and marked unread
        // again; any other notice is a row of its own (the event id makes a replay harmless).
        foreach (var chunk in recipients.Order(StringComparer.Ordinal).Chunk(RecipientsPerStatement))
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
}

/// <summary>What an API node hears when a user's inbox changed; it reads the item (when a subject is named) and the count from the table.</summary>
public sealed record InboxPushed(NotificationKind Kind, string SubjectId)
{
    /// <summary>Only the unread count changed (notifications were read).</summary>
    public static InboxPushed CountChanged { get; } = new(0, "");
}
