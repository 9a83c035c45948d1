using B2BTrade.Protos.Order.V1;

namespace B2BTrade.Client;

/// <summary>
/// Orders (下单): from the agreed terms of a negotiation or from listing lines (a cart, an ERP order), priced line by line
/// (goods, freight, loading, discounts, VAT), with buyer approval, seller confirmation and the contract that follows.
/// Buyer-side Purchasers and Admins place and see the buyer's orders, Sales and Admins the seller's; anyone else gets
/// NOT_FOUND. Build the goods with <see cref="OrderSources"/> and the buyer's details with <see cref="OrderForm"/>.
/// <para>
/// <see cref="CreateAsync"/> carries a request id, generated once per call when you pass none, and sends it unchanged on
/// every automatic retry after UNAVAILABLE or DEADLINE_EXCEEDED, so a lost answer never places a second order. Reads are
/// retried too. Approvals, confirmations, rejections and cancellations carry no id and are not retried once the request
/// may have reached the server: re-read the order (<see cref="Order.Status"/> tells whether it went through).
/// </para>
/// </summary>
public sealed class OrdersClient
{
    private readonly OrderService.OrderServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal OrdersClient(OrderService.OrderServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>Prices an order exactly as <see cref="CreateAsync"/> would, without saving or reserving anything.</summary>
    /// <param name="buyerEnterpriseId">The buyer enterprise; the caller is its Purchaser or Admin.</param>
    /// <param name="source">What is ordered (<see cref="OrderSources"/>).</param>
    /// <param name="details">The buyer's details; the delivery address decides freight.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The price breakdown, the seller and whether the order would wait for approval.</returns>
    /// <exception cref="B2BTradeValidationException">Bad input; see <see cref="B2BTradeException.FieldViolations"/> (e.g. <c>details.delivery_address.province</c>).</exception>
    /// <exception cref="B2BTradePreconditionException">E.g. <c>BELOW_MOQ</c>, <c>INSUFFICIENT_STOCK</c>, a negotiation not accepted.</exception>
    public Task<PreviewOrderResponse> PreviewAsync(string buyerEnterpriseId, OrderSource source, OrderForm details, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(details);
        var request = new PreviewOrderRequest { BuyerEnterpriseId = buyerEnterpriseId, Source = source, Details = details.ToProto() };
        return _pipeline.RunAsync(o => _client.PreviewOrderAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
    }

    /// <summary>
    /// Places an order and reserves its stock. The request id is sent unchanged on every automatic retry, so a retry after
    /// a lost answer returns the order placed the first time. Pass your own <paramref name="requestId"/> (e.g. your
    /// purchase order number, kept with your record) to make repeats across process restarts safe too: the same id from
    /// the same buyer enterprise always answers with the same order.
    /// </summary>
    /// <param name="buyerEnterpriseId">The buyer enterprise; the caller is its Purchaser or Admin.</param>
    /// <param name="source">What is ordered (<see cref="OrderSources"/>).</param>
    /// <param name="details">The buyer's details.</param>
    /// <param name="expectedTotal">
    /// The total incl. tax the buyer saw (e.g. in <see cref="PreviewAsync"/>); the order is refused if the price moved.
    /// Null for no check.
    /// </param>
    /// <param name="requestId">Idempotency key, 8 to 64 letters, digits, '-' or '_' (a UUID or PO-2026-00017 fits); a new GUID when null.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order: <see cref="OrderStatus.PendingConfirmation"/>, or <see cref="OrderStatus.PendingApproval"/> above the caller's spending limit.</returns>
    /// <exception cref="B2BTradeValidationException">Bad input (field paths such as <c>details.invoice.tax_number</c>), or <c>REQUEST_ID_REUSED</c> for an id used with another order.</exception>
    /// <exception cref="B2BTradePreconditionException">E.g. <c>BELOW_MOQ</c>, <c>INSUFFICIENT_STOCK</c>, or the total differs from <paramref name="expectedTotal"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="expectedTotal"/> has more than 2 decimal places, or <paramref name="requestId"/> is empty.</exception>
    public async Task<Order> CreateAsync(string buyerEnterpriseId, OrderSource source, OrderForm details, decimal? expectedTotal = null, string? requestId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(details);
        if (requestId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        }

        // Built once: every attempt sends the same request id.
        var request = new CreateOrderRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(),
            BuyerEnterpriseId = buyerEnterpriseId,
            Source = source,
            Details = details.ToProto(),
            ExpectedTotal = expectedTotal is { } total ? CatalogValues.Cny(total) : null,
        };
        var response = await _pipeline.RunAsync(o => _client.CreateOrderAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Order;
    }

    /// <summary>Returns an order with its price breakdown and status history.</summary>
    /// <param name="orderId">The order (<c>ord_…</c>).</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order.</returns>
    /// <exception cref="B2BTradeNotFoundException">No such order, or the caller is on neither side of it.</exception>
    public async Task<Order> GetAsync(string orderId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetOrderRequest { OrderId = orderId };
        var response = await _pipeline.RunAsync(o => _client.GetOrderAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Order;
    }

    /// <summary>Streams an enterprise's orders as buyer (my orders) or as seller (order management), newest first.</summary>
    /// <param name="enterpriseId">The caller's enterprise.</param>
    /// <param name="role">As buyer or as seller.</param>
    /// <param name="statuses">Only these statuses; null or empty for all.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default (20).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The orders.</returns>
    public IAsyncEnumerable<OrderSummary> ListAsync(string enterpriseId, OrderRole role, IEnumerable<OrderStatus>? statuses = null, int pageSize = 0, CancellationToken cancellationToken = default)
    {
        var filter = statuses?.ToList() ?? [];
        return Paging.ReadAllAsync(
            (token, ct) =>
            {
                var request = new ListOrdersRequest { EnterpriseId = enterpriseId, Role = role, Statuses = { filter }, PageSize = pageSize, PageToken = token };
                return _pipeline.RunAsync(o => _client.ListOrdersAsync(request, o).ResponseAsync, CallPolicy.Read, null, ct);
            },
            page => page.Orders,
            page => page.NextPageToken,
            cancellationToken);
    }

    /// <summary>
    /// Buyer approver (an Admin of the buyer): approves an order waiting for approval; it goes to the seller. Not retried
    /// once the request may have reached the server.
    /// </summary>
    /// <param name="orderId">The order.</param>
    /// <param name="comment">Optional comment, up to 500 characters.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order, <see cref="OrderStatus.PendingConfirmation"/>.</returns>
    /// <exception cref="B2BTradePreconditionException">The order is not waiting for approval.</exception>
    public async Task<Order> ApproveAsync(string orderId, string? comment = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ApproveOrderRequest { OrderId = orderId, Comment = comment ?? string.Empty };
        var response = await _pipeline.RunAsync(o => _client.ApproveOrderAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Order;
    }

    /// <summary>Buyer approver: rejects an order waiting for approval; its stock is released. Not retried once sent.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="comment">Why, 1 to 500 characters.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order, <see cref="OrderStatus.Cancelled"/>.</returns>
    public async Task<Order> RejectApprovalAsync(string orderId, string comment, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new RejectApprovalRequest { OrderId = orderId, Comment = comment ?? string.Empty };
        var response = await _pipeline.RunAsync(o => _client.RejectApprovalAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Order;
    }

    /// <summary>
    /// Seller: confirms the order; the contract is generated from its terms (<see cref="Order.ContractId"/>). Not retried
    /// once the request may have reached the server: after a transient error re-read with <see cref="GetAsync"/>.
    /// </summary>
    /// <param name="orderId">The order.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order, <see cref="OrderStatus.Confirmed"/>, with its contract id.</returns>
    /// <exception cref="B2BTradePreconditionException">The order is not waiting for confirmation (cancelled, expired, already answered).</exception>
    public async Task<Order> ConfirmAsync(string orderId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ConfirmOrderRequest { OrderId = orderId };
        var response = await _pipeline.RunAsync(o => _client.ConfirmOrderAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Order;
    }

    /// <summary>Seller: rejects the order with a reason; its stock is released. Not retried once sent.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="reason">Why, 1 to 500 characters, shown to the buyer.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order, <see cref="OrderStatus.Rejected"/>.</returns>
    public async Task<Order> RejectAsync(string orderId, string reason, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new RejectOrderRequest { OrderId = orderId, Reason = reason ?? string.Empty };
        var response = await _pipeline.RunAsync(o => _client.RejectOrderAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Order;
    }

    /// <summary>Buyer: cancels the order before the seller confirmed it; its stock is released. Not retried once sent.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="reason">Why, up to 500 characters; null for none.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order, <see cref="OrderStatus.Cancelled"/>.</returns>
    /// <exception cref="B2BTradePreconditionException">The seller already confirmed or rejected it.</exception>
    public async Task<Order> CancelAsync(string orderId, string? reason = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new CancelOrderRequest { OrderId = orderId, Reason = reason ?? string.Empty };
        var response = await _pipeline.RunAsync(o => _client.CancelOrderAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Order;
    }

    /// <summary>Returns a seller's freight rules (anyone signed in may read them, to price an order).</summary>
    /// <param name="sellerEnterpriseId">The seller enterprise.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rules (none: the seller does not deliver) and when they last changed.</returns>
    public Task<GetFreightRulesResponse> GetFreightRulesAsync(string sellerEnterpriseId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetFreightRulesRequest { SellerEnterpriseId = sellerEnterpriseId };
        return _pipeline.RunAsync(o => _client.GetFreightRulesAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
    }

    /// <summary>
    /// Seller Admin or Sales: replaces all of the seller's freight rules (build them with <see cref="FreightRules"/>).
    /// Not retried once the request may have reached the server; sending the same rules again is harmless.
    /// </summary>
    /// <param name="sellerEnterpriseId">The seller enterprise.</param>
    /// <param name="rules">Every rule, at most 100, one per province and transport mode; none to stop delivering.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rules as stored.</returns>
    /// <exception cref="B2BTradeValidationException">A bad rule, named by its index, e.g. <c>rules[2].per_tonne.amount</c>.</exception>
    public async Task<IReadOnlyList<FreightRule>> SetFreightRulesAsync(string sellerEnterpriseId, IEnumerable<FreightRule> rules, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var request = new SetFreightRulesRequest { SellerEnterpriseId = sellerEnterpriseId, Rules = { rules } };
        var response = await _pipeline.RunAsync(o => _client.SetFreightRulesAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Rules;
    }
}
