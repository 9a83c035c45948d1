using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Operations.V1;
using B2BTrade.Protos.Order.V1;
using B2BTrade.Protos.Contract.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>
/// The BOLA matrix: every RPC of every service, called by a user of another enterprise against enterprise A's
/// resources, answers PERMISSION_DENIED or NOT_FOUND (never data). RPCs that act only on the caller's own
/// account are listed with the reason; a new RPC fails this test until it is classified.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFactory factory)
{
    /// <summary>Every service compiled into the protos assembly, so a new service cannot escape the matrix.</summary>
    private static readonly ServiceDescriptor[] s_services = typeof(IdentityServiceReflection).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal) && t.GetProperty("Descriptor")?.GetValue(null) is FileDescriptor)
        .SelectMany(t => ((FileDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!).Services)
        .ToArray();

    private static readonly Dictionary<string, string> s_callerScoped = new()
    {
        ["IdentityService/SendVerificationCode"] = "anonymous; answers alike for any address",
        ["IdentityService/Register"] = "anonymous; creates the caller's own account",
        ["IdentityService/LoginWithPassword"] = "anonymous",
        ["IdentityService/LoginWithCode"] = "anonymous",
        ["IdentityService/RefreshToken"] = "bearer of a refresh token only",
        ["IdentityService/Logout"] = "caller's own session",
        ["IdentityService/LogoutEverywhere"] = "caller's own sessions",
        ["IdentityService/ChangePassword"] = "caller's own account",
        ["IdentityService/ResetPassword"] = "needs a code sent to the address",
        ["IdentityService/GetCurrentUser"] = "caller's own account",
        ["IdentityService/StartOAuthLogin"] = "anonymous",
        ["IdentityService/CompleteOAuthLogin"] = "anonymous; signed state",
        ["IdentityService/LinkOAuthIdentity"] = "binds to the caller's own account",
        ["EnterpriseService/CreateEnterprise"] = "creates a new enterprise owned by the caller",
        ["EnterpriseService/ListMyEnterprises"] = "caller's memberships only (checked below)",
        ["EnterpriseService/ListMyInvitations"] = "caller's addresses only (checked below)",
        ["FileService/StartUpload"] = "without enterprise_id the upload is the caller's own (with A's id: probed below)",
        ["CatalogService/ListCategories"] = "the public category tree",
        ["CatalogService/SearchListings"] = "active listings are public to logged-in buyers",
        ["CatalogService/GetListing"] = "active listings are public; a delisted one is probed below",
        ["CatalogService/WatchListings"] = "active listings are public; a delisted one is probed below",
        ["NegotiationService/PreviewTerms"] = "computes totals of the terms sent; reads no stored data",
        ["InboxService/ListNotifications"] = "caller's own notifications only (checked below)",
        ["InboxService/MarkNotificationsRead"] = "marks only the caller's own notifications (checked below)",
        ["InboxService/WatchInbox"] = "caller's own inbox only",
        ["OrderService/GetFreightRules"] = "a seller's freight rates are public price information, like its listings",
        ["CartService/GetCart"] = "the caller's own cart (keyed by the caller's user id)",
        ["CartService/SetCartItem"] = "the caller's own cart; listings are public",
        ["CartService/RemoveCartItems"] = "the caller's own cart",
        ["ContractService/GetSigningKey"] = "the caller's own key (keyed by the caller's user id)",
    };

    [Fact]
    public async Task EveryRpcRefusesAUserOfAnotherEnterprise()
    {
        var api = new Api(factory.NativeChannel(), factory);
        var (adminToken, admin, enterprise) = await api.VerifiedSellerAsync();
        var a = enterprise.EnterpriseId;
        var invitation = (await api.Enterprises.InviteMemberAsync(new InviteMemberRequest { RequestId = Guid.NewGuid().ToString(), EnterpriseId = a, Invitee = Api.Email(Api.UniqueEmail()), Roles = { MemberRole.Sales } }, Api.Bearer(adminToken))).Invitation;
        var file = await api.UploadAsync(adminToken, Api.Png(), enterpriseId: a);
        var upload = await api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "x.png", SizeBytes = 100 }, Api.Bearer(adminToken));
        var listing = (await api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = a, Spec = Api.RebarSpec() }, Api.Bearer(adminToken))).Listing;
        var hidden = (await api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = a, Spec = Api.RebarSpec() }, Api.Bearer(adminToken))).Listing;
        await api.Catalog.DelistListingAsync(new Protos.Catalog.V1.DelistListingRequest { ListingId = hidden.ListingId }, Api.Bearer(adminToken));

        // Enterprise A sells to buyer B: a thread (with a message) and an RFQ that also goes to seller C.
        var negotiation = new NegotiationService.NegotiationServiceClient(factory.NativeChannel());
        var inbox = new InboxService.InboxServiceClient(factory.NativeChannel());
        var (buyerToken, _, buyer) = await api.VerifiedSellerAsync();
        var (otherSellerToken, _, otherSeller) = await api.VerifiedSellerAsync();
        var otherListing = (await api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = otherSeller.EnterpriseId, Spec = Api.RebarSpec() }, Api.Bearer(otherSellerToken))).Listing;
        var delivery = DateOnly.FromDateTime(factory.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(10);
        Terms NegotiationTerms() => new()
        {
            ProductName = "螺纹钢 HRB400E",
            QuantityTonnes = new Protos.Common.V1.Decimal { Value = "50" },
            UnitPrice = new Protos.Common.V1.Money { CurrencyCode = "CNY", Amount = "3600.00" },
            DeliveryDate = new Protos.Common.V1.Date { Year = delivery.Year, Month = delivery.Month, Day = delivery.Day },
            DeliveryPlace = "上海",
            TransportMode = TransportMode.Road,
            Payment = new PaymentTerms { DepositPercent = new Protos.Common.V1.Decimal { Value = "10" }, BalanceTiming = BalanceTiming.OnDelivery },
            ValidUntil = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(factory.Time.GetUtcNow().AddDays(2)),
        };
        var thread = (await negotiation.CreateInquiryAsync(new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listing.ListingId, Terms = NegotiationTerms() }, Api.Bearer(buyerToken))).Thread;
        var quoted = (await negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = thread.ThreadId, Terms = NegotiationTerms() }, Api.Bearer(adminToken))).Thread;
        await negotiation.SendMessageAsync(new SendMessageRequest { ThreadId = thread.ThreadId, ClientMessageId = Guid.NewGuid().ToString(), Text = "底价 3550" }, Api.Bearer(adminToken));
        var rfq = (await negotiation.CreateRfqAsync(new CreateRfqRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, Title = "越权测试", ListingIds = { listing.ListingId, otherListing.ListingId }, Terms = NegotiationTerms() }, Api.Bearer(buyerToken))).Rfq;
        var rfqThread = rfq.Rows.Single(r => r.SellerEnterpriseId == a).ThreadId;

        // Buyer B orders from A twice: one order A confirms (with its contract), one left pending.
        var orders = new OrderService.OrderServiceClient(factory.NativeChannel());
        var contracts = new ContractService.ContractServiceClient(factory.NativeChannel());
        var today = DateOnly.FromDateTime(factory.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
        CreateOrderRequest OrderRequest() => new()
        {
            RequestId = Guid.NewGuid().ToString(),
            BuyerEnterpriseId = buyer.EnterpriseId,
            Source = new OrderSource { Lines = new OrderLines { Lines = { new OrderLineInput { ListingId = listing.ListingId, QuantityTonnes = new Protos.Common.V1.Decimal { Value = "30" } } } } },
            Details = new OrderDetails
            {
                DeliveryDate = new Protos.Common.V1.Date { Year = today.AddDays(10).Year, Month = today.AddDays(10).Month, Day = today.AddDays(10).Day },
                DeliveryAddress = new DeliveryAddress { Province = "上海市", City = "上海市", District = "宝山区", Street = "蕴川路 1000 号", ContactName = "李四", ContactPhone = "13900139000" },
                TransportMode = TransportMode.BuyerPickup,
                FreightBearer = FreightBearer.BuyerCollects,
                Invoice = new InvoiceDetails { Title = "买方测试有限公司", TaxNumber = "91350100M000100Y43", BankName = "中国银行上海分行", BankAccount = "123456789012", Address = "上海市宝山区", Phone = "021-12345678" },
            },
        };
        var placed = (await orders.CreateOrderAsync(OrderRequest(), Api.Bearer(buyerToken))).Order;
        var pendingOrder = (await orders.CreateOrderAsync(OrderRequest(), Api.Bearer(buyerToken))).Order;
        var contractId = (await orders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = placed.OrderId }, Api.Bearer(adminToken))).Order.ContractId;
        var contractSha = (await contracts.GetContractAsync(new GetContractRequest { ContractId = contractId }, Api.Bearer(adminToken))).Contract.DocumentSha256;

        var (outsiderToken, _, _) = await api.EnterpriseWithAdminAsync();
        var o = Api.Bearer(outsiderToken);

        var probes = new Dictionary<string, Func<Task>>
        {
            ["EnterpriseService/GetEnterprise"] = () => api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = a }, o).ResponseAsync,
            ["EnterpriseService/UpdateEnterprise"] = () => api.Enterprises.UpdateEnterpriseAsync(new UpdateEnterpriseRequest { EnterpriseId = a, Profile = Api.Profile() }, o).ResponseAsync,
            ["EnterpriseService/SubmitEnterpriseVerification"] = () => api.Enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = a }, o).ResponseAsync,
            ["EnterpriseService/InviteMember"] = () => api.Enterprises.InviteMemberAsync(new InviteMemberRequest { RequestId = Guid.NewGuid().ToString(), EnterpriseId = a, Invitee = Api.Email(Api.UniqueEmail()), Roles = { MemberRole.Admin } }, o).ResponseAsync,
            ["EnterpriseService/AcceptInvitation"] = () => api.Enterprises.AcceptInvitationAsync(new AcceptInvitationRequest { EnterpriseId = a, InvitationId = invitation.InvitationId }, o).ResponseAsync,
            ["EnterpriseService/DeclineInvitation"] = () => api.Enterprises.DeclineInvitationAsync(new DeclineInvitationRequest { EnterpriseId = a, InvitationId = invitation.InvitationId }, o).ResponseAsync,
            ["EnterpriseService/RevokeInvitation"] = () => api.Enterprises.RevokeInvitationAsync(new RevokeInvitationRequest { EnterpriseId = a, InvitationId = invitation.InvitationId }, o).ResponseAsync,
            ["EnterpriseService/ListMembers"] = () => api.Enterprises.ListMembersAsync(new ListMembersRequest { EnterpriseId = a }, o).ResponseAsync,
            ["EnterpriseService/UpdateMemberRoles"] = () => api.Enterprises.UpdateMemberRolesAsync(new UpdateMemberRolesRequest { EnterpriseId = a, UserId = admin.User.UserId, Roles = { MemberRole.Sales } }, o).ResponseAsync,
            ["EnterpriseService/RemoveMember"] = () => api.Enterprises.RemoveMemberAsync(new RemoveMemberRequest { EnterpriseId = a, UserId = admin.User.UserId }, o).ResponseAsync,
            ["FileService/UploadChunk"] = () => api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = upload.UploadId, Offset = 0, Data = ByteString.CopyFrom(new byte[10]) }, o).ResponseAsync,
            ["FileService/CompleteUpload"] = () => api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = upload.UploadId }, o).ResponseAsync,
            ["FileService/GetFile"] = () => api.Files.GetFileAsync(new GetFileRequest { FileId = file.FileId }, o).ResponseAsync,
            ["FileService/DownloadFile"] = async () =>
            {
                using var call = api.Files.DownloadFile(new DownloadFileRequest { FileId = file.FileId }, o);
                await call.ResponseStream.MoveNext(CancellationToken.None);
            },
            ["OperatorService/ListVerificationRequests"] = () => api.Operator.ListVerificationRequestsAsync(new ListVerificationRequestsRequest(), o).ResponseAsync,
            ["OperatorService/GetVerificationRequest"] = () => api.Operator.GetVerificationRequestAsync(new GetVerificationRequestRequest { EnterpriseId = a }, o).ResponseAsync,
            ["OperatorService/ApproveEnterpriseVerification"] = () => api.Operator.ApproveEnterpriseVerificationAsync(new ApproveEnterpriseVerificationRequest { EnterpriseId = a }, o).ResponseAsync,
            ["OperatorService/RejectEnterpriseVerification"] = () => api.Operator.RejectEnterpriseVerificationAsync(new RejectEnterpriseVerificationRequest { EnterpriseId = a, Reason = "越权测试" }, o).ResponseAsync,
            ["OperatorService/ListOutboxMessages"] = () => api.Operator.ListOutboxMessagesAsync(new ListOutboxMessagesRequest(), o).ResponseAsync,
            ["OperatorService/GetAuditTrail"] = () => api.Operator.GetAuditTrailAsync(new GetAuditTrailRequest { AggregateType = "enterprise", AggregateId = a }, o).ResponseAsync,
            ["OperatorService/RebuildReadModel"] = () => api.Operator.RebuildReadModelAsync(new RebuildReadModelRequest(), o).ResponseAsync,
            ["CatalogService/CreateListing"] = () => api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = a, Spec = Api.RebarSpec() }, o).ResponseAsync,
            ["CatalogService/UpdateListing"] = () => api.Catalog.UpdateListingAsync(new Protos.Catalog.V1.UpdateListingRequest { ListingId = listing.ListingId, Spec = Api.RebarSpec() }, o).ResponseAsync,
            ["CatalogService/UpdateListingStock"] = () => api.Catalog.UpdateListingStockAsync(new Protos.Catalog.V1.UpdateListingStockRequest { RequestId = Guid.NewGuid().ToString(), ListingId = listing.ListingId, StockTonnes = new Protos.Common.V1.Decimal { Value = "0" } }, o).ResponseAsync,
            ["CatalogService/DelistListing"] = () => api.Catalog.DelistListingAsync(new Protos.Catalog.V1.DelistListingRequest { ListingId = listing.ListingId }, o).ResponseAsync,
            ["CatalogService/RelistListing"] = () => api.Catalog.RelistListingAsync(new Protos.Catalog.V1.RelistListingRequest { ListingId = hidden.ListingId }, o).ResponseAsync,
            ["CatalogService/ListSellerListings"] = () => api.Catalog.ListSellerListingsAsync(new Protos.Catalog.V1.ListSellerListingsRequest { SellerEnterpriseId = a }, o).ResponseAsync,
            ["CatalogService/BulkUpsertListings"] = () => api.Catalog.BulkUpsertListingsAsync(new Protos.Catalog.V1.BulkUpsertListingsRequest
            {
                SellerEnterpriseId = a,
                Items = { new Protos.Catalog.V1.BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), ListingId = listing.ListingId, Spec = Api.RebarSpec("0") } },
            }, o).ResponseAsync,
            ["CatalogService/UpsertCategory"] = () => api.Catalog.UpsertCategoryAsync(new Protos.Catalog.V1.UpsertCategoryRequest
            {
                Category = new Protos.Catalog.V1.Category { CategoryId = "steel.rebar", ParentId = "steel", NameZh = "越权", NameEn = "Hijacked" },
            }, o).ResponseAsync,
            ["NegotiationService/CreateInquiry"] = () => negotiation.CreateInquiryAsync(new CreateInquiryRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, ListingId = listing.ListingId, Terms = NegotiationTerms() }, o).ResponseAsync,
            ["NegotiationService/CreateRfq"] = () => negotiation.CreateRfqAsync(new CreateRfqRequest { RequestId = Guid.NewGuid().ToString(), BuyerEnterpriseId = buyer.EnterpriseId, Title = "越权", ListingIds = { listing.ListingId, otherListing.ListingId }, Terms = NegotiationTerms() }, o).ResponseAsync,
            ["NegotiationService/GetRfq"] = () => negotiation.GetRfqAsync(new GetRfqRequest { RfqId = rfq.RfqId }, o).ResponseAsync,
            ["NegotiationService/AwardRfq"] = () => negotiation.AwardRfqAsync(new AwardRfqRequest { RfqId = rfq.RfqId, ThreadId = rfqThread, Version = 1 }, o).ResponseAsync,
            ["NegotiationService/GetThread"] = () => negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = thread.ThreadId }, o).ResponseAsync,
            ["NegotiationService/ListThreads"] = () => negotiation.ListThreadsAsync(new ListThreadsRequest { EnterpriseId = a, Side = Side.Seller }, o).ResponseAsync,
            ["NegotiationService/SubmitQuote"] = () => negotiation.SubmitQuoteAsync(new SubmitQuoteRequest { ThreadId = thread.ThreadId, Terms = NegotiationTerms() }, o).ResponseAsync,
            ["NegotiationService/CounterOffer"] = () => negotiation.CounterOfferAsync(new CounterOfferRequest { ThreadId = thread.ThreadId, Terms = NegotiationTerms() }, o).ResponseAsync,
            ["NegotiationService/AcceptQuote"] = () => negotiation.AcceptQuoteAsync(new AcceptQuoteRequest { ThreadId = thread.ThreadId, Version = quoted.OpenQuoteVersion }, o).ResponseAsync,
            ["NegotiationService/DeclineThread"] = () => negotiation.DeclineThreadAsync(new DeclineThreadRequest { ThreadId = thread.ThreadId }, o).ResponseAsync,
            ["NegotiationService/WithdrawQuote"] = () => negotiation.WithdrawQuoteAsync(new WithdrawQuoteRequest { ThreadId = thread.ThreadId, Version = quoted.OpenQuoteVersion }, o).ResponseAsync,
            ["NegotiationService/DiffVersions"] = () => negotiation.DiffVersionsAsync(new DiffVersionsRequest { ThreadId = thread.ThreadId, FromVersion = 1, ToVersion = 2 }, o).ResponseAsync,
            ["NegotiationService/SendMessage"] = () => negotiation.SendMessageAsync(new SendMessageRequest { ThreadId = thread.ThreadId, ClientMessageId = Guid.NewGuid().ToString(), Text = "越权" }, o).ResponseAsync,
            ["NegotiationService/ListMessages"] = () => negotiation.ListMessagesAsync(new ListMessagesRequest { ThreadId = thread.ThreadId }, o).ResponseAsync,
            ["NegotiationService/MarkThreadRead"] = () => negotiation.MarkThreadReadAsync(new MarkThreadReadRequest { ThreadId = thread.ThreadId, UpToSequence = 1 }, o).ResponseAsync,
            ["OrderService/PreviewOrder"] = () => orders.PreviewOrderAsync(new PreviewOrderRequest { BuyerEnterpriseId = buyer.EnterpriseId, Source = OrderRequest().Source, Details = OrderRequest().Details }, o).ResponseAsync,
            ["OrderService/CreateOrder"] = () => orders.CreateOrderAsync(OrderRequest(), o).ResponseAsync,
            ["OrderService/GetOrder"] = () => orders.GetOrderAsync(new GetOrderRequest { OrderId = placed.OrderId }, o).ResponseAsync,
            ["OrderService/ListOrders"] = () => orders.ListOrdersAsync(new ListOrdersRequest { EnterpriseId = a, Role = OrderRole.Seller }, o).ResponseAsync,
            ["OrderService/ApproveOrder"] = () => orders.ApproveOrderAsync(new ApproveOrderRequest { OrderId = pendingOrder.OrderId }, o).ResponseAsync,
            ["OrderService/RejectApproval"] = () => orders.RejectApprovalAsync(new RejectApprovalRequest { OrderId = pendingOrder.OrderId, Comment = "越权" }, o).ResponseAsync,
            ["OrderService/ConfirmOrder"] = () => orders.ConfirmOrderAsync(new ConfirmOrderRequest { OrderId = pendingOrder.OrderId }, o).ResponseAsync,
            ["OrderService/RejectOrder"] = () => orders.RejectOrderAsync(new RejectOrderRequest { OrderId = pendingOrder.OrderId, Reason = "越权" }, o).ResponseAsync,
            ["OrderService/CancelOrder"] = () => orders.CancelOrderAsync(new CancelOrderRequest { OrderId = pendingOrder.OrderId }, o).ResponseAsync,
            ["OrderService/SetFreightRules"] = () => orders.SetFreightRulesAsync(new SetFreightRulesRequest { SellerEnterpriseId = a }, o).ResponseAsync,
            ["ContractService/GetContract"] = () => contracts.GetContractAsync(new GetContractRequest { ContractId = contractId }, o).ResponseAsync,
            ["ContractService/ListContracts"] = () => contracts.ListContractsAsync(new ListContractsRequest { EnterpriseId = a }, o).ResponseAsync,
            ["ContractService/DownloadContract"] = () => contracts.DownloadContractAsync(new DownloadContractRequest { ContractId = contractId }, o).ResponseAsync,
            ["ContractService/EnrollSigningKey"] = () => contracts.EnrollSigningKeyAsync(new EnrollSigningKeyRequest { EnterpriseId = a, SigningSecret = "outsider-secret" }, o).ResponseAsync,
            ["ContractService/SignContract"] = () => contracts.SignContractAsync(new SignContractRequest { ContractId = contractId, EnterpriseId = a, SigningSecret = "outsider-secret", DocumentSha256 = contractSha }, o).ResponseAsync,
            ["ContractService/VerifyContract"] = () => contracts.VerifyContractAsync(new VerifyContractRequest { ContractId = contractId }, o).ResponseAsync,
            ["NegotiationService/WatchThread"] = async () =>
            {
                using var call = negotiation.WatchThread(new WatchThreadRequest { ThreadId = thread.ThreadId }, o);
                await call.ResponseStream.MoveNext(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
            },
        };

        var all = s_services.SelectMany(s => s.Methods.Select(m => $"{s.Name}/{m.Name}")).ToHashSet();
        Assert.Contains(s_services, s => s.Name == "CatalogService");
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = hidden.ListingId }, o).ResponseAsync);
        using (var watch = api.Catalog.WatchListings(new Protos.Catalog.V1.WatchListingsRequest { ListingIds = { hidden.ListingId } }, o))
        {
            Assert.True(await watch.ResponseStream.MoveNext(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token));
            Assert.Equal((hidden.ListingId, Protos.Catalog.V1.ListingStatus.Delisted, null), (watch.ResponseStream.Current.Listing.ListingId, watch.ResponseStream.Current.Listing.Status, watch.ResponseStream.Current.Listing.Spec));
        }

        // A seller of its own enterprise cannot reach another seller's listing through a bulk item either.
        var (ownToken, _, own) = await api.VerifiedSellerAsync();
        var crossed = await api.Catalog.BulkUpsertListingsAsync(new Protos.Catalog.V1.BulkUpsertListingsRequest
        {
            SellerEnterpriseId = own.EnterpriseId,
            Items = { new Protos.Catalog.V1.BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), ListingId = listing.ListingId, Spec = Api.RebarSpec("0") } },
        }, Api.Bearer(ownToken));
        Assert.Equal((int)StatusCode.NotFound, Assert.Single(crossed.Results).ErrorCode);
        var unclassified = all.Except(probes.Keys).Except(s_callerScoped.Keys).ToList();
        Assert.True(unclassified.Count == 0, "Classify these RPCs in the BOLA matrix: " + string.Join(", ", unclassified));

        foreach (var (rpc, probe) in probes)
        {
            var error = await Assert.ThrowsAsync<RpcException>(probe);
            Assert.True(error.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied, $"{rpc} answered {error.StatusCode}: {error.Status.Detail}");
        }

        var started = await Assert.ThrowsAsync<RpcException>(() => api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "x.png", SizeBytes = 10, EnterpriseId = a }, o).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, started.StatusCode);

        await Task.Delay(200);
        var mine = await api.Enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest(), o);
        Assert.DoesNotContain(mine.Enterprises, e => e.EnterpriseId == a);
        var invitations = await api.Enterprises.ListMyInvitationsAsync(new ListMyInvitationsRequest(), o);
        Assert.Empty(invitations.Invitations);

        // Inbox RPCs are caller-scoped: the outsider sees none of A's notices and marking A's thread read changes nothing for A.
        var sellerUnread = await Api.EventuallyAsync(
            () => inbox.ListNotificationsAsync(new ListNotificationsRequest { UnreadOnly = true, PageSize = 100 }, Api.Bearer(adminToken)).ResponseAsync,
            r => r.Notifications.Any(n => n.SubjectId == thread.ThreadId));
        Assert.Contains(sellerUnread.Notifications, n => n.SubjectId == thread.ThreadId);
        await inbox.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { SubjectId = thread.ThreadId }, o);
        await inbox.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { All = true }, o);
        var outsiderInbox = await inbox.ListNotificationsAsync(new ListNotificationsRequest { PageSize = 100 }, o);
        Assert.DoesNotContain(outsiderInbox.Notifications, n => n.SubjectId == thread.ThreadId || n.SubjectId == rfqThread);
        var sellerAfter = await inbox.ListNotificationsAsync(new ListNotificationsRequest { UnreadOnly = true, PageSize = 100 }, Api.Bearer(adminToken));
        Assert.Equal(sellerUnread.UnreadCount, sellerAfter.UnreadCount);
        Assert.Contains(sellerAfter.Notifications, n => n.SubjectId == thread.ThreadId);

        // Nothing the outsider tried moved the thread.
        var untouched = (await negotiation.GetThreadAsync(new GetThreadRequest { ThreadId = thread.ThreadId }, Api.Bearer(adminToken))).Thread;
        Assert.Equal((ThreadStatus.Quoted, 2), (untouched.Status, untouched.Offers.Count));
        Assert.Equal("底价 3550", Assert.Single((await negotiation.ListMessagesAsync(new ListMessagesRequest { ThreadId = thread.ThreadId }, Api.Bearer(buyerToken))).Messages).Text);

        var stillThere = await api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = a }, Api.Bearer(adminToken));
        Assert.Equal(enterprise.Profile.LegalName, stillThere.Enterprise.Profile.LegalName);
        Assert.Equal(VerificationStatus.Verified, stillThere.Enterprise.VerificationStatus);
        Assert.Equal(Protos.Catalog.V1.ListingStatus.Active, (await api.Catalog.GetListingAsync(new Protos.Catalog.V1.GetListingRequest { ListingId = listing.ListingId }, Api.Bearer(adminToken))).Listing.Status);
    }

    [Fact]
    public async Task ForbiddenAndMissingEnterprisesAnswerIdentically()
    {
        var api = new Api(factory.NativeChannel(), factory);
        var (_, _, enterprise) = await api.EnterpriseWithAdminAsync();
        var (outsiderToken, _, _) = await api.EnterpriseWithAdminAsync();
        var forbidden = await Assert.ThrowsAsync<RpcException>(() => api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(outsiderToken)).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = "ent_0000000000000000000000" }, Api.Bearer(outsiderToken)).ResponseAsync);
        Assert.Equal(missing.StatusCode, forbidden.StatusCode);
        Assert.Equal(missing.Status.Detail, forbidden.Status.Detail);
    }

    [Fact]
    public async Task AMemberWithoutTheAdminRoleCannotManageMembers()
    {
        var api = new Api(factory.NativeChannel(), factory);
        var (adminToken, _, enterprise) = await api.EnterpriseWithAdminAsync();
        var email = Api.UniqueEmail();
        var invitation = await api.Enterprises.InviteMemberAsync(new InviteMemberRequest { RequestId = Guid.NewGuid().ToString(), EnterpriseId = enterprise.EnterpriseId, Invitee = Api.Email(email), Roles = { MemberRole.Purchaser } }, Api.Bearer(adminToken));
        var purchaser = await api.RegisterAsync(Api.Email(email));
        await api.Enterprises.AcceptInvitationAsync(new AcceptInvitationRequest { EnterpriseId = enterprise.EnterpriseId, InvitationId = invitation.Invitation.InvitationId }, Api.Bearer(purchaser.Tokens.AccessToken));

        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => api.Enterprises.InviteMemberAsync(new InviteMemberRequest { RequestId = Guid.NewGuid().ToString(), EnterpriseId = enterprise.EnterpriseId, Invitee = Api.Email(Api.UniqueEmail()), Roles = { MemberRole.Admin } }, Api.Bearer(purchaser.Tokens.AccessToken)).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => api.Enterprises.UpdateMemberRolesAsync(new UpdateMemberRolesRequest { EnterpriseId = enterprise.EnterpriseId, UserId = purchaser.User.UserId, Roles = { MemberRole.Admin } }, Api.Bearer(purchaser.Tokens.AccessToken)).ResponseAsync);
        var seen = await api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(purchaser.Tokens.AccessToken));
        Assert.Contains("****", seen.Enterprise.Profile.BankAccounts[0].AccountNumber, StringComparison.Ordinal);
    }
}
