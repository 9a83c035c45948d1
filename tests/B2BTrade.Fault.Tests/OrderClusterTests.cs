using System.Diagnostics;
using B2BTrade.Fault.Tests.Infrastructure;
using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Contract.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Operations.V1;
using B2BTrade.Protos.Order.V1;
using Xunit.Abstractions;
using Common = B2BTrade.Protos.Common.V1;

namespace B2BTrade.Fault.Tests;

/// <summary>
/// Orders and contracts in the cluster mode (two silos on PostgreSQL, Redis membership, two API nodes): an order
/// placed through one node is confirmed through the other; a silo is killed after confirmation and both parties
/// still sign, the contract takes effect, the order follows, and the signatures verify.
/// </summary>
public sealed class OrderClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnOrderPlacedOnOneNodeIsConfirmedOnTheOtherAndSignedAfterASiloKill()
    {
        await using var cluster = await LocalCluster.StartFromEnvironmentAsync("orders", apiNodes: 2);
        await ServerLogsException.GuardAsync(
            async () =>
            {
                var clock = Stopwatch.StartNew();
                using var channel1 = cluster.ApiNodes[0].OpenChannel();
                using var channel2 = cluster.ApiNodes[1].OpenChannel();
                var seller = await VerifiedAsync(channel1, "ordseller");
                var buyer = await VerifiedAsync(channel1, "ordbuyer");
                var listingId = await Negotiations.ListingAsync(new CatalogService.CatalogServiceClient(channel1), seller);

                var buyerOrders = new OrderService.OrderServiceClient(channel1);
                var sellerOrders = new OrderService.OrderServiceClient(channel2);
                var request = Request(buyer, listingId);
                var placed = (await Transient.RetryAsync(d => buyerOrders.CreateOrderAsync(request, buyer.Auth, d).ResponseAsync, s_budget)).Order;
                var confirmed = (await Transient.RetryAsync(d => sellerOrders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = placed.OrderId }, seller.Auth, d).ResponseAsync, s_budget,
                    e => output.WriteLine($"confirm retried: {e.StatusCode}"))).Order;
                Assert.Equal(OrderStatus.Confirmed, confirmed.Status);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: order {placed.OrderId} placed on node 1, confirmed on node 2 → {confirmed.ContractId}");

                // Both admins become their enterprise's Signatory (limit above the total) and enrol a key.
                foreach (var (party, channel) in new[] { (buyer, channel1), (seller, channel2) })
                {
                    var me = await new IdentityService.IdentityServiceClient(channel).GetCurrentUserAsync(new GetCurrentUserRequest(), party.Auth, Deadline());
                    await new EnterpriseService.EnterpriseServiceClient(channel).UpdateMemberRolesAsync(new UpdateMemberRolesRequest
                    {
                        EnterpriseId = party.EnterpriseId, UserId = me.User.UserId, Roles = { MemberRole.Admin, MemberRole.Signatory },
                        SigningLimit = new Common.Money { CurrencyCode = "CNY", Amount = "10000000.00" },
                    }, party.Auth, Deadline());
                    await new ContractService.ContractServiceClient(channel).EnrollSigningKeyAsync(new EnrollSigningKeyRequest { EnterpriseId = party.EnterpriseId, SigningSecret = "集群签约-2026" }, party.Auth, Deadline());
                }

                var contracts1 = new ContractService.ContractServiceClient(channel1);
                var contracts2 = new ContractService.ContractServiceClient(channel2);
                var contract = (await contracts1.GetContractAsync(new GetContractRequest { ContractId = confirmed.ContractId }, buyer.Auth, Deadline())).Contract;
                await contracts1.SignContractAsync(new SignContractRequest { ContractId = contract.ContractId, EnterpriseId = buyer.EnterpriseId, SigningSecret = "集群签约-2026", DocumentSha256 = contract.DocumentSha256 }, buyer.Auth, Deadline());

                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: buyer signed; SIGKILL silo1 (pid {cluster.Silo1.Id})");
                cluster.Silo1.Kill();

                Contract signed;
                try
                {
                    signed = (await Transient.RetryAsync(
                        d => contracts2.SignContractAsync(new SignContractRequest { ContractId = contract.ContractId, EnterpriseId = seller.EnterpriseId, SigningSecret = "集群签约-2026", DocumentSha256 = contract.DocumentSha256 }, seller.Auth, d).ResponseAsync,
                        TimeSpan.FromSeconds(120),
                        e => output.WriteLine($"sign retried: {e.StatusCode} {e.Status.Detail}"))).Contract;
                }
                catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.AlreadyExists)
                {
                    // An attempt whose answer was lost in the kill did sign: the contract shows it.
                    signed = (await contracts2.GetContractAsync(new GetContractRequest { ContractId = contract.ContractId }, seller.Auth, Deadline())).Contract;
                }

                Assert.Equal(ContractStatus.Effective, signed.Status);
                Assert.Equal(2, signed.Signatures.Count);

                var deadline = DateTime.UtcNow + s_budget;
                Order order;
                do
                {
                    order = (await Transient.RetryAsync(d => buyerOrders.GetOrderAsync(new GetOrderRequest { OrderId = placed.OrderId }, buyer.Auth, d).ResponseAsync, s_budget)).Order;
                    Assert.True(order.Status == OrderStatus.ContractEffective || DateTime.UtcNow < deadline, $"order still {order.Status}");
                    await Task.Delay(300);
                }
                while (order.Status != OrderStatus.ContractEffective);

                var verified = await Transient.RetryAsync(d => contracts1.VerifyContractAsync(new VerifyContractRequest { ContractId = contract.ContractId }, buyer.Auth, d).ResponseAsync, s_budget);
                Assert.True(verified.Valid, string.Join("; ", verified.Findings));
                Assert.True(verified.FullySigned);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: contract effective after the silo kill, order CONTRACT_EFFECTIVE, verification valid");
            },
            cluster.Tails);
    }

    private static CreateOrderRequest Request(Seller buyer, string listingId)
    {
        var date = DateTime.UtcNow.AddHours(8).Date.AddDays(7);
        return new CreateOrderRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            BuyerEnterpriseId = buyer.EnterpriseId,
            Source = new OrderSource { Lines = new OrderLines { Lines = { new OrderLineInput { ListingId = listingId, QuantityTonnes = new Common.Decimal { Value = "50.000" } } } } },
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

    private static async Task<Seller> VerifiedAsync(Grpc.Net.Client.GrpcChannel channel, string tag)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var operatorAuth = Accounts.Bearer(await Accounts.LoginAsync(identity, LocalCluster.OperatorEmail, LocalCluster.OperatorPassword, TimeSpan.FromSeconds(60)));
        return await Sellers.VerifiedAsync(channel, new OperatorOutboxCodes(new OperatorService.OperatorServiceClient(channel), operatorAuth), operatorAuth, tag);
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);
}
