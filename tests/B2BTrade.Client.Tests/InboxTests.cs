using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Inbox.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

/// <summary>The message center against the fake server: paging, read marks and the reconnecting watch.</summary>
public sealed class InboxTests
{
    private const string Service = "/b2btrade.inbox.v1.InboxService/";

    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    private static Task<FakeReply> Forever => new TaskCompletionSource<FakeReply>().Task;

    private static Notification Note(string id, NotificationKind kind = NotificationKind.NewQuote) => new() { NotificationId = id, Kind = kind, SubjectId = "thr_1" };

    [Fact]
    public async Task ListFollowsPageTokensWithTheUnreadFilterAndAPageCarriesTheUnreadCount()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(ListNotificationsRequest.Parser);
            Assert.True(request.UnreadOnly);
            return Task.FromResult(FakeReply.Ok(request.PageToken switch
            {
                "" => new ListNotificationsResponse { Notifications = { Note("ntf_3"), Note("ntf_2") }, NextPageToken = "p2", UnreadCount = 3 },
                "p2" => new ListNotificationsResponse { Notifications = { Note("ntf_1", NotificationKind.NewInquiry) }, UnreadCount = 3 },
                _ => throw new InvalidOperationException(request.PageToken),
            }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var ids = new List<string>();
        await foreach (var notification in client.Inbox.ListAsync(unreadOnly: true, pageSize: 2))
        {
            ids.Add(notification.NotificationId);
        }

        var first = await client.Inbox.GetPageAsync(unreadOnly: true, pageSize: 2);

        Assert.Equal(["ntf_3", "ntf_2", "ntf_1"], ids);
        Assert.Equal((3L, "p2"), (first.UnreadCount, first.NextPageToken));
        Assert.All(server.Calls, c => Assert.Equal(2, c.Parse(ListNotificationsRequest.Parser).PageSize));
    }

    [Fact]
    public async Task ReadMarksByIdsAllOrSubjectAreSentAsSuchAndRetriedAfterUnavailable()
    {
        var attempts = 0;
        using var server = new FakeGrpcServer(_ => Task.FromResult(++attempts % 2 == 1
            ? FakeReply.Error(StatusCode.Unavailable)
            : FakeReply.Ok(new MarkNotificationsReadResponse { UnreadCount = 4 - (attempts / 2) })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        Assert.Equal(3, await client.Inbox.MarkReadAsync(["ntf_1", "ntf_2"]));
        Assert.Equal(2, await client.Inbox.MarkSubjectReadAsync("thr_1"));
        Assert.Equal(1, await client.Inbox.MarkAllReadAsync());

        var sent = server.Calls.Select(c => c.Parse(MarkNotificationsReadRequest.Parser)).ToList();
        Assert.Equal(6, sent.Count);
        Assert.Equal(sent[0], sent[1]);
        Assert.Equal(["ntf_1", "ntf_2"], sent[0].NotificationIds);
        Assert.Equal(("thr_1", false), (sent[2].SubjectId, sent[2].All));
        Assert.Empty(sent[2].NotificationIds);
        Assert.Equal(("", true), (sent[4].SubjectId, sent[4].All));
    }

    [Fact]
    public async Task TheWatchStartsWithTheUnreadCountAndReopensAfterUnavailableAndTokenExpiry()
    {
        var watches = 0;
        var expired = new Google.Rpc.Status { Code = (int)Code.Unauthenticated, Message = "expired", Details = { Any.Pack(new ErrorInfo { Reason = "ACCESS_TOKEN_EXPIRED", Domain = "b2btrade" }) } };
        using var server = new FakeGrpcServer(call => call.Method switch
        {
            TestSupport.RefreshToken => Task.FromResult(FakeReply.Ok(new RefreshTokenResponse { Tokens = TestSupport.Pair("a2", "r2", TimeSpan.FromMinutes(15)) })),
            Service + "WatchInbox" => ++watches switch
            {
                1 => Task.FromResult(new FakeReply([new WatchInboxResponse { UnreadCount = 2 }, new WatchInboxResponse { Notification = Note("ntf_3"), UnreadCount = 3 }], StatusCode.Unavailable, "node restarting", null)),
                2 => Task.FromResult(new FakeReply([new WatchInboxResponse { UnreadCount = 4 }], StatusCode.Unauthenticated, "expired", expired)),
                3 => Task.FromResult(FakeReply.Ok(new WatchInboxResponse { UnreadCount = 4 }, new WatchInboxResponse { Notification = Note("ntf_5", NotificationKind.Message), UnreadCount = 5 })),
                _ => Forever,
            },
            _ => Task.FromResult(FakeReply.Error(StatusCode.Unimplemented)),
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(string?, long)>();
        await foreach (var e in client.Inbox.WatchAsync(timeout.Token))
        {
            seen.Add((e.Notification?.NotificationId, e.UnreadCount));
            if (seen.Count == 5)
            {
                break;
            }
        }

        Assert.Equal([(null, 2L), ("ntf_3", 3L), (null, 4L), (null, 4L), ("ntf_5", 5L)], seen);
        Assert.Equal(["Bearer a1", "Bearer a1", "Bearer a2"], server.CallsTo(Service + "WatchInbox").Select(c => c.Authorization));
        Assert.All(server.CallsTo(Service + "WatchInbox"), c => Assert.Null(c.Timeout));
    }

    [Fact]
    public async Task AWatchWithoutASessionFailsUnauthenticated()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unauthenticated, "sign in")));
        using var client = TestSupport.CreateClient(server);

        await Assert.ThrowsAsync<B2BTradeUnauthenticatedException>(async () =>
        {
            await foreach (var e in client.Inbox.WatchAsync())
            {
            }
        });

        Assert.Null(Assert.Single(server.Calls).Authorization);
    }
}
