using System.Collections.Concurrent;
using B2BTrade.Client;
using B2BTrade.Protos.Contract.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Order.V1;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>The SDK's order, cart and contract facades against the real host, as a buyer's and a seller's ERP would use them.</summary>
[Collection(ApiCollection.Name)]
public sealed class SdkOrderTests(ApiFactory factory) : IDisposable
{
    private const string OrderService = "/b2btrade.order.v1.OrderService/";
    private const string SigningSecret = "签章口令-Steel#2026";

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

    private sealed record Party(B2BTradeClient Client, Enterprise Enterprise, string UserId);

    /// <summary>A verified seller with one active rebar listing (3,650 CNY/t ex-works, MOQ 25 t, 1,200.5 t in stock) delivering to 江苏省 at 45 CNY/t.</summary>
    private async Task<(Party Seller, string ListingId)> SellerWithListingAsync()
    {
        var (_, user, seller) = await _api.VerifiedSellerAsync();
        var client = Client(user.Tokens);
        var listing = await client.Catalog.CreateListingAsync(seller.EnterpriseId, Api.RebarSpec());
        var rules = await client.Orders.SetFreightRulesAsync(seller.EnterpriseId, [FreightRules.PerTonne("江苏省", 45m)]);
        Assert.Equal(("江苏省", "45.00"), (Assert.Single(rules).DestinationProvince, rules[0].PerTonne.Amount));
        return (new Party(client, seller, user.User.UserId), listing.ListingId);
    }

    /// <summary>A verified enterprise buying through its admin's SDK client (optionally over a faulty connection).</summary>
    private async Task<Party> BuyerAsync(HttpMessageHandler? handler = null)
    {
        var (_, user, buyer) = await _api.VerifiedSellerAsync();
        return new Party(Client(user.Tokens, handler), buyer, user.User.UserId);
    }

