using System.Globalization;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Negotiation.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using NegotiationThread = B2BTrade.Protos.Negotiation.V1.Thread;

namespace B2BTrade.Client.Tests;

public sealed class NegotiationTermsTests
{
    internal static NegotiationTerms Quote => new()
    {
        ProductName = "螺纹钢 HRB400E Φ25",
        Attributes = new Dictionary<string, string> { ["grade"] = "HRB400E", ["diameter"] = "Φ25" },
        QuantityTonnes = 300.5m,
        UnitPrice = 3650m,
        TaxIncluded = true,
        DeliveryBasis = DeliveryBasis.Delivered,
        Services = [new ServiceFee(ServiceKind.Freight, 45.5m, ChargeUnit.PerTonne), new ServiceFee(ServiceKind.Loading, 800m, ChargeUnit.LumpSum)],
        VolumeDiscounts = [new VolumeDiscountTier(200m, 20m), new VolumeDiscountTier(500m, 35.5m)],
        DeliveryDate = new DateOnly(2026, 11, 30),
        DeliveryPlace = "上海市宝山区 XX 库",
        TransportMode = TransportMode.Road,
        QualityStandard = "GB/T 1499.2-2018",
        Payment = new PaymentPlan(12.5m, BalanceTiming.AfterDelivery, 30),
        ValidUntil = new DateTimeOffset(2026, 11, 1, 18, 0, 0, TimeSpan.FromHours(8)),
        Notes = "含税到货价",
    };

