using System.Globalization;
using System.Text;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Orders;
using B2BTrade.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace B2BTrade.Grains.Orders;

/// <summary>
/// One order. Placement holds the stock first and then writes the order once, holding: a crash in between leaves
/// holds for an order that does not exist, which a retry of the same request reuses and the hold sweeper otherwise
/// releases. The order's reminder expires an unanswered order, returns stock after the order ends unfulfilled, and
/// retries the contract's creation after confirmation. Every status change goes through the audited journal with its
/// notifications in the same transaction.
/// </summary>
[GrainType("order")]
public sealed partial class OrderGrain : Grain, IOrderGrain, IRemindable
{
    private const string HousekeepingReminder = "order-housekeeping";

    private readonly AggregateJournal<OrderState> _journal;
    private readonly OrderSettings _settings;
    private readonly ILogger<OrderGrain> _logger;

    public OrderGrain(
        [PersistentState("order", StorageNames.Grains)] IPersistentState<AggregateState<OrderState>> state,
        TimeProvider time,
        OrderSettings settings,
        ILogger<OrderGrain> logger)
    {
        _settings = settings;
        _logger = logger;
        _journal = new AggregateJournal<OrderState>(state, "order", this.GetPrimaryKeyString(), time, AuditView, ReadModelRow);
    }

    private string Id => this.GetPrimaryKeyString();

    public async Task<OrderState> PlaceAsync(Caller caller, string requestId, PlaceOrder order)
    {
        if (Id != Ids.Derived("ord", order.BuyerEnterpriseId, requestId))
        {
            throw Errors.PermissionDenied("Order ids are assigned by the platform.", "订单编号由平台分配。");
        }

        var fingerprint = Fingerprint(order);
        if (_journal.Current is { } existing)
        {
            RequestFingerprint.RequireSame(existing.RequestFingerprint, fingerprint, "order", "笔订单");
            await RequireBuyerAsync(caller, existing);
            await FinishPlacementAsync(caller);
            return Visible(_journal.Current!);
        }

        var quoted = await OrderQuoter.QuoteAsync(GrainFactory, caller, order, _journal.Now, thread => thread.ClaimForOrderAsync(caller, Id));
        var pending = OrderRules.Place(Id, fingerprint, quoted.Parties, quoted.ThreadId, quoted.TermsVersion, quoted.Details, quoted.Price, quoted.QualityStandard,
            quoted.WeightBasis, quoted.Reservations, quoted.Placer, _journal.Now, _settings.ConfirmationWindow);
        try
        {
            foreach (var reservation in pending.Reservations)
            {
                await GrainFactory.GetGrain<IListingGrain>(reservation.ListingId).ReserveForOrderAsync(Id, reservation.Quantity);
            }
        }
        catch (DomainException refused)
        {
            // Not enough stock (or delisted): nothing stays held, and retries of this request get the same answer.
            await GiveBackAsync(pending);
            await _journal.ExecuteAsync("system", current => current is not null
                ? Decision<OrderState, bool>.Unchanged(false)
                : new Decision<OrderState, bool>(OrderRules.StockReleased(OrderRules.PlacementFailed(pending, refused.Reason, refused.MessageZh, _journal.Now)), "order.placement-failed", true));
            throw;
        }
        catch
        {
            await TryGiveBackAsync(pending);
            throw;
        }

        try
        {
            // The reminder first: once the order is written it must expire on time even if this process dies right after.
            var placed = OrderRules.StockHeld(pending);
            await ScheduleAsync(placed.ConfirmBy - _journal.Now);
            await _journal.ExecuteAsync(caller.UserId, current => current is not null
                ? Decision<OrderState, OrderState>.Unchanged(current)
                : new Decision<OrderState, OrderState>(placed, "order.placed", placed) { Events = PlacedNotices(placed) });
        }
        catch when (_journal.Current is null)
        {
            // The journal reads the state back after a failed write: only an order that is really not stored gives its stock back.
            await TryGiveBackAsync(pending);
            throw;
        }

        return Visible(_journal.Current!);
    }

    public Task<bool> IsWrittenAsync() => Task.FromResult(_journal.Current is { PlacementFailure: null });

