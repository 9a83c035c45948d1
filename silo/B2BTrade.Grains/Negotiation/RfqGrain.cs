using System.Collections.Immutable;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Grains.Infrastructure;

namespace B2BTrade.Grains.Negotiation;

/// <summary>
/// A request for quotation to several sellers. The RFQ is saved with its seller list before any thread is opened, and
/// every step after is idempotent: a retried create opens the threads still missing, and after an award the other
/// threads are closed (again on the next read if a crash interrupted it).
/// </summary>
[GrainType("rfq")]
public sealed class RfqGrain : Grain, IRfqGrain
{
    public const int MinSellers = 2;
    public const int MaxSellers = 20;

    private readonly AggregateJournal<RfqState> _journal;

    public RfqGrain([PersistentState("rfq", StorageNames.Grains)] IPersistentState<AggregateState<RfqState>> state, TimeProvider time)
    {
        _journal = new AggregateJournal<RfqState>(state, "rfq", this.GetPrimaryKeyString(), time, s => s, readModelSnapshot: null);
    }

    private string Id => this.GetPrimaryKeyString();

    public async Task<RfqView> CreateAsync(Caller caller, string requestId, string buyerEnterpriseId, string title, ImmutableArray<string> listingIds, Terms terms)
    {
        if (Id != Ids.Derived("rfq", buyerEnterpriseId, requestId))
        {
            throw Errors.PermissionDenied("RFQ ids are assigned by the platform.", "询价单编号由平台分配。");
        }

        await RequireBuyerAsync(caller, buyerEnterpriseId);
        var fingerprint = NegotiationRules.RfqFingerprint(buyerEnterpriseId, title, listingIds, terms);
        if (_journal.Current is { } existing)
        {
            RequestFingerprint.RequireSame(existing.RequestFingerprint, fingerprint, "RFQ", "份询价单");
        }
        else
        {
            var sellers = await ValidateAsync(buyerEnterpriseId, title, listingIds, terms);
            await _journal.ExecuteAsync(caller.UserId, current => current is not null
                ? Decision<RfqState, bool>.Unchanged(false)
                : new Decision<RfqState, bool>(new RfqState
                {
                    RfqId = Id,
                    BuyerEnterpriseId = buyerEnterpriseId,
                    Title = title.Trim(),
                    RequestedTerms = terms,
                    Sellers = sellers,
                    CreatedAt = _journal.Now,
                    CreatedBy = caller.UserId,
                    RequestFingerprint = fingerprint,
                }, "rfq.created", true));
        }

        var rfq = _journal.Current!;
        var threads = ImmutableList.CreateBuilder<ThreadView>();
        foreach (var seller in rfq.Sellers)
        {
            threads.Add(await Thread(seller.ThreadId).OpenAsync(caller, requestId, Id, rfq.BuyerEnterpriseId, seller.ListingId, rfq.RequestedTerms, []));
        }

        return new RfqView(rfq, threads.ToImmutable());
    }

    public async Task<RfqView> GetAsync(Caller caller)
    {
        var rfq = _journal.Current ?? throw NotFound();
        await RequireBuyerAsync(caller, rfq.BuyerEnterpriseId, hide: true);
        await CloseOthersAsync();
        return new RfqView(rfq, await ThreadsAsync(caller, rfq));
    }

    public async Task<RfqView> AwardAsync(Caller caller, string threadId, int version)
    {
        var rfq = _journal.Current ?? throw NotFound();
        await RequireBuyerAsync(caller, rfq.BuyerEnterpriseId, hide: true);
        if (rfq.Sellers.All(s => s.ThreadId != threadId))
        {
            throw Errors.InvalidField("thread_id", "NOT_IN_RFQ", "The thread is not part of this RFQ.", "该询盘不属于此询价单。");
        }

        if (rfq.AwardedThreadId is { } awarded && awarded != threadId)
        {
            throw Errors.Precondition("ALREADY_AWARDED", "The RFQ is already awarded to another seller.", "该询价单已授予其他卖家。");
        }

        var thread = Thread(threadId);
        var view = await thread.GetAsync(caller);
        if (!(view.Status == ThreadStatus.Accepted && view.State.AgreedVersion == version))
        {
            // Accepting is the award: an expired, withdrawn or replaced quote fails here and nothing else changes.
            await thread.AcceptAsync(caller, version);
        }

        await _journal.ExecuteAsync(caller.UserId, current => current!.AwardedThreadId == threadId
            ? Decision<RfqState, bool>.Unchanged(false)
            : new Decision<RfqState, bool>(current with { AwardedThreadId = threadId }, "rfq.awarded", true));
        await CloseOthersAsync();
        var after = _journal.Current!;
        return new RfqView(after, await ThreadsAsync(caller, after));
    }

