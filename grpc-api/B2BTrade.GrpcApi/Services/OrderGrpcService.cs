using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Grains;
using B2BTrade.Grains.Identity;
using B2BTrade.GrpcApi.Extensions;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Contract.V1;
using B2BTrade.Protos.Order.V1;
using B2BTrade.Silo.ReadModel;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using VerificationPurpose = B2BTrade.Domain.Identity.VerificationPurpose;

namespace B2BTrade.GrpcApi.Services;

/// <summary>Orders: the order grains hold the rules and decide who may see and move an order; lists come from the read model.</summary>
[Authorize]
public sealed partial class OrderGrpcService(IGrainFactory grains, OrderQueries queries, ILogger<OrderGrpcService> logger) : OrderService.OrderServiceBase
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was placed but its lines could not be removed from the cart")]
    private static partial void LogCartCleanupFailed(ILogger logger, Exception exception, string orderId);

    public override async Task<PreviewOrderResponse> PreviewOrder(PreviewOrderRequest request, ServerCallContext context)
    {
        var buyer = RequestParsing.Id(request.BuyerEnterpriseId, "ent", "buyer_enterprise_id");
        var order = OrderMapping.Place(buyer, request.Source, request.Details, null);
        var preview = await grains.GetGrain<IOrderPricingGrain>(0).PreviewAsync(context.Caller(), order);
        return new PreviewOrderResponse
        {
            Price = OrderMapping.Price(preview.Price, context.Locale() == "en-US"),
            SellerEnterpriseId = preview.SellerEnterpriseId,
            NeedsApproval = preview.NeedsApproval,
        };
    }

    public override async Task<CreateOrderResponse> CreateOrder(CreateOrderRequest request, ServerCallContext context)
    {
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var buyer = RequestParsing.Id(request.BuyerEnterpriseId, "ent", "buyer_enterprise_id");
        var order = OrderMapping.Place(buyer, request.Source, request.Details, request.ExpectedTotal);
        var state = await grains.GetGrain<IOrderGrain>(Ids.Derived("ord", buyer, requestId)).PlaceAsync(context.Caller(), requestId, order);
        if (request.Source.Lines?.RemoveFromCart == true)
        {
            // The order stands either way; a line left in the cart is the buyer's to remove, so a failure here is not the call's.
            try
            {
                await grains.GetGrain<ICartGrain>(context.Caller().UserId).RemoveAsync([.. order.Lines.Select(l => l.ListingId)]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCartCleanupFailed(logger, e, state.OrderId);
            }
        }

        return new CreateOrderResponse { Order = OrderMapping.Order(state, context.Locale() == "en-US") };
    }

    public override async Task<GetOrderResponse> GetOrder(GetOrderRequest request, ServerCallContext context) =>
        new() { Order = OrderMapping.Order(await Order(request.OrderId).GetAsync(context.Caller()), context.Locale() == "en-US") };

    public override async Task<ListOrdersResponse> ListOrders(ListOrdersRequest request, ServerCallContext context)
    {
        var enterprise = RequestParsing.Id(request.EnterpriseId, "ent", "enterprise_id");
        var role = RequestParsing.Enum<OrderRole>((int)request.Role, "role");
        var statuses = request.Statuses.Select((s, i) => (int)RequestParsing.Enum<Domain.Orders.OrderStatus>((int)s, $"statuses[{i}]")).Distinct().ToList();
        var pageSize = RequestParsing.PageSize(request.PageSize);
        var roles = await grains.GetGrain<IEnterpriseGrain>(enterprise).GetRolesAsync(context.Caller().UserId);
        if (roles.Length == 0)
        {
            throw Errors.NotFound("Enterprise", "企业");
        }

        var asBuyer = role == OrderRole.Buyer;
        if (!roles.Any(r => r is MemberRole.Admin or MemberRole.Signatory or MemberRole.Finance || r == (asBuyer ? MemberRole.Purchaser : MemberRole.Sales)))
        {
            throw Errors.PermissionDenied(
                asBuyer ? "Only purchasers, finance, signatories and admins see the enterprise's orders." : "Only sales staff, finance, signatories and admins see the orders placed with the enterprise.",
                asBuyer ? "仅采购、财务、签约代表或管理员可以查看本企业的采购订单。" : "仅销售、财务、签约代表或管理员可以查看本企业的销售订单。");
        }

        var page = await queries.ListOrdersAsync(enterprise, asBuyer, statuses, pageSize, request.PageToken);
        var response = new ListOrdersResponse { NextPageToken = page.NextPageToken };
        response.Orders.AddRange(page.Items.Select(OrderMapping.Summary));
        return response;
    }

    public override async Task<ApproveOrderResponse> ApproveOrder(ApproveOrderRequest request, ServerCallContext context) =>
        new() { Order = OrderMapping.Order(await Order(request.OrderId).ApproveAsync(context.Caller(), request.Comment), context.Locale() == "en-US") };

    public override async Task<RejectApprovalResponse> RejectApproval(RejectApprovalRequest request, ServerCallContext context) =>
        new() { Order = OrderMapping.Order(await Order(request.OrderId).RejectApprovalAsync(context.Caller(), request.Comment), context.Locale() == "en-US") };

    public override async Task<ConfirmOrderResponse> ConfirmOrder(ConfirmOrderRequest request, ServerCallContext context) =>
        new() { Order = OrderMapping.Order(await Order(request.OrderId).ConfirmAsync(context.Caller()), context.Locale() == "en-US") };

    public override async Task<RejectOrderResponse> RejectOrder(RejectOrderRequest request, ServerCallContext context) =>
        new() { Order = OrderMapping.Order(await Order(request.OrderId).RejectAsync(context.Caller(), request.Reason), context.Locale() == "en-US") };

    public override async Task<CancelOrderResponse> CancelOrder(CancelOrderRequest request, ServerCallContext context) =>
        new() { Order = OrderMapping.Order(await Order(request.OrderId).CancelAsync(context.Caller(), request.Reason), context.Locale() == "en-US") };

    public override async Task<GetFreightRulesResponse> GetFreightRules(GetFreightRulesRequest request, ServerCallContext context)
    {
        var seller = RequestParsing.Id(request.SellerEnterpriseId, "ent", "seller_enterprise_id");
        var set = await grains.GetGrain<IFreightRulesGrain>(seller).GetAsync();
        var response = new GetFreightRulesResponse { UpdatedAt = set.UpdatedAt is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null };
        response.Rules.AddRange(set.Rules.Select(OrderMapping.FreightRule));
        return response;
    }

    public override async Task<SetFreightRulesResponse> SetFreightRules(SetFreightRulesRequest request, ServerCallContext context)
    {
        var seller = RequestParsing.Id(request.SellerEnterpriseId, "ent", "seller_enterprise_id");
        if (request.Rules.Count > Domain.Orders.FreightRules.MaxRules)
        {
            throw Errors.InvalidField("rules", "TOO_MANY", $"At most {Domain.Orders.FreightRules.MaxRules} rules.", $"运费规则最多 {Domain.Orders.FreightRules.MaxRules} 条。");
        }

        var set = await grains.GetGrain<IFreightRulesGrain>(seller).SetAsync(context.Caller(), OrderMapping.FreightRules(request.Rules));
        var response = new SetFreightRulesResponse();
        response.Rules.AddRange(set.Rules.Select(OrderMapping.FreightRule));
        return response;
    }

    private IOrderGrain Order(string? orderId) => grains.GetGrain<IOrderGrain>(RequestParsing.Id(orderId, "ord", "order_id"));
}