    /// <summary>
    /// A listing holds stock for this order but the order was never written (the process died between the two): if
    /// it still does not exist, the hold goes. Called by the hold sweeper; a placement in progress finishes first,
    /// since the grain takes one call at a time.
    /// </summary>
    public async Task ReleaseOrphanHoldAsync(string listingId)
    {
        if (_journal.Current is null)
        {
            await GrainFactory.GetGrain<IListingGrain>(listingId).ReleaseForOrderAsync(Id);
        }
    }

    public async Task<OrderState> GetAsync(Caller caller)
    {
        var state = Require();
        await RoleInAsync(caller, state);
        return Visible(state);
    }

    public async Task<OrderState> ApproveAsync(Caller caller, string? comment)
    {
        var state = Require();
        await RequireApproverAsync(caller, state);
        var next = await ExecuteAsync(caller, "order.approved", s => OrderRules.Approve(s, caller.UserId, caller.DisplayName, comment, _journal.Now), s =>
            [Notice(s, NotificationKind.NewOrder, s.SellerEnterpriseId, [MemberRole.Sales, MemberRole.Admin], caller.UserId,
                $"新订单：{s.BuyerName}", $"New order from {s.BuyerName}", Summary(s, true), Summary(s, false)),
             Notice(s, NotificationKind.OrderApproved, s.BuyerEnterpriseId, [MemberRole.Purchaser, MemberRole.Admin], caller.UserId,
                "订单已审批通过", "Order approved", Summary(s, true), Summary(s, false))]);
        return next;
    }

    public async Task<OrderState> RejectApprovalAsync(Caller caller, string? comment)
    {
        var state = Require();
        await RequireApproverAsync(caller, state);
        var next = await ExecuteAsync(caller, "order.approval-rejected", s => OrderRules.RejectApproval(s, caller.UserId, caller.DisplayName, comment, _journal.Now), s =>
            [Notice(s, NotificationKind.OrderRejected, s.BuyerEnterpriseId, [MemberRole.Purchaser, MemberRole.Admin], caller.UserId,
                "订单审批未通过", "Order not approved", s.History[^1].Comment, s.History[^1].Comment)]);
        await ReleaseAsync();
        return next;
    }

    public async Task<OrderState> ConfirmAsync(Caller caller)
    {
        var state = Require();
        await RequireSideAsync(caller, state.SellerEnterpriseId, MemberRole.Sales, "Only the seller's sales staff and admins can confirm.", "仅卖方销售人员或管理员可以确认订单。");
        if (!state.StockHeld)
        {
            throw Errors.Precondition("ORDER_STATUS_CONFLICT", "The order is still being placed; try again in a moment.", "订单正在提交中，请稍后再试。");
        }

        var contractId = Ids.Derived("ctr", Id, "contract");
        var next = await ExecuteAsync(caller, "order.confirmed", s => OrderRules.Confirm(s, caller.UserId, caller.DisplayName, contractId, _journal.Now), s =>
            [Notice(s, NotificationKind.OrderConfirmed, s.BuyerEnterpriseId, [MemberRole.Purchaser, MemberRole.Admin], caller.UserId,
                $"卖方已确认订单：{s.SellerName}", $"Order confirmed by {s.SellerName}", "合同已生成，请授权签约代表签署。", "The contract is ready for your signatory.")]);
        await CommitStockAsync();
        await EnsureContractAsync();
        return Visible(_journal.Current!);
    }

    public async Task<OrderState> RejectAsync(Caller caller, string? reason)
    {
        var state = Require();
        await RequireSideAsync(caller, state.SellerEnterpriseId, MemberRole.Sales, "Only the seller's sales staff and admins can reject.", "仅卖方销售人员或管理员可以拒绝订单。");
        var next = await ExecuteAsync(caller, "order.rejected", s => OrderRules.Reject(s, caller.UserId, caller.DisplayName, reason, _journal.Now), s =>
            [Notice(s, NotificationKind.OrderRejected, s.BuyerEnterpriseId, [MemberRole.Purchaser, MemberRole.Admin], caller.UserId,
                $"卖方拒绝了订单：{s.SellerName}", $"Order rejected by {s.SellerName}", s.History[^1].Comment, s.History[^1].Comment)]);
        await ReleaseAsync();
        return next;
    }

