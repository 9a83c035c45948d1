using System.Collections.Concurrent;
using B2BTrade.Protos.Contract.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Order.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ProtoDate = B2BTrade.Protos.Common.V1.Date;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;
using ProtoMoney = B2BTrade.Protos.Common.V1.Money;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>Orders and contracts over raw gRPC against the real host: placement, stock, approvals, confirmation, signing and verification.</summary>
[Collection(ApiCollection.Name)]
public sealed class OrderTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.NativeChannel(), factory);
    private readonly NegotiationService.NegotiationServiceClient _negotiation = new(factory.NativeChannel());
    private readonly OrderService.OrderServiceClient _orders = new(factory.NativeChannel());
    private readonly ContractService.ContractServiceClient _contracts = new(factory.NativeChannel());

    private sealed record Party(string Token, string UserId, string EnterpriseId, string Email = "");

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    private DateOnly ChinaToday => DateOnly.FromDateTime(Now.ToOffset(TimeSpan.FromHours(8)).DateTime);

    private static ProtoMoney Cny(string amount) => new() { CurrencyCode = "CNY", Amount = amount };

    private static ProtoDate Date(DateOnly d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };

    private OrderDetails Details(DateOnly? date = null) => new()
    {
        DeliveryDate = Date(date ?? ChinaToday.AddDays(20)),
        DeliveryAddress = new DeliveryAddress { Province = "江苏省", City = "苏州市", District = "张家港市", Street = "锦丰镇沙钢大道 1 号 3 号库", ContactName = "张三", ContactPhone = "13800138000" },
        TransportMode = Protos.Negotiation.V1.TransportMode.Road,
        Invoice = new InvoiceDetails { Title = "江苏测试买方有限公司", TaxNumber = "91350100M000100Y43", BankName = "中国工商银行张家港支行", BankAccount = "1102020309000123456", Address = "江苏省张家港市锦丰镇", Phone = "0512-58581234" },
    };

    private async Task<(Party Seller, string ListingId)> SellerWithListingAsync(string stock = "1200.500")
    {
        var (token, user, seller) = await _api.VerifiedSellerAsync();
        var listing = await _api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = Api.RebarSpec(stock) }, Api.Bearer(token));
        await _orders.SetFreightRulesAsync(new SetFreightRulesRequest
        {
            SellerEnterpriseId = seller.EnterpriseId,
            Rules = { new FreightRule { DestinationProvince = "江苏省", PerTonne = Cny("45.00"), LoadingPerTonne = Cny("5.00") } },
        }, Api.Bearer(token));
        return (new Party(token, user.User.UserId, seller.EnterpriseId), listing.Listing.ListingId);
    }

    private async Task<Party> BuyerAsync()
    {
        var (token, user, buyer) = await _api.VerifiedSellerAsync();
        return new Party(token, user.User.UserId, buyer.EnterpriseId);
    }

    private async Task<Party> MemberAsync(Party admin, MemberRole[] roles, string? signingLimit = null, string? spendingLimit = null)
    {
        var email = Api.UniqueEmail();
        var invite = new InviteMemberRequest { RequestId = Guid.NewGuid().ToString(), EnterpriseId = admin.EnterpriseId, Invitee = Api.Email(email), Roles = { roles } };
        if (signingLimit is not null)
        {
            invite.SigningLimit = Cny(signingLimit);
        }

        if (spendingLimit is not null)
        {
            invite.SpendingLimit = Cny(spendingLimit);
        }

        var invitation = await _api.Enterprises.InviteMemberAsync(invite, Api.Bearer(admin.Token));
        var user = await _api.RegisterAsync(Api.Email(email));
        await _api.Enterprises.AcceptInvitationAsync(new AcceptInvitationRequest { EnterpriseId = admin.EnterpriseId, InvitationId = invitation.Invitation.InvitationId }, Api.Bearer(user.Tokens.AccessToken));
        return new Party(user.Tokens.AccessToken, user.User.UserId, admin.EnterpriseId, email);
    }

    private static OrderSource Lines(string listingId, string tonnes) =>
        new() { Lines = new OrderLines { Lines = { new OrderLineInput { ListingId = listingId, QuantityTonnes = new ProtoDecimal { Value = tonnes } } } } };

    private Task<CreateOrderResponse> CreateAsync(Party buyer, OrderSource source, string? requestId = null, OrderDetails? details = null) =>
        _orders.CreateOrderAsync(new CreateOrderRequest { RequestId = requestId ?? Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, Source = source, Details = details ?? Details() }, Api.Bearer(buyer.Token)).ResponseAsync;

    /// <summary>A seller's quote at 3,650 delivered with freight 45/t, accepted by the buyer.</summary>
    private async Task<(Party Buyer, Party Seller, string ThreadId, string ListingId)> AcceptedThreadAsync()
    {
        var (seller, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var terms = new Terms
        {
            ProductName = "螺纹钢 HRB400E Φ25",
            Attributes = { ["grade"] = "HRB400E" },
            QuantityTonnes = new ProtoDecimal { Value = "100" },
            UnitPrice = Cny("3600.00"),
            TaxIncluded = true,
            DeliveryBasis = DeliveryBasis.ExWorks,
            DeliveryDate = Date(ChinaToday.AddDays(20)),
            DeliveryPlace = "江苏省张家港市",
            TransportMode = Protos.Negotiation.V1.TransportMode.Road,
            QualityStandard = "GB/T 1499.2-2018",
        };
        var created = await _negotiation.CreateInquiryAsync(new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listingId, Terms = terms }, Api.Bearer(buyer.Token));
        terms.UnitPrice = Cny("3650.00");
        terms.Services.Add(new ServiceCharge { Kind = ServiceKind.Freight, Amount = Cny("45.00"), Unit = ChargeUnit.PerTonne });
        terms.Payment = new PaymentTerms { DepositPercent = new ProtoDecimal { Value = "10" }, BalanceTiming = BalanceTiming.OnDelivery };
        terms.ValidUntil = Timestamp.FromDateTimeOffset(Now.AddDays(3));
        var quoted = await _negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = created.Thread.ThreadId, Terms = terms }, Api.Bearer(seller.Token));
        await _negotiation.AcceptQuoteAsync(new AcceptQuoteRequest { ThreadId = created.Thread.ThreadId, Version = quoted.Thread.OpenQuoteVersion }, Api.Bearer(buyer.Token));
        return (buyer, seller, created.Thread.ThreadId, listingId);
    }

    [Fact]
    public async Task AnAcceptedQuoteBecomesAnOrderAndASignedContractThatVerifies()
    {
        var (buyer, seller, threadId, listingId) = await AcceptedThreadAsync();
        var source = new OrderSource { ThreadId = threadId };
        var details = Details();
        details.TransportMode = Protos.Negotiation.V1.TransportMode.Unspecified; // the agreed mode is taken

        // The preview carries the agreed terms exactly: 100 t × 3,650 + freight 45/t, tax included at 13%.
        var preview = await _orders.PreviewOrderAsync(new PreviewOrderRequest { BuyerEnterpriseId = buyer.EnterpriseId, Source = source, Details = details }, Api.Bearer(buyer.Token));
        Assert.Equal("369500.00", preview.Price.TotalAmount.Amount);
        Assert.Equal("叁拾陆万玖仟伍佰元整", preview.Price.TotalInWords);
        Assert.Equal("36950.00", preview.Price.DepositAmount.Amount);
        Assert.Equal("42508.85", preview.Price.TaxAmount.Amount); // 369,500 × 13 / 113
        Assert.Contains(preview.Price.Items, i => i.Kind == PriceItemKind.Freight && i.Amount.Amount == "4500.00");

        var order = (await _orders.CreateOrderAsync(new CreateOrderRequest
        {
            RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, Source = source, Details = details, ExpectedTotal = preview.Price.TotalAmount,
        }, Api.Bearer(buyer.Token))).Order;
        Assert.Equal(OrderStatus.PendingConfirmation, order.Status);
        Assert.Equal(threadId, order.ThreadId);
        var thread = await _negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = threadId }, Api.Bearer(buyer.Token));
        Assert.Equal(order.OrderId, thread.Thread.OrderId);

        // A second order from the same agreement is refused.
        var again = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(buyer, source, details: details));
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Equal("ALREADY_ORDERED", RpcAssert.Reason(again));

        var listing = await _api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = listingId }, Api.Bearer(seller.Token));
        Assert.Equal("1100.500", listing.Listing.Spec.StockTonnes.Value);

        var confirmed = (await _orders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = order.OrderId }, Api.Bearer(seller.Token))).Order;
        Assert.Equal(OrderStatus.Confirmed, confirmed.Status);
        Assert.StartsWith("ctr_", confirmed.ContractId, StringComparison.Ordinal);

        var contract = (await _contracts.GetContractAsync(new GetContractRequest { ContractId = confirmed.ContractId }, Api.Bearer(buyer.Token))).Contract;
        Assert.Equal("369500.00", contract.TotalAmount.Amount);
        Assert.Equal("叁拾陆万玖仟伍佰元整", contract.TotalInWords);
        Assert.Equal(64, contract.DocumentSha256.Length);
        var pdf = await _contracts.DownloadContractAsync(new DownloadContractRequest { ContractId = contract.ContractId }, Api.Bearer(seller.Token));
        Assert.Equal("application/pdf", pdf.ContentType);
        Assert.Equal(contract.DocumentSha256, pdf.Sha256);
        Assert.Equal(contract.DocumentSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf.Content.Span)));

        // Each side's Signatory enrols a key and signs; the second signature makes the contract and the order effective.
        var buyerSignatory = await MemberAsync(buyer, [MemberRole.Signatory], signingLimit: "1000000.00");
        var sellerSignatory = await MemberAsync(seller, [MemberRole.Signatory], signingLimit: "500000.00");
        foreach (var signatory in new[] { buyerSignatory, sellerSignatory })
        {
            await _contracts.EnrollSigningKeyAsync(new EnrollSigningKeyRequest { EnterpriseId = signatory.EnterpriseId, SigningSecret = "铁矿石-2026-签约" }, Api.Bearer(signatory.Token));
            await _contracts.SignContractAsync(new SignContractRequest
            {
                ContractId = contract.ContractId, EnterpriseId = signatory.EnterpriseId, SigningSecret = "铁矿石-2026-签约", DocumentSha256 = contract.DocumentSha256,
            }, Api.Bearer(signatory.Token));
        }

        var signed = (await _contracts.GetContractAsync(new GetContractRequest { ContractId = contract.ContractId }, Api.Bearer(buyer.Token))).Contract;
        Assert.Equal(ContractStatus.Effective, signed.Status);
        Assert.Equal(2, signed.Signatures.Count);
        var effective = await Api.EventuallyAsync(
            async () => (await _orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId }, Api.Bearer(buyer.Token))).Order,
            o => o.Status == OrderStatus.ContractEffective);
        Assert.Equal(OrderStatus.ContractEffective, effective.Status);
        Assert.Equal(
            [OrderStatus.PendingConfirmation, OrderStatus.Confirmed, OrderStatus.ContractEffective],
            effective.History.Select(h => h.Status).ToArray());

        var verified = await _contracts.VerifyContractAsync(new VerifyContractRequest { ContractId = contract.ContractId }, Api.Bearer(seller.Token));
        Assert.True(verified.Valid, string.Join("; ", verified.Findings));
        Assert.True(verified.FullySigned);
        Assert.All(verified.Signatures, c => Assert.True(c.SignatureValid && c.TimestampValid && c.KeyBelongsToSigner));

        // One changed byte anywhere in the document is reported as tampering.
        var bytes = pdf.Content.ToByteArray();
        bytes[bytes.Length / 2] ^= 0x01;
        var tampered = await _contracts.VerifyContractAsync(new VerifyContractRequest { ContractId = contract.ContractId, Document = ByteString.CopyFrom(bytes) }, Api.Bearer(seller.Token));
        Assert.False(tampered.Valid);
        Assert.True(tampered.DocumentTampered);
        Assert.NotEmpty(tampered.Findings);

        // Outsiders learn nothing.
        var outsider = await BuyerAsync();
        var hidden = await Assert.ThrowsAsync<RpcException>(() => _contracts.GetContractAsync(new GetContractRequest { ContractId = contract.ContractId }, Api.Bearer(outsider.Token)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        hidden = await Assert.ThrowsAsync<RpcException>(() => _orders.GetOrderAsync(new GetOrderRequest { OrderId = order.OrderId }, Api.Bearer(outsider.Token)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task OnlyPurchasersAndAdminsOfAVerifiedBuyerCanOrderAndTheOrderCarriesTheBuyersLegalName()
    {
        var (_, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();

        var sales = await MemberAsync(buyer, [MemberRole.Sales]);
        var refused = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(sales, Lines(listingId, "25")));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var outsider = await BuyerAsync();
        refused = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(outsider with { EnterpriseId = buyer.EnterpriseId }, Lines(listingId, "25")));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var (token, user, unverified) = await _api.EnterpriseWithAdminAsync();
        refused = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(new Party(token, user.User.UserId, unverified.EnterpriseId), Lines(listingId, "25")));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("ENTERPRISE_NOT_VERIFIED", RpcAssert.Reason(refused));

        var purchaser = await MemberAsync(buyer, [MemberRole.Purchaser]);
        var placed = (await CreateAsync(purchaser, Lines(listingId, "25"))).Order;
        var enterprise = await _api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = buyer.EnterpriseId }, Api.Bearer(buyer.Token));
        Assert.Equal(enterprise.Enterprise.Profile.LegalName, placed.BuyerName);
        Assert.Equal(buyer.EnterpriseId, placed.BuyerEnterpriseId);
    }

    [Fact]
    public async Task OnlyASignatoryWithinTheLimitAndWithTheRightSecretCanSign()
    {
        var (buyer, seller, threadId, _) = await AcceptedThreadAsync();
        var order = (await CreateAsync(buyer, new OrderSource { ThreadId = threadId })).Order;
        var contractId = (await _orders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = order.OrderId }, Api.Bearer(seller.Token))).Order.ContractId;
        var sha = (await _contracts.GetContractAsync(new GetContractRequest { ContractId = contractId }, Api.Bearer(buyer.Token))).Contract.DocumentSha256;

        SignContractRequest Sign(Party who, string secret = "secret-123456") =>
            new() { ContractId = contractId, EnterpriseId = who.EnterpriseId, SigningSecret = secret, DocumentSha256 = sha };

        // The admin is not a Signatory.
        var refused = await Assert.ThrowsAsync<RpcException>(() => _contracts.SignContractAsync(Sign(buyer), Api.Bearer(buyer.Token)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        // A Signatory whose limit is below the total.
        var small = await MemberAsync(buyer, [MemberRole.Signatory], signingLimit: "1000.00");
        await _contracts.EnrollSigningKeyAsync(new EnrollSigningKeyRequest { EnterpriseId = buyer.EnterpriseId, SigningSecret = "secret-123456" }, Api.Bearer(small.Token));
        refused = await Assert.ThrowsAsync<RpcException>(() => _contracts.SignContractAsync(Sign(small), Api.Bearer(small.Token)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("ABOVE_SIGNING_LIMIT", RpcAssert.Reason(refused));

        // A Signatory within the limit: the wrong secret is refused, the document the caller read must be this one.
        var big = await MemberAsync(buyer, [MemberRole.Signatory], signingLimit: "10000000.00");
        await _contracts.EnrollSigningKeyAsync(new EnrollSigningKeyRequest { EnterpriseId = buyer.EnterpriseId, SigningSecret = "secret-123456" }, Api.Bearer(big.Token));
        refused = await Assert.ThrowsAsync<RpcException>(() => _contracts.SignContractAsync(Sign(big, "wrong-secret-1"), Api.Bearer(big.Token)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal("WRONG_SIGNING_SECRET", RpcAssert.Reason(refused));
        var stale = Sign(big);
        stale.DocumentSha256 = new string('0', 64);
        refused = await Assert.ThrowsAsync<RpcException>(() => _contracts.SignContractAsync(stale, Api.Bearer(big.Token)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);

        var signed = await _contracts.SignContractAsync(Sign(big), Api.Bearer(big.Token));
        Assert.Equal(ContractStatus.PartiallySigned, signed.Contract.Status);
        refused = await Assert.ThrowsAsync<RpcException>(() => _contracts.SignContractAsync(Sign(big), Api.Bearer(big.Token)).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);

        // The seller's side cannot be signed by a buyer-side signatory.
        refused = await Assert.ThrowsAsync<RpcException>(() => _contracts.SignContractAsync(new SignContractRequest
        {
            ContractId = contractId, EnterpriseId = seller.EnterpriseId, SigningSecret = "secret-123456", DocumentSha256 = sha,
        }, Api.Bearer(big.Token)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task ReplacingASigningKeyNeedsTheCurrentSecretOrACodeToTheAccountNotJustTheSession()
    {
        var buyer = await BuyerAsync();
        var signatory = await MemberAsync(buyer, [MemberRole.Signatory], signingLimit: "10000000.00");
        var auth = Api.Bearer(signatory.Token);
        EnrollSigningKeyRequest Enroll(string secret) => new() { EnterpriseId = buyer.EnterpriseId, SigningSecret = secret };
        var first = await _contracts.EnrollSigningKeyAsync(Enroll("owner-secret-1"), auth);

        // The session alone (what a thief holds) cannot swap in a key of its own.
        var refused = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _contracts.EnrollSigningKeyAsync(Enroll("attacker-secret"), auth).ResponseAsync, "REQUIRED");
        Assert.Equal("current_signing_secret", Assert.Single(RpcAssert.Violations(refused)).Field);

        // Guessing the current secret counts towards the signing lock-out; once locked, not even the right secret replaces the key.
        for (var i = 0; i < 5; i++)
        {
            var guess = Enroll("attacker-secret");
            guess.CurrentSigningSecret = $"guess-{i}-secret";
            await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => _contracts.EnrollSigningKeyAsync(guess, auth).ResponseAsync, "WRONG_SIGNING_SECRET");
        }

        var right = Enroll("owner-secret-2");
        right.CurrentSigningSecret = "owner-secret-1";
        await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => _contracts.EnrollSigningKeyAsync(right, auth).ResponseAsync, "SIGNING_LOCKED");
        Assert.Equal(first.KeyId, (await _contracts.GetSigningKeyAsync(new GetSigningKeyRequest { EnterpriseId = buyer.EnterpriseId }, auth)).KeyId);

        // A forgotten secret: a code sent to one of the account's own addresses proves the account, even while locked.
        // Someone else's address does not do, and neither does a wrong code.
        var stranger = Api.UniqueEmail();
        await _api.RegisterAsync(Api.Email(stranger));
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(stranger), Purpose = VerificationPurpose.SigningKey });
        var viaStranger = Enroll("attacker-secret");
        viaStranger.VerificationAddress = Api.Email(stranger);
        viaStranger.VerificationCode = await _api.LatestCodeAsync(stranger);
        refused = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _contracts.EnrollSigningKeyAsync(viaStranger, auth).ResponseAsync, "NOT_YOUR_ADDRESS");
        Assert.Equal("verification_address", Assert.Single(RpcAssert.Violations(refused)).Field);

        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(signatory.Email), Purpose = VerificationPurpose.SigningKey });
        var code = await _api.LatestCodeAsync(signatory.Email);
        var byCode = Enroll("owner-secret-3");
        byCode.VerificationAddress = Api.Email(signatory.Email);
        byCode.VerificationCode = code == "000000" ? "111111" : "000000";
        var wrongCode = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _contracts.EnrollSigningKeyAsync(byCode, auth).ResponseAsync, "CODE_INVALID");
        Assert.Equal("verification_code", Assert.Single(RpcAssert.Violations(wrongCode)).Field);
        byCode.VerificationCode = code;
        var replaced = await _contracts.EnrollSigningKeyAsync(byCode, auth);
        Assert.NotEqual(first.KeyId, replaced.KeyId);

        // The code is spent, and the lock-out was lifted with the new key: its own secret replaces it again.
        byCode.SigningSecret = "attacker-secret";
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _contracts.EnrollSigningKeyAsync(byCode, auth).ResponseAsync);
        var again = Enroll("owner-secret-4");
        again.CurrentSigningSecret = "owner-secret-3";
        var third = await _contracts.EnrollSigningKeyAsync(again, auth);
        Assert.NotEqual(replaced.KeyId, third.KeyId);
        Assert.Equal(third.KeyId, (await _contracts.GetSigningKeyAsync(new GetSigningKeyRequest { EnterpriseId = buyer.EnterpriseId }, auth)).KeyId);
    }

    [Fact]
    public async Task TheSameRequestIdSentFiveTimesAtOnceMakesOneOrderWithIdenticalReplies()
    {
        var (_, listingId) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var requestId = Guid.NewGuid().ToString();
        var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => CreateAsync(buyer, Lines(listingId, "30.000"), requestId)));
        Assert.Single(replies.Select(r => r.Order.OrderId).Distinct());
        Assert.Single(replies.Select(r => r.ToByteString().ToBase64()).Distinct());
        var listing = await _api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = listingId }, Api.Bearer(buyer.Token));
        Assert.Equal("1170.500", listing.Listing.Spec.StockTonnes.Value);

        // The same id with other content is refused rather than answered with the first order.
        var reused = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(buyer, Lines(listingId, "31.000"), requestId));
        Assert.Equal(StatusCode.InvalidArgument, reused.StatusCode);
    }

    [Fact]
    public async Task AnOrderFromTheCartTakesItsLinesOutOfTheCartOnlyWhenPlacedAndAskedTo()
    {
        var (_, first) = await SellerWithListingAsync();
        var (_, second) = await SellerWithListingAsync();
        var buyer = await BuyerAsync();
        var cart = new CartService.CartServiceClient(factory.NativeChannel());
        foreach (var listingId in new[] { first, second })
        {
            await cart.SetCartItemAsync(new SetCartItemRequest { ListingId = listingId, QuantityTonnes = new ProtoDecimal { Value = "30" } }, Api.Bearer(buyer.Token));
        }

        async Task<string[]> InCartAsync() =>
            [.. (await cart.GetCartAsync(new GetCartRequest(), Api.Bearer(buyer.Token))).Items.Select(i => i.ListingId).Order(StringComparer.Ordinal)];

        // A refused order (below the MOQ of 25 t) leaves the cart as it was.
        var belowMoq = Lines(first, "10.000");
        belowMoq.Lines.RemoveFromCart = true;
        await Assert.ThrowsAsync<RpcException>(() => CreateAsync(buyer, belowMoq));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), await InCartAsync());

        // Placed from the cart: the ordered listing leaves it, the other stays.
        var fromCart = Lines(first, "30.000");
        fromCart.Lines.RemoveFromCart = true;
        await CreateAsync(buyer, fromCart);
        Assert.Equal([second], await InCartAsync());

        // Ordered without the flag (an ERP, 立即购买): the cart is not touched.
        await CreateAsync(buyer, Lines(second, "30.000"));
        Assert.Equal([second], await InCartAsync());
    }

    [Fact]
    public async Task AHundredConcurrentOrdersNeverOversellTheStock()
    {
        var (_, listingId) = await SellerWithListingAsync(stock: "1000.000");
        var buyer = await BuyerAsync();
        var outcomes = new ConcurrentBag<StatusCode>();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            try
            {
                await CreateAsync(buyer, Lines(listingId, "30.000"));
                outcomes.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                outcomes.Add(e.StatusCode);
            }
        }));
        Assert.Equal(33, outcomes.Count(o => o == StatusCode.OK)); // 33 × 30 t = 990 t of 1,000 t
        Assert.Equal(67, outcomes.Count(o => o == StatusCode.FailedPrecondition));
        var listing = await _api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = listingId }, Api.Bearer(buyer.Token));
        Assert.Equal("10.000", listing.Listing.Spec.StockTonnes.Value);
        var page = await Api.EventuallyAsync(
            async () => await _orders.ListOrdersAsync(new ListOrdersRequest { EnterpriseId = buyer.EnterpriseId, Role = OrderRole.Buyer, PageSize = 100 }, Api.Bearer(buyer.Token)),
            p => p.Orders.Count == 33);
        Assert.Equal(33, page.Orders.Count);
    }

    [Fact]
    public async Task StockHeldForAnOrderThatWasNeverWrittenIsReusedByItsRetryOrElseReleased()
    {
        var (seller, listingId) = await SellerWithListingAsync(stock: "1000.000");
        var buyer = await BuyerAsync();
        var grains = factory.Services.GetRequiredService<Orleans.IGrainFactory>();
        var placed = await CreateAsync(buyer, Lines(listingId, "100.000"));

        // The process died after the listing held stock for two placements and before either order was written.
        var (retriedRequest, abandonedRequest) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var listing = grains.GetGrain<B2BTrade.Grains.IListingGrain>(listingId);
        await listing.ReserveForOrderAsync(B2BTrade.Domain.Common.Ids.Derived("ord", buyer.EnterpriseId, retriedRequest), B2BTrade.Domain.Catalog.Tonnes.Parse("200", "q"));
        await listing.ReserveForOrderAsync(B2BTrade.Domain.Common.Ids.Derived("ord", buyer.EnterpriseId, abandonedRequest), B2BTrade.Domain.Catalog.Tonnes.Parse("50", "q"));
        Assert.Equal("650.000", await StockAsync(buyer, listingId));

        // The client retries one of them: the order is written on the stock already held for it, not on more.
        var retried = await CreateAsync(buyer, Lines(listingId, "200.000"), retriedRequest);
        Assert.Equal(OrderStatus.PendingConfirmation, retried.Order.Status);
        Assert.Equal("650.000", await StockAsync(buyer, listingId));

        // Nobody retries the other: the sweeper releases its hold, and only its hold, once.
        var sweeper = factory.Services.GetRequiredService<B2BTrade.Silo.Orders.ListingHoldSweeper>();
        Assert.Equal(1, await sweeper.SweepAsync(TimeSpan.Zero));
        Assert.Equal("700.000", await StockAsync(buyer, listingId));
        Assert.Equal(0, await sweeper.SweepAsync(TimeSpan.Zero));
        Assert.Equal("700.000", await StockAsync(buyer, listingId));

        // Both written orders still hold their stock: rejecting one gives back exactly its tonnes.
        await _orders.RejectOrderAsync(new RejectOrderRequest { OrderId = placed.Order.OrderId, Reason = "库存另有安排" }, Api.Bearer(seller.Token));
        Assert.Equal("800.000", await StockAsync(buyer, listingId));
    }

    [Fact]
    public async Task AnAgreedDealClaimedByAnOrderThatWasNeverWrittenCanBeOrderedOnceTheClaimIsOld()
    {
        // The agreed date, fixed now: the clock moves ten minutes below, which may cross midnight in China.
        var agreedDate = ChinaToday.AddDays(20);
        var (buyer, _, threadId, _) = await AcceptedThreadAsync();
        var grains = factory.Services.GetRequiredService<Orleans.IGrainFactory>();
        var thread = grains.GetGrain<B2BTrade.Grains.INegotiationGrain>(threadId);
        var caller = new B2BTrade.Grains.Caller(buyer.UserId, false, "采购");

        // A placement claimed the thread and died before its order was written.
        await thread.ClaimForOrderAsync(caller, B2BTrade.Domain.Common.Ids.Derived("ord", buyer.EnterpriseId, "died-half-way"));
        var fromThread = new OrderSource { ThreadId = threadId };
        var blocked = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(buyer, fromThread));
        Assert.Equal("ALREADY_ORDERED", RpcAssert.Reason(blocked));

        // Ten minutes on, the claim is judged: its order does not exist, so the deal can be ordered, once.
        factory.Time.Advance(B2BTrade.Domain.Negotiation.NegotiationRules.AbandonedClaimAfter + TimeSpan.FromSeconds(1));
        var ordered = await CreateAsync(buyer, fromThread, details: Details(agreedDate));
        Assert.Equal(OrderStatus.PendingConfirmation, ordered.Order.Status);

        // A written order's claim never gives way, however old (asked of the thread directly: the buyer's token would have expired).
        factory.Time.Advance(TimeSpan.FromMinutes(30));
        var again = await Assert.ThrowsAsync<B2BTrade.Domain.Common.DomainException>(() => thread.ClaimForOrderAsync(caller, B2BTrade.Domain.Common.Ids.Derived("ord", buyer.EnterpriseId, "later")));
        Assert.Equal("ALREADY_ORDERED", again.Reason);
    }

    private async Task<string> StockAsync(Party reader, string listingId) =>
        (await _api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = listingId }, Api.Bearer(reader.Token))).Listing.Spec.StockTonnes.Value;

    [Fact]
    public async Task BadOrdersAreRefusedNamingTheField()
    {
        var (seller, listingId) = await SellerWithListingAsync(stock: "100.000");
        var buyer = await BuyerAsync();

        async Task<string> FieldOf(Func<Task> call, StatusCode expected = StatusCode.InvalidArgument)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(expected, e.StatusCode);
            return $"{RpcAssert.Reason(e)} {string.Join(" ", RpcAssert.Violations(e).Select(v => v.Field + ":" + v.Description))}";
        }

        Assert.Contains("source.lines.lines[0].quantity_tonnes", await FieldOf(() => CreateAsync(buyer, Lines(listingId, "10.000"))), StringComparison.Ordinal); // below the 25 t MOQ
        Assert.Contains("INSUFFICIENT_STOCK", await FieldOf(() => CreateAsync(buyer, Lines(listingId, "100.001")), StatusCode.FailedPrecondition), StringComparison.Ordinal);
        var pastDate = Details(ChinaToday.AddDays(-1));
        Assert.Contains("details.delivery_date", await FieldOf(() => CreateAsync(buyer, Lines(listingId, "30.000"), details: pastDate)), StringComparison.Ordinal);
        var badInvoice = Details();
        badInvoice.Invoice.TaxNumber = "91350100M000100Y44";
        Assert.Contains("details.invoice.tax_number", await FieldOf(() => CreateAsync(buyer, Lines(listingId, "30.000"), details: badInvoice)), StringComparison.Ordinal);
        var badPhone = Details();
        badPhone.DeliveryAddress.ContactPhone = "12345";
        Assert.Contains("details.delivery_address.contact_phone", await FieldOf(() => CreateAsync(buyer, Lines(listingId, "30.000"), details: badPhone)), StringComparison.Ordinal);
        var noRule = Details();
        noRule.DeliveryAddress.Province = "西藏自治区";
        Assert.Contains("details.delivery_address.province", await FieldOf(() => CreateAsync(buyer, Lines(listingId, "30.000"), details: noRule)), StringComparison.Ordinal);
        Assert.Contains("source", await FieldOf(() => _orders.CreateOrderAsync(new CreateOrderRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, Details = Details() }, Api.Bearer(buyer.Token)).ResponseAsync), StringComparison.Ordinal);

        Assert.Contains("buyer_enterprise_id", await FieldOf(() => CreateAsync(seller, Lines(listingId, "30.000"))), StringComparison.Ordinal); // its own goods

        // A preview prices a half-filled form (only the province, transport and date matter); placing it names what is missing.
        var partial = new OrderDetails { DeliveryDate = Details().DeliveryDate, DeliveryAddress = new DeliveryAddress { Province = "江苏省" }, TransportMode = Protos.Negotiation.V1.TransportMode.Road };
        var priced = await _orders.PreviewOrderAsync(new PreviewOrderRequest { BuyerEnterpriseId = buyer.EnterpriseId, Source = Lines(listingId, "30.000"), Details = partial }, Api.Bearer(buyer.Token));
        Assert.Equal("111000.00", priced.Price.TotalAmount.Amount); // 30 t × (3,650 + 45 freight + 5 loading)
        var missing = await FieldOf(() => CreateAsync(buyer, Lines(listingId, "30.000"), details: partial));
        Assert.Contains("details.delivery_address.contact_phone", missing, StringComparison.Ordinal);
        Assert.Contains("details.invoice", missing, StringComparison.Ordinal);

        // Nothing was held by any refused order.
        var listing = await _api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = listingId }, Api.Bearer(buyer.Token));
        Assert.Equal("100.000", listing.Listing.Spec.StockTonnes.Value);
    }

    [Fact]
    public async Task AnOrderAboveThePurchasersLimitWaitsForAnAdminAndCancellingReleasesTheStock()
    {
        var (seller, listingId) = await SellerWithListingAsync(stock: "500.000");
        var buyer = await BuyerAsync();
        var purchaser = await MemberAsync(buyer, [MemberRole.Purchaser], spendingLimit: "50000.00");
        var order = (await CreateAsync(purchaser, Lines(listingId, "30.000"))).Order; // 30 × 3,650 + freight/loading ≫ 50,000
        Assert.Equal(OrderStatus.PendingApproval, order.Status);

        var refused = await Assert.ThrowsAsync<RpcException>(() => _orders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = order.OrderId }, Api.Bearer(seller.Token)).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        refused = await Assert.ThrowsAsync<RpcException>(() => _orders.ApproveOrderAsync(new ApproveOrderRequest { OrderId = order.OrderId }, Api.Bearer(purchaser.Token)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var approved = (await _orders.ApproveOrderAsync(new ApproveOrderRequest { OrderId = order.OrderId, Comment = "同意" }, Api.Bearer(buyer.Token))).Order;
        Assert.Equal(OrderStatus.PendingConfirmation, approved.Status);
        var pending = await Api.EventuallyAsync(
            async () => await _orders.ListOrdersAsync(new ListOrdersRequest { EnterpriseId = seller.EnterpriseId, Role = OrderRole.Seller, Statuses = { OrderStatus.PendingConfirmation } }, Api.Bearer(seller.Token)),
            p => p.Orders.Any(o => o.OrderId == order.OrderId));
        Assert.Contains(pending.Orders, o => o.OrderId == order.OrderId);

        var cancelled = (await _orders.CancelOrderAsync(new CancelOrderRequest { OrderId = order.OrderId, Reason = "计划调整" }, Api.Bearer(purchaser.Token))).Order;
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        var listing = await Api.EventuallyAsync(
            async () => await _api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = listingId }, Api.Bearer(buyer.Token)),
            l => l.Listing.Spec.StockTonnes.Value == "500.000");
        Assert.Equal("500.000", listing.Listing.Spec.StockTonnes.Value);
        refused = await Assert.ThrowsAsync<RpcException>(() => _orders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = order.OrderId }, Api.Bearer(seller.Token)).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
    }
}