    private OrderForm FormFor(Enterprise buyer) => new()
    {
        DeliveryDate = DateOnly.FromDateTime(factory.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(20),
        DeliveryAddress = new DeliveryAddress { Province = "江苏省", City = "苏州市", District = "张家港市", Street = "沙洲西路 1 号 3 号库", ContactName = "王五", ContactPhone = "13800138000" },
        TransportMode = TransportMode.Road,
        FreightBearer = FreightBearer.Buyer,
        Invoice = new InvoiceDetails
        {
            Title = buyer.Profile.LegalName,
            TaxNumber = buyer.Profile.UnifiedSocialCreditCode,
            BankName = "中国工商银行上海分行营业部",
            BankAccount = "1001234509876543210",
            Address = buyer.Profile.RegisteredAddress,
            Phone = "021-12345678",
        },
        Remarks = "请提前一天电话联系",
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

    [Fact]
    public async Task OneRequestIdSentFiveTimesAtOncePlacesOneOrderAndEveryCallerGetsTheSameReply()
    {
        var (seller, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var source = OrderSources.FromLines([new OrderLineItem(listingId, 100m)]);
        var form = FormFor(buyer.Enterprise);

        // 100 t × 3,650 = 365,000 goods + 100 t × 45 freight to 江苏省 = 369,500 incl. VAT.
        var preview = await buyer.Client.Orders.PreviewAsync(buyer.Enterprise.EnterpriseId, source, form);
        Assert.Equal((369_500m, seller.Enterprise.EnterpriseId, false), (OrderTotals.FromProto(preview.Price).TotalAmount, preview.SellerEnterpriseId, preview.NeedsApproval));
        Assert.Contains(preview.Price.Items, i => i.Kind == PriceItemKind.Goods && i.Amount.Amount == "365000.00");
        Assert.Contains(preview.Price.Items, i => i.Kind == PriceItemKind.Freight && i.Amount.Amount == "4500.00");

        var requestId = "PO-" + Guid.NewGuid().ToString("N");
        var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, source, form, expectedTotal: 369_500m, requestId: requestId)));

        var order = replies[0];
        Assert.All(replies, r => Assert.Equal(order, r));
        Assert.Equal((OrderStatus.PendingConfirmation, buyer.Enterprise.EnterpriseId, seller.Enterprise.EnterpriseId), (order.Status, order.BuyerEnterpriseId, order.SellerEnterpriseId));
        Assert.Equal(369_500m, OrderTotals.FromProto(order.Price).TotalAmount);
        Assert.Equal(("100.000", listingId), (Assert.Single(order.Price.Lines).QuantityTonnes.Value, order.Price.Lines[0].ListingId));
        Assert.Equal(("江苏省", "王五"), (order.Details.DeliveryAddress.Province, order.Details.DeliveryAddress.ContactName));

        // Once more, later, with the same id: still that order; the same id for another order is refused by field.
        Assert.Equal(order, await buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, source, form, expectedTotal: 369_500m, requestId: requestId));
        var reused = await Assert.ThrowsAsync<B2BTradeValidationException>(() => buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, OrderSources.FromLines([new OrderLineItem(listingId, 50m)]), form, requestId: requestId));
        Assert.Equal(("request_id", "REQUEST_ID_REUSED"), (Assert.Single(reused.FieldViolations).Field, reused.FieldViolations[0].Reason));

        // Both sides list exactly that one order and read the same order.
        var mine = await Api.EventuallyAsync(() => AllAsync(buyer.Client.Orders.ListAsync(buyer.Enterprise.EnterpriseId, OrderRole.Buyer)), l => l.Count > 0);
        Assert.Equal([order.OrderId], mine.Select(o => o.OrderId));
        Assert.Equal((OrderStatus.PendingConfirmation, 369_500m, "100.000"), (mine[0].Status, NegotiationValues.ToCnyOrNull(mine[0].TotalAmount), mine[0].QuantityTonnes.Value));
        var incoming = await Api.EventuallyAsync(() => AllAsync(seller.Client.Orders.ListAsync(seller.Enterprise.EnterpriseId, OrderRole.Seller, [OrderStatus.PendingConfirmation])), l => l.Count > 0);
        Assert.Equal([order.OrderId], incoming.Select(o => o.OrderId));
        Assert.Empty(await AllAsync(seller.Client.Orders.ListAsync(seller.Enterprise.EnterpriseId, OrderRole.Seller, [OrderStatus.Confirmed])));
        var read = await seller.Client.Orders.GetAsync(order.OrderId);
        Assert.Equal((order.OrderId, order.Price, OrderStatus.PendingConfirmation), (read.OrderId, read.Price, read.Status));
    }

    [Fact]
    public async Task AnOrderWhoseAnswerWasLostIsRetriedWithItsRequestIdAndPlacedOnce()
    {
        var (_, listingId) = await SellerWithListingAsync();
        using var faulty = new LoseFirstAnswerHandler(factory.Server.CreateHandler(), OrderService + "CreateOrder");
        var buyer = await BuyerAsync(faulty);

        var order = await buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, OrderSources.FromLines([new OrderLineItem(listingId, 30m)]), FormFor(buyer.Enterprise));

        Assert.Equal(2, faulty.Received(OrderService + "CreateOrder")); // the server handled both sends
        var mine = await Api.EventuallyAsync(() => AllAsync(buyer.Client.Orders.ListAsync(buyer.Enterprise.EnterpriseId, OrderRole.Buyer)), l => l.Count > 0);
        Assert.Equal([order.OrderId], mine.Select(o => o.OrderId));
    }

    [Fact]
    public async Task BadDetailsAndStrangersGetTypedErrorsNamingTheField()
    {
        var (_, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var source = OrderSources.FromLines([new OrderLineItem(listingId, 100m)]);
        var noProvince = FormFor(buyer.Enterprise).ToProto().DeliveryAddress;
        noProvince.Province = string.Empty;

        var bad = await Assert.ThrowsAsync<B2BTradeValidationException>(() => buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, source, FormFor(buyer.Enterprise) with { DeliveryAddress = noProvince }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains(bad.FieldViolations, v => v.Field == "details.delivery_address.province");
        var belowMoq = await Assert.ThrowsAsync<B2BTradeValidationException>(() => buyer.Client.Orders.PreviewAsync(buyer.Enterprise.EnterpriseId, OrderSources.FromLines([new OrderLineItem(listingId, 5m)]), FormFor(buyer.Enterprise)));
        Assert.Equal(("BELOW_MOQ", "source.lines.lines[0].quantity_tonnes"), (belowMoq.Reason, Assert.Single(belowMoq.FieldViolations).Field));
        var tooMuch = await Assert.ThrowsAsync<B2BTradePreconditionException>(() => buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, OrderSources.FromLines([new OrderLineItem(listingId, 1300m)]), FormFor(buyer.Enterprise)));
        Assert.Equal(("INSUFFICIENT_STOCK", "1200.500"), (tooMuch.Reason, tooMuch.Metadata["available_tonnes"]));
        Assert.Empty(await AllAsync(buyer.Client.Orders.ListAsync(buyer.Enterprise.EnterpriseId, OrderRole.Buyer)));

        var order = await buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, source, FormFor(buyer.Enterprise));
        var strangerUser = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()), AccountKind.Individual);
        var stranger = Client(strangerUser.Tokens);
        await Assert.ThrowsAsync<B2BTradeNotFoundException>(() => stranger.Orders.GetAsync(order.OrderId));
        await Assert.ThrowsAsync<B2BTradeNotFoundException>(() => stranger.Orders.CancelAsync(order.OrderId));
    }

    [Fact]
    public async Task TheCartHoldsQuantitiesAtListingPricesAndItsLinesBecomeAnOrder()
    {
        var (_, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();

        await buyer.Client.Cart.SetItemAsync(listingId, 10m);
        var cart = await buyer.Client.Cart.SetItemAsync(listingId, 40m); // sets, does not add
        var line = Assert.Single(cart, i => i.ListingId == listingId);
        Assert.Equal(("40.000", 3650m, 146_000m, ""), (line.QuantityTonnes.Value, NegotiationValues.ToCnyOrNull(line.UnitPrice), NegotiationValues.ToCnyOrNull(line.Amount), line.Problem));

        var order = await buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, OrderSources.FromCart(cart), FormFor(buyer.Enterprise));
        Assert.Equal("40.000", Assert.Single(order.Price.Lines).QuantityTonnes.Value);

        Assert.Empty(await buyer.Client.Cart.RemoveItemsAsync([listingId]));
        Assert.Empty(await buyer.Client.Cart.GetAsync());
    }

    [Fact]
    public async Task AfterConfirmationTheContractDownloadsVerifiesAndTakesEffectWhenBothSignatoriesSign()
    {
        var (seller, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var placed = await buyer.Client.Orders.CreateAsync(buyer.Enterprise.EnterpriseId, OrderSources.FromLines([new OrderLineItem(listingId, 100m)]), FormFor(buyer.Enterprise));

        var confirmed = await seller.Client.Orders.ConfirmAsync(placed.OrderId);
        Assert.Equal(OrderStatus.Confirmed, confirmed.Status);
        Assert.StartsWith("ctr_", confirmed.ContractId, StringComparison.Ordinal);
        await Assert.ThrowsAsync<B2BTradePreconditionException>(() => buyer.Client.Orders.CancelAsync(placed.OrderId)); // too late once confirmed

        // Both parties read the same contract; the PDF downloaded is the hashed document.
        var contract = await buyer.Client.Contracts.GetAsync(confirmed.ContractId);
        Assert.Equal((placed.OrderId, ContractStatus.PendingSignatures, 369_500m), (contract.OrderId, contract.Status, NegotiationValues.ToCnyOrNull(contract.TotalAmount)));
        Assert.Equal((buyer.Enterprise.Profile.LegalName, seller.Enterprise.Profile.LegalName), (contract.Buyer.LegalName, contract.Seller.LegalName));
        Assert.Equal(contract.DocumentSha256, (await seller.Client.Contracts.GetAsync(contract.ContractId)).DocumentSha256);
        var pdf = await buyer.Client.Contracts.DownloadPdfAsync(contract.ContractId);
        Assert.Equal(("application/pdf", contract.DocumentSha256, contract.DocumentSize), (pdf.ContentType, pdf.Sha256, (long)pdf.Content.Length));
        Assert.True(ContractsClient.DocumentMatches(contract, pdf.Content));
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf.Content, 0, 4), StringComparison.Ordinal);
        var html = await seller.Client.Contracts.DownloadHtmlAsync(contract.ContractId);
        Assert.StartsWith("text/html", html.ContentType, StringComparison.Ordinal);
        Assert.Contains(contract.ContractNumber, System.Text.Encoding.UTF8.GetString(html.Content), StringComparison.Ordinal);
        var listed = await Api.EventuallyAsync(() => AllAsync(seller.Client.Contracts.ListAsync(seller.Enterprise.EnterpriseId)), l => l.Count > 0);
        Assert.Equal([contract.ContractId], listed.Select(c => c.ContractId));

        // A copy with one byte changed is reported as tampered, locally and by the server.
        var tampered = (byte[])pdf.Content.Clone();
        tampered[tampered.Length / 2] ^= 0x01;
        Assert.False(ContractsClient.DocumentMatches(contract, tampered));
        var forged = await buyer.Client.Contracts.VerifyAsync(contract.ContractId, tampered);
        Assert.Equal((false, true, contract.DocumentSha256), (forged.Valid, forged.DocumentTampered, forged.ExpectedSha256));
        var genuine = await buyer.Client.Contracts.VerifyAsync(contract.ContractId, pdf.Content);
        Assert.Equal((false, pdf.Sha256, false), (genuine.DocumentTampered, genuine.DocumentSha256, genuine.FullySigned));

        // Each admin makes themselves a Signatory within limit, enrols a key and signs the hash of the PDF they read.
        var signed = contract;
        foreach (var party in new[] { buyer, seller })
        {
            await party.Client.Enterprises.UpdateMemberRolesAsync(party.Enterprise.EnterpriseId, party.UserId, [MemberRole.Admin, MemberRole.Signatory], CatalogValues.Cny(1_000_000m));
            var key = await party.Client.Contracts.EnrollSigningKeyAsync(party.Enterprise.EnterpriseId, SigningSecret);
            var held = await party.Client.Contracts.GetSigningKeyAsync(party.Enterprise.EnterpriseId);
            Assert.Equal((true, key.KeyId, key.PublicKey), (held.Enrolled, held.KeyId, held.PublicKey));
            signed = await party.Client.Contracts.SignAsync(contract.ContractId, party.Enterprise.EnterpriseId, SigningSecret, pdf.Sha256);
        }

        Assert.Equal(ContractStatus.Effective, signed.Status);
        Assert.Equal([true, false], signed.Signatures.Select(s => s.BuyerSide));
        Assert.All(signed.Signatures, s => Assert.Equal(contract.DocumentSha256, s.DocumentSha256));
        var stored = await seller.Client.Contracts.VerifyAsync(contract.ContractId);
        Assert.Equal((true, true, false), (stored.Valid, stored.FullySigned, stored.DocumentTampered));
        Assert.Equal(2, stored.Signatures.Count);
        Assert.All(stored.Signatures, c => Assert.True(c.SignatureValid && c.TimestampValid && c.KeyBelongsToSigner));
        Assert.False((await seller.Client.Contracts.VerifyAsync(contract.ContractId, tampered)).Valid);
        var effective = await Api.EventuallyAsync(() => buyer.Client.Orders.GetAsync(placed.OrderId), o => o.Status == OrderStatus.ContractEffective);
        Assert.Equal(OrderStatus.ContractEffective, effective.Status);
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
}