    public async Task<OrderState> CancelAsync(Caller caller, string? reason)
    {
        var state = Require();
        await RequireSideAsync(caller, state.BuyerEnterpriseId, MemberRole.Purchaser, "Only the buyer's purchasers and admins can cancel.", "仅买方采购人员或管理员可以取消订单。");
        var next = await ExecuteAsync(caller, "order.cancelled", s => OrderRules.Cancel(s, caller.UserId, caller.DisplayName, reason, _journal.Now), s =>
            [Notice(s, NotificationKind.OrderCancelled, s.SellerEnterpriseId, [MemberRole.Sales, MemberRole.Admin], caller.UserId,
                $"买方取消了订单：{s.BuyerName}", $"Order cancelled by {s.BuyerName}", s.History[^1].Comment.Length > 0 ? s.History[^1].Comment : "买方未说明原因",
                s.History[^1].Comment.Length > 0 ? s.History[^1].Comment : "No reason given")]);
        await ReleaseAsync();
        return next;
    }

    public async Task ContractEffectiveAsync(string contractId)
    {
        var state = Stored();
        if (state.ContractId != contractId)
        {
            throw Errors.PermissionDenied("Not this order's contract.", "不是该订单的合同。");
        }

        await _journal.ExecuteAsync("system", current =>
        {
            var s = Stored(current);
            var next = OrderRules.ContractEffective(s, _journal.Now);
            return ReferenceEquals(next, s)
                ? Decision<OrderState, bool>.Unchanged(false)
                : new Decision<OrderState, bool>(next, "order.contract-effective", true)
                {
                    Events =
                    [
                        Notice(next, NotificationKind.ContractEffective, next.BuyerEnterpriseId, [MemberRole.Purchaser, MemberRole.Admin, MemberRole.Signatory], null,
                            "合同已生效", "Contract in force", Summary(next, true), Summary(next, false)),
                        Notice(next, NotificationKind.ContractEffective, next.SellerEnterpriseId, [MemberRole.Sales, MemberRole.Admin, MemberRole.Signatory], null,
                            "合同已生效", "Contract in force", Summary(next, true), Summary(next, false)),
                    ],
                };
        });
    }