    [Fact]
    public void TermsBecomeDecimalTextWithThePlatformsPlacesAndDatesWithoutTimeZones()
    {
        var terms = Quote.ToProto();

        Assert.Equal(("300.500", "CNY", "3650.00"), (terms.QuantityTonnes.Value, terms.UnitPrice.CurrencyCode, terms.UnitPrice.Amount));
        Assert.Equal([("45.50", ChargeUnit.PerTonne), ("800.00", ChargeUnit.LumpSum)], terms.Services.Select(s => (s.Amount.Amount, s.Unit)));
        Assert.Equal([("200.000", "20.00"), ("500.000", "35.50")], terms.VolumeDiscounts.Select(d => (d.MinQuantityTonnes.Value, d.DiscountPerTonne.Amount)));
        Assert.Equal((2026, 11, 30), (terms.DeliveryDate.Year, terms.DeliveryDate.Month, terms.DeliveryDate.Day));
        Assert.Equal(("12.5", BalanceTiming.AfterDelivery, 30), (terms.Payment.DepositPercent.Value, terms.Payment.BalanceTiming, terms.Payment.BalanceDays));
        Assert.Equal(new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc), terms.ValidUntil.ToDateTime());
        Assert.Equal("HRB400E", terms.Attributes["grade"]);
        Assert.Equal((DeliveryBasis.Delivered, TransportMode.Road, true), (terms.DeliveryBasis, terms.TransportMode, terms.TaxIncluded));
    }

    [Fact]
    public void AnInquiryWithoutTargetPriceDateOrValiditySendsNoneOfThem()
    {
        var terms = new NegotiationTerms { ProductName = "螺纹钢", QuantityTonnes = 100m, Payment = new PaymentPlan(0m, BalanceTiming.BeforeDelivery) }.ToProto();

        Assert.Null(terms.UnitPrice);
        Assert.Null(terms.DeliveryDate);
        Assert.Null(terms.ValidUntil);
        Assert.Equal("0", terms.Payment.DepositPercent.Value);
    }

    [Fact]
    public void TermsIgnoreTheCurrentCulture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var terms = Quote.ToProto();
            Assert.Equal(("300.500", "3650.00", "12.5"), (terms.QuantityTonnes.Value, terms.UnitPrice.Amount, terms.Payment.DepositPercent.Value));
            Assert.Equal(300.5m, NegotiationTerms.FromProto(terms).QuantityTonnes);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void MorePlacesThanThePlatformHoldsAreRefusedNotRounded()
    {
        Assert.Throws<ArgumentException>(() => (Quote with { QuantityTonnes = 300.0005m }).ToProto());
        Assert.Throws<ArgumentException>(() => (Quote with { UnitPrice = 3650.001m }).ToProto());
        Assert.Throws<ArgumentException>(() => (Quote with { Services = [new ServiceFee(ServiceKind.Freight, 45.555m, ChargeUnit.PerTonne)] }).ToProto());
        Assert.Throws<ArgumentException>(() => (Quote with { VolumeDiscounts = [new VolumeDiscountTier(200.0001m, 20m)] }).ToProto());
    }

    [Fact]
    public void TermsReadFromAnOfferComeBackEqualAndOneFieldChangesWithWith()
    {
        var sent = Quote.ToProto();
        var read = NegotiationTerms.FromProto(sent);

        Assert.Equal(sent, read.ToProto());
        Assert.Equal((300.5m, 3650m, new DateOnly(2026, 11, 30)), (read.QuantityTonnes, read.UnitPrice, read.DeliveryDate));
        Assert.Equal(new PaymentPlan(12.5m, BalanceTiming.AfterDelivery, 30), read.Payment);
        Assert.Equal(Quote.Services, read.Services);
        Assert.Equal(Quote.ValidUntil, read.ValidUntil);

        var counter = (read with { UnitPrice = 3600m, ValidUntil = null }).ToProto();
        Assert.Equal("3600.00", counter.UnitPrice.Amount);
        Assert.Null(counter.ValidUntil);
        Assert.Equal(sent.Services, counter.Services);
    }

    [Fact]
    public void TotalsReadAsDecimalsAndOtherCurrenciesAreRefused()
    {
        var totals = new Totals
        {
            GoodsAmount = CatalogValues.Cny(1095000m),
            DiscountAmount = CatalogValues.Cny(6000m),
            ServicesAmount = CatalogValues.Cny(13500m),
            TotalAmount = CatalogValues.Cny(1102500m),
            EffectiveUnitPrice = CatalogValues.Cny(3675m),
            DepositAmount = CatalogValues.Cny(110250m),
        };

        Assert.Equal(new NegotiationTotals(1095000m, 6000m, 13500m, 1102500m, 3675m, 110250m), NegotiationTotals.FromProto(totals));
        Assert.Equal(0m, NegotiationTotals.FromProto(new Totals { TotalAmount = CatalogValues.Cny(1m) }).DiscountAmount);
        Assert.Throws<FormatException>(() => NegotiationTotals.FromProto(new Totals { TotalAmount = new() { CurrencyCode = "USD", Amount = "1.00" } }));
    }
}

/// <summary>Unary negotiation calls against the fake server: ids kept across retries, what is not retried, paging, errors.</summary>
public sealed class NegotiationTests
{
    internal const string Service = "/b2btrade.negotiation.v1.NegotiationService/";
    private const string Files = "/b2btrade.files.v1.FileService/";

    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    private static NegotiationThread Thread(string id, ThreadStatus status = ThreadStatus.AwaitingQuote) => new() { ThreadId = id, Status = status, Etag = "1" };

