using System.Collections.Concurrent;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Order.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

/// <summary>The order form types: what goes on the wire and what is refused before sending.</summary>
public sealed class OrderFormTests
{
    internal static OrderForm Form => new()
    {
        DeliveryDate = new DateOnly(2026, 11, 30),
        DeliveryAddress = new DeliveryAddress { Province = "江苏省", City = "苏州市", District = "张家港市", Street = "沙洲西路 1 号", ContactName = "王五", ContactPhone = "13800138000" },
        TransportMode = TransportMode.Road,
        FreightBearer = FreightBearer.Buyer,
        Invoice = new InvoiceDetails { Title = "上海示例钢铁贸易有限公司", TaxNumber = "91350100M000100Y43", BankName = "中国工商银行上海分行", BankAccount = "1001234509876543210", Address = "上海市浦东新区世纪大道100号", Phone = "021-12345678" },
        Remarks = "请提前一天电话联系",
    };

    [Fact]
    public void TheFormBecomesOrderDetailsWithADateWithoutTimeZoneAndReadsBackEqual()
    {
        var details = Form.ToProto();

        Assert.Equal((2026, 11, 30), (details.DeliveryDate.Year, details.DeliveryDate.Month, details.DeliveryDate.Day));
        Assert.Equal(("江苏省", "张家港市", "13800138000"), (details.DeliveryAddress.Province, details.DeliveryAddress.District, details.DeliveryAddress.ContactPhone));
        Assert.Equal((TransportMode.Road, FreightBearer.Buyer, "91350100M000100Y43"), (details.TransportMode, details.FreightBearer, details.Invoice.TaxNumber));
        Assert.Equal(details, OrderForm.FromProto(details).ToProto());
        Assert.NotSame(Form.DeliveryAddress, details.DeliveryAddress); // a later change of the form's address never alters a request built earlier
    }

    [Fact]
    public void AnOrderFromANegotiationLeavesDateModeAndBearerToTheAgreedTerms()
    {
        var details = new OrderForm { DeliveryAddress = Form.DeliveryAddress, Invoice = Form.Invoice }.ToProto();
        var source = OrderSources.FromNegotiation("thr_1");

        Assert.Null(details.DeliveryDate);
        Assert.Equal((TransportMode.Unspecified, FreightBearer.Unspecified, ""), (details.TransportMode, details.FreightBearer, details.Remarks));
        Assert.Equal((OrderSource.SourceOneofCase.ThreadId, "thr_1"), (source.SourceCase, source.ThreadId));
        Assert.Throws<ArgumentException>(() => OrderSources.FromNegotiation(""));
    }

    [Fact]
    public void LinesAndCartItemsBecomeTonnesWithThreePlacesAndMorePlacesAreRefused()
    {
        var lines = OrderSources.FromLines([new OrderLineItem("lst_1", 300.5m), new OrderLineItem("lst_2", 25m)]);
        var cart = OrderSources.FromCart([new CartItem { ListingId = "lst_3", QuantityTonnes = new Protos.Common.V1.Decimal { Value = "42.125" } }]);

        Assert.Equal([("lst_1", "300.500"), ("lst_2", "25.000")], lines.Lines.Lines.Select(l => (l.ListingId, l.QuantityTonnes.Value)));
        Assert.Equal(("lst_3", "42.125"), (cart.Lines.Lines.Single().ListingId, cart.Lines.Lines.Single().QuantityTonnes.Value));
        Assert.Equal((false, true), (lines.Lines.RemoveFromCart, cart.Lines.RemoveFromCart)); // only cart orders empty the cart
        Assert.Throws<ArgumentException>(() => OrderSources.FromLines([new OrderLineItem("lst_1", 300.0005m)]));
    }

