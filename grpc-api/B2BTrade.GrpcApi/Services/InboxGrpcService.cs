using System.Text.Json;
using System.Threading.Channels;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.Grains.Infrastructure;
using B2BTrade.GrpcApi.Extensions;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Silo.ReadModel;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace B2BTrade.GrpcApi.Services;

/// <summary>The caller's message center: always the caller's own inbox (no id in any request to tamper with).</summary>
[Authorize]
public sealed class InboxGrpcService(NegotiationQueries queries, ILivePush push, StreamQuota quota, TimeProvider time, IHostApplicationLifetime host) : InboxService.InboxServiceBase
{
    private static readonly TimeSpan s_recountInterval = TimeSpan.FromSeconds(30);

    public override async Task<ListNotificationsResponse> ListNotifications(ListNotificationsRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var page = await queries.ListInboxAsync(caller.UserId, request.UnreadOnly, RequestParsing.PageSize(request.PageSize), request.PageToken);
        var response = new ListNotificationsResponse { NextPageToken = page.NextPageToken, UnreadCount = await queries.UnreadCountAsync(caller.UserId) };
        var locale = context.Locale();
        response.Notifications.AddRange(page.Items.Select(i => Notification(i, locale)));
        return response;
    }

    public override async Task<MarkNotificationsReadResponse> MarkNotificationsRead(MarkNotificationsReadRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (request.NotificationIds.Count > 100)
        {
            throw Errors.InvalidField("notification_ids", "TOO_MANY", "Mark at most 100 notifications at once.", "每次最多标记 100 条通知。");
        }

        var ids = request.NotificationIds.Select((id, i) => RequestParsing.Id(id, "ntf", $"notification_ids[{i}]")).ToList();
        if (!request.All && ids.Count == 0 && string.IsNullOrEmpty(request.SubjectId))
        {
            throw Errors.InvalidField("notification_ids", "REQUIRED", "Name the notifications to mark, a subject, or all.", "请指定要标记的通知。");
        }

        var subject = string.IsNullOrEmpty(request.SubjectId) ? null : request.SubjectId;
        if (subject is not null && subject.Length > 64)
        {
            throw Errors.InvalidField("subject_id", "INVALID_ID", "Give a valid subject_id.", "请提供有效的 subject_id。");
        }

        var unread = await queries.MarkInboxReadAsync(caller.UserId, ids, subject, request.All);

        // The caller's other open inboxes (tabs, devices) recount at once.
        await push.PublishAsync(InboxNotice.Topic(caller.UserId), JsonSerializer.Serialize(InboxPushed.CountChanged));
        return new MarkNotificationsReadResponse { UnreadCount = unread };
    }

    public override async Task WatchInbox(WatchInboxRequest request, IServerStreamWriter<WatchInboxResponse> responseStream, ServerCallContext context)
    {
        var caller = context.Caller();
        var locale = context.Locale();
        using var slot = quota.Open(caller.UserId);
        var events = Channel.CreateBounded<InboxPushed>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        using var subscription = push.Subscribe(InboxNotice.Topic(caller.UserId), payload =>
        {
            if (JsonSerializer.Deserialize<InboxPushed>(payload) is { } pushed)
            {
                events.Writer.TryWrite(pushed);
            }
        });
        var count = await queries.UnreadCountAsync(caller.UserId);
        await responseStream.WriteAsync(new WatchInboxResponse { UnreadCount = count });
        using var lifetime = new LiveStreamLifetime(context, time, host);
        try
        {
            while (!lifetime.Token.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
                tick.CancelAfter(s_recountInterval + TimeSpan.FromMilliseconds(Random.Shared.Next(10_000)));
                try
                {
                    var pushed = await events.Reader.ReadAsync(tick.Token);
                    var item = pushed.SubjectId.Length == 0 ? null : await queries.LatestInboxItemAsync(caller.UserId, pushed.SubjectId);
                    count = await queries.UnreadCountAsync(caller.UserId);
                    await responseStream.WriteAsync(new WatchInboxResponse { Notification = item is null ? null : Notification(item, locale), UnreadCount = count });
                }
                catch (OperationCanceledException) when (!lifetime.Token.IsCancellationRequested)
                {
                    // Quiet: the count may still have changed (read on another device, a lost push).
                    var now = await queries.UnreadCountAsync(caller.UserId);
                    if (now != count)
                    {
                        count = now;
                        await responseStream.WriteAsync(new WatchInboxResponse { UnreadCount = count });
                    }
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.Token.IsCancellationRequested)
        {
        }

        lifetime.End();
    }

    private static Notification Notification(InboxItem item, string locale) => new()
    {
        NotificationId = item.NotificationId,
        Kind = (Protos.Inbox.V1.NotificationKind)(int)item.Kind,
        Title = locale == "en-US" ? item.TitleEn : item.TitleZh,
        Body = locale == "en-US" ? item.BodyEn : item.BodyZh,
        SubjectId = item.SubjectId,
        CreateTime = Timestamp.FromDateTimeOffset(item.CreatedAt),
        Read = item.Read,
        Count = item.Count,
    };
}