/// <summary>The caller's own cart; lines are priced live from the listings (tiers at the line's quantity).</summary>
[Authorize]
public sealed class CartGrpcService(IGrainFactory grains) : CartService.CartServiceBase
{
    public override async Task<GetCartResponse> GetCart(GetCartRequest request, ServerCallContext context)
    {
        var response = new GetCartResponse();
        response.Items.AddRange(await PriceAsync(await Cart(context).GetAsync()));
        return response;
    }

    public override async Task<SetCartItemResponse> SetCartItem(SetCartItemRequest request, ServerCallContext context)
    {
        var listing = RequestParsing.Id(request.ListingId, "lst", "listing_id");
        var quantity = CatalogMapping.Tonnes(request.QuantityTonnes, "quantity_tonnes");
        var response = new SetCartItemResponse();
        response.Items.AddRange(await PriceAsync(await Cart(context).SetAsync(listing, quantity)));
        return response;
    }

    public override async Task<RemoveCartItemsResponse> RemoveCartItems(RemoveCartItemsRequest request, ServerCallContext context)
    {
        var ids = request.ListingIds.Select((id, i) => RequestParsing.Id(id, "lst", $"listing_ids[{i}]")).ToImmutableArray();
        var response = new RemoveCartItemsResponse();
        response.Items.AddRange(await PriceAsync(await Cart(context).RemoveAsync(ids)));
        return response;
    }