    [Fact]
    public void FreightRulesCarryTheirChargeToTheFenAndRefuseFractionsOfAFen()
    {
        var zone = FreightRules.PerTonne("江苏省", 45m, 8.5m, TransportMode.Road);
        var distance = FreightRules.PerTonneKm(FreightRules.AnyProvince, 0.35m, 320);

        Assert.Equal((FreightRule.ChargeOneofCase.PerTonne, "45.00", "8.50"), (zone.ChargeCase, zone.PerTonne.Amount, zone.LoadingPerTonne.Amount));
        Assert.Equal([TransportMode.Road], zone.TransportModes);
        Assert.Equal(("*", "0.35", 320, null), (distance.DestinationProvince, distance.PerTonneKm.Rate.Amount, distance.PerTonneKm.DistanceKm, distance.LoadingPerTonne));
        Assert.Empty(distance.TransportModes);
        Assert.Throws<ArgumentException>(() => FreightRules.PerTonneKm("浙江省", 0.355m, 100));
    }

    [Fact]
    public void OrderTotalsReadAsDecimalsAndOtherCurrenciesAreRefused()
    {
        var price = new PriceBreakdown
        {
            AmountExcludingTax = CatalogValues.Cny(975663.72m),
            TaxAmount = CatalogValues.Cny(126836.28m),
            TotalAmount = CatalogValues.Cny(1102500m),
            DepositAmount = CatalogValues.Cny(110250m),
            TotalInWords = "壹佰壹拾万贰仟伍佰元整",
        };

        Assert.Equal(new OrderTotals(975663.72m, 126836.28m, 1102500m, 110250m, "壹佰壹拾万贰仟伍佰元整"), OrderTotals.FromProto(price));
        Assert.Equal(0m, OrderTotals.FromProto(new PriceBreakdown()).DepositAmount);
        Assert.Throws<FormatException>(() => OrderTotals.FromProto(new PriceBreakdown { TotalAmount = new() { CurrencyCode = "USD", Amount = "1.00" } }));
    }
}

/// <summary>Order and cart calls against the fake server: one request id across retries, what is not retried, paging, errors.</summary>
public sealed class OrderTests
{
    internal const string Service = "/b2btrade.order.v1.OrderService/";
    private const string Cart = "/b2btrade.order.v1.CartService/";

    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    private static Task<FakeReply> Forever => new TaskCompletionSource<FakeReply>().Task;

    private static OrderSource Lines => OrderSources.FromLines([new OrderLineItem("lst_1", 300m)]);

    private static Order Order(string id, OrderStatus status = OrderStatus.PendingConfirmation) => new() { OrderId = id, Status = status, Etag = "1" };

    private static async Task<List<T>> AllAsync<T>(IAsyncEnumerable<T> items)
    {
        var all = new List<T>();
        await foreach (var item in items)
        {
            all.Add(item);
        }

        return all;
    }

    [Fact]
    public async Task CreateRetriedAfterUnavailableAndDeadlineExceededSendsOneRequestIdSoTheServerPlacesOneOrder()
    {
        var placed = new ConcurrentDictionary<string, Order>();
        var attempts = 0;
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(CreateOrderRequest.Parser);
            var order = placed.GetOrAdd(request.RequestId, _ => Order("ord_" + (placed.Count + 1)));

            // The first two answers are lost after the server placed the order.
            return Task.FromResult(++attempts switch
            {
                1 => FakeReply.Error(StatusCode.Unavailable, "silo restarting"),
                2 => FakeReply.Error(StatusCode.DeadlineExceeded),
                _ => FakeReply.Ok(new CreateOrderResponse { Order = order }),
            });
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var order = await client.Orders.CreateAsync("ent_buyer", Lines, OrderFormTests.Form, expectedTotal: 1102500m);

        Assert.Equal("ord_1", order.OrderId);
        Assert.Single(placed);
        var sent = server.CallsTo(Service + "CreateOrder").Select(c => c.Parse(CreateOrderRequest.Parser)).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Single(sent.Distinct()); // the very same request every time, id included
        Assert.True(Guid.TryParse(sent[0].RequestId, out _));
        Assert.Equal(("ent_buyer", "lst_1", "300.000", "1102500.00"), (sent[0].BuyerEnterpriseId, sent[0].Source.Lines.Lines[0].ListingId, sent[0].Source.Lines.Lines[0].QuantityTonnes.Value, sent[0].ExpectedTotal.Amount));
        Assert.Equal(("江苏省", FreightBearer.Buyer), (sent[0].Details.DeliveryAddress.Province, sent[0].Details.FreightBearer));
        Assert.All(server.Calls, c => Assert.Equal("Bearer a1", c.Authorization));
        Assert.All(server.Calls, c => Assert.NotNull(c.Timeout));
    }

