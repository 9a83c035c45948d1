using System.Collections.Concurrent;
using B2BTrade.Client;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Protos.Negotiation.V1;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>The SDK's negotiation and inbox facades against the real host, as a buyer's and a seller's ERP would use them.</summary>
[Collection(ApiCollection.Name)]
public sealed class SdkNegotiationTests(ApiFactory factory) : IDisposable
{
    private const string NegotiationService = "/b2btrade.negotiation.v1.NegotiationService/";

    private readonly Api _api = new(factory.NativeChannel(), factory);
    private readonly List<B2BTradeClient> _clients = [];

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private B2BTradeClient Client(TokenPair tokens, HttpMessageHandler? handler = null)
    {
        var client = new B2BTradeClient(new B2BTradeClientOptions
        {
            Address = factory.Server.BaseAddress,
            HttpMessageHandler = handler ?? factory.Server.CreateHandler(),
            InitialTokens = B2BTradeTokens.FromProto(tokens),
            InitialRetryBackoff = TimeSpan.FromMilliseconds(50),
        });
        _clients.Add(client);
        return client;
    }

    /// <summary>A verified seller enterprise with one active rebar listing, and its admin's SDK client.</summary>
    private async Task<(B2BTradeClient Client, Enterprise Enterprise, string ListingId)> SellerWithListingAsync()
    {
        var (_, user, seller) = await _api.VerifiedSellerAsync();
        var client = Client(user.Tokens);
        var listing = await client.Catalog.CreateListingAsync(seller.EnterpriseId, Api.RebarSpec());
        return (client, seller, listing.ListingId);
    }

