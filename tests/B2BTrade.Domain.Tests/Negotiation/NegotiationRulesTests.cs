using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;
using static B2BTrade.Domain.Tests.Negotiation.NegotiationFixtures;

namespace B2BTrade.Domain.Tests.Negotiation;

public class NegotiationRulesTests
{
    private static NegotiationState Opened() => NegotiationRules.Open("n_thread01", null, Parties, Inquiry, Buyer, T0);

    private static NegotiationState Quoted(DateTimeOffset? validUntil = null) =>
        NegotiationRules.Quote(Opened(), Quote(validUntil: validUntil), Seller, etag: "1", T0.AddMinutes(5));

    private static DomainException Refused(Action act, ErrorKind kind, string reason)
    {
        var error = Assert.Throws<DomainException>(act);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(reason, error.Reason);
        return error;
    }

    [Fact]
    public void InquiryOpensAThreadAwaitingAQuoteWithVersionOne()
    {
        var state = Opened();

        Assert.Equal(ThreadStatus.AwaitingQuote, state.Status);
        var offer = Assert.Single(state.Offers);
        Assert.Equal((1, OfferKind.Inquiry, Buyer), (offer.Version, offer.Kind, offer.Author));
        Assert.Null(offer.Totals);
        Assert.Equal(0, state.OpenQuoteVersion);
    }

    [Fact]
    public void BuyerCannotInquireOfItsOwnEnterprise()
    {
        Refused(() => NegotiationRules.Open("n_x", null, Parties with { SellerEnterpriseId = Parties.BuyerEnterpriseId }, Inquiry, Buyer, T0), ErrorKind.FailedPrecondition, "OWN_LISTING");
    }

