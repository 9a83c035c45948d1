using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Grains;

/// <summary>An enterprise as one caller may see it, with that caller's roles.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.enterprise-snapshot")]
public sealed record EnterpriseSnapshot([property: Id(0)] EnterpriseState State, [property: Id(1)] MemberRole[] CallerRoles);

/// <summary>An enterprise (key: "ent_…"): registration, verification, members and invitations.</summary>
[Alias("b2btrade.IEnterpriseGrain")]
public interface IEnterpriseGrain : IGrainWithStringKey
{
    /// <summary>Creates the enterprise with the caller as Admin. A repeat of the same request returns the first result.</summary>
    Task<EnterpriseSnapshot> CreateAsync(Caller caller, string requestId, EnterpriseProfile profile);

    /// <summary>Members and operators see the enterprise; anyone else gets NOT_FOUND.</summary>
    [ReadOnly]
    Task<EnterpriseSnapshot> GetAsync(Caller caller);

    /// <summary>Replaces the registration details (Admin; not while pending or verified). A stale etag is refused with ABORTED.</summary>
    Task<EnterpriseSnapshot> UpdateAsync(Caller caller, EnterpriseProfile profile, string? etag);

    /// <summary>Submits for operator review (Admin).</summary>
    Task<EnterpriseSnapshot> SubmitAsync(Caller caller);

    /// <summary>Approves (operator).</summary>
    Task<EnterpriseSnapshot> ApproveAsync(Caller caller);

    /// <summary>Rejects with a reason (operator).</summary>
    Task<EnterpriseSnapshot> RejectAsync(Caller caller, string reason);

    /// <summary>Invites a person by address (Admin). A repeat of the same request returns the first invitation.</summary>
    Task<Invitation> InviteAsync(Caller caller, string requestId, ContactAddress invitee, MemberRole[] roles, decimal? signingLimit, decimal? spendingLimit = null);

    /// <summary>Accepts an invitation addressed to one of the caller's addresses.</summary>
    Task<EnterpriseSnapshot> AcceptInvitationAsync(Caller caller, string invitationId, ContactAddress[] callerAddresses);

    /// <summary>Declines an invitation addressed to one of the caller's addresses.</summary>
    Task DeclineInvitationAsync(Caller caller, string invitationId, ContactAddress[] callerAddresses);

    /// <summary>Withdraws a pending invitation (Admin).</summary>
    Task RevokeInvitationAsync(Caller caller, string invitationId);

    /// <summary>Replaces a member's roles (Admin); never leaves zero Admins.</summary>
    Task<Membership> UpdateMemberRolesAsync(Caller caller, string userId, MemberRole[] roles, decimal? signingLimit, decimal? spendingLimit = null);

    /// <summary>Removes a member (Admin, or the member leaving); never leaves zero Admins.</summary>
    Task RemoveMemberAsync(Caller caller, string userId);

    /// <summary>The roles a user holds here, or an empty array; for authorization checks by other grains and services.</summary>
    [ReadOnly]
    Task<MemberRole[]> GetRolesAsync(string userId);

    /// <summary>A user's membership (roles, signing and spending limits), or null; for rules of other aggregates (orders, contracts).</summary>
    [ReadOnly]
    Task<Membership?> GetMembershipAsync(string userId);

    /// <summary>The registration facts a contract prints (null when the enterprise does not exist).</summary>
    [ReadOnly]
    Task<EnterpriseProfile?> GetProfileAsync();

    /// <summary>The enterprise's legal name as trading partners see it (null when it does not exist).</summary>
    [ReadOnly]
    Task<string?> GetLegalNameAsync();

    /// <summary>What ordering for this enterprise needs, in one call: the user's membership, verification and the legal name.</summary>
    [ReadOnly]
    Task<BuyerFacts> GetBuyerFactsAsync(string userId);

    /// <summary>Verification and seller flags plus the user's roles, for rules of other aggregates (listings).</summary>
    [ReadOnly]
    Task<SellerStanding> GetSellerStandingAsync(string userId);

    /// <summary>Publishes a snapshot to the read model again (rebuild).</summary>
    Task RepublishAsync();
}

/// <summary>A user's membership in a buyer enterprise (null when not a member, or no such enterprise), whether it is verified, and its legal name.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.buyer-facts")]
public sealed record BuyerFacts([property: Id(0)] Membership? Member, [property: Id(1)] bool IsVerified, [property: Id(2)] string LegalName);