    [Fact]
    public async Task EachCallWithoutARequestIdIsANewOrderWhileTheCallersOwnIdIsSentAsGiven()
    {
        using var server = new FakeGrpcServer(call => Task.FromResult(FakeReply.Ok(new CreateOrderResponse { Order = Order("ord_" + call.Parse(CreateOrderRequest.Parser).RequestId) })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await client.Orders.CreateAsync("ent_buyer", Lines, OrderFormTests.Form);
        await client.Orders.CreateAsync("ent_buyer", Lines, OrderFormTests.Form);
        var own = await client.Orders.CreateAsync("ent_buyer", OrderSources.FromNegotiation("thr_7"), new OrderForm { DeliveryAddress = OrderFormTests.Form.DeliveryAddress }, requestId: "PO-2026-4711");

        var ids = server.Calls.Select(c => c.Parse(CreateOrderRequest.Parser)).ToList();
        Assert.NotEqual(ids[0].RequestId, ids[1].RequestId);
        Assert.Equal(("PO-2026-4711", "thr_7", null), (ids[2].RequestId, ids[2].Source.ThreadId, ids[2].ExpectedTotal));
        Assert.Equal("ord_PO-2026-4711", own.OrderId);
        await Assert.ThrowsAsync<ArgumentException>(() => client.Orders.CreateAsync("ent_buyer", Lines, OrderFormTests.Form, requestId: " "));
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task AnswersApprovalsCancellationsAndFreightRulesAreNotRepeatedAfterUnavailable()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unavailable)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Orders.ApproveAsync("ord_1", "同意"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Orders.RejectApprovalAsync("ord_2", "超出预算"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Orders.ConfirmAsync("ord_3"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Orders.RejectAsync("ord_4", "库存不足"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Orders.CancelAsync("ord_5"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Orders.SetFreightRulesAsync("ent_seller", [FreightRules.PerTonne("江苏省", 45m)]));

        Assert.Equal(
            ["ApproveOrder", "RejectApproval", "ConfirmOrder", "RejectOrder", "CancelOrder", "SetFreightRules"],
            server.Calls.Select(c => c.Method[Service.Length..]));
        var approve = server.CallsTo(Service + "ApproveOrder").Single().Parse(ApproveOrderRequest.Parser);
        Assert.Equal(("ord_1", "同意"), (approve.OrderId, approve.Comment));
        Assert.Equal("超出预算", server.CallsTo(Service + "RejectApproval").Single().Parse(RejectApprovalRequest.Parser).Comment);
        Assert.Equal("ord_3", server.CallsTo(Service + "ConfirmOrder").Single().Parse(ConfirmOrderRequest.Parser).OrderId);
        var reject = server.CallsTo(Service + "RejectOrder").Single().Parse(RejectOrderRequest.Parser);
        Assert.Equal(("ord_4", "库存不足"), (reject.OrderId, reject.Reason));
        var cancel = server.CallsTo(Service + "CancelOrder").Single().Parse(CancelOrderRequest.Parser);
        Assert.Equal(("ord_5", ""), (cancel.OrderId, cancel.Reason));
        var rules = server.CallsTo(Service + "SetFreightRules").Single().Parse(SetFreightRulesRequest.Parser);
        Assert.Equal(("ent_seller", "江苏省", "45.00"), (rules.SellerEnterpriseId, rules.Rules.Single().DestinationProvince, rules.Rules.Single().PerTonne.Amount));
    }

    [Fact]
    public async Task ReadsAndPreviewsAreRetried()
    {
        var failed = new HashSet<string>();
        using var server = new FakeGrpcServer(call => Task.FromResult(failed.Add(call.Method)
            ? FakeReply.Error(StatusCode.Unavailable)
            : call.Method[Service.Length..] switch
            {
                "GetOrder" => FakeReply.Ok(new GetOrderResponse { Order = Order("ord_1", OrderStatus.Confirmed) }),
                "PreviewOrder" => FakeReply.Ok(new PreviewOrderResponse { Price = new PriceBreakdown { TotalAmount = CatalogValues.Cny(1102500m) }, SellerEnterpriseId = "ent_seller", NeedsApproval = true }),
                "GetFreightRules" => FakeReply.Ok(new GetFreightRulesResponse { Rules = { FreightRules.PerTonne("江苏省", 45m) } }),
                _ => FakeReply.Error(StatusCode.Unimplemented),
            }));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        Assert.Equal(OrderStatus.Confirmed, (await client.Orders.GetAsync("ord_1")).Status);
        var preview = await client.Orders.PreviewAsync("ent_buyer", Lines, OrderFormTests.Form);
        Assert.Equal((1102500m, "ent_seller", true), (OrderTotals.FromProto(preview.Price).TotalAmount, preview.SellerEnterpriseId, preview.NeedsApproval));
        Assert.Equal("45.00", (await client.Orders.GetFreightRulesAsync("ent_seller")).Rules.Single().PerTonne.Amount);

        Assert.Equal(6, server.Calls.Count);
        Assert.All(server.CallsTo(Service + "PreviewOrder"), c => Assert.Equal("ent_buyer", c.Parse(PreviewOrderRequest.Parser).BuyerEnterpriseId));
    }

    [Fact]
    public async Task ListFollowsPageTokensWithTheSameFiltersAndRetriesAPageLostToUnavailable()
    {
        var lost = false;
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(ListOrdersRequest.Parser);
            Assert.Equal(("ent_seller", OrderRole.Seller, 2), (request.EnterpriseId, request.Role, request.PageSize));
            Assert.Equal([OrderStatus.PendingConfirmation, OrderStatus.Confirmed], request.Statuses);
            if (request.PageToken == "p2" && !lost)
            {
                lost = true;
                return Task.FromResult(FakeReply.Error(StatusCode.Unavailable));
            }

            return Task.FromResult(FakeReply.Ok(request.PageToken switch
            {
                "" => new ListOrdersResponse { Orders = { new OrderSummary { OrderId = "ord_3" }, new OrderSummary { OrderId = "ord_2" } }, NextPageToken = "p2" },
                "p2" => new ListOrdersResponse { Orders = { new OrderSummary { OrderId = "ord_1" } } },
                _ => throw new InvalidOperationException(request.PageToken),
            }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var orders = await AllAsync(client.Orders.ListAsync("ent_seller", OrderRole.Seller, [OrderStatus.PendingConfirmation, OrderStatus.Confirmed], pageSize: 2));

        Assert.Equal(["ord_3", "ord_2", "ord_1"], orders.Select(o => o.OrderId));
        Assert.Equal(["", "p2", "p2"], server.Calls.Select(c => c.Parse(ListOrdersRequest.Parser).PageToken));
    }

    [Fact]
    public async Task ABadOrderFailsOnceWithEveryFieldViolationAndAStockShortageAsAPrecondition()
    {
        var invalid = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "Invalid order.",
            Details =
            {
                Any.Pack(new ErrorInfo { Reason = "INVALID_ORDER", Domain = "b2btrade" }),
                Any.Pack(new BadRequest
                {
                    FieldViolations =
                    {
                        new BadRequest.Types.FieldViolation { Field = "details.delivery_address.province", Description = "请填写省份", Reason = "REQUIRED" },
                        new BadRequest.Types.FieldViolation { Field = "details.invoice.tax_number", Description = "纳税人识别号校验位错误", Reason = "INVALID_CHECK_CHARACTER" },
                    },
                }),
            },
        };
        var shortage = new Google.Rpc.Status
        {
            Code = (int)Code.FailedPrecondition,
            Message = "库存不足",
            Details = { Any.Pack(new ErrorInfo { Reason = "INSUFFICIENT_STOCK", Domain = "b2btrade", Metadata = { ["available_tonnes"] = "120.000" } }) },
        };
        using var server = new FakeGrpcServer(call => Task.FromResult(FakeReply.Error(call.Parse(CreateOrderRequest.Parser).RequestId == "po-1" ? invalid : shortage)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var bad = await Assert.ThrowsAsync<B2BTradeValidationException>(() => client.Orders.CreateAsync("ent_buyer", Lines, new OrderForm(), requestId: "po-1"));
        var tooMuch = await Assert.ThrowsAsync<B2BTradePreconditionException>(() => client.Orders.CreateAsync("ent_buyer", Lines, OrderFormTests.Form, requestId: "po-2"));

        Assert.Equal(["details.delivery_address.province", "details.invoice.tax_number"], bad.FieldViolations.Select(v => v.Field));
        Assert.Equal(["REQUIRED", "INVALID_CHECK_CHARACTER"], bad.FieldViolations.Select(v => v.Reason));
        Assert.Equal("INVALID_ORDER", bad.Reason);
        Assert.Equal(("INSUFFICIENT_STOCK", "120.000", "库存不足"), (tooMuch.Reason, tooMuch.Metadata["available_tonnes"], tooMuch.Message));
        Assert.Equal(2, server.Calls.Count); // neither is transient, so neither is repeated
    }

    [Fact]
    public async Task CancellingACreateEndsItWithOperationCanceledAndNoRetry()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeGrpcServer(_ =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(50));
            return Forever;
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Orders.CreateAsync("ent_buyer", Lines, OrderFormTests.Form, cancellationToken: cts.Token));

        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task CartQuantitiesAndRemovalsAreSentAsGivenAndRetriedAfterUnavailable()
    {
        var attempts = 0;
        var item = new CartItem { ListingId = "lst_1", QuantityTonnes = CatalogValues.Tonnes(30m), UnitPrice = CatalogValues.Cny(3650m), Problem = "BELOW_MIN_ORDER" };
        using var server = new FakeGrpcServer(call => Task.FromResult(++attempts % 2 == 1
            ? FakeReply.Error(StatusCode.Unavailable)
            : call.Method[Cart.Length..] switch
            {
                "GetCart" => FakeReply.Ok(new GetCartResponse { Items = { item } }),
                "SetCartItem" => FakeReply.Ok(new SetCartItemResponse { Items = { item } }),
                "RemoveCartItems" => FakeReply.Ok(new RemoveCartItemsResponse()),
                _ => FakeReply.Error(StatusCode.Unimplemented),
            }));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var afterSet = await client.Cart.SetItemAsync("lst_1", 30.5m);
        var read = await client.Cart.GetAsync();
        var afterRemove = await client.Cart.RemoveItemsAsync(["lst_1", "lst_2"]);
        var cleared = await client.Cart.RemoveItemsAsync([]);

        Assert.Equal(("lst_1", "BELOW_MIN_ORDER"), (afterSet.Single().ListingId, afterSet.Single().Problem));
        Assert.Equal(30m, CatalogValues.ToDecimal(read.Single().QuantityTonnes));
        Assert.Empty(afterRemove);
        Assert.Empty(cleared);
        Assert.Equal(8, server.Calls.Count);
        var set = server.CallsTo(Cart + "SetCartItem").Select(c => c.Parse(SetCartItemRequest.Parser)).ToList();
        Assert.Equal([("lst_1", "30.500"), ("lst_1", "30.500")], set.Select(s => (s.ListingId, s.QuantityTonnes.Value)));
        var removes = server.CallsTo(Cart + "RemoveCartItems").Select(c => c.Parse(RemoveCartItemsRequest.Parser).ListingIds.ToList()).ToList();
        Assert.Equal([["lst_1", "lst_2"], ["lst_1", "lst_2"], [], []], removes);
        await Assert.ThrowsAsync<ArgumentException>(() => client.Cart.SetItemAsync("lst_1", 0.0001m));
        Assert.Equal(8, server.Calls.Count);
    }
}