    private ICartGrain Cart(ServerCallContext context) => grains.GetGrain<ICartGrain>(context.Caller().UserId);

    private async Task<List<CartItem>> PriceAsync(IReadOnlyList<CartLine> lines)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = new List<CartItem>();
        foreach (var line in lines)
        {
            var listing = (await grains.GetGrain<IListingGrain>(line.ListingId).GetAsync()).State;
            if (!names.TryGetValue(listing.SellerEnterpriseId, out var sellerName))
            {
                sellerName = await grains.GetGrain<IEnterpriseGrain>(listing.SellerEnterpriseId).GetLegalNameAsync() ?? "";
                names[listing.SellerEnterpriseId] = sellerName;
            }

            var item = new CartItem
            {
                ListingId = listing.ListingId,
                Name = listing.Name,
                SellerEnterpriseId = listing.SellerEnterpriseId,
                SellerName = sellerName,
                QuantityTonnes = new Protos.Common.V1.Decimal { Value = line.Quantity.ToString() },
                MinOrderTonnes = new Protos.Common.V1.Decimal { Value = listing.MinOrder.ToString() },
                AvailableTonnes = new Protos.Common.V1.Decimal { Value = listing.Stock.ToString() },
                UpdatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(line.UpdatedAt),
            };
            try
            {
                var quote = ListingRules.PriceForQuantity(listing, null, line.Quantity);
                item.UnitPrice = ProtoMapping.Money(quote.UnitPrice);
                item.Amount = ProtoMapping.Money(quote.Total ?? 0);
                item.Problem = line.Quantity > listing.Stock ? "INSUFFICIENT_STOCK" : "";
            }
            catch (DomainException e)
            {
                item.Problem = e.Reason == "BELOW_MOQ" ? "BELOW_MIN_ORDER" : "LISTING_UNAVAILABLE";
            }

            items.Add(item);
        }

        return items;
    }
}

/// <summary>Contracts and their signatures; the contract and signing-key grains hold the rules.</summary>
[Authorize]
public sealed class ContractGrpcService(IGrainFactory grains, OrderQueries queries) : ContractService.ContractServiceBase
{
    /// <summary>
    /// A document sent for verification larger than this is refused. Contract PDFs embed their whole CJK font (≈ 2.3 MB),
    /// so this service alone accepts messages above the API's 2 MB default.
    /// </summary>
    public const int MaxVerifyDocumentBytes = 8 * 1024 * 1024;

    public override async Task<GetContractResponse> GetContract(GetContractRequest request, ServerCallContext context) =>
        new() { Contract = OrderMapping.Contract(await Contract(request.ContractId).GetAsync(context.Caller())) };

    public override async Task<ListContractsResponse> ListContracts(ListContractsRequest request, ServerCallContext context)
    {
        var enterprise = RequestParsing.Id(request.EnterpriseId, "ent", "enterprise_id");
        var pageSize = RequestParsing.PageSize(request.PageSize);
        var roles = await grains.GetGrain<IEnterpriseGrain>(enterprise).GetRolesAsync(context.Caller().UserId);
        if (roles.Length == 0)
        {
            throw Errors.NotFound("Enterprise", "企业");
        }

        var page = await queries.ListContractsAsync(enterprise, pageSize, request.PageToken);
        var response = new ListContractsResponse { NextPageToken = page.NextPageToken };
        response.Contracts.AddRange(page.Items.Select(OrderMapping.Summary));
        return response;
    }

    public override async Task<DownloadContractResponse> DownloadContract(DownloadContractRequest request, ServerCallContext context)
    {
        if (request.Format is not (DocumentFormat.Unspecified or DocumentFormat.Pdf or DocumentFormat.Html))
        {
            throw Errors.InvalidField("format", "INVALID_ENUM", "Choose PDF or HTML.", "请选择 PDF 或 HTML。");
        }

        var document = await Contract(request.ContractId).DownloadAsync(context.Caller(), request.Format == DocumentFormat.Html);
        return new DownloadContractResponse
        {
            Content = ByteString.CopyFrom(document.Content),
            ContentType = document.ContentType,
            FileName = document.FileName,
            Sha256 = document.Sha256,
        };
    }