    /// <summary>A verified enterprise buying through its admin's SDK client (optionally over a faulty connection).</summary>
    private async Task<(B2BTradeClient Client, Enterprise Enterprise)> BuyerAsync(HttpMessageHandler? handler = null)
    {
        var (_, user, buyer) = await _api.VerifiedSellerAsync();
        return (Client(user.Tokens, handler), buyer);
    }

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    /// <summary>The buyer's inquiry: 300 t of HRB400E Φ25 delivered in Shanghai in 20 days, target price 3,600 CNY/t.</summary>
    private NegotiationTerms Inquiry => new()
    {
        ProductName = "螺纹钢 HRB400E Φ25",
        Attributes = new Dictionary<string, string> { ["grade"] = "HRB400E", ["diameter"] = "Φ25" },
        QuantityTonnes = 300m,
        UnitPrice = 3600m,
        TaxIncluded = true,
        DeliveryBasis = DeliveryBasis.Delivered,
        DeliveryDate = DateOnly.FromDateTime(Now.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(20),
        DeliveryPlace = "上海市宝山区蕴川路 1000 号",
        TransportMode = TransportMode.Road,
        QualityStandard = "GB/T 1499.2-2018",
    };

    /// <summary>The seller's quote on the inquiry: freight 45/t, 20/t off from 200 t, 10% deposit, valid 3 days.</summary>
    private NegotiationTerms QuoteAt(decimal unitPrice) => Inquiry with
    {
        UnitPrice = unitPrice,
        Services = [new ServiceFee(ServiceKind.Freight, 45m, ChargeUnit.PerTonne)],
        VolumeDiscounts = [new VolumeDiscountTier(200m, 20m)],
        Payment = new PaymentPlan(10m, BalanceTiming.OnDelivery),
        ValidUntil = Now.AddDays(3),
    };

    private static async Task<List<T>> AllAsync<T>(IAsyncEnumerable<T> items)
    {
        var all = new List<T>();
        await foreach (var item in items)
        {
            all.Add(item);
        }

        return all;
    }

    private static decimal? Price(Offer offer) => NegotiationValues.ToCnyOrNull(offer.Terms.UnitPrice);

    [Fact]
    public async Task InquiryQuoteCounterReviseAndAcceptThroughTheSdkFreezeTheLastQuote()
    {
        var (seller, sellerEnterprise, listingId) = await SellerWithListingAsync();
        var (buyer, buyerEnterprise) = await BuyerAsync();

        var thread = await buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, Inquiry.ToProto());
        Assert.Equal((ThreadStatus.AwaitingQuote, Side.Buyer, sellerEnterprise.EnterpriseId, listingId, "1"), (thread.Status, thread.CallerSide, thread.SellerEnterpriseId, thread.ListingId, thread.Etag));
        var inquiry = Assert.Single(thread.Offers);
        Assert.Equal((1, OfferKind.Inquiry, Side.Buyer, 3600m), (inquiry.Version, inquiry.Kind, inquiry.AuthorSide, Price(inquiry)));
        var asked = NegotiationTerms.FromProto(inquiry.Terms);
        Assert.Equal((300m, Inquiry.DeliveryDate, "HRB400E", DeliveryBasis.Delivered), (asked.QuantityTonnes, asked.DeliveryDate, asked.Attributes["grade"], asked.DeliveryBasis));

        // The seller previews the quote form's totals, then quotes: 300 t × 3,650 − 300 × 20 + 300 × 45 freight.
        var expected = new NegotiationTotals(1_095_000m, 6_000m, 13_500m, 1_102_500m, 3_675m, 110_250m);
        Assert.Equal(expected, NegotiationTotals.FromProto(await seller.Negotiations.PreviewTermsAsync(QuoteAt(3650m).ToProto(), forQuote: true)));
        var opened = await seller.Negotiations.GetThreadAsync(thread.ThreadId);
        Assert.Equal(Side.Seller, opened.CallerSide);
        var quoted = await seller.Negotiations.SubmitQuoteAsync(thread.ThreadId, QuoteAt(3650m).ToProto(), opened.Etag);
        Assert.Equal((ThreadStatus.Quoted, 2, "2"), (quoted.Status, quoted.OpenQuoteVersion, quoted.Etag));
        Assert.Equal((OfferKind.Quote, Side.Seller), (quoted.Offers[^1].Kind, quoted.Offers[^1].AuthorSide));
        Assert.Equal(expected, NegotiationTotals.FromProto(quoted.Offers[^1].Totals));

        // The buyer counters at 3,600 from the quote it read.
        var seen = await buyer.Negotiations.GetThreadAsync(thread.ThreadId);
        var counter = NegotiationTerms.FromProto(seen.Offers[^1].Terms) with { UnitPrice = 3600m, ValidUntil = null };
        var countered = await buyer.Negotiations.CounterOfferAsync(thread.ThreadId, counter.ToProto(), seen.Etag);
        Assert.Equal((ThreadStatus.Countered, 0, "3", OfferKind.CounterOffer, Side.Buyer), (countered.Status, countered.OpenQuoteVersion, countered.Etag, countered.Offers[^1].Kind, countered.Offers[^1].AuthorSide));

        // A seller working from the thread as it was before the counter is refused, not silently applied.
        var stale = await Assert.ThrowsAsync<B2BTradeConflictException>(() => seller.Negotiations.SubmitQuoteAsync(thread.ThreadId, QuoteAt(3650m).ToProto(), quoted.Etag));
        Assert.Equal((StatusCode.Aborted, "ETAG_MISMATCH"), (stale.StatusCode, stale.Reason));

        // The seller answers the counter at 3,620, then revises its open quote to 3,610.
        var answered = await seller.Negotiations.SubmitQuoteAsync(thread.ThreadId, QuoteAt(3620m).ToProto(), countered.Etag);
        Assert.Equal((ThreadStatus.Quoted, 4), (answered.Status, answered.OpenQuoteVersion));
        var revised = await seller.Negotiations.SubmitQuoteAsync(thread.ThreadId, QuoteAt(3610m).ToProto(), answered.Etag);
        Assert.Equal((ThreadStatus.Quoted, 5, "5"), (revised.Status, revised.OpenQuoteVersion, revised.Etag));
        Assert.Equal([3600m, 3650m, 3600m, 3620m, 3610m], revised.Offers.Select(Price));

        // The buyer accepting the quote it saw before the revision is told the quote moved on.
        var superseded = await Assert.ThrowsAsync<B2BTradeConflictException>(() => buyer.Negotiations.AcceptQuoteAsync(thread.ThreadId, 4));
        Assert.Equal((StatusCode.Aborted, "VERSION_MISMATCH"), (superseded.StatusCode, superseded.Reason));
        var changes = await buyer.Negotiations.DiffVersionsAsync(thread.ThreadId, 2, 5);
        Assert.Contains(changes, c => c.Field == "unit_price");
        Assert.Contains(changes, c => c.Field == "totals.total_amount");
        Assert.DoesNotContain(changes, c => c.Field == "quantity_tonnes");

        var accepted = await buyer.Negotiations.AcceptQuoteAsync(thread.ThreadId, 5);
        Assert.Equal((ThreadStatus.Accepted, 5), (accepted.Status, accepted.AgreedVersion));
        Assert.NotNull(accepted.AcceptTime);
        var agreed = accepted.Offers.Single(o => o.Version == accepted.AgreedVersion);
        Assert.Equal((3610m, 1_090_500m, 109_050m), (Price(agreed), NegotiationTotals.FromProto(agreed.Totals).TotalAmount, NegotiationTotals.FromProto(agreed.Totals).DepositAmount));

        // The agreed terms are frozen.
        await Assert.ThrowsAsync<B2BTradePreconditionException>(() => seller.Negotiations.SubmitQuoteAsync(thread.ThreadId, QuoteAt(3500m).ToProto()));
        var frozen = await seller.Negotiations.GetThreadAsync(thread.ThreadId);
        Assert.Equal((ThreadStatus.Accepted, 5, 5), (frozen.Status, frozen.AgreedVersion, frozen.Offers.Count));

        // Both sides find it in their lists.
        var sellerThreads = await Api.EventuallyAsync(
            () => AllAsync(seller.Negotiations.ListThreadsAsync(sellerEnterprise.EnterpriseId, Side.Seller, [ThreadStatus.Accepted])),
            l => l.Any(t => t.ThreadId == thread.ThreadId));
        var summary = Assert.Single(sellerThreads, t => t.ThreadId == thread.ThreadId);
        Assert.Equal((5, 3610m, buyerEnterprise.EnterpriseId), (summary.LatestVersion, NegotiationValues.ToCnyOrNull(summary.UnitPrice), summary.BuyerEnterpriseId));
        var buyerThreads = await Api.EventuallyAsync(() => AllAsync(buyer.Negotiations.ListThreadsAsync(buyerEnterprise.EnterpriseId, Side.Buyer)), l => l.Any(t => t.Status == ThreadStatus.Accepted));
        Assert.Equal([thread.ThreadId], buyerThreads.Select(t => t.ThreadId));
    }

