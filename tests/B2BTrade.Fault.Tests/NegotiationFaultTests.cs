using System.Diagnostics;
using B2BTrade.Fault.Tests.Infrastructure;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Protos.Negotiation.V1;
using Grpc.Core;
using Xunit.Abstractions;

namespace B2BTrade.Fault.Tests;

/// <summary>
/// A quote's deadline is durable: the reminder that expires it survives a SIGKILL of the single node, and so does
/// every chat message the server acknowledged before the kill.
/// </summary>
public sealed class NegotiationFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(45);

    // SubmitQuote needs at least 1 minute of validity; 70 s leaves time to set up the kill before it runs out.
    private static readonly TimeSpan s_validity = TimeSpan.FromSeconds(70);

    // The deadline reminder is due at valid_until and ticks every minute after; after a restart Orleans delivers the
    // next tick. Two minutes past valid_until is generous; the poll ends as soon as the notification is there.
    private static readonly TimeSpan s_reminderSlack = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A seller quotes with valid_until ≈ now + 70 s and the buyer sends a chat message; the server is SIGKILLed and
    /// started again on the same data folder. After valid_until the thread is EXPIRED, AcceptQuote fails with
    /// FAILED_PRECONDITION / QUOTE_EXPIRED, the buyer's inbox has a QUOTE_EXPIRED notification for the thread (only
    /// the reminder writes it, so it fired after the restart) and the acknowledged message is still there.
    /// </summary>
    [Fact]
    public async Task QuoteExpiresAfterKill9AndAcknowledgedMessageSurvives()
    {
        await using var node = await SingleNodeServer.StartAsync("negotiation-kill9");
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var clock = Stopwatch.StartNew();
                Seller seller, buyer;
                B2BTrade.Protos.Negotiation.V1.Thread quoted;
                Message sent;
                DateTimeOffset validUntil;
                using (var channel = node.OpenChannel())
                {
                    var identity = new IdentityService.IdentityServiceClient(channel);
                    var operatorAuth = Accounts.Bearer(await Accounts.LoginAsync(identity, SingleNodeServer.OperatorEmail, SingleNodeServer.OperatorPassword, s_budget));
                    var codes = new OutboxFileCodes(node.DataDir);
                    seller = await Sellers.VerifiedAsync(channel, codes, operatorAuth, "negseller");
                    buyer = await Sellers.VerifiedAsync(channel, codes, operatorAuth, "negbuyer");
                    var listingId = await Negotiations.ListingAsync(new CatalogService.CatalogServiceClient(channel), seller);
                    var negotiation = new NegotiationService.NegotiationServiceClient(channel);
                    var inquiry = await Negotiations.InquiryAsync(negotiation, buyer, listingId);
                    Assert.Equal(ThreadStatus.AwaitingQuote, inquiry.Status);
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: seller {seller.EnterpriseId}, buyer {buyer.EnterpriseId}, thread {inquiry.ThreadId}");

                    validUntil = DateTimeOffset.UtcNow + s_validity;
                    quoted = (await negotiation.SubmitQuoteAsync(
                        new SubmitQuoteRequest { ThreadId = inquiry.ThreadId, Etag = inquiry.Etag, Terms = Negotiations.Terms(3580m, validUntil) },
                        seller.Auth,
                        Deadline())).Thread;
                    Assert.Equal(ThreadStatus.Quoted, quoted.Status);
                    sent = (await negotiation.SendMessageAsync(
                        new SendMessageRequest { ThreadId = quoted.ThreadId, ClientMessageId = "before-kill-" + Guid.NewGuid().ToString("N")[..8], Text = "报价收到，明天答复。" },
                        buyer.Auth,
                        Deadline())).Message;
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: quote v{quoted.OpenQuoteVersion} valid until {validUntil:HH:mm:ss}, message #{sent.Sequence} acknowledged");
                }

                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: SIGKILL the server (pid {node.Process.Id})");
                node.Process.Kill();
                await node.StartProcessAsync();
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: restarted, /healthz 200, {(validUntil - DateTimeOffset.UtcNow).TotalSeconds:0} s of validity left");
                Assert.True(DateTimeOffset.UtcNow < validUntil, "the restart took longer than the quote's validity; the test proves nothing about the reminder");

                using var restarted = node.OpenChannel();
                var after = new NegotiationService.NegotiationServiceClient(restarted);
                var inbox = new InboxService.InboxServiceClient(restarted);

                var messages = (await Transient.RetryAsync(
                    d => after.ListMessagesAsync(new ListMessagesRequest { ThreadId = quoted.ThreadId, PageSize = 50 }, buyer.Auth, d).ResponseAsync, s_budget)).Messages;
                var kept = Assert.Single(messages, m => m.Sequence == sent.Sequence);
                Assert.Equal(sent.Text, kept.Text);
                Assert.Equal(sent.ClientMessageId, kept.ClientMessageId);
                Assert.Equal(sent.SendTime, kept.SendTime);

                // Proof that the reminder fired after the restart: only its callback writes QUOTE_EXPIRED notifications.
                var stop = validUntil + s_reminderSlack;
                Notification? expired = null;
                while (expired is null)
                {
                    var page = await Transient.RetryAsync(
                        d => inbox.ListNotificationsAsync(new ListNotificationsRequest { PageSize = 100 }, buyer.Auth, d).ResponseAsync, s_budget);
                    expired = page.Notifications.FirstOrDefault(n => n.Kind == NotificationKind.QuoteExpired && n.SubjectId == quoted.ThreadId);
                    if (expired is null)
                    {
                        Assert.True(
                            DateTimeOffset.UtcNow < stop,
                            $"no QUOTE_EXPIRED notification for {quoted.ThreadId} {s_reminderSlack.TotalSeconds:0} s after valid_until {validUntil:HH:mm:ss}; the buyer's inbox holds: "
                            + string.Join(", ", page.Notifications.Select(n => $"{n.Kind} {n.SubjectId} {n.CreateTime}")));
                        await Task.Delay(500);
                    }
                }

                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: QUOTE_EXPIRED notification created {expired.CreateTime.ToDateTimeOffset():HH:mm:ss.fff} "
                    + $"({(expired.CreateTime.ToDateTimeOffset() - validUntil).TotalSeconds:0.0} s after valid_until)");
                Assert.True(expired.CreateTime.ToDateTimeOffset() >= validUntil.AddSeconds(-1), "the QUOTE_EXPIRED notification predates valid_until");

                var thread = (await Transient.RetryAsync(d => after.GetThreadAsync(new GetThreadRequest { ThreadId = quoted.ThreadId }, buyer.Auth, d).ResponseAsync, s_budget)).Thread;
                Assert.Equal(ThreadStatus.Expired, thread.Status);

                var refused = await Assert.ThrowsAsync<RpcException>(() =>
                    after.AcceptQuoteAsync(new AcceptQuoteRequest { ThreadId = quoted.ThreadId, Version = quoted.OpenQuoteVersion }, buyer.Auth, Deadline()).ResponseAsync);
                Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
                Assert.Equal("QUOTE_EXPIRED", Negotiations.Reason(refused));

                // The message survived and nothing else was written to the chat by the restart.
                var last = (await after.ListMessagesAsync(new ListMessagesRequest { ThreadId = quoted.ThreadId, PageSize = 50 }, buyer.Auth, Deadline())).Messages;
                Assert.Equal(sent.Sequence, last.Max(m => m.Sequence));
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: thread EXPIRED, AcceptQuote refused with QUOTE_EXPIRED, message #{sent.Sequence} intact");
            },
            node.Tails);
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(15);
}