    private async Task CloseOthersAsync()
    {
        var rfq = _journal.Current!;
        if (rfq.AwardedThreadId is null || rfq.OthersClosed)
        {
            return;
        }

        foreach (var seller in rfq.Sellers.Where(s => s.ThreadId != rfq.AwardedThreadId))
        {
            await Thread(seller.ThreadId).CloseNotAwardedAsync(Id);
        }

        await _journal.ExecuteAsync(Caller.System.UserId, current => current!.OthersClosed
            ? Decision<RfqState, bool>.Unchanged(false)
            : new Decision<RfqState, bool>(current with { OthersClosed = true }, "rfq.others-closed", true));
    }

    private async Task<ImmutableList<ThreadView>> ThreadsAsync(Caller caller, RfqState rfq)
    {
        var views = await Task.WhenAll(rfq.Sellers.Select(s => Thread(s.ThreadId).GetAsync(caller)));
        return [.. views];
    }

    private async Task<ImmutableList<RfqSeller>> ValidateAsync(string buyerEnterpriseId, string title, ImmutableArray<string> listingIds, Terms terms)
    {
        var v = new Validation();
        if (title.Trim().Length is 0 or > 100)
        {
            v.Add("title", "INVALID_LENGTH", "The title has 1 to 100 characters.", "标题须为 1 至 100 个字符。");
        }

        if (listingIds.Length is < MinSellers or > MaxSellers)
        {
            v.Add("listing_ids", "OUT_OF_RANGE", $"An RFQ goes to {MinSellers} to {MaxSellers} sellers.", $"询价单须发给 {MinSellers} 至 {MaxSellers} 家卖家。");
        }

        v.ThrowIfInvalid();
        TermsRules.Validate(terms, OfferKind.Inquiry, _journal.Now);
        var sellers = ImmutableList.CreateBuilder<RfqSeller>();
        for (var i = 0; i < listingIds.Length; i++)
        {
            var field = $"listing_ids[{i}]";
            var listingId = listingIds[i];
            Domain.Catalog.ListingState listing;
            try
            {
                listing = Ids.IsWellFormed(listingId, "lst")
                    ? (await GrainFactory.GetGrain<IListingGrain>(listingId).GetAsync()).State
                    : throw Errors.NotFound("Listing", "商品");
            }
            catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
            {
                v.Add(field, "LISTING_NOT_FOUND", "The listing was not found.", "未找到该商品。");
                continue;
            }

            var sellerId = listing.SellerEnterpriseId;
            if (listing.Status != Domain.Catalog.ListingStatus.Active)
            {
                v.Add(field, "LISTING_NOT_ACTIVE", "The listing is not on the market.", "该商品已下架。");
                continue;
            }

            if (sellerId == buyerEnterpriseId)
            {
                v.Add(field, "OWN_LISTING", "An enterprise cannot ask itself for a quote.", "不能向本企业的商品询价。");
                continue;
            }

            if (sellers.Any(s => s.SellerEnterpriseId == sellerId))
            {
                v.Add(field, "DUPLICATE_SELLER", "Each seller is asked once per RFQ.", "每家卖家在同一询价单中只能询价一次。");
                continue;
            }

            sellers.Add(new RfqSeller(Ids.Derived("thr", Id, listingId), listingId, sellerId));
        }

        v.ThrowIfInvalid();
        return sellers.ToImmutable();
    }

    private async Task RequireBuyerAsync(Caller caller, string buyerEnterpriseId, bool hide = false)
    {
        var roles = Ids.IsWellFormed(buyerEnterpriseId, "ent") ? await GrainFactory.GetGrain<IEnterpriseGrain>(buyerEnterpriseId).GetRolesAsync(caller.UserId) : [];
        if (!roles.Any(r => r is MemberRole.Purchaser or MemberRole.Admin))
        {
            throw hide ? NotFound() : Errors.PermissionDenied("Only the enterprise's purchasers and admins can send RFQs for it.", "仅本企业的采购人员或管理员可以发起询价单。");
        }
    }

    private INegotiationGrain Thread(string threadId) => GrainFactory.GetGrain<INegotiationGrain>(threadId);

    private static DomainException NotFound() => Errors.NotFound("RFQ", "询价单");
}