    [Fact]
    public async Task CreateInquiryRetriedAfterUnavailableSendsOneRequestIdSoTheServerOpensOneThread()
    {
        var attempts = 0;
        using var server = new FakeGrpcServer(_ => Task.FromResult(++attempts < 3
            ? FakeReply.Error(StatusCode.Unavailable, "silo restarting")
            : FakeReply.Ok(new CreateInquiryResponse { Thread = Thread("thr_1") })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var thread = await client.Negotiations.CreateInquiryAsync("ent_buyer", "lst_1", NegotiationTermsTests.Quote.ToProto());

        Assert.Equal("thr_1", thread.ThreadId);
        var sent = server.CallsTo(Service + "CreateInquiry").Select(c => c.Parse(CreateInquiryRequest.Parser)).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Single(sent.Select(r => r.RequestId).Distinct());
        Assert.True(Guid.TryParse(sent[0].RequestId, out _));
        Assert.Equal(("ent_buyer", "lst_1", "300.500"), (sent[0].BuyerEnterpriseId, sent[0].ListingId, sent[0].Terms.QuantityTonnes.Value));
        Assert.All(server.Calls, c => Assert.Equal("Bearer a1", c.Authorization));
        Assert.All(server.Calls, c => Assert.NotNull(c.Timeout));
    }

    [Fact]
    public async Task TheCallersOwnRequestIdsAndAttachmentsAreSentAsGiven()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(call.Method switch
        {
            Service + "CreateInquiry" => FakeReply.Ok(new CreateInquiryResponse { Thread = Thread("thr_1") }),
            Service + "CreateRfq" => FakeReply.Ok(new CreateRfqResponse { Rfq = new Rfq { RfqId = "rfq_1" } }),
            _ => FakeReply.Error(StatusCode.Unimplemented),
        }));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await client.Negotiations.CreateInquiryAsync("ent_buyer", "lst_1", NegotiationTermsTests.Quote.ToProto(), ["f_drawing"], requestId: "erp-po-4711");
        var rfq = await client.Negotiations.CreateRfqAsync("ent_buyer", "11月螺纹钢采购", ["lst_1", "lst_2"], NegotiationTermsTests.Quote.ToProto(), requestId: "erp-rfq-0815");

        var inquiry = server.CallsTo(Service + "CreateInquiry").Single().Parse(CreateInquiryRequest.Parser);
        Assert.Equal(("erp-po-4711", "f_drawing"), (inquiry.RequestId, inquiry.AttachmentFileIds.Single()));
        var sentRfq = server.CallsTo(Service + "CreateRfq").Single().Parse(CreateRfqRequest.Parser);
        Assert.Equal(("erp-rfq-0815", "11月螺纹钢采购", "rfq_1"), (sentRfq.RequestId, sentRfq.Title, rfq.RfqId));
        Assert.Equal(["lst_1", "lst_2"], sentRfq.ListingIds);
    }

