using System.Globalization;
using System.Text;
using System.Text.Json;
using B2BTrade.Domain.Audit;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.Silo.Data;

namespace B2BTrade.Silo.ReadModel;

public sealed record EnterpriseListItem(string EnterpriseId, string LegalName, string CreditCode, int Status, string? RejectionReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, int[] Roles);

public sealed record InvitationListItem(string EnterpriseId, string EnterpriseName, string InvitationId, string MaskedInvitee, int Status, int[] Roles, decimal? SigningLimit, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record SentMessage(long Id, string Channel, string Recipient, string Body, DateTimeOffset CreatedAt);

/// <summary>A listing's read-model row: projection version, status, document (JSON) and its seller's legal name.</summary>
public sealed record ListingRow(string ListingId, long Version, int Status, string Document, string SellerName);

public sealed record Page<T>(IReadOnlyList<T> Items, string NextPageToken);

/// <summary>Queries across aggregates, answered from the read model (never by fanning out to grains). Keyset paging.</summary>
public sealed class ReadModelQueries(SqlDatabase database)
{
    public async Task<Page<EnterpriseListItem>> ListEnterprisesOfUserAsync(string userId, int pageSize, string? pageToken)
    {
        var after = PageToken.Decode(pageToken) ?? "";
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            """
            SELECT e.enterprise_id, e.legal_name, e.credit_code, e.status, e.rejection_reason, e.created_at, e.updated_at, e.submitted_at, m.roles
            FROM rm_enterprise_members m JOIN rm_enterprises e ON e.enterprise_id = m.enterprise_id
            WHERE m.user_id = @user AND m.enterprise_id > @after
            ORDER BY m.enterprise_id LIMIT @limit
            """,
            r => new EnterpriseListItem(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture),
                r.GetNullableString(4), r.GetInstant(5), r.GetInstant(6), r.GetNullableInstant(7), JsonSerializer.Deserialize<int[]>(r.GetString(8)) ?? []),
            null, ("@user", userId), ("@after", after), ("@limit", pageSize + 1));
        return PageOf(rows, pageSize, last => last.EnterpriseId);
    }

    public async Task<Page<InvitationListItem>> ListPendingInvitationsAsync(IReadOnlyList<string> inviteeKeys, DateTimeOffset now, int pageSize, string? pageToken)
    {
        if (inviteeKeys.Count == 0)
        {
            return new Page<InvitationListItem>([], "");
        }

        var after = PageToken.Decode(pageToken) ?? "";
        var keyParameters = inviteeKeys.Select((key, i) => ($"@k{i}", (object?)key)).ToArray();
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            $"""
            SELECT i.enterprise_id, e.legal_name, i.invitation_id, i.masked_invitee, i.status, i.roles, i.signing_limit, i.created_at, i.expires_at
            FROM rm_invitations i JOIN rm_enterprises e ON e.enterprise_id = i.enterprise_id
            WHERE i.invitee_key IN ({string.Join(", ", keyParameters.Select(p => p.Item1))}) AND i.status = 1 AND i.expires_at > @now
              AND i.enterprise_id || '/' || i.invitation_id > @after
            ORDER BY i.enterprise_id || '/' || i.invitation_id LIMIT @limit
            """,
            r => new InvitationListItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture),
                JsonSerializer.Deserialize<int[]>(r.GetString(5)) ?? [], r.GetNullableString(6) is { } limit ? decimal.Parse(limit, CultureInfo.InvariantCulture) : null,
                r.GetInstant(7), r.GetInstant(8)),
            null, [.. keyParameters, ("@now", now), ("@after", after), ("@limit", pageSize + 1)]);
        return PageOf(rows, pageSize, last => last.EnterpriseId + "/" + last.InvitationId);
    }

    /// <summary>Enterprises in a verification status, oldest submission first.</summary>
    public async Task<Page<EnterpriseListItem>> ListByVerificationStatusAsync(int status, int pageSize, string? pageToken)
    {
        var token = PageToken.Decode(pageToken);
        var (afterTime, afterId) = token is null ? (DateTimeOffset.MinValue, "") : ParseTimeKey(token);
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            """
            SELECT enterprise_id, legal_name, credit_code, status, rejection_reason, created_at, updated_at, submitted_at
            FROM rm_enterprises
            WHERE status = @status AND (COALESCE(submitted_at, created_at) > @afterTime OR (COALESCE(submitted_at, created_at) = @afterTime AND enterprise_id > @afterId))
            ORDER BY COALESCE(submitted_at, created_at), enterprise_id LIMIT @limit
            """,
            r => new EnterpriseListItem(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture),
                r.GetNullableString(4), r.GetInstant(5), r.GetInstant(6), r.GetNullableInstant(7), []),
            null, ("@status", status), ("@afterTime", afterTime), ("@afterId", afterId), ("@limit", pageSize + 1));
        return PageOf(rows, pageSize, last => (last.SubmittedAt ?? last.CreatedAt).UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + last.EnterpriseId);
    }

    /// <summary>Messages of the local outbox, newest first.</summary>
    public async Task<Page<SentMessage>> ListSentMessagesAsync(string? recipient, int pageSize, string? pageToken)
    {
        var before = PageToken.Decode(pageToken) is { } token ? ParseLong(token) : long.MaxValue;
        var filter = string.IsNullOrEmpty(recipient) ? "" : "recipient = @recipient AND ";
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            $"SELECT id, channel, recipient, body, created_at FROM sent_messages WHERE {filter}id < @before ORDER BY id DESC LIMIT @limit",
            r => new SentMessage(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInstant(4)),
            null, ("@recipient", recipient ?? ""), ("@before", before), ("@limit", pageSize + 1));
        return PageOf(rows, pageSize, last => last.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>One seller's listings in listing id order (stable while listings change), optionally in one status.</summary>
    public async Task<Page<ListingRow>> ListSellerListingsAsync(string sellerEnterpriseId, int? status, int pageSize, string? pageToken)
    {
        var after = PageToken.Decode(pageToken) ?? "";
        var statusFilter = status is null ? "" : " AND l.status = @status";
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync(
            $"""
            SELECT {ListingColumns}
            FROM rm_listings l LEFT JOIN rm_enterprises e ON e.enterprise_id = l.seller_enterprise_id
            WHERE l.seller_enterprise_id = @seller AND l.listing_id > @after{statusFilter}
            ORDER BY l.listing_id LIMIT @limit
            """,
            ReadListing, null, ("@seller", sellerEnterpriseId), ("@after", after), ("@status", status ?? 0), ("@limit", pageSize + 1));
        return PageOf(rows, pageSize, last => last.ListingId);
    }

    /// <summary>The given listings as the read model holds them (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<ListingRow>> GetListingsAsync(IReadOnlyCollection<string> listingIds)
    {
        if (listingIds.Count == 0)
        {
            return [];
        }

        var parameters = listingIds.Select((id, i) => ($"@l{i}", (object?)id)).ToArray();
        await using var connection = await database.OpenAsync();
        return await connection.QueryAsync(
            $"""
            SELECT {ListingColumns}
            FROM rm_listings l LEFT JOIN rm_enterprises e ON e.enterprise_id = l.seller_enterprise_id
            WHERE l.listing_id IN ({string.Join(", ", parameters.Select(p => p.Item1))})
            """,
            ReadListing, null, parameters);
    }

    private const string ListingColumns = "l.listing_id, l.version, l.status, l.document, COALESCE(e.legal_name, '')";

    private static ListingRow ReadListing(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture), r.GetString(3), r.GetString(4));

    public async Task<IReadOnlyList<AuditRecord>> GetAuditTrailAsync(string aggregateType, string aggregateId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QueryAsync(
            """
            SELECT aggregate_type, aggregate_id, sequence, actor, action, before_json, after_json, occurred_at, previous_hash, hash
            FROM audit_log WHERE aggregate_type = @type AND aggregate_id = @id ORDER BY sequence LIMIT 10000
            """,
            r => new AuditRecord(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInstant(7), r.GetString(8), r.GetString(9)),
            null, ("@type", aggregateType), ("@id", aggregateId));
    }

    private static Page<T> PageOf<T>(List<T> rows, int pageSize, Func<T, string> key) =>
        rows.Count > pageSize
            ? new Page<T>(rows.Take(pageSize).ToList(), PageToken.Encode(key(rows[pageSize - 1])))
            : new Page<T>(rows, "");

    private static (DateTimeOffset, string) ParseTimeKey(string token)
    {
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(token[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks is >= 0 and <= 3155378975999999999
            ? (new DateTimeOffset(ticks, TimeSpan.Zero), token[(bar + 1)..])
            : throw PageToken.Invalid();
    }

    private static long ParseLong(string token) =>
        long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw PageToken.Invalid();
}

/// <summary>Categories that hold at least one listing, active or delisted.</summary>
public sealed class ReadModelCategoryUsage(SqlDatabase database) : Grains.Infrastructure.ICategoryUsage
{
    public async Task<IReadOnlySet<string>> CategoriesWithListingsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync("SELECT DISTINCT category_id FROM rm_listings", r => r.GetString(0))).ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>Opaque page tokens (AIP-158): base64url of the last key seen.</summary>
public static class PageToken
{
    public static string Encode(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes("v1:" + key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
            return text.StartsWith("v1:", StringComparison.Ordinal) ? text[3..] : throw Invalid();
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    /// <summary>A token for lists ordered by (time, id) descending: the last row's time and id.</summary>
    public static string EncodeTimeKey(DateTimeOffset at, string id) =>
        Encode(Projections.Micros(at).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + id);

    /// <summary>The (time in microseconds, id) a list continues before; the first page starts after every row.</summary>
    public static (long Micros, string Id) DecodeTimeKey(string? token)
    {
        var key = Decode(token);
        if (key is null)
        {
            return (long.MaxValue, "");
        }

        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return bar > 0 && long.TryParse(key[..bar], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var micros)
            ? (micros, key[(bar + 1)..])
            : throw Invalid();
    }

    public static DomainException Invalid() =>
        Errors.InvalidField("page_token", "INVALID_PAGE_TOKEN", "The page token is not valid; start from the first page.", "分页标记无效，请从第一页重新查询。");
}

/// <summary>Rebuilds the read model from the grains' durable state: clears the tables, then every aggregate republishes its snapshot.</summary>
public sealed class ReadModelRebuilder(SqlDatabase database, IGrainFactory grains, OutboxProjector projector)
{
    public async Task<int> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var table in new[] { "rm_enterprise_members", "rm_invitations", "rm_enterprises", "rm_users", "rm_listings" })
            {
                await connection.ExecuteAsync($"DELETE FROM {table}", transaction);
            }

            return 0;
        }, cancellationToken);

        await using var connection = await database.OpenAsync(cancellationToken);
        var aggregates = await connection.QueryAsync(
            "SELECT state_name, grain_id FROM grain_state WHERE state_name IN ('user', 'enterprise', 'listing') ORDER BY grain_id",
            r => (State: r.GetString(0), Key: r.GetString(1)[(r.GetString(1).IndexOf('/', StringComparison.Ordinal) + 1)..]));
        foreach (var (state, key) in aggregates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await (state switch
            {
                "user" => grains.GetGrain<IUserGrain>(key).RepublishAsync(),
                "enterprise" => grains.GetGrain<IEnterpriseGrain>(key).RepublishAsync(),
                _ => grains.GetGrain<IListingGrain>(key).RepublishAsync(),
            });
        }

        while (await projector.DispatchBatchAsync(cancellationToken) > 0)
        {
        }

        return aggregates.Count;
    }
}
