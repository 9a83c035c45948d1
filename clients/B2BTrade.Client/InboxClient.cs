using B2BTrade.Protos.Inbox.V1;

namespace B2BTrade.Client;

/// <summary>
/// The caller's message center (消息中心): notifications from every capability (new inquiries, quotes, counter-offers,
/// chat messages, expiring quotes…), unread counts and live push. <see cref="Notification.SubjectId"/> names what a
/// notification is about, e.g. a negotiation thread (<c>thr_…</c>).
/// </summary>
public sealed class InboxClient
{
    /// <summary>Most notification ids <see cref="MarkReadAsync"/> takes in one call.</summary>
    public const int MaxMarkedPerCall = 100;

    private readonly InboxService.InboxServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal InboxClient(InboxService.InboxServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>Streams the caller's notifications, newest first, fetching pages as the caller reads.</summary>
    /// <param name="unreadOnly">Only unread ones.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default (20).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The notifications.</returns>
    public IAsyncEnumerable<Notification> ListAsync(bool unreadOnly = false, int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) => GetPageAsync(unreadOnly, token, pageSize, cancellationToken: ct),
            page => page.Notifications,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>Returns one page of notifications with the caller's total unread count (for a badge).</summary>
    /// <param name="unreadOnly">Only unread ones.</param>
    /// <param name="pageToken">Empty for the first page, then <see cref="ListNotificationsResponse.NextPageToken"/>.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default (20).</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public Task<ListNotificationsResponse> GetPageAsync(bool unreadOnly = false, string pageToken = "", int pageSize = 0, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ListNotificationsRequest { UnreadOnly = unreadOnly, PageToken = pageToken, PageSize = pageSize };
        return _pipeline.RunAsync(o => _client.ListNotificationsAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
    }

    /// <summary>Marks notifications read; safe to repeat, so it is retried after transient errors.</summary>
    /// <param name="notificationIds">The notifications, 1 to <see cref="MaxMarkedPerCall"/>.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The caller's unread notifications left.</returns>
    public Task<long> MarkReadAsync(IEnumerable<string> notificationIds, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notificationIds);
        return MarkAsync(new MarkNotificationsReadRequest { NotificationIds = { notificationIds } }, deadline, cancellationToken);
    }

    /// <summary>Marks every notification of the caller read.</summary>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The caller's unread notifications left (0 unless new ones just came in).</returns>
    public Task<long> MarkAllReadAsync(DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        MarkAsync(new MarkNotificationsReadRequest { All = true }, deadline, cancellationToken);

    /// <summary>Marks the notifications about one subject read, e.g. on opening a negotiation thread.</summary>
    /// <param name="subjectId">The subject, e.g. <c>thr_…</c>.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The caller's unread notifications left.</returns>
    public Task<long> MarkSubjectReadAsync(string subjectId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subjectId);
        return MarkAsync(new MarkNotificationsReadRequest { SubjectId = subjectId }, deadline, cancellationToken);
    }

    /// <summary>
    /// Follows the inbox live: first an event with only the unread count, then every new or updated notification with
    /// the new count (and count-only events when notifications are read elsewhere).
    /// <para>
    /// The stream has no deadline and lasts until <paramref name="cancellationToken"/> is cancelled. When the server ends
    /// it, it is lost (UNAVAILABLE) or the access token expired, the SDK reopens it (refreshing the token first). Each
    /// reopening starts with the current unread count again; notifications that arrived while disconnected are not
    /// replayed, so when the count rises without a notification, read the newest with <see cref="ListAsync"/>.
    /// </para>
    /// </summary>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The inbox events; <see cref="WatchInboxResponse.Notification"/> is null on count-only events.</returns>
    /// <exception cref="B2BTradeUnauthenticatedException">The session ended and could not be refreshed.</exception>
    public IAsyncEnumerable<WatchInboxResponse> WatchAsync(CancellationToken cancellationToken = default) =>
        LiveStream.FollowAsync(_pipeline, o => _client.WatchInbox(new WatchInboxRequest(), o), cancellationToken);

    private async Task<long> MarkAsync(MarkNotificationsReadRequest request, DateTime? deadline, CancellationToken cancellationToken)
    {
        var response = await _pipeline.RunAsync(o => _client.MarkNotificationsReadAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.UnreadCount;
    }
}