    [Fact]
    public async Task SendMessageRetriedAfterDeadlineExceededKeepsOneClientMessageIdSoOneMessageIsStored()
    {
        var stored = new Dictionary<string, Message>();
        var attempts = 0;
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(SendMessageRequest.Parser);
            if (!stored.TryGetValue(request.ClientMessageId, out var message))
            {
                message = new Message { ThreadId = request.ThreadId, Sequence = stored.Count + 1, Text = request.Text, ClientMessageId = request.ClientMessageId };
                stored.Add(request.ClientMessageId, message);
            }

            // The first two answers are lost after the server stored the message.
            return Task.FromResult(++attempts < 3 ? FakeReply.Error(StatusCode.DeadlineExceeded) : FakeReply.Ok(new SendMessageResponse { Message = message }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var sent = await client.Negotiations.SendMessageAsync("thr_1", "请确认 11 月 30 日前到货");

        Assert.Equal((1L, "请确认 11 月 30 日前到货"), (sent.Sequence, sent.Text));
        Assert.Single(stored);
        var ids = server.Calls.Select(c => c.Parse(SendMessageRequest.Parser).ClientMessageId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Single(ids.Distinct());
        Assert.True(Guid.TryParse(ids[0], out _));
    }

    [Fact]
    public async Task SendFileUploadsOnceAndRetriesOnlyTheMessageWithItsAttachmentAndOneId()
    {
        var content = "%PDF-1.7 drawing"u8.ToArray();
        var messageAttempts = 0;
        using var server = new FakeGrpcServer(call => Task.FromResult(call.Method switch
        {
            Files + "StartUpload" => FakeReply.Ok(new StartUploadResponse { UploadId = "up_1", MaxChunkBytes = 1024 }),
            Files + "UploadChunk" => FakeReply.Ok(new UploadChunkResponse { ReceivedBytes = content.Length }),
            Files + "CompleteUpload" => FakeReply.Ok(new CompleteUploadResponse { File = new FileMetadata { FileId = "f_1", DisplayName = "图纸.pdf" } }),
            Service + "SendMessage" when ++messageAttempts == 1 => FakeReply.Error(StatusCode.Unavailable),
            Service + "SendMessage" => FakeReply.Ok(new SendMessageResponse
            {
                Message = new Message { Sequence = 7, Text = call.Parse(SendMessageRequest.Parser).Text, Attachment = new MessageAttachment { FileId = "f_1", Name = "图纸.pdf" } },
            }),
            _ => FakeReply.Error(StatusCode.Unimplemented),
        }));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var message = await client.Negotiations.SendFileAsync("thr_1", content, "图纸.pdf", text: "附图纸", enterpriseId: "ent_buyer");

        Assert.Equal((7L, "f_1", "附图纸"), (message.Sequence, message.Attachment.FileId, message.Text));
        Assert.Equal("ent_buyer", server.CallsTo(Files + "StartUpload").Single().Parse(StartUploadRequest.Parser).EnterpriseId);
        Assert.Single(server.CallsTo(Files + "CompleteUpload"));
        var sends = server.CallsTo(Service + "SendMessage").Select(c => c.Parse(SendMessageRequest.Parser)).ToList();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, s => Assert.Equal(("thr_1", "f_1"), (s.ThreadId, s.AttachmentFileId)));
        Assert.Single(sends.Select(s => s.ClientMessageId).Distinct());
    }

    [Fact]
    public async Task OffersAcceptanceDeclinesWithdrawalsAndAwardsAreNotRepeatedAfterUnavailable()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unavailable)));
        using var client = TestSupport.CreateClient(server, tokens: Session);
        var terms = NegotiationTermsTests.Quote.ToProto();

        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Negotiations.SubmitQuoteAsync("thr_1", terms, etag: "3"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Negotiations.CounterOfferAsync("thr_1", terms, etag: "4"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Negotiations.AcceptQuoteAsync("thr_1", 4));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Negotiations.DeclineAsync("thr_1", "价格过高"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Negotiations.WithdrawQuoteAsync("thr_1", 4, "库存不足"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Negotiations.AwardRfqAsync("rfq_1", "thr_1", 4));

        Assert.Equal(
            ["SubmitQuote", "CounterOffer", "AcceptQuote", "DeclineThread", "WithdrawQuote", "AwardRfq"],
            server.Calls.Select(c => c.Method[Service.Length..]));
        Assert.Equal("3", server.CallsTo(Service + "SubmitQuote").Single().Parse(SubmitQuoteRequest.Parser).Etag);
        var counter = server.CallsTo(Service + "CounterOffer").Single().Parse(CounterOfferRequest.Parser);
        Assert.Equal(("4", "3650.00"), (counter.Etag, counter.Terms.UnitPrice.Amount));
        Assert.Equal(4, server.CallsTo(Service + "AcceptQuote").Single().Parse(AcceptQuoteRequest.Parser).Version);
        Assert.Equal("价格过高", server.CallsTo(Service + "DeclineThread").Single().Parse(DeclineThreadRequest.Parser).Reason);
    }

    [Fact]
    public async Task ReadsPreviewsDiffsAndReadMarksAreRetried()
    {
        var failed = new HashSet<string>();
        using var server = new FakeGrpcServer(call => Task.FromResult(failed.Add(call.Method)
            ? FakeReply.Error(StatusCode.Unavailable)
            : call.Method[Service.Length..] switch
            {
                "GetThread" => FakeReply.Ok(new GetThreadResponse { Thread = Thread("thr_1", ThreadStatus.Quoted) }),
                "GetRfq" => FakeReply.Ok(new GetRfqResponse { Rfq = new Rfq { RfqId = "rfq_1" } }),
                "PreviewTerms" => FakeReply.Ok(new PreviewTermsResponse { Totals = new Totals { TotalAmount = CatalogValues.Cny(1102500m) } }),
                "DiffVersions" => FakeReply.Ok(new DiffVersionsResponse { Changes = { new FieldChange { Field = "unit_price", Before = "3650.00", After = "3600.00" } } }),
                "MarkThreadRead" => FakeReply.Ok(new MarkThreadReadResponse { UnreadCount = 2 }),
                _ => FakeReply.Error(StatusCode.Unimplemented),
            }));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        Assert.Equal(ThreadStatus.Quoted, (await client.Negotiations.GetThreadAsync("thr_1")).Status);
        Assert.Equal("rfq_1", (await client.Negotiations.GetRfqAsync("rfq_1")).RfqId);
        Assert.Equal(1102500m, NegotiationTotals.FromProto(await client.Negotiations.PreviewTermsAsync(NegotiationTermsTests.Quote.ToProto(), forQuote: true)).TotalAmount);
        Assert.Equal("unit_price", Assert.Single(await client.Negotiations.DiffVersionsAsync("thr_1", 2, 4)).Field);
        Assert.Equal(2, await client.Negotiations.MarkReadAsync("thr_1", 5));

        Assert.Equal(10, server.Calls.Count);
        Assert.True(server.CallsTo(Service + "PreviewTerms").All(c => c.Parse(PreviewTermsRequest.Parser).ForQuote));
        Assert.Equal([5L, 5L], server.CallsTo(Service + "MarkThreadRead").Select(c => c.Parse(MarkThreadReadRequest.Parser).UpToSequence));
    }

    [Fact]
    public async Task ListThreadsFollowsPageTokensWithTheSameFilters()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(ListThreadsRequest.Parser);
            Assert.Equal(("ent_seller", Side.Seller, "rfq_1", 2), (request.EnterpriseId, request.Side, request.RfqId, request.PageSize));
            Assert.Equal([ThreadStatus.AwaitingQuote, ThreadStatus.Countered], request.Statuses);
            return Task.FromResult(FakeReply.Ok(request.PageToken switch
            {
                "" => new ListThreadsResponse { Threads = { new ThreadSummary { ThreadId = "thr_3" }, new ThreadSummary { ThreadId = "thr_2" } }, NextPageToken = "p2" },
                "p2" => new ListThreadsResponse { Threads = { new ThreadSummary { ThreadId = "thr_1" } } },
                _ => throw new InvalidOperationException(request.PageToken),
            }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var ids = new List<string>();
        await foreach (var thread in client.Negotiations.ListThreadsAsync("ent_seller", Side.Seller, [ThreadStatus.AwaitingQuote, ThreadStatus.Countered], "rfq_1", pageSize: 2))
        {
            ids.Add(thread.ThreadId);
        }

        Assert.Equal(["thr_3", "thr_2", "thr_1"], ids);
    }

    [Fact]
    public async Task ListMessagesPagesBackThroughHistoryBeforeTheOldestMessageOfEachPage()
    {
        var history = Enumerable.Range(1, 5).Select(i => new Message { ThreadId = "thr_1", Sequence = i, Text = "m" + i }).ToList();
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(ListMessagesRequest.Parser);
            var older = history.Where(m => request.BeforeSequence == 0 || m.Sequence < request.BeforeSequence).OrderByDescending(m => m.Sequence).ToList();
            return Task.FromResult(FakeReply.Ok(new ListMessagesResponse { Messages = { older.Take(request.PageSize) }, HasMore = older.Count > request.PageSize }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var all = new List<long>();
        await foreach (var message in client.Negotiations.ListMessagesAsync("thr_1", pageSize: 2))
        {
            all.Add(message.Sequence);
        }

        var older = new List<long>();
        await foreach (var message in client.Negotiations.ListMessagesAsync("thr_1", beforeSequence: 4, pageSize: 2))
        {
            older.Add(message.Sequence);
        }

        Assert.Equal([5L, 4L, 3L, 2L, 1L], all);
        Assert.Equal([3L, 2L, 1L], older);
        Assert.Equal([0L, 4L, 2L, 4L, 2L], server.Calls.Select(c => c.Parse(ListMessagesRequest.Parser).BeforeSequence));
    }

    [Fact]
    public async Task BadTermsFailWithTheFieldPathOfEveryViolation()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "Invalid terms.",
            Details =
            {
                Any.Pack(new ErrorInfo { Reason = "INVALID_TERMS", Domain = "b2btrade" }),
                Any.Pack(new BadRequest
                {
                    FieldViolations =
                    {
                        new BadRequest.Types.FieldViolation { Field = "terms.quantity_tonnes", Description = "数量必须大于零", Reason = "MUST_BE_POSITIVE" },
                        new BadRequest.Types.FieldViolation { Field = "terms.unit_price.amount", Description = "单价至少 0.01", Reason = "TOO_SMALL" },
                    },
                }),
            },
        };
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(status)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var error = await Assert.ThrowsAsync<B2BTradeValidationException>(() => client.Negotiations.SubmitQuoteAsync("thr_1", (NegotiationTermsTests.Quote with { QuantityTonnes = 0m, UnitPrice = -1m }).ToProto()));

        Assert.Equal(["terms.quantity_tonnes", "terms.unit_price.amount"], error.FieldViolations.Select(v => v.Field));
        Assert.Equal("INVALID_TERMS", error.Reason);
        Assert.Single(server.Calls);
    }
}

/// <summary>The live thread stream: resuming after the last message seen, token expiry, errors.</summary>
public sealed class NegotiationWatchTests
{
    private const string Watch = NegotiationTests.Service + "WatchThread";

    private static Task<FakeReply> Forever => new TaskCompletionSource<FakeReply>().Task;

    private static WatchThreadResponse ThreadEvent(long messageCount) => new() { Thread = new NegotiationThread { ThreadId = "thr_1", Status = ThreadStatus.Quoted, MessageCount = messageCount } };

    private static WatchThreadResponse MessageEvent(long sequence) => new() { Message = new Message { ThreadId = "thr_1", Sequence = sequence, Text = "m" + sequence } };

    private static string Describe(WatchThreadResponse e) => e.EventCase switch
    {
        WatchThreadResponse.EventOneofCase.Thread => "thread",
        WatchThreadResponse.EventOneofCase.Message => "m" + e.Message.Sequence,
        WatchThreadResponse.EventOneofCase.ReadReceipt => $"read {e.ReadReceipt.Side} {e.ReadReceipt.Sequence}",
        _ => "?",
    };

    private static List<long> AfterSequences(FakeGrpcServer server) => [.. server.CallsTo(Watch).Select(c => c.Parse(WatchThreadRequest.Parser).AfterSequence)];

    private static async Task<List<string>> TakeAsync(IAsyncEnumerable<WatchThreadResponse> stream, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var taken = new List<string>();
        await foreach (var e in stream.WithCancellation(timeout.Token))
        {
            taken.Add(Describe(e));
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    [Fact]
    public async Task AStreamLostToUnavailableReopensAfterTheLastMessageSeenAndNeverRepeatsOne()
    {
        var watches = 0;
        using var server = new FakeGrpcServer(_ => ++watches switch
        {
            1 => Task.FromResult(new FakeReply([ThreadEvent(2), MessageEvent(3), MessageEvent(4)], StatusCode.Unavailable, "node restarting", null)),
            2 => Task.FromResult(FakeReply.Ok(ThreadEvent(5), MessageEvent(4), MessageEvent(5), new WatchThreadResponse { ReadReceipt = new ReadReceipt { Side = Side.Seller, Sequence = 5 } })),
            3 => Task.FromResult(FakeReply.Ok(ThreadEvent(5))),
            _ => Forever,
        });
        using var client = TestSupport.CreateClient(server, maxRetries: 0, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var seen = await TakeAsync(client.Negotiations.WatchThreadAsync("thr_1", afterSequence: 2), 7);

        Assert.Equal(["thread", "m3", "m4", "thread", "m5", "read Seller 5", "thread"], seen);
        Assert.Equal([2L, 4L, 5L], AfterSequences(server)); // the server ending the second stream cleanly is reopened too
        Assert.All(server.CallsTo(Watch), c => Assert.Null(c.Timeout));
        Assert.All(server.CallsTo(Watch), c => Assert.Equal("thr_1", c.Parse(WatchThreadRequest.Parser).ThreadId));
    }

    [Fact]
    public async Task AWatchFromNowOnResumesAfterTheMessageCountItStartedWith()
    {
        var watches = 0;
        using var server = new FakeGrpcServer(_ => ++watches switch
        {
            1 => Task.FromResult(FakeReply.Ok(ThreadEvent(7))), // opened on a thread with 7 messages, then ended before any new one
            2 => Task.FromResult(new FakeReply([ThreadEvent(8), MessageEvent(8)], StatusCode.Unavailable, string.Empty, null)),
            3 => Task.FromResult(FakeReply.Ok(ThreadEvent(8))),
            _ => Forever,
        });
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var seen = await TakeAsync(client.Negotiations.WatchThreadAsync("thr_1"), 4);

        Assert.Equal(["thread", "thread", "m8", "thread"], seen);
        Assert.Equal([0L, 7L, 8L], AfterSequences(server));
    }

    [Fact]
    public async Task AnExpiredAccessTokenIsRefreshedAndTheThreadReopensWhereItLeftOff()
    {
        var watches = 0;
        var expired = new Google.Rpc.Status { Code = (int)Code.Unauthenticated, Message = "expired", Details = { Any.Pack(new ErrorInfo { Reason = "ACCESS_TOKEN_EXPIRED", Domain = "b2btrade" }) } };
        using var server = new FakeGrpcServer(call => call.Method switch
        {
            TestSupport.RefreshToken => Task.FromResult(FakeReply.Ok(new RefreshTokenResponse { Tokens = TestSupport.Pair("a2", "r2", TimeSpan.FromMinutes(15)) })),
            Watch => ++watches switch
            {
                1 => Task.FromResult(new FakeReply([ThreadEvent(0), MessageEvent(1)], StatusCode.Unauthenticated, "expired", expired)),
                2 => Task.FromResult(new FakeReply([ThreadEvent(2), MessageEvent(2)], StatusCode.OK, string.Empty, null)),
                _ => Forever,
            },
            _ => Task.FromResult(FakeReply.Error(StatusCode.Unimplemented)),
        });
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var seen = await TakeAsync(client.Negotiations.WatchThreadAsync("thr_1"), 4);

        Assert.Equal(["thread", "m1", "thread", "m2"], seen);
        Assert.Equal(["Bearer a1", "Bearer a2"], server.CallsTo(Watch).Take(2).Select(c => c.Authorization));
        Assert.Equal([0L, 1L], AfterSequences(server).Take(2));
        Assert.Single(server.CallsTo(TestSupport.RefreshToken));
        Assert.Equal("r2", client.Tokens!.RefreshToken);
    }

    [Fact]
    public async Task AThreadTheCallerMayNotSeeEndsTheWatchWithNotFoundAtOnce()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.NotFound, "no such thread")));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        await Assert.ThrowsAsync<B2BTradeNotFoundException>(() => TakeAsync(client.Negotiations.WatchThreadAsync("thr_other"), 1));

        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task CancellingEndsTheThreadWatchWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(ThreadEvent(0))));
        using var client = TestSupport.CreateClient(server, tokens: TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10)));

        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in client.Negotiations.WatchThreadAsync("thr_1", cancellationToken: cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });

        Assert.Equal(1, seen);
    }
}
