using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Orders;
using B2BTrade.Grains.Infrastructure;
using Orleans.Concurrency;

namespace B2BTrade.Grains.Orders;

/// <summary>Prices order previews; stateless, so previews scale out and never queue behind placements.</summary>
[StatelessWorker]
[GrainType("order-pricing")]
public sealed class OrderPricingGrain(TimeProvider time) : Grain, IOrderPricingGrain
{
    public async Task<OrderPreview> PreviewAsync(Caller caller, PlaceOrder order)
    {
        var quoted = await OrderQuoter.QuoteAsync(GrainFactory, caller, order, time.GetUtcNow(), thread => thread.GetAgreedAsync(caller), preview: true);
        return new OrderPreview(quoted.Price, quoted.Parties.SellerEnterpriseId, OrderRules.NeedsApproval(quoted.Placer, quoted.Price.Total));
    }
}

/// <summary>A seller's freight rules (key: the seller's enterprise id), audited like every other aggregate.</summary>
[GrainType("freight-rules")]
public sealed class FreightRulesGrain : Grain, IFreightRulesGrain
{
    private readonly AggregateJournal<FreightRuleSet> _journal;

    public FreightRulesGrain([PersistentState("freight-rules", StorageNames.Grains)] IPersistentState<AggregateState<FreightRuleSet>> state, TimeProvider time)
    {
        _journal = new AggregateJournal<FreightRuleSet>(state, "freight-rules", this.GetPrimaryKeyString(), time, s => s, null);
    }

    public Task<FreightRuleSet> GetAsync() => Task.FromResult(_journal.Current ?? new FreightRuleSet([], null));

    public async Task<FreightRuleSet> SetAsync(Caller caller, ImmutableList<FreightRule> rules)
    {
        var enterprise = GrainFactory.GetGrain<IEnterpriseGrain>(this.GetPrimaryKeyString());
        var roles = await enterprise.GetRolesAsync(caller.UserId);
        if (!roles.Any(r => r is MemberRole.Admin or MemberRole.Sales))
        {
            throw roles.Length == 0
                ? Errors.NotFound("Enterprise", "企业")
                : Errors.PermissionDenied("Only the seller's admins and sales staff can set freight rules.", "仅卖方管理员或销售人员可以设置运费规则。");
        }

        var validated = FreightRules.Validate(rules);
        return await _journal.ExecuteAsync(caller.UserId, _ =>
        {
            var next = new FreightRuleSet(validated, _journal.Now);
            return new Decision<FreightRuleSet, FreightRuleSet>(next, "freight-rules.set", next);
        });
    }
}

/// <summary>A user's cart: listing lines only (prices are read live from the listings when the cart is shown).</summary>
[GrainType("cart")]
public sealed class CartGrain(
    [PersistentState("cart", StorageNames.Grains)] IPersistentState<CartGrain.CartState> store,
    TimeProvider time) : Grain, ICartGrain
{
    public const int MaxLines = 100;

    public Task<ImmutableList<CartLine>> GetAsync() => Task.FromResult(store.State.Lines);

    public async Task<ImmutableList<CartLine>> SetAsync(string listingId, Tonnes quantity)
    {
        if (quantity.Value <= 0)
        {
            throw Errors.InvalidField("quantity_tonnes", "OUT_OF_RANGE", "The quantity must be above zero.", "数量须大于零。");
        }

        try
        {
            var listing = Ids.IsWellFormed(listingId, "lst") ? (await GrainFactory.GetGrain<IListingGrain>(listingId).GetAsync()).State : throw Errors.NotFound("Listing", "商品");
            if (listing.Status != ListingStatus.Active)
            {
                throw Errors.Precondition("LISTING_NOT_ACTIVE", "The listing is not on the market.", "该商品已下架。");
            }
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw Errors.InvalidField("listing_id", "LISTING_NOT_FOUND", "The listing was not found.", "未找到该商品。");
        }

        var lines = store.State.Lines.RemoveAll(l => l.ListingId == listingId);
        if (lines.Count >= MaxLines)
        {
            throw Errors.Exhausted("CART_FULL", $"A cart holds at most {MaxLines} listings.", $"购物车最多 {MaxLines} 种商品。");
        }

        store.State = new CartState { Lines = lines.Insert(0, new CartLine(listingId, quantity, time.GetUtcNow())) };
        await store.WriteStateAsync();
        return store.State.Lines;
    }

    public async Task<ImmutableList<CartLine>> RemoveAsync(ImmutableArray<string> listingIds)
    {
        var lines = listingIds.IsDefaultOrEmpty ? [] : store.State.Lines.RemoveAll(l => listingIds.Contains(l.ListingId));
        if (lines.Count != store.State.Lines.Count)
        {
            store.State = new CartState { Lines = lines };
            await store.WriteStateAsync();
        }

        return store.State.Lines;
    }

    [GenerateSerializer, Alias("b2btrade.cart")]
    public sealed record CartState
    {
        [Id(0)] public ImmutableList<CartLine> Lines { get; init; } = [];
    }
}
