using System.Diagnostics;
using B2BTrade.Fault.Tests.Infrastructure;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Contract.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Protos.Order.V1;
using Xunit.Abstractions;
using Common = B2BTrade.Protos.Common.V1;

namespace B2BTrade.Fault.Tests;

/// <summary>
/// An order's confirmation deadline is durable: the reminder that expires an unanswered order and returns its stock
/// survives a SIGKILL of the single node, and so do the acknowledged orders and the contract of a confirmed one.
/// </summary>
public sealed class OrderFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(45);

    // The node is started with a 70 s confirmation window (B2BTrade:OrderConfirmationWindow) instead of 72 h.
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(70);
    private static readonly TimeSpan s_reminderSlack = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task AnUnansweredOrderExpiresAfterKill9AndItsStockReturnsWhileTheConfirmedOneKeepsItsContract()
    {
        await using var node = await SingleNodeServer.StartAsync("order-kill9", new Dictionary<string, string> { ["B2BTrade__OrderConfirmationWindow"] = "00:01:10" });
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var clock = Stopwatch.StartNew();
                Seller seller, buyer;
                string listingId;
                Order waiting, confirmed;
                Contract contract;
                using (var channel = node.OpenChannel())
                {
                    var identity = new IdentityService.IdentityServiceClient(channel);
                    var operatorAuth = Accounts.Bearer(await Accounts.LoginAsync(identity, SingleNodeServer.OperatorEmail, SingleNodeServer.OperatorPassword, s_budget));
                    var codes = new OutboxFileCodes(node.DataDir);
                    seller = await Sellers.VerifiedAsync(channel, codes, operatorAuth, "ordseller");
                    buyer = await Sellers.VerifiedAsync(channel, codes, operatorAuth, "ordbuyer");
                    listingId = await Negotiations.ListingAsync(new CatalogService.CatalogServiceClient(channel), seller);
                    var orders = new OrderService.OrderServiceClient(channel);
                    waiting = (await Transient.RetryAsync(d => orders.CreateOrderAsync(Request(buyer, listingId, "00000000-wait"), buyer.Auth, d).ResponseAsync, s_budget)).Order;
                    var placed = (await Transient.RetryAsync(d => orders.CreateOrderAsync(Request(buyer, listingId, "00000000-conf"), buyer.Auth, d).ResponseAsync, s_budget)).Order;
                    confirmed = (await orders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = placed.OrderId }, seller.Auth, Deadline())).Order;
                    contract = (await new ContractService.ContractServiceClient(channel).GetContractAsync(new GetContractRequest { ContractId = confirmed.ContractId }, seller.Auth, Deadline())).Contract;
                    Assert.Equal(OrderStatus.PendingConfirmation, waiting.Status);
                    Assert.Equal(OrderStatus.Confirmed, confirmed.Status);
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: order {waiting.OrderId} waiting until {waiting.ConfirmBy.ToDateTimeOffset():HH:mm:ss}, {confirmed.OrderId} confirmed with contract {contract.ContractNumber}");
                }

                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: SIGKILL the server (pid {node.Process.Id})");
                node.Process.Kill();
                await node.StartProcessAsync();
                var confirmBy = waiting.ConfirmBy.ToDateTimeOffset();
                Assert.True(DateTimeOffset.UtcNow < confirmBy, "the restart took longer than the confirmation window; the test proves nothing about the reminder");

                using var restarted = node.OpenChannel();
                var after = new OrderService.OrderServiceClient(restarted);
                var inbox = new InboxService.InboxServiceClient(restarted);

                // Only the reminder expires an order and posts ORDER_EXPIRED, so seeing both proves it fired after the restart.
                var stop = confirmBy + s_reminderSlack;
                Order? expired = null;
                while (expired is null)
                {
                    var current = (await Transient.RetryAsync(d => after.GetOrderAsync(new GetOrderRequest { OrderId = waiting.OrderId }, buyer.Auth, d).ResponseAsync, s_budget)).Order;
                    if (current.Status == OrderStatus.Expired)
                    {
                        expired = current;
                        break;
                    }

                    Assert.True(DateTimeOffset.UtcNow < stop, $"order {waiting.OrderId} is still {current.Status} {s_reminderSlack.TotalSeconds:0} s after its deadline {confirmBy:HH:mm:ss}");
                    await Task.Delay(500);
                }

                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: order EXPIRED at {expired.History[^1].At.ToDateTimeOffset():HH:mm:ss.fff}");
                Assert.True(expired.History[^1].At.ToDateTimeOffset() >= confirmBy.AddSeconds(-1), "expired before its deadline");

                // The expired order's 30 t are back on sale; the confirmed order's 30 t stay held (5,000 − 30).
                var catalog = new CatalogService.CatalogServiceClient(restarted);
                var stock = "";
                while (stock != "4970.000")
                {
                    stock = (await Transient.RetryAsync(d => catalog.GetListingAsync(new GetListingRequest { ListingId = listingId }, buyer.Auth, d).ResponseAsync, s_budget)).Listing.Spec.StockTonnes.Value;
                    Assert.True(stock == "4970.000" || DateTimeOffset.UtcNow < stop, $"stock is {stock} t, expected 4970.000 t after the expired order released its 30 t");
                    await Task.Delay(200);
                }

                var notices = await Transient.RetryAsync(d => inbox.ListNotificationsAsync(new ListNotificationsRequest { PageSize = 100 }, buyer.Auth, d).ResponseAsync, s_budget);
                Assert.Contains(notices.Notifications, n => n.Kind == NotificationKind.OrderExpired && n.SubjectId == waiting.OrderId);

                // The confirmed order and its contract document survived untouched.
                var kept = (await after.GetOrderAsync(new GetOrderRequest { OrderId = confirmed.OrderId }, seller.Auth, Deadline())).Order;
                Assert.Equal(OrderStatus.Confirmed, kept.Status);
                var pdf = await new ContractService.ContractServiceClient(restarted).DownloadContractAsync(new DownloadContractRequest { ContractId = confirmed.ContractId }, buyer.Auth, Deadline());
                Assert.Equal(contract.DocumentSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf.Content.Span)));
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: stock 4970.000 t, ORDER_EXPIRED posted, confirmed order and its contract ({pdf.Content.Length} bytes) intact");
            },
            node.Tails);
    }

    /// <summary>30 t collected by the buyer (no freight rule needed), with a request id so a retry places one order.</summary>
    private static CreateOrderRequest Request(Seller buyer, string listingId, string requestSuffix)
    {
        var date = DateTime.UtcNow.AddHours(8).Date.AddDays(7);
        return new CreateOrderRequest
        {
            RequestId = Guid.NewGuid().ToString("N")[..8] + requestSuffix,
            BuyerEnterpriseId = buyer.EnterpriseId,
            Source = new OrderSource { Lines = new OrderLines { Lines = { new OrderLineInput { ListingId = listingId, QuantityTonnes = new Common.Decimal { Value = "30.000" } } } } },
            Details = new OrderDetails
            {
                DeliveryDate = new Common.Date { Year = date.Year, Month = date.Month, Day = date.Day },
                DeliveryAddress = new DeliveryAddress { Province = "上海市", City = "上海市", District = "宝山区", Street = "蕴川路 1000 号", ContactName = "李四", ContactPhone = "13900139000" },
                TransportMode = Protos.Negotiation.V1.TransportMode.BuyerPickup,
                FreightBearer = FreightBearer.BuyerCollects,
                Invoice = new InvoiceDetails { Title = buyer.LegalName, TaxNumber = "91350100M000100Y43", BankName = "中国银行上海分行", BankAccount = "123456789012", Address = "上海市宝山区", Phone = "021-12345678" },
            },
        };
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(20);
}