    [Fact]
    public void OnlyTheBuyerSideMayOpenAnInquiry()
    {
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => NegotiationRules.Open("n_x", null, Parties, Inquiry, Seller, T0)).Kind);
    }

    [Fact]
    public void SellerQuoteMakesTheThreadQuotedWithTheQuoteOpen()
    {
        var state = Quoted();

        Assert.Equal(ThreadStatus.Quoted, state.Status);
        Assert.Equal(2, state.OpenQuoteVersion);
        Assert.Equal(OfferKind.Quote, state.OpenQuote!.Kind);
        Assert.Equal(365_000m, state.OpenQuote.Totals!.Total);
    }

    [Fact]
    public void SellerRevisesTheOpenQuoteWithANewVersion()
    {
        var revised = NegotiationRules.Quote(Quoted(), Quote(3600m), Seller, etag: "2", T0.AddMinutes(6));

        Assert.Equal(3, revised.OpenQuoteVersion);
        Assert.Equal(3650m, revised.Offers[1].Terms.UnitPrice);
        Assert.Equal(3600m, revised.OpenQuote!.Terms.UnitPrice);
    }

    [Fact]
    public void BuyerCannotQuoteAndSellerCannotCounterOrAccept()
    {
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => NegotiationRules.Quote(Opened(), Quote(), Buyer, null, T0)).Kind);
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => NegotiationRules.Counter(Quoted(), Quote(3500m), Seller, null, T0)).Kind);
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => NegotiationRules.Accept(Quoted(), 2, Seller, T0)).Kind);
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => NegotiationRules.Withdraw(Quoted(), 2, "", Buyer, T0)).Kind);
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => NegotiationRules.Decline(Quoted(), "", Seller, T0)).Kind);
    }

    [Fact]
    public void CounterBeforeAnyQuoteIsRefused()
    {
        Refused(() => NegotiationRules.Counter(Opened(), Quote(3500m), Buyer, null, T0), ErrorKind.FailedPrecondition, "NO_QUOTE_YET");
    }

    [Fact]
    public void CounterClosesTheOpenQuoteAndTheSellerAnswersWithANewQuote()
    {
        var countered = NegotiationRules.Counter(Quoted(), Quote(3500m) with { ValidUntil = null, Payment = null }, Buyer, "2", T0.AddMinutes(10));

        Assert.Equal(ThreadStatus.Countered, countered.Status);
        Assert.Equal(0, countered.OpenQuoteVersion);
        Refused(() => NegotiationRules.Accept(countered, 2, Buyer, T0.AddMinutes(11)), ErrorKind.FailedPrecondition, "NO_OPEN_QUOTE");

        var requoted = NegotiationRules.Quote(countered, Quote(3550m), Seller, "3", T0.AddMinutes(12));
        var accepted = NegotiationRules.Accept(requoted, 4, Buyer, T0.AddMinutes(13));

        Assert.Equal(ThreadStatus.Accepted, accepted.Status);
        Assert.Equal(3550m, accepted.Agreed!.Terms.UnitPrice);
        Assert.Equal(T0.AddMinutes(13), accepted.AcceptedAt);
    }

    [Fact]
    public void BuyerMayReviseItsOwnCounter()
    {
        var countered = NegotiationRules.Counter(Quoted(), Quote(3500m), Buyer, "2", T0.AddMinutes(10));

        var revised = NegotiationRules.Counter(countered, Quote(3520m), Buyer, "3", T0.AddMinutes(11));

        Assert.Equal((ThreadStatus.Countered, 4), (revised.Status, revised.LatestVersion));
    }

    [Fact]
    public void AcceptingAnExpiredQuoteFailsWithQuoteExpiredEvenBeforeTheReminderRan()
    {
        var state = Quoted(validUntil: T0.AddHours(1));

        Assert.Equal(ThreadStatus.Quoted, state.Status);
        Assert.Equal(ThreadStatus.Expired, NegotiationRules.EffectiveStatus(state, T0.AddHours(1)));
        Refused(() => NegotiationRules.Accept(state, 2, Buyer, T0.AddHours(1)), ErrorKind.FailedPrecondition, "QUOTE_EXPIRED");
        Assert.Equal(ThreadStatus.Accepted, NegotiationRules.Accept(state, 2, Buyer, T0.AddHours(1).AddTicks(-1)).Status);
    }

    [Fact]
    public void AcceptingAnOlderVersionThanTheOpenQuoteIsAborted()
    {
        var revised = NegotiationRules.Quote(Quoted(), Quote(3600m), Seller, "2", T0.AddMinutes(6));

        var error = Refused(() => NegotiationRules.Accept(revised, 2, Buyer, T0.AddMinutes(7)), ErrorKind.Aborted, "VERSION_MISMATCH");

        Assert.Contains("3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptedTermsAreFrozen()
    {
        var accepted = NegotiationRules.Accept(Quoted(), 2, Buyer, T0.AddMinutes(7));

        Refused(() => NegotiationRules.Quote(accepted, Quote(3000m), Seller, null, T0.AddMinutes(8)), ErrorKind.FailedPrecondition, "ALREADY_ACCEPTED");
        Refused(() => NegotiationRules.Counter(accepted, Quote(3000m), Buyer, null, T0.AddMinutes(8)), ErrorKind.FailedPrecondition, "ALREADY_ACCEPTED");
        Refused(() => NegotiationRules.Withdraw(accepted, 2, "", Seller, T0.AddMinutes(8)), ErrorKind.FailedPrecondition, "ALREADY_ACCEPTED");
        Refused(() => NegotiationRules.Accept(accepted, 2, Buyer, T0.AddMinutes(8)), ErrorKind.FailedPrecondition, "ALREADY_ACCEPTED");
        Refused(() => NegotiationRules.Decline(accepted, "", Buyer, T0.AddMinutes(8)), ErrorKind.FailedPrecondition, "ALREADY_ACCEPTED");
        Assert.Equal(2, accepted.AgreedVersion);
    }

    [Fact]
    public void StaleEtagIsAbortedAndEmptyEtagSkipsTheCheck()
    {
        var state = Quoted();

        Refused(() => NegotiationRules.Quote(state, Quote(3600m), Seller, "1", T0.AddMinutes(6)), ErrorKind.Aborted, "ETAG_MISMATCH");
        Refused(() => NegotiationRules.Counter(state, Quote(3500m), Buyer, "1", T0.AddMinutes(6)), ErrorKind.Aborted, "ETAG_MISMATCH");
        Assert.Equal(3, NegotiationRules.Quote(state, Quote(3600m), Seller, "", T0.AddMinutes(6)).LatestVersion);
        Assert.Equal(3, NegotiationRules.Quote(state, Quote(3600m), Seller, null, T0.AddMinutes(6)).LatestVersion);
    }

    [Fact]
    public void SellerWithdrawsTheOpenQuoteAndMayQuoteAgain()
    {
        var withdrawn = NegotiationRules.Withdraw(Quoted(), 2, "  价格变动 ", Seller, T0.AddMinutes(6));

        Assert.Equal((ThreadStatus.Withdrawn, 0, "价格变动"), (withdrawn.Status, withdrawn.OpenQuoteVersion, withdrawn.ClosingReason));
        Refused(() => NegotiationRules.Accept(withdrawn, 2, Buyer, T0.AddMinutes(7)), ErrorKind.FailedPrecondition, "NO_OPEN_QUOTE");
        Assert.Equal(ThreadStatus.Quoted, NegotiationRules.Quote(withdrawn, Quote(3700m), Seller, "2", T0.AddMinutes(8)).Status);
    }

    [Fact]
    public void WithdrawingAnotherVersionThanTheOpenQuoteIsAborted()
    {
        Refused(() => NegotiationRules.Withdraw(Quoted(), 1, "", Seller, T0.AddMinutes(6)), ErrorKind.Aborted, "VERSION_MISMATCH");
    }

    [Fact]
    public void WithdrawWithoutOpenQuoteIsRefused()
    {
        Refused(() => NegotiationRules.Withdraw(Opened(), 1, "", Seller, T0), ErrorKind.FailedPrecondition, "NO_OPEN_QUOTE");
    }

    [Fact]
    public void BuyerDeclinesFromAnyOpenStatusAndTheThreadCloses()
    {
        var declined = NegotiationRules.Decline(Opened(), "不需要了", Buyer, T0.AddMinutes(1));

        Assert.Equal((ThreadStatus.Declined, "不需要了"), (declined.Status, declined.ClosingReason));
        Refused(() => NegotiationRules.Quote(declined, Quote(), Seller, null, T0.AddMinutes(2)), ErrorKind.FailedPrecondition, "THREAD_DECLINED");
        Refused(() => NegotiationRules.Decline(declined, "", Buyer, T0.AddMinutes(2)), ErrorKind.FailedPrecondition, "THREAD_DECLINED");
    }

    [Fact]
    public void DeclineReasonLongerThanFiveHundredCharactersIsInvalid()
    {
        var error = Refused(() => NegotiationRules.Decline(Quoted(), new string('x', 501), Buyer, T0), ErrorKind.InvalidArgument, "TOO_LONG");

        Assert.Equal("reason", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void ExpiryReminderExpiresOnlyAQuoteThatIsReallyPastItsValidity()
    {
        var state = Quoted(validUntil: T0.AddHours(1));

        Assert.Same(state, NegotiationRules.Expire(state, T0.AddMinutes(59)));
        var expired = NegotiationRules.Expire(state, T0.AddHours(1));
        Assert.Equal((ThreadStatus.Expired, 0), (expired.Status, expired.OpenQuoteVersion));

        var accepted = NegotiationRules.Accept(state, 2, Buyer, T0.AddMinutes(30));
        Assert.Same(accepted, NegotiationRules.Expire(accepted, T0.AddHours(2)));
    }

    [Fact]
    public void AfterExpirySellerMayRequoteAndBuyerMayCounter()
    {
        var expired = NegotiationRules.Expire(Quoted(validUntil: T0.AddHours(1)), T0.AddHours(1));

        Assert.Equal(ThreadStatus.Quoted, NegotiationRules.Quote(expired, Quote(validUntil: T0.AddDays(2)), Seller, "2", T0.AddHours(2)).Status);
        Assert.Equal(ThreadStatus.Countered, NegotiationRules.Counter(expired, Quote(3500m, T0.AddDays(2)), Buyer, "2", T0.AddHours(2)).Status);
    }

    [Fact]
    public void RfqAwardedElsewhereClosesOpenThreadsButLeavesAcceptedOnes()
    {
        var closed = NegotiationRules.CloseAsNotAwarded(Quoted(), T0.AddHours(1));
        var accepted = NegotiationRules.Accept(Quoted(), 2, Buyer, T0.AddMinutes(10));

        Assert.Equal((ThreadStatus.Closed, 0), (closed.Status, closed.OpenQuoteVersion));
        Assert.Same(accepted, NegotiationRules.CloseAsNotAwarded(accepted, T0.AddHours(1)));
        Refused(() => NegotiationRules.Quote(closed, Quote(), Seller, null, T0.AddHours(2)), ErrorKind.FailedPrecondition, "THREAD_CLOSED");
    }

    [Fact]
    public void InvalidQuoteTermsLeaveTheThreadUnchanged()
    {
        var state = Opened();

        var error = Assert.Throws<DomainException>(() => NegotiationRules.Quote(state, Quote() with { ValidUntil = null }, Seller, null, T0));

        Assert.Equal(["terms.valid_until"], Fields(error));
        Assert.Single(state.Offers);
    }

    [Fact]
    public void AnOldClaimGivesWayOnlyWhenItsOrderWasFoundNeverWritten()
    {
        var accepted = NegotiationRules.Accept(Quoted(), 2, Buyer, T0.AddMinutes(1));
        var claimed = NegotiationRules.ClaimForOrder(accepted, "ord_died", T0.AddMinutes(2));
        Assert.Equal(("ord_died", T0.AddMinutes(2)), (claimed.OrderId, claimed.OrderClaimedAt));
        Assert.Same(claimed, NegotiationRules.ClaimForOrder(claimed, "ord_died", T0.AddMinutes(3))); // the same order again

        // Too recent to judge, or judged and still there: another order is refused.
        Assert.Null(NegotiationRules.ClaimToCheck(claimed, "ord_next", T0.AddMinutes(11)));
        Refused(() => NegotiationRules.ClaimForOrder(claimed, "ord_next", T0.AddMinutes(11)), ErrorKind.FailedPrecondition, "ALREADY_ORDERED");
        Assert.Equal("ord_died", NegotiationRules.ClaimToCheck(claimed, "ord_next", T0.AddMinutes(12)));
        Refused(() => NegotiationRules.ClaimForOrder(claimed, "ord_next", T0.AddMinutes(12)), ErrorKind.FailedPrecondition, "ALREADY_ORDERED");

        // Found never written: the claim gives way, and only that claim (not one another order made meanwhile).
        var next = NegotiationRules.ClaimForOrder(claimed, "ord_next", T0.AddMinutes(12), abandonedClaim: "ord_died");
        Assert.Equal(("ord_next", T0.AddMinutes(12)), (next.OrderId, next.OrderClaimedAt));
        Refused(() => NegotiationRules.ClaimForOrder(next, "ord_third", T0.AddMinutes(30), abandonedClaim: "ord_died"), ErrorKind.FailedPrecondition, "ALREADY_ORDERED");
        Assert.Null(NegotiationRules.ReleaseOrderClaim(next, "ord_next", T0.AddMinutes(31)).OrderClaimedAt);
    }

    [Fact]
    public void ARequestFingerprintChangesWithAnyTermAndRefusesAReusedRequestId()
    {
        var first = NegotiationRules.InquiryFingerprint("ent_b", "lst_1", NegotiationFixtures.Inquiry, ["f_1"]);

        Assert.Equal(first, NegotiationRules.InquiryFingerprint("ent_b", "lst_1", NegotiationFixtures.Inquiry, ["f_1"]));
        Assert.NotEqual(first, NegotiationRules.InquiryFingerprint("ent_b", "lst_2", NegotiationFixtures.Inquiry, ["f_1"]));
        Assert.NotEqual(first, NegotiationRules.InquiryFingerprint("ent_b", "lst_1", NegotiationFixtures.Inquiry with { UnitPrice = (NegotiationFixtures.Inquiry.UnitPrice ?? 3600m) + 0.01m }, ["f_1"]));
        Assert.NotEqual(first, NegotiationRules.InquiryFingerprint("ent_b", "lst_1", NegotiationFixtures.Inquiry with { Quantity = NegotiationFixtures.T("100.001") }, ["f_1"]));
        Assert.NotEqual(first, NegotiationRules.InquiryFingerprint("ent_b", "lst_1", NegotiationFixtures.Inquiry with { DeliveryDate = NegotiationFixtures.Inquiry.DeliveryDate?.AddDays(1) ?? new DateOnly(2027, 1, 1) }, ["f_1"]));
        Assert.NotEqual(first, NegotiationRules.InquiryFingerprint("ent_b", "lst_1", NegotiationFixtures.Inquiry, []));
        Assert.NotEqual(
            NegotiationRules.RfqFingerprint("ent_b", "四季度采购", ["lst_1", "lst_2"], NegotiationFixtures.Inquiry),
            NegotiationRules.RfqFingerprint("ent_b", "四季度采购", ["lst_1", "lst_3"], NegotiationFixtures.Inquiry));

        RequestFingerprint.RequireSame(first, first, "inquiry", "个询盘");
        RequestFingerprint.RequireSame(null, first, "inquiry", "个询盘");
        var error = Assert.Throws<DomainException>(() => RequestFingerprint.RequireSame(first, "other", "inquiry", "个询盘"));
        Assert.Equal(("REQUEST_ID_REUSED", "request_id"), (error.Reason, Assert.Single(error.Violations).Field));
    }
}