    [Fact]
    public async Task AnInquiryAndAMessageWhoseAnswersWereLostAreRetriedWithTheirIdsAndStoredOnce()
    {
        var (seller, _, listingId) = await SellerWithListingAsync();
        using var faulty = new LoseFirstAnswerHandler(factory.Server.CreateHandler(), NegotiationService + "CreateInquiry", NegotiationService + "SendMessage");
        var (buyer, buyerEnterprise) = await BuyerAsync(faulty);

        var thread = await buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, Inquiry.ToProto());
        var message = await buyer.Negotiations.SendMessageAsync(thread.ThreadId, "请报含税到货价，月底前交货。");

        Assert.Equal(2, faulty.Received(NegotiationService + "CreateInquiry")); // the server handled both sends
        Assert.Equal(2, faulty.Received(NegotiationService + "SendMessage"));
        var threads = await Api.EventuallyAsync(() => AllAsync(buyer.Negotiations.ListThreadsAsync(buyerEnterprise.EnterpriseId, Side.Buyer)), l => l.Count > 0);
        Assert.Equal([thread.ThreadId], threads.Select(t => t.ThreadId));
        var history = await AllAsync(seller.Negotiations.ListMessagesAsync(thread.ThreadId));
        var stored = Assert.Single(history);
        Assert.Equal((message.Sequence, message.ClientMessageId, "请报含税到货价，月底前交货。", Side.Buyer), (stored.Sequence, stored.ClientMessageId, stored.Text, stored.SenderSide));
        Assert.Equal(1, (await seller.Negotiations.GetThreadAsync(thread.ThreadId)).MessageCount);
    }

    [Fact]
    public async Task AWatchingBuyerGetsEverySellerMessageOnceAcrossALostConnection()
    {
        var (seller, _, listingId) = await SellerWithListingAsync();
        using var connection = new CuttableWatchHandler(factory.Server.CreateHandler(), NegotiationService + "WatchThread");
        var (buyer, buyerEnterprise) = await BuyerAsync(connection);
        var thread = await buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, Inquiry.ToProto());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var watch = buyer.Negotiations.WatchThreadAsync(thread.ThreadId, cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        var messages = new List<Message>();
        async Task<WatchThreadResponse> NextAsync(Func<WatchThreadResponse, bool> wanted)
        {
            while (await watch.MoveNextAsync())
            {
                if (watch.Current.Message is { } m)
                {
                    messages.Add(m);
                }

                if (wanted(watch.Current))
                {
                    return watch.Current;
                }
            }

            throw new InvalidOperationException("The watch ended.");
        }

        var first = await NextAsync(_ => true);
        Assert.Equal((thread.ThreadId, ThreadStatus.AwaitingQuote), (first.Thread?.ThreadId, first.Thread?.Status));

        var m1 = await seller.Negotiations.SendMessageAsync(thread.ThreadId, "您好，Φ25 现货充足。");
        var got = (await NextAsync(e => e.Message is not null)).Message;
        Assert.Equal((m1.Sequence, "您好，Φ25 现货充足。", Side.Seller), (got.Sequence, got.Text, got.SenderSide));

        // The connection drops and stays down while the seller writes twice.
        connection.Cut();
        var m2 = await seller.Negotiations.SendMessageAsync(thread.ThreadId, "报价稍后发出。");
        var m3 = await seller.Negotiations.SendMessageAsync(thread.ThreadId, "请确认交货地点。");
        var reopened = connection.Opened;
        connection.Restore();
        await NextAsync(e => e.Message?.Sequence == m3.Sequence);
        Assert.True(connection.Opened > reopened);

        // Live again: a quote and a message; then read receipts of the buyer's own reading and of the seller's.
        var quoted = await seller.Negotiations.SubmitQuoteAsync(thread.ThreadId, QuoteAt(3650m).ToProto());
        var statusEvent = await NextAsync(e => e.Thread?.Status == ThreadStatus.Quoted);
        Assert.Equal(quoted.OpenQuoteVersion, statusEvent.Thread.OpenQuoteVersion);
        var m4 = await seller.Negotiations.SendMessageAsync(thread.ThreadId, "已报价，请查收。");
        await NextAsync(e => e.Message?.Sequence == m4.Sequence);
        Assert.Equal(4, (await buyer.Negotiations.GetThreadAsync(thread.ThreadId)).UnreadCount);
        Assert.Equal(1, await buyer.Negotiations.MarkReadAsync(thread.ThreadId, m3.Sequence));
        Assert.Equal(m3.Sequence, (await NextAsync(e => e.ReadReceipt?.Side == Side.Buyer)).ReadReceipt.Sequence);
        var m5 = await buyer.Negotiations.SendMessageAsync(thread.ThreadId, "好的，请发正式报价单。");
        await NextAsync(e => e.Message?.Sequence == m5.Sequence);
        await seller.Negotiations.MarkReadAsync(thread.ThreadId, m5.Sequence);
        Assert.Equal(m5.Sequence, (await NextAsync(e => e.ReadReceipt?.Side == Side.Seller)).ReadReceipt.Sequence);

        Assert.Equal([m1.Sequence, m2.Sequence, m3.Sequence, m4.Sequence, m5.Sequence], messages.Select(m => m.Sequence));
        Assert.Equal(["您好，Φ25 现货充足。", "报价稍后发出。", "请确认交货地点。", "已报价，请查收。", "好的，请发正式报价单。"], messages.Select(m => m.Text));
        Assert.Equal([Side.Seller, Side.Seller, Side.Seller, Side.Seller, Side.Buyer], messages.Select(m => m.SenderSide));
        var after = await buyer.Negotiations.GetThreadAsync(thread.ThreadId);
        Assert.Equal((0L, m5.Sequence), (after.UnreadCount, after.CounterpartyReadSequence)); // posting marks one's own side read
    }

    [Fact]
    public async Task AnRfqToTwoSellersIsComparedAndAwardedToTheCheaperQuoteClosingTheOther()
    {
        var (seller1, enterprise1, listing1) = await SellerWithListingAsync();
        var (seller2, enterprise2, listing2) = await SellerWithListingAsync();
        var (buyer, buyerEnterprise) = await BuyerAsync();

        var rfq = await buyer.Negotiations.CreateRfqAsync(buyerEnterprise.EnterpriseId, "11月螺纹钢采购", [listing1, listing2], Inquiry.ToProto());
        Assert.Equal([enterprise1.EnterpriseId, enterprise2.EnterpriseId], rfq.Rows.Select(r => r.SellerEnterpriseId));
        Assert.All(rfq.Rows, r => Assert.Equal(ThreadStatus.AwaitingQuote, r.Status));
        Assert.All(rfq.Rows, r => Assert.Null(r.Quote));
        Assert.Equal("11月螺纹钢采购", rfq.Title);

        var thread1 = await seller1.Negotiations.GetThreadAsync(rfq.Rows[0].ThreadId);
        var thread2 = await seller2.Negotiations.GetThreadAsync(rfq.Rows[1].ThreadId);
        Assert.Equal((rfq.RfqId, rfq.RfqId), (thread1.RfqId, thread2.RfqId));
        await Assert.ThrowsAsync<B2BTradeNotFoundException>(() => seller1.Negotiations.GetThreadAsync(thread2.ThreadId)); // sellers never see each other's thread
        await seller1.Negotiations.SubmitQuoteAsync(thread1.ThreadId, QuoteAt(3650m).ToProto(), thread1.Etag);
        await seller2.Negotiations.SubmitQuoteAsync(thread2.ThreadId, QuoteAt(3630m).ToProto(), thread2.Etag);

        var compared = await buyer.Negotiations.GetRfqAsync(rfq.RfqId);
        Assert.Equal([3650m, 3630m], compared.Rows.Select(r => Price(r.Quote)));
        Assert.All(compared.Rows, r => Assert.Equal(ThreadStatus.Quoted, r.Status));
        var cheaper = compared.Rows.MinBy(r => Price(r.Quote))!;

        var awarded = await buyer.Negotiations.AwardRfqAsync(rfq.RfqId, cheaper.ThreadId, cheaper.Quote.Version);
        Assert.Equal(thread2.ThreadId, awarded.AwardedThreadId);
        Assert.Equal([ThreadStatus.Closed, ThreadStatus.Accepted], awarded.Rows.Select(r => r.Status));
        var won = await seller2.Negotiations.GetThreadAsync(thread2.ThreadId);
        Assert.Equal((ThreadStatus.Accepted, cheaper.Quote.Version), (won.Status, won.AgreedVersion));
        var lost = await seller1.Negotiations.GetThreadAsync(thread1.ThreadId);
        Assert.Equal(ThreadStatus.Closed, lost.Status);
        await Assert.ThrowsAsync<B2BTradePreconditionException>(() => seller1.Negotiations.SubmitQuoteAsync(thread1.ThreadId, QuoteAt(3600m).ToProto()));

        var inRfq = await Api.EventuallyAsync(
            () => AllAsync(buyer.Negotiations.ListThreadsAsync(buyerEnterprise.EnterpriseId, Side.Buyer, rfqId: rfq.RfqId)),
            l => l.Count == 2 && l.Any(t => t.Status == ThreadStatus.Closed) && l.Any(t => t.Status == ThreadStatus.Accepted));
        Assert.Equal(new[] { thread1.ThreadId, thread2.ThreadId }.Order(StringComparer.Ordinal), inRfq.Select(t => t.ThreadId).Order(StringComparer.Ordinal));
        Assert.Equal([ThreadStatus.Accepted], (await AllAsync(buyer.Negotiations.ListThreadsAsync(buyerEnterprise.EnterpriseId, Side.Buyer, [ThreadStatus.Accepted], rfq.RfqId))).Select(t => t.Status));
    }

    [Fact]
    public async Task BadTermsAndStrangersGetTypedErrorsNamingTheField()
    {
        var (seller, _, listingId) = await SellerWithListingAsync();
        var (buyer, buyerEnterprise) = await BuyerAsync();

        var zero = await Assert.ThrowsAsync<B2BTradeValidationException>(() => buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, (Inquiry with { QuantityTonnes = 0m }).ToProto()));
        Assert.Equal(StatusCode.InvalidArgument, zero.StatusCode);
        Assert.Contains(zero.FieldViolations, v => v.Field == "terms.quantity_tonnes");
        Assert.Empty(await AllAsync(buyer.Negotiations.ListThreadsAsync(buyerEnterprise.EnterpriseId, Side.Buyer)));

        var thread = await buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, Inquiry.ToProto());
        var negative = await Assert.ThrowsAsync<B2BTradeValidationException>(() => seller.Negotiations.SubmitQuoteAsync(thread.ThreadId, QuoteAt(-1m).ToProto()));
        Assert.Contains(negative.FieldViolations, v => v.Field == "terms.unit_price.amount");

        // An ERP that recycles its ids gets a typed error on the id, never the earlier thread or message as if it were new.
        var requestId = Guid.NewGuid().ToString();
        var kept = await buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, Inquiry.ToProto(), requestId: requestId);
        Assert.Equal(kept.ThreadId, (await buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, Inquiry.ToProto(), requestId: requestId)).ThreadId);
        var reused = await Assert.ThrowsAsync<B2BTradeValidationException>(() => buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, (Inquiry with { QuantityTonnes = 500m }).ToProto(), requestId: requestId));
        Assert.Equal(("REQUEST_ID_REUSED", "request_id"), (reused.Reason, Assert.Single(reused.FieldViolations).Field));
        var clientMessageId = Guid.NewGuid().ToString();
        await buyer.Negotiations.SendMessageAsync(kept.ThreadId, "请报价", clientMessageId: clientMessageId);
        var reusedMessage = await Assert.ThrowsAsync<B2BTradeValidationException>(() => buyer.Negotiations.SendMessageAsync(kept.ThreadId, "请尽快报价", clientMessageId: clientMessageId));
        Assert.Equal(("CLIENT_MESSAGE_ID_REUSED", "client_message_id"), (reusedMessage.Reason, Assert.Single(reusedMessage.FieldViolations).Field));

        var strangerUser = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), AccountKind.Individual);
        using var stranger = Client(strangerUser.Tokens);
        await Assert.ThrowsAsync<B2BTradeNotFoundException>(() => stranger.Negotiations.GetThreadAsync(thread.ThreadId));
        await Assert.ThrowsAsync<B2BTradeNotFoundException>(() => stranger.Negotiations.SendMessageAsync(thread.ThreadId, "你好"));
    }

    [Fact]
    public async Task TheSellersInboxAnnouncesTheInquiryAndPushesTheBuyersFileMessageWhichTheSellerCanDownload()
    {
        var (seller, _, listingId) = await SellerWithListingAsync();
        var (buyer, buyerEnterprise) = await BuyerAsync();
        var thread = await buyer.Negotiations.CreateInquiryAsync(buyerEnterprise.EnterpriseId, listingId, Inquiry.ToProto());

        var unread = await Api.EventuallyAsync(() => AllAsync(seller.Inbox.ListAsync(unreadOnly: true)), l => l.Any(n => n.SubjectId == thread.ThreadId));
        Assert.Equal(NotificationKind.NewInquiry, Assert.Single(unread, n => n.SubjectId == thread.ThreadId).Kind);
        Assert.Empty(await AllAsync(buyer.Inbox.ListAsync(unreadOnly: true))); // the author never notifies themselves

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var inbox = seller.Inbox.WatchAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await inbox.MoveNextAsync());
        Assert.Null(inbox.Current.Notification);
        Assert.True(inbox.Current.UnreadCount >= 1);

        var drawing = Api.Png(3000);
        var sent = await buyer.Negotiations.SendFileAsync(thread.ThreadId, drawing, "图纸.png", "附图纸，请按图报价。", buyerEnterprise.EnterpriseId);
        Assert.Equal(("图纸.png", "image/png", 3000L), (sent.Attachment.Name, sent.Attachment.ContentType, sent.Attachment.SizeBytes));
        while (await inbox.MoveNextAsync() && inbox.Current.Notification is not { Kind: NotificationKind.Message })
        {
        }

        Assert.Equal(thread.ThreadId, inbox.Current.Notification?.SubjectId);
        var downloaded = new MemoryStream();
        await seller.Files.DownloadAsync(sent.Attachment.FileId, downloaded);
        Assert.Equal(drawing, downloaded.ToArray());

        Assert.Equal(0, await seller.Inbox.MarkSubjectReadAsync(thread.ThreadId));
        Assert.Equal(0, (await seller.Inbox.GetPageAsync(unreadOnly: true)).UnreadCount);
    }

    /// <summary>Lets the server handle the first call to each listed method, then loses its answer as a reset connection would.</summary>
    private sealed class LoseFirstAnswerHandler(HttpMessageHandler inner, params string[] methods) : DelegatingHandler(inner)
    {
        private readonly ConcurrentDictionary<string, int> _received = new();

        public int Received(string method) => _received.GetValueOrDefault(method);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var method = request.RequestUri!.AbsolutePath;
            var count = _received.AddOrUpdate(method, 1, (_, n) => n + 1);
            var response = await base.SendAsync(request, cancellationToken);
            if (count == 1 && methods.Contains(method))
            {
                await response.Content.ReadAsByteArrayAsync(cancellationToken); // the call completed on the server
                response.Dispose();
                throw new HttpRequestException("The connection was reset before the answer arrived.", new IOException("Connection reset by peer."));
            }

            return response;
        }
    }

    /// <summary>Streams of one method whose connection a test can cut, and keep down until it restores it.</summary>
    private sealed class CuttableWatchHandler(HttpMessageHandler inner, string method) : DelegatingHandler(inner)
    {
        private readonly Lock _sync = new();
        private CancellationTokenSource _cut = new();
        private TaskCompletionSource _up = CompletedGate();
        private int _opened;

        public int Opened => Volatile.Read(ref _opened);

        public void Cut()
        {
            CancellationTokenSource cut;
            lock (_sync)
            {
                _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (cut, _cut) = (_cut, new CancellationTokenSource());
            }

            cut.Cancel();
        }

        public void Restore()
        {
            lock (_sync)
            {
                _up.TrySetResult();
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath != method)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            Task up;
            lock (_sync)
            {
                up = _up.Task;
            }

            await up.WaitAsync(cancellationToken);
            CancellationToken cut;
            lock (_sync)
            {
                cut = _cut.Token;
            }

            Interlocked.Increment(ref _opened);
            var response = await base.SendAsync(request, cancellationToken);
            var content = new StreamContent(new CuttableStream(await response.Content.ReadAsStreamAsync(cancellationToken), cut));
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
            return response;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _cut.Dispose();
            }

            base.Dispose(disposing);
        }

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }

    /// <summary>A response body that fails like a dropped connection once its token is cancelled.</summary>
    private sealed class CuttableStream(Stream inner, CancellationToken cut) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (cut.IsCancellationRequested)
            {
                throw new IOException("The connection was lost."); // even if more bytes had arrived in the buffer
            }

            var read = inner.ReadAsync(buffer, cancellationToken).AsTask();
            var dropped = Task.Delay(Timeout.Infinite, cut);
            if (await Task.WhenAny(read, dropped) != read)
            {
                throw new IOException("The connection was lost.");
            }

            return await read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