    public Task RepublishAsync() => _journal.RepublishAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != HousekeepingReminder)
        {
            return;
        }

        if (_journal.Current is not { } state)
        {
            // Registered by a placement that was never written: nothing to look after.
            await UnscheduleAsync();
            return;
        }

        try
        {
            if (!state.StockHeld && !state.IsClosed)
            {
                await FinishPlacementAsync(null);
            }

            if (_journal.Current!.IsOpen && _journal.Now >= _journal.Current.ConfirmBy)
            {
                await _journal.ExecuteAsync("system", current =>
                {
                    var s = Stored(current);
                    var next = OrderRules.Expire(s, _journal.Now);
                    return ReferenceEquals(next, s)
                        ? Decision<OrderState, bool>.Unchanged(false)
                        : new Decision<OrderState, bool>(next, "order.expired", true)
                        {
                            Events =
                            [
                                Notice(next, NotificationKind.OrderExpired, next.BuyerEnterpriseId, [MemberRole.Purchaser, MemberRole.Admin], null,
                                    "订单已超时", "Order expired", next.History[^1].Comment, "Nobody answered in time; the stock was released."),
                                Notice(next, NotificationKind.OrderExpired, next.SellerEnterpriseId, [MemberRole.Sales, MemberRole.Admin], null,
                                    "订单已超时", "Order expired", next.History[^1].Comment, "Nobody answered in time; the stock was released."),
                            ],
                        };
                });
            }

            await ReleaseAsync();
            await CommitStockAsync();
            await EnsureContractAsync();
        }
        finally
        {
            await ScheduleNextAsync();
        }
    }

    /// <summary>Who hears of a new order: the seller's sales, or the buyer's admins when it needs their approval first.</summary>
    private static (string Kind, object Payload)[] PlacedNotices(OrderState held) => held.Status == OrderStatus.PendingApproval
        ? [Notice(held, NotificationKind.OrderApprovalRequired, held.BuyerEnterpriseId, [MemberRole.Admin], held.PlacedByUserId,
            $"待审批订单：{held.PlacedByName}", $"Order to approve from {held.PlacedByName}", Summary(held, true), Summary(held, false))]
        : [Notice(held, NotificationKind.NewOrder, held.SellerEnterpriseId, [MemberRole.Sales, MemberRole.Admin], held.PlacedByUserId,
            $"新订单：{held.BuyerName}", $"New order from {held.BuyerName}", Summary(held, true), Summary(held, false))];

    /// <summary>Gives back what the order took: every listing's hold for it, and the negotiation thread (each idempotent).</summary>
    private async Task GiveBackAsync(OrderState order)
    {
        foreach (var reservation in order.Reservations)
        {
            await GrainFactory.GetGrain<IListingGrain>(reservation.ListingId).ReleaseForOrderAsync(Id);
        }

        if (order.ThreadId is { } threadId)
        {
            await GrainFactory.GetGrain<INegotiationGrain>(threadId).ReleaseOrderClaimAsync(Id);
        }
    }

    /// <summary>Undoes a placement after a failure of our own; what cannot be undone now the hold sweeper releases later.</summary>
    private async Task TryGiveBackAsync(OrderState pending)
    {
        try
        {
            await GiveBackAsync(pending);
        }
        catch (Exception e)
        {
            LogUndoFailed(e, Id);
        }
    }

    /// <summary>
    /// Orders recorded by the code before placement wrote the order once (state first, stock after): holds the stock of
    /// such a recorded placement; on refusal the placement is undone (stock, thread) and the order ends.
    /// </summary>
    private async Task FinishPlacementAsync(Caller? caller)
    {
        var state = Stored();
        if (state.StockHeld || state.IsClosed)
        {
            return;
        }

        try
        {
            foreach (var reservation in state.Reservations)
            {
                await GrainFactory.GetGrain<IListingGrain>(reservation.ListingId).ReserveForOrderAsync(Id, reservation.Quantity);
            }
        }
        catch (DomainException refused)
        {
            await _journal.ExecuteAsync("system", current =>
            {
                var s = Stored(current);
                return s.IsClosed
                    ? Decision<OrderState, bool>.Unchanged(false)
                    : new Decision<OrderState, bool>(OrderRules.PlacementFailed(s, refused.Reason, refused.MessageZh, _journal.Now), "order.placement-failed", true);
            });
            await ReleaseAsync();
            throw;
        }

        await _journal.ExecuteAsync(caller?.UserId ?? "system", current =>
        {
            var s = Stored(current);
            if (s.StockHeld)
            {
                return Decision<OrderState, bool>.Unchanged(false);
            }

            var held = OrderRules.StockHeld(s);
            return new Decision<OrderState, bool>(held, "order.stock-held", true) { Events = PlacedNotices(held) };
        });
        await ScheduleNextAsync();
    }

    /// <summary>After an unfulfilled end: the listings get their stock back and the thread may be ordered again.</summary>
    private async Task ReleaseAsync()
    {
        var state = Stored();
        if (!state.IsClosed || state.StockReleased)
        {
            return;
        }

        await GiveBackAsync(state);
        await _journal.ExecuteAsync("system", current =>
        {
            var s = Stored(current);
            return s.StockReleased ? Decision<OrderState, bool>.Unchanged(false) : new Decision<OrderState, bool>(OrderRules.StockReleased(s), "order.stock-released", true);
        });
        await ScheduleNextAsync();
    }

    /// <summary>After confirmation: the listings keep the tonnes reserved (until shipped) but stop tracking the order.</summary>
    private async Task CommitStockAsync()
    {
        var state = Stored();
        if (!state.IsConfirmed || state.StockCommitted)
        {
            return;
        }

        try
        {
            foreach (var reservation in state.Reservations)
            {
                await GrainFactory.GetGrain<IListingGrain>(reservation.ListingId).CommitForOrderAsync(Id);
            }
        }
        catch (Exception e)
        {
            // Harmless meanwhile (the tonnes are reserved either way); the housekeeping reminder retries.
            LogStockCommitFailed(e, Id);
            await ScheduleAsync(TimeSpan.FromMinutes(1));
            return;
        }

        await _journal.ExecuteAsync("system", current =>
        {
            var s = Stored(current);
            return s.StockCommitted ? Decision<OrderState, bool>.Unchanged(false) : new Decision<OrderState, bool>(OrderRules.StockCommitted(s), "order.stock-committed", true);
        });
    }

    private async Task EnsureContractAsync()
    {
        var state = Stored();
        if (state.ContractId is not { } contractId || state.ContractCreated)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IContractGrain>(contractId).CreateFromOrderAsync(state);
        }
        catch (Exception e)
        {
            // The order stands confirmed; the housekeeping reminder creates the contract on its next tick.
            LogContractCreationFailed(e, Id);
            await ScheduleAsync(TimeSpan.FromMinutes(1));
            return;
        }

        await _journal.ExecuteAsync("system", current =>
        {
            var s = Stored(current);
            return s.ContractCreated ? Decision<OrderState, bool>.Unchanged(false) : new Decision<OrderState, bool>(OrderRules.ContractCreated(s), "order.contract-created", true);
        });
        await ScheduleNextAsync();
    }

    private Task ScheduleNextAsync()
    {
        var s = Stored();
        var pendingWork = (!s.StockHeld && !s.IsClosed) || (s.IsClosed && !s.StockReleased) || (s.IsConfirmed && (!s.ContractCreated || !s.StockCommitted));
        if (pendingWork)
        {
            return ScheduleAsync(TimeSpan.FromMinutes(1));
        }

        return s.IsOpen ? ScheduleAsync(s.ConfirmBy - _journal.Now) : UnscheduleAsync();
    }

    private async Task ScheduleAsync(TimeSpan due)
    {
        var at = due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due;
        await this.RegisterOrUpdateReminder(HousekeepingReminder, at, TimeSpan.FromMinutes(10));
    }

    private async Task UnscheduleAsync()
    {
        await this.UnregisterReminderIfAnyAsync(HousekeepingReminder);
    }

    private async Task<OrderState> ExecuteAsync(Caller caller, string action, Func<OrderState, OrderState> transition, Func<OrderState, (string Kind, object Payload)[]> notices)
    {
        var next = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var s = Stored(current);
            if (!s.StockHeld && !s.IsClosed)
            {
                throw Errors.Precondition("ORDER_STATUS_CONFLICT", "The order is still being placed; try again in a moment.", "订单正在提交中，请稍后再试。");
            }

            var after = transition(s);
            return new Decision<OrderState, OrderState>(after, action, after) { Events = notices(after) };
        });
        await ScheduleNextAsync();
        return Visible(next);
    }

    /// <summary>The caller's standing on the order: buyer (Purchaser/Admin/Signatory/Finance) or seller (Sales/Admin/Signatory/Finance); anyone else gets NOT_FOUND.</summary>
    private async Task<bool> RoleInAsync(Caller caller, OrderState state)
    {
        foreach (var (enterpriseId, buyer) in new[] { (state.BuyerEnterpriseId, true), (state.SellerEnterpriseId, false) })
        {
            var roles = await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetRolesAsync(caller.UserId);
            if (roles.Any(r => r is MemberRole.Admin or MemberRole.Signatory or MemberRole.Finance || r == (buyer ? MemberRole.Purchaser : MemberRole.Sales)))
            {
                return buyer;
            }
        }

        throw OrderNotFound();
    }

    private async Task RequireBuyerAsync(Caller caller, OrderState state)
    {
        var roles = await GrainFactory.GetGrain<IEnterpriseGrain>(state.BuyerEnterpriseId).GetRolesAsync(caller.UserId);
        if (!roles.Any(r => r is MemberRole.Purchaser or MemberRole.Admin))
        {
            throw OrderNotFound();
        }
    }

    /// <summary>The caller acts for <paramref name="enterpriseId"/> with <paramref name="role"/> (or as its Admin); a stranger to the order gets NOT_FOUND.</summary>
    private async Task RequireSideAsync(Caller caller, string enterpriseId, MemberRole role, string message, string messageZh)
    {
        var roles = await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetRolesAsync(caller.UserId);
        if (roles.Any(r => r == MemberRole.Admin || r == role))
        {
            return;
        }

        await RoleInAsync(caller, Require());
        throw Errors.PermissionDenied(message, messageZh);
    }

    private Task RequireApproverAsync(Caller caller, OrderState state) =>
        RequireSideAsync(caller, state.BuyerEnterpriseId, MemberRole.Admin, "Only an admin of the buyer can approve orders.", "仅买方企业管理员可以审批订单。");

    /// <summary>The order as callers may see it: a failed placement does not exist for them.</summary>
    private OrderState Require() => _journal.Current is { PlacementFailure: null } state ? state : throw OrderNotFound();

    private OrderState Stored() => Stored(_journal.Current);

    private static OrderState Stored(OrderState? state) => state ?? throw OrderNotFound();

    /// <summary>A placement that failed is kept only to answer retries of its request with the same error.</summary>
    private static OrderState Visible(OrderState state) => state.PlacementFailure is { } failure
        ? throw new DomainException(ErrorKind.FailedPrecondition, failure.Reason, failure.Message, failure.Message)
        : state;

    private static DomainException OrderNotFound() => Errors.NotFound("Order", "订单");

    private static (string Kind, object Payload) Notice(OrderState s, NotificationKind kind, string enterpriseId, MemberRole[] roles, string? exclude,
        string titleZh, string titleEn, string bodyZh, string bodyEn) =>
        (InboxNotice.EventKind, new InboxNotice(kind, s.OrderId, titleZh, titleEn, bodyZh, bodyEn, [new InboxRecipients(enterpriseId, [.. roles.Select(r => (int)r)])], exclude));

    private static string Summary(OrderState s, bool chinese)
    {
        var first = s.Price.Lines[0];
        var more = s.Price.Lines.Count > 1 ? (chinese ? $" 等 {s.Price.Lines.Count} 项" : $" and {s.Price.Lines.Count - 1} more") : "";
        return chinese
            ? $"{first.ProductName}{more}，{s.TotalTonnes} 吨，总额 ¥{s.Price.Total.ToString("#,##0.00", CultureInfo.InvariantCulture)}"
            : $"{first.ProductName}{more}, {s.TotalTonnes} t, total ¥{s.Price.Total.ToString("#,##0.00", CultureInfo.InvariantCulture)}";
    }

    private static string Fingerprint(PlaceOrder order)
    {
        var d = order.Details;
        var text = new StringBuilder()
            .Append(order.BuyerEnterpriseId).Append('|').Append(order.ThreadId).Append('|')
            .AppendJoin(';', order.Lines.Select(l => l.ListingId + "=" + l.Quantity)).Append('|')
            .Append(d.DeliveryDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('|').Append(d.Address).Append('|')
            .Append(d.Transport).Append('|').Append(d.FreightBearer).Append('|').Append(d.Invoice).Append('|').Append(d.Remarks).Append('|')
            .Append(order.ExpectedTotal?.ToString(CultureInfo.InvariantCulture));
        return RequestFingerprint.Of(text.ToString());
    }

    private static object AuditView(OrderState s) => new
    {
        s.Status,
        s.Price.Total,
        s.StockHeld,
        s.StockReleased,
        s.ContractId,
        s.ContractCreated,
        s.StockCommitted,
        LastEvent = s.History.Count == 0 ? null : s.History[^1],
        s.PlacementFailure,
    };

    private static object ReadModelRow(OrderState s) => new
    {
        orderId = s.OrderId,
        buyerEnterpriseId = s.BuyerEnterpriseId,
        buyerName = s.BuyerName,
        sellerEnterpriseId = s.SellerEnterpriseId,
        sellerName = s.SellerName,
        status = s.PlacementFailure is null ? (int)s.Status : 0,
        productSummary = s.Price.Lines.Count > 1 ? $"{s.Price.Lines[0].ProductName} 等 {s.Price.Lines.Count} 项" : s.Price.Lines[0].ProductName,
        quantityTonnes = s.TotalTonnes.ToString(),
        totalAmount = Cny.Format(s.Price.Total),
        placedByName = s.PlacedByName,
        createdAt = s.CreatedAt,
        updatedAt = s.UpdatedAt,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Undoing the failed placement of order {OrderId} failed; the hold sweeper releases what is left")]
    private partial void LogUndoFailed(Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing the stock of confirmed order {OrderId} failed; the reminder retries")]
    private partial void LogStockCommitFailed(Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating the contract of order {OrderId} failed; the reminder retries")]
    private partial void LogContractCreationFailed(Exception exception, string orderId);
}