    public override async Task<EnrollSigningKeyResponse> EnrollSigningKey(EnrollSigningKeyRequest request, ServerCallContext context)
    {
        var enterprise = RequestParsing.Id(request.EnterpriseId, "ent", "enterprise_id");
        var caller = context.Caller();
        var signingKey = grains.GetGrain<ISigningKeyGrain>(Grains.Contracts.SigningKeyGrain.KeyFor(caller.UserId, enterprise));
        SigningKeyInfo key;
        if (string.IsNullOrEmpty(request.VerificationCode))
        {
            key = await signingKey.EnrollAsync(caller, enterprise, request.SigningSecret ?? "", request.CurrentSigningSecret);
        }
        else
        {
            // A forgotten secret: the code proves the account (its phone or email), which a stolen session alone cannot.
            var address = RequestParsing.Address(request.VerificationAddress, "verification_address");
            if (await grains.GetGrain<IUniqueClaimGrain>(address.Key).GetOwnerAsync() != caller.UserId)
            {
                throw Errors.InvalidField("verification_address", "NOT_YOUR_ADDRESS", "Use a phone number or email you log in with.", "请使用您本人登录所用的手机号或邮箱。");
            }

            var codes = grains.GetGrain<IVerificationCodeGrain>(VerificationCodeGrain.Key(VerificationPurpose.SigningKey, address));
            var issueId = await codes.VerifyAsync(request.VerificationCode, "verification_code");
            key = await signingKey.EnrollAsync(caller, enterprise, request.SigningSecret ?? "", accountReverified: true);
            await codes.ConsumeAsync(issueId);
        }

        return new EnrollSigningKeyResponse { KeyId = key.KeyId, PublicKey = ByteString.CopyFrom(key.PublicKey), CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(key.CreatedAt) };
    }

    public override async Task<GetSigningKeyResponse> GetSigningKey(GetSigningKeyRequest request, ServerCallContext context)
    {
        var enterprise = RequestParsing.Id(request.EnterpriseId, "ent", "enterprise_id");
        var caller = context.Caller();
        var key = await grains.GetGrain<ISigningKeyGrain>(Grains.Contracts.SigningKeyGrain.KeyFor(caller.UserId, enterprise)).GetCurrentAsync();
        return key is null
            ? new GetSigningKeyResponse { Enrolled = false }
            : new GetSigningKeyResponse { Enrolled = true, KeyId = key.KeyId, PublicKey = ByteString.CopyFrom(key.PublicKey), CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(key.CreatedAt) };
    }

    public override async Task<SignContractResponse> SignContract(SignContractRequest request, ServerCallContext context)
    {
        var enterprise = RequestParsing.Id(request.EnterpriseId, "ent", "enterprise_id");
        var sha = RequestParsing.Required(request.DocumentSha256, "document_sha256", "Document hash", "文件哈希");
        var secret = RequestParsing.Required(request.SigningSecret, "signing_secret", "Signing secret", "签署密码");
        var state = await Contract(request.ContractId).SignAsync(context.Caller(), enterprise, secret, sha);
        return new SignContractResponse { Contract = OrderMapping.Contract(state) };
    }

    public override async Task<VerifyContractResponse> VerifyContract(VerifyContractRequest request, ServerCallContext context)
    {
        if (request.Document.Length > MaxVerifyDocumentBytes)
        {
            throw Errors.InvalidField("document", "TOO_LARGE", "The document is larger than 8 MB.", "文件超过 8 MB。");
        }

        var result = await Contract(request.ContractId).VerifyAsync(context.Caller(), request.Document.Length > 0 ? request.Document.ToByteArray() : null);
        var response = new VerifyContractResponse
        {
            Valid = result.Valid,
            DocumentSha256 = result.DocumentSha256,
            ExpectedSha256 = result.ExpectedSha256,
            DocumentTampered = result.DocumentTampered,
            FullySigned = result.FullySigned,
        };
        response.Signatures.AddRange(result.Signatures.Select(c => new SignatureCheck
        {
            Signature = OrderMapping.Signature(c.Signature),
            SignatureValid = c.SignatureValid,
            TimestampValid = c.TimestampValid,
            KeyBelongsToSigner = c.KeyBelongsToSigner,
        }));
        response.Findings.AddRange(context.Locale() == "en-US" ? result.FindingsEn : result.FindingsZh);
        return response;
    }

    private IContractGrain Contract(string? contractId) => grains.GetGrain<IContractGrain>(RequestParsing.Id(contractId, "ctr", "contract_id"));
}
