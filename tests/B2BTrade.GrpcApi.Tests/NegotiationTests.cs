using System.Collections.Concurrent;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Protos.Negotiation.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProtoDate = B2BTrade.Protos.Common.V1.Date;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;
using ProtoMoney = B2BTrade.Protos.Common.V1.Money;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>Negotiation and inbox over raw gRPC against the real host: the flows, the validation, the races and who may see a thread.</summary>
[Collection(ApiCollection.Name)]
public sealed class NegotiationTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.NativeChannel(), factory);
    private readonly NegotiationService.NegotiationServiceClient _negotiation = new(factory.NativeChannel());
    private readonly InboxService.InboxServiceClient _inbox = new(factory.NativeChannel());

    private sealed record Party(string Token, string UserId, string EnterpriseId);

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    private DateOnly ChinaToday => DateOnly.FromDateTime(Now.ToOffset(TimeSpan.FromHours(8)).DateTime);

    private static ProtoMoney Cny(string amount) => new() { CurrencyCode = "CNY", Amount = amount };

    private static ProtoDate Date(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    private static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>100 t of HRB400E Φ25 delivered in Shanghai in 20 days (China date), target price 3,600.</summary>
    private Terms InquiryTerms() => new()
    {
        ProductName = "螺纹钢 HRB400E Φ25",
        Attributes = { ["grade"] = "HRB400E" },
        QuantityTonnes = new ProtoDecimal { Value = "100" },
        UnitPrice = Cny("3600.00"),
        TaxIncluded = true,
        DeliveryBasis = DeliveryBasis.Delivered,
        DeliveryDate = Date(ChinaToday.AddDays(20)),
        DeliveryPlace = "上海市宝山区蕴川路 1000 号",
        TransportMode = TransportMode.Road,
        QualityStandard = "GB/T 1499.2-2018",
    };

    /// <summary>A quote at the price: freight 45/t, 20/t off from 100 t, 10% deposit, valid 3 days.</summary>
    private Terms QuoteTerms(string price)
    {
        var terms = InquiryTerms();
        terms.UnitPrice = Cny(price);
        terms.Services.Add(new ServiceCharge { Kind = ServiceKind.Freight, Amount = Cny("45.00"), Unit = ChargeUnit.PerTonne });
        terms.VolumeDiscounts.Add(new VolumeDiscount { MinQuantityTonnes = new ProtoDecimal { Value = "100" }, DiscountPerTonne = Cny("20.00") });
        terms.Payment = new PaymentTerms { DepositPercent = new ProtoDecimal { Value = "10" }, BalanceTiming = BalanceTiming.OnDelivery };
        terms.ValidUntil = Timestamp.FromDateTimeOffset(Now.AddDays(3));
        return terms;
    }

    private async Task<(Party Seller, string ListingId)> SellerWithListingAsync()
    {
        var (token, user, seller) = await _api.VerifiedSellerAsync();
        var listing = await _api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = Api.RebarSpec() }, Api.Bearer(token));
        return (new Party(token, user.User.UserId, seller.EnterpriseId), listing.Listing.ListingId);
    }

    private async Task<Party> BuyerAsync()
    {
        var (token, user, buyer) = await _api.VerifiedSellerAsync();
        return new Party(token, user.User.UserId, buyer.EnterpriseId);
    }

    /// <summary>Invites a new user into the enterprise with exactly these roles and accepts.</summary>
    private async Task<Party> MemberAsync(Party admin, params MemberRole[] roles)
    {
        var email = Api.UniqueEmail();
        var invitation = await _api.Enterprises.InviteMemberAsync(new InviteMemberRequest { RequestId = Guid.NewGuid().ToString(), EnterpriseId = admin.EnterpriseId, Invitee = Api.Email(email), Roles = { roles } }, Api.Bearer(admin.Token));
        var user = await _api.RegisterAsync(Api.Email(email));
        await _api.Enterprises.AcceptInvitationAsync(new AcceptInvitationRequest { EnterpriseId = admin.EnterpriseId, InvitationId = invitation.Invitation.InvitationId }, Api.Bearer(user.Tokens.AccessToken));
        return new Party(user.Tokens.AccessToken, user.User.UserId, admin.EnterpriseId);
    }

    private async Task<(Party Buyer, Party Seller, string ThreadId)> InquiryAsync()
    {
        var (seller, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var created = await _negotiation.CreateInquiryAsync(new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listingId, Terms = InquiryTerms() }, Api.Bearer(buyer.Token));
        return (buyer, seller, created.Thread.ThreadId);
    }

    private async Task<(Party Buyer, Party Seller, string ThreadId, int Version)> QuotedAsync()
    {
        var (buyer, seller, threadId) = await InquiryAsync();
        var quoted = await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Terms = QuoteTerms("3650.00") }, Api.Bearer(seller.Token));
        return (buyer, seller, threadId, quoted.Thread.OpenQuoteVersion);
    }

    private Task<SendMessageResponse> SendAsync(Party from, string threadId, string text, string? clientId = null, string attachment = "") =>
        _negotiation.SendMessageAsync(new SendMessageRequest { ThreadId = threadId, ClientMessageId = clientId ?? Guid.NewGuid().ToString(), Text = text, AttachmentFileId = attachment }, Api.Bearer(from.Token)).ResponseAsync;

    private async Task<List<Notification>> NotificationsAsync(Party user, bool unreadOnly = false) =>
        [.. (await _inbox.ListNotificationsAsync(new ListNotificationsRequest { UnreadOnly = unreadOnly, PageSize = 100 }, Api.Bearer(user.Token))).Notifications];

    [Fact]
    public async Task AFileReceivedInANegotiationCannotBeMadePublicThroughAListing()
    {
        // An attacker's review: the listing grain published images before checking the caller, so a refused
        // CreateListing still made the other side's private chat file readable by every user.
        var (buyer, seller, threadId) = await InquiryAsync();
        var stranger = (await _api.RegisterAsync(Api.Email(Api.UniqueEmail()))).Tokens.AccessToken;
        var certificate = await _api.UploadAsync(seller.Token, Api.Png(), "质保书-内部.png");
        await SendAsync(seller, threadId, "质保书见附件", attachment: certificate.FileId);
        var buyersDrawing = await _api.UploadAsync(buyer.Token, Api.Png(), "buyer-drawing.png");
        await SendAsync(buyer, threadId, "图纸", attachment: buyersDrawing.FileId);
        Task<GetFileResponse> StrangerReads(string fileId) => _api.Files.GetFileAsync(new GetFileRequest { FileId = fileId }, Api.Bearer(stranger)).ResponseAsync;

        // The buyer, who can read the certificate, tries to publish it on a listing of the seller's: refused, still private.
        var spec = Api.RebarSpec();
        spec.ImageFileIds.Add(certificate.FileId);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => _api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(buyer.Token)).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => StrangerReads(certificate.FileId));

        // The seller's Sales member tries to show the buyer's drawing on the seller's own listing: refused, still private.
        var own = Api.RebarSpec();
        own.ImageFileIds.Add(buyersDrawing.FileId);
        var refused = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = own }, Api.Bearer(seller.Token)).ResponseAsync, "FILE_NOT_YOURS");
        Assert.Equal("spec.image_file_ids[0]", Assert.Single(RpcAssert.Violations(refused)).Field);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => StrangerReads(buyersDrawing.FileId));

        // The seller's own upload on the seller's own listing becomes public, as product photos are meant to.
        var photo = Api.RebarSpec();
        photo.ImageFileIds.Add(certificate.FileId);
        await _api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = photo }, Api.Bearer(seller.Token));
        Assert.Equal(certificate.FileId, (await StrangerReads(certificate.FileId)).File.FileId);
    }

    [Fact]
    public async Task InquiryQuoteCounterReviseAndAcceptFreezeTheAgreedTerms()
    {
        var (buyer, seller, threadId) = await InquiryAsync();
        var opened = (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = threadId }, Api.Bearer(seller.Token))).Thread;
        Assert.Equal((ThreadStatus.AwaitingQuote, Side.Seller, buyer.EnterpriseId, seller.EnterpriseId, "1"), (opened.Status, opened.CallerSide, opened.BuyerEnterpriseId, opened.SellerEnterpriseId, opened.Etag));
        Assert.Equal(OfferKind.Inquiry, Assert.Single(opened.Offers).Kind);

        var quoted = (await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Etag = "1", Terms = QuoteTerms("3650.00") }, Api.Bearer(seller.Token))).Thread;
        Assert.Equal((ThreadStatus.Quoted, 2, "2"), (quoted.Status, quoted.OpenQuoteVersion, quoted.Etag));
        var totals = quoted.Offers[1].Totals;
        // 100 t × 3650 = 365,000; −20/t = 2,000; freight 45/t = 4,500; total 367,500; deposit 10% = 36,750.
        Assert.Equal(("365000.00", "2000.00", "4500.00", "367500.00", "36750.00"), (totals.GoodsAmount.Amount, totals.DiscountAmount.Amount, totals.ServicesAmount.Amount, totals.TotalAmount.Amount, totals.DepositAmount.Amount));

        var counter = QuoteTerms("3550.00");
        counter.ValidUntil = null;
        var countered = (await _negotiation.CounterOfferAsync(new CounterOfferRequest { ThreadId = threadId, Etag = "2", Terms = counter }, Api.Bearer(buyer.Token))).Thread;
        Assert.Equal((ThreadStatus.Countered, 0, OfferKind.CounterOffer), (countered.Status, countered.OpenQuoteVersion, countered.Offers[2].Kind));

        var stale = await RpcAssert.ThrowsAsync(StatusCode.Aborted, () => _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Etag = "2", Terms = QuoteTerms("3600.00") }, Api.Bearer(seller.Token)).ResponseAsync, "ETAG_MISMATCH");
        Assert.NotNull(stale);
        var revised = (await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Etag = "3", Terms = QuoteTerms("3600.00") }, Api.Bearer(seller.Token))).Thread;
        Assert.Equal((ThreadStatus.Quoted, 4), (revised.Status, revised.OpenQuoteVersion));

        var diff = await _negotiation.DiffVersionsAsync(new DiffVersionsRequest { ThreadId = threadId, FromVersion = 2, ToVersion = 4 }, Api.Bearer(buyer.Token));
        Assert.Contains(diff.Changes, c => c.Field == "unit_price" && c.Before == "¥3,650.00" && c.After == "¥3,600.00");

        await RpcAssert.ThrowsAsync(StatusCode.Aborted, () => _negotiation.AcceptQuoteAsync(new AcceptQuoteRequest { ThreadId = threadId, Version = 2 }, Api.Bearer(buyer.Token)).ResponseAsync, "VERSION_MISMATCH");
        var accepted = (await _negotiation.AcceptQuoteAsync(new AcceptQuoteRequest { ThreadId = threadId, Version = 4 }, Api.Bearer(buyer.Token))).Thread;
        Assert.Equal((ThreadStatus.Accepted, 4), (accepted.Status, accepted.AgreedVersion));
        Assert.Equal("3600.00", accepted.Offers[3].Terms.UnitPrice.Amount);

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Terms = QuoteTerms("3000.00") }, Api.Bearer(seller.Token)).ResponseAsync, "ALREADY_ACCEPTED");
        var seen = (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = threadId }, Api.Bearer(buyer.Token))).Thread;
        Assert.Equal((ThreadStatus.Accepted, 4, 4, Side.Buyer), (seen.Status, seen.AgreedVersion, seen.Offers.Count, seen.CallerSide));
    }

    [Fact]
    public async Task ABuyerCannotInquireOnItsOwnEnterprisesListing()
    {
        var (seller, listingId) = await SellerWithListingAsync();

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _negotiation.CreateInquiryAsync(new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = seller.EnterpriseId, ListingId = listingId, Terms = InquiryTerms() }, Api.Bearer(seller.Token)).ResponseAsync);
    }

    [Fact]
    public async Task BadTermsAreInvalidArgumentsNamingTheField()
    {
        var (buyer, seller, threadId) = await InquiryAsync();
        var cases = new (string Field, Action<Terms> Break)[]
        {
            ("terms.unit_price.amount", t => t.UnitPrice = Cny("-1.00")),
            ("terms.unit_price.amount", t => t.UnitPrice = Cny("0.00")),
            ("terms.quantity_tonnes", t => t.QuantityTonnes = new ProtoDecimal { Value = "0" }),
            ("terms.delivery_date", t => t.DeliveryDate = Date(ChinaToday.AddDays(-1))),
            ("terms.payment.deposit_percent", t => t.Payment.DepositPercent = new ProtoDecimal { Value = "20.01" }),
            ("terms.valid_until", t => t.ValidUntil = null),
            ("terms.attributes. grade", t => t.Attributes[" grade"] = "HRB500E"),
            ("terms.delivery_basis", t => t.DeliveryBasis = (DeliveryBasis)99),
            ("terms.unit_price", t => (t.UnitPrice, t.QuantityTonnes) = (Cny("1000000000000.00"), new ProtoDecimal { Value = "10000000" })),
        };

        foreach (var (field, breakIt) in cases)
        {
            var terms = QuoteTerms("3650.00");
            breakIt(terms);
            var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Terms = terms }, Api.Bearer(seller.Token)).ResponseAsync);
            Assert.True(RpcAssert.Violations(error).Any(v => v.Field == field), $"{field}: got [{string.Join(", ", RpcAssert.Violations(error).Select(v => v.Field))}]");
        }

        var pastInquiry = InquiryTerms();
        pastInquiry.DeliveryDate = Date(ChinaToday.AddDays(-1));
        var (_, listingId) = await SellerWithListingAsync();
        var inquiryError = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _negotiation.CreateInquiryAsync(new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listingId, Terms = pastInquiry }, Api.Bearer(buyer.Token)).ResponseAsync);
        Assert.Equal("terms.delivery_date", Assert.Single(RpcAssert.Violations(inquiryError)).Field);

        var unchanged = (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = threadId }, Api.Bearer(seller.Token))).Thread;
        Assert.Equal((ThreadStatus.AwaitingQuote, 1), (unchanged.Status, unchanged.Offers.Count));
    }

    [Fact]
    public async Task ARetryGetsTheFirstAnswerButARequestIdReusedForOtherContentIsRefused()
    {
        var (seller, listingId) = await SellerWithListingAsync();
        var (_, otherListingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();

        // Inquiry: a retry answers with the same thread; another listing or price under the same id is refused.
        var requestId = Guid.NewGuid().ToString();
        CreateInquiryRequest Inquiry(string listing, string price)
        {
            var terms = InquiryTerms();
            terms.UnitPrice = Cny(price);
            return new CreateInquiryRequest { RequestId = requestId, BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listing, Terms = terms };
        }

        var first = (await _negotiation.CreateInquiryAsync(Inquiry(listingId, "3600.00"), Api.Bearer(buyer.Token))).Thread;
        var retried = (await _negotiation.CreateInquiryAsync(Inquiry(listingId, "3600.00"), Api.Bearer(buyer.Token))).Thread;
        Assert.Equal(first.ThreadId, retried.ThreadId);
        foreach (var reused in new[] { Inquiry(otherListingId, "3600.00"), Inquiry(listingId, "3550.00") })
        {
            var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _negotiation.CreateInquiryAsync(reused, Api.Bearer(buyer.Token)).ResponseAsync, "REQUEST_ID_REUSED");
            Assert.Equal("request_id", Assert.Single(RpcAssert.Violations(error)).Field);
        }

        var unchanged = (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = first.ThreadId }, Api.Bearer(seller.Token))).Thread;
        Assert.Equal((listingId, 1), (unchanged.ListingId, unchanged.Offers.Count));

        // RFQ: the same, on title and listings.
        var rfqRequestId = Guid.NewGuid().ToString();
        CreateRfqRequest Rfq(string title, params string[] listings) =>
            new() { RequestId = rfqRequestId, BuyerEnterpriseId = buyer.EnterpriseId, Title = title, ListingIds = { listings }, Terms = InquiryTerms() };
        var rfq = (await _negotiation.CreateRfqAsync(Rfq("四季度螺纹钢采购", listingId, otherListingId), Api.Bearer(buyer.Token))).Rfq;
        Assert.Equal(rfq.RfqId, (await _negotiation.CreateRfqAsync(Rfq("四季度螺纹钢采购", listingId, otherListingId), Api.Bearer(buyer.Token))).Rfq.RfqId);
        var rfqError = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _negotiation.CreateRfqAsync(Rfq("一季度盘螺采购", listingId, otherListingId), Api.Bearer(buyer.Token)).ResponseAsync, "REQUEST_ID_REUSED");
        Assert.Equal("request_id", Assert.Single(RpcAssert.Violations(rfqError)).Field);
        Assert.Equal("四季度螺纹钢采购", (await _negotiation.GetRfqAsync(new GetRfqRequest { RfqId = rfq.RfqId }, Api.Bearer(buyer.Token))).Rfq.Title);

        // Chat: a retried send answers with the first message; other text under the same client id is refused.
        var clientId = Guid.NewGuid().ToString();
        var sent = (await SendAsync(buyer, first.ThreadId, "请确认到货日期", clientId)).Message;
        Assert.Equal(sent.Sequence, (await SendAsync(buyer, first.ThreadId, "请确认到货日期", clientId)).Message.Sequence);
        var chatError = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => SendAsync(buyer, first.ThreadId, "取消订单", clientId), "CLIENT_MESSAGE_ID_REUSED");
        Assert.Equal("client_message_id", Assert.Single(RpcAssert.Violations(chatError)).Field);
        var history = await _negotiation.ListMessagesAsync(new ListMessagesRequest { ThreadId = first.ThreadId, PageSize = 10 }, Api.Bearer(seller.Token));
        Assert.Equal(["请确认到货日期"], history.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task ConcurrentAcceptAndWithdrawHaveExactlyOneWinnerPerThread()
    {
        const int threads = 8;
        var quoted = await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => QuotedAsync()));

        var outcomes = await Task.WhenAll(quoted.Select(async q =>
        {
            using var start = new SemaphoreSlim(0);
            var accept = Task.Run(async () => { await start.WaitAsync(); return await Outcome(_negotiation.AcceptQuoteAsync(new AcceptQuoteRequest { ThreadId = q.ThreadId, Version = q.Version }, Api.Bearer(q.Buyer.Token)).ResponseAsync); });
            var withdraw = Task.Run(async () => { await start.WaitAsync(); return await Outcome(_negotiation.WithdrawQuoteAsync(new WithdrawQuoteRequest { ThreadId = q.ThreadId, Version = q.Version, Reason = "价格调整" }, Api.Bearer(q.Seller.Token)).ResponseAsync); });
            start.Release(2);
            var (accepted, withdrawn) = (await accept, await withdraw);
            var final = (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = q.ThreadId }, Api.Bearer(q.Buyer.Token))).Thread.Status;
            return (accepted, withdrawn, final);
        }));

        foreach (var (accepted, withdrawn, final) in outcomes)
        {
            Assert.True(accepted is null ^ withdrawn is null, $"accept: {accepted?.ToString() ?? "ok"}, withdraw: {withdrawn?.ToString() ?? "ok"}");
            Assert.Equal(accepted is null ? ThreadStatus.Accepted : ThreadStatus.Withdrawn, final);
            Assert.Equal(StatusCode.FailedPrecondition, (accepted ?? withdrawn)!.Value);
        }

        static async Task<StatusCode?> Outcome<T>(Task<T> call)
        {
            try
            {
                await call;
                return null;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }
    }

    [Fact]
    public async Task ConcurrentSendersGetGaplessSequencesAndPagingReturnsThemAllInOrder()
    {
        var (buyer, seller, threadId) = await InquiryAsync();
        var senders = new[] { buyer, await MemberAsync(buyer, MemberRole.Purchaser), seller, await MemberAsync(seller, MemberRole.Sales) };
        var sent = new ConcurrentBag<Message>();

        await Task.WhenAll(senders.Select((s, i) => Task.Run(async () =>
        {
            for (var n = 0; n < 25; n++)
            {
                sent.Add((await SendAsync(s, threadId, $"sender {i} message {n}")).Message);
            }
        })));

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), sent.Select(m => m.Sequence).Order());

        var pages = new List<Message>();
        long before = 0;
        while (true)
        {
            var page = await _negotiation.ListMessagesAsync(new ListMessagesRequest { ThreadId = threadId, BeforeSequence = before, PageSize = 30 }, Api.Bearer(seller.Token));
            Assert.True(page.Messages.Count <= 30);
            pages.AddRange(page.Messages);
            if (!page.HasMore)
            {
                break;
            }

            before = page.Messages[^1].Sequence;
        }

        Assert.Equal(Enumerable.Range(1, 100).Reverse().Select(i => (long)i), pages.Select(m => m.Sequence));
        foreach (var i in Enumerable.Range(0, 4))
        {
            // each sender's own messages keep their send order
            var own = pages.Where(m => m.Text.StartsWith($"sender {i} ", StringComparison.Ordinal)).Reverse().Select(m => m.Text).ToList();
            Assert.Equal(Enumerable.Range(0, 25).Select(n => $"sender {i} message {n}"), own);
        }

        var clientId = Guid.NewGuid().ToString();
        var first = (await SendAsync(buyer, threadId, "请确认到货日期", clientId)).Message;
        var retried = (await SendAsync(buyer, threadId, "请确认到货日期", clientId)).Message;
        Assert.Equal((101L, 101L, clientId), (first.Sequence, retried.Sequence, retried.ClientMessageId));
        var oldRetry = (await SendAsync(senders[0], threadId, "sender 0 message 0", sent.Single(m => m.Text == "sender 0 message 0").ClientMessageId)).Message;
        Assert.Equal(sent.Single(m => m.Text == "sender 0 message 0").Sequence, oldRetry.Sequence);
        var latest = await _negotiation.ListMessagesAsync(new ListMessagesRequest { ThreadId = threadId, PageSize = 5 }, Api.Bearer(buyer.Token));
        Assert.Equal(101, latest.Messages[0].Sequence);
        Assert.Equal(101, (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = threadId }, Api.Bearer(buyer.Token))).Thread.MessageCount);
    }

    [Fact]
    public async Task WatchThreadDeliversTheCounterpartysMessageAndQuoteLive()
    {
        var (buyer, seller, threadId) = await InquiryAsync();
        await SendAsync(buyer, threadId, "已看过的消息");
        await SendAsync(buyer, threadId, "之前的消息");
        var token = Timeout(30);
        // after_sequence = 1: the client has message 1, so message 2 is filled in before live events.
        using var watch = _negotiation.WatchThread(new WatchThreadRequest { ThreadId = threadId, AfterSequence = 1 }, Api.Bearer(buyer.Token), cancellationToken: token);

        Assert.True(await watch.ResponseStream.MoveNext(token));
        Assert.Equal((ThreadStatus.AwaitingQuote, threadId), (watch.ResponseStream.Current.Thread?.Status, watch.ResponseStream.Current.Thread?.ThreadId));
        Assert.True(await watch.ResponseStream.MoveNext(token));
        Assert.Equal((2L, "之前的消息"), (watch.ResponseStream.Current.Message?.Sequence, watch.ResponseStream.Current.Message?.Text));

        await SendAsync(seller, threadId, "可以，马上报价");
        await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Terms = QuoteTerms("3650.00") }, Api.Bearer(seller.Token));

        Message? message = null;
        Protos.Negotiation.V1.Thread? quoted = null;
        while ((message is null || quoted is null) && await watch.ResponseStream.MoveNext(token))
        {
            var e = watch.ResponseStream.Current;
            if (e.Message is { } m)
            {
                message = m;
            }
            else if (e.Thread is { Status: ThreadStatus.Quoted } t)
            {
                quoted = t;
            }
        }

        Assert.Equal((3L, "可以，马上报价", Side.Seller, seller.UserId), (message?.Sequence, message?.Text, message?.SenderSide, message?.SenderUserId));
        Assert.Equal((2, Side.Buyer), (quoted?.OpenQuoteVersion, quoted?.CallerSide));
    }

    [Fact]
    public async Task SellerInboxAnnouncesTheInquiryAndMarkingItReadClearsTheUnreadCount()
    {
        var (seller, listingId) = await SellerWithListingAsync();
        var sales = await MemberAsync(seller, MemberRole.Sales);
        var finance = await MemberAsync(seller, MemberRole.Finance);
        var buyer = await BuyerAsync();
        var threadId = (await _negotiation.CreateInquiryAsync(new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listingId, Terms = InquiryTerms() }, Api.Bearer(buyer.Token))).Thread.ThreadId;

        var list = await Api.EventuallyAsync(() => NotificationsAsync(seller, unreadOnly: true), l => l.Any(n => n.SubjectId == threadId));
        var inquiry = Assert.Single(list, n => n.SubjectId == threadId);
        Assert.Equal((NotificationKind.NewInquiry, false), (inquiry.Kind, inquiry.Read));
        Assert.DoesNotContain(await NotificationsAsync(buyer), n => n.SubjectId == threadId); // the author is not notified
        var unread = (await _inbox.ListNotificationsAsync(new ListNotificationsRequest { UnreadOnly = true }, Api.Bearer(seller.Token))).UnreadCount;
        Assert.True(unread >= 1);

        var marked = await _inbox.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { NotificationIds = { inquiry.NotificationId } }, Api.Bearer(seller.Token));
        Assert.Equal(unread - 1, marked.UnreadCount);
        Assert.DoesNotContain(await NotificationsAsync(seller, unreadOnly: true), n => n.SubjectId == threadId);
        Assert.True(Assert.Single(await NotificationsAsync(seller), n => n.SubjectId == threadId).Read);

        // Another seller member keeps an own unread notice: marks are per user.
        var salesNotice = await Api.EventuallyAsync(() => NotificationsAsync(sales, unreadOnly: true), l => l.Any(n => n.SubjectId == threadId));
        Assert.Contains(salesNotice, n => n.SubjectId == threadId && n.Kind == NotificationKind.NewInquiry);
        Assert.DoesNotContain(await NotificationsAsync(finance), n => n.SubjectId == threadId); // not a participant

        await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = threadId, Terms = QuoteTerms("3650.00") }, Api.Bearer(seller.Token));
        var buyerList = await Api.EventuallyAsync(() => NotificationsAsync(buyer, unreadOnly: true), l => l.Any(n => n.SubjectId == threadId));
        Assert.Equal(NotificationKind.NewQuote, Assert.Single(buyerList, n => n.SubjectId == threadId).Kind);
        Assert.Equal(0, (await _inbox.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { All = true }, Api.Bearer(buyer.Token))).UnreadCount);
    }

    [Fact]
    public async Task AwardingAnRfqClosesTheOtherSellersThreadAndNotifiesThatSeller()
    {
        var (winner, winnerListing) = await SellerWithListingAsync();
        var (loser, loserListing) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var rfq = (await _negotiation.CreateRfqAsync(new CreateRfqRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, Title = "四季度螺纹钢采购", ListingIds = { winnerListing, loserListing }, Terms = InquiryTerms() }, Api.Bearer(buyer.Token))).Rfq;
        Assert.Equal(2, rfq.Rows.Count);
        var winnerThread = rfq.Rows.Single(r => r.SellerEnterpriseId == winner.EnterpriseId).ThreadId;
        var loserThread = rfq.Rows.Single(r => r.SellerEnterpriseId == loser.EnterpriseId).ThreadId;

        var winning = (await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = winnerThread, Terms = QuoteTerms("3600.00") }, Api.Bearer(winner.Token))).Thread;
        await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = loserThread, Terms = QuoteTerms("3700.00") }, Api.Bearer(loser.Token));

        var awarded = (await _negotiation.AwardRfqAsync(new AwardRfqRequest { RfqId = rfq.RfqId, ThreadId = winnerThread, Version = winning.OpenQuoteVersion }, Api.Bearer(buyer.Token))).Rfq;
        Assert.Equal(winnerThread, awarded.AwardedThreadId);

        Assert.Equal(ThreadStatus.Accepted, (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = winnerThread }, Api.Bearer(winner.Token))).Thread.Status);
        var closed = await Api.EventuallyAsync(
            async () => (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = loserThread }, Api.Bearer(loser.Token))).Thread,
            t => t.Status == ThreadStatus.Closed);
        Assert.Equal(ThreadStatus.Closed, closed.Status);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = loserThread, Terms = QuoteTerms("3500.00") }, Api.Bearer(loser.Token)).ResponseAsync, "THREAD_CLOSED");

        var notices = await Api.EventuallyAsync(() => NotificationsAsync(loser), l => l.Any(n => n.SubjectId == loserThread && n.Kind == NotificationKind.RfqAwarded));
        Assert.Contains(notices, n => n.SubjectId == loserThread && n.Kind == NotificationKind.RfqAwarded);
    }

    [Fact]
    public async Task AChatFileIsReadableByTheCounterpartyButNotByAnOutsider()
    {
        var (buyer, seller, threadId) = await InquiryAsync();
        var file = await _api.UploadAsync(buyer.Token, Api.Png(), "质保书.png");
        var outsider = await BuyerAsync();
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => _api.Files.GetFileAsync(new GetFileRequest { FileId = file.FileId }, Api.Bearer(seller.Token)).ResponseAsync);

        var sent = (await SendAsync(buyer, threadId, "", attachment: file.FileId)).Message;
        Assert.Equal(file.FileId, sent.Attachment.FileId);

        var seen = await _api.Files.GetFileAsync(new GetFileRequest { FileId = file.FileId }, Api.Bearer(seller.Token));
        Assert.Equal(file.FileId, seen.File.FileId);
        using (var download = _api.Files.DownloadFile(new DownloadFileRequest { FileId = file.FileId }, Api.Bearer(seller.Token)))
        {
            Assert.True(await download.ResponseStream.MoveNext(Timeout()));
        }

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => _api.Files.GetFileAsync(new GetFileRequest { FileId = file.FileId }, Api.Bearer(outsider.Token)).ResponseAsync);
        var stranger = await _api.UploadAsync(outsider.Token, Api.Png(), "别人的文件.png");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => SendAsync(buyer, threadId, "", attachment: stranger.FileId));
    }

    [Fact]
    public async Task OutsidersAndFinanceOnlyMembersCannotSeeAThread()
    {
        var (buyer, seller, threadId) = await InquiryAsync();
        await SendAsync(buyer, threadId, "内部价格，请保密");
        var outsider = await BuyerAsync();
        var finance = await MemberAsync(buyer, MemberRole.Finance);
        var sellerFinance = await MemberAsync(seller, MemberRole.Finance);

        foreach (var who in new[] { outsider, finance, sellerFinance })
        {
            var h = Api.Bearer(who.Token);
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = threadId }, h).ResponseAsync);
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => _negotiation.ListMessagesAsync(new ListMessagesRequest { ThreadId = threadId }, h).ResponseAsync);
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => SendAsync(who, threadId, "看看"));
            await RpcAssert.ThrowsAsync(StatusCode.NotFound, async () =>
            {
                using var watch = _negotiation.WatchThread(new WatchThreadRequest { ThreadId = threadId }, h);
                await watch.ResponseStream.MoveNext(Timeout());
            });
        }

        var purchaser = await MemberAsync(buyer, MemberRole.Purchaser);
        var visible = (await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = threadId }, Api.Bearer(purchaser.Token))).Thread;
        Assert.Equal(Side.Buyer, visible.CallerSide);
        var messages = await _negotiation.ListMessagesAsync(new ListMessagesRequest { ThreadId = threadId }, Api.Bearer(seller.Token));
        Assert.Equal(["内部价格，请保密"], messages.Messages.Select(m => m.Text));
    }
}
