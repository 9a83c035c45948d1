using System.Collections.Immutable;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Enterprises;

public enum MemberRole
{
    Admin = 1,
    Purchaser = 2,
    Sales = 3,
    Finance = 4,
    Signatory = 5,
}

public enum VerificationStatus
{
    Unverified = 1,
    Pending = 2,
    Verified = 3,
    Rejected = 4,
}

public enum InvitationStatus
{
    Pending = 1,
    Accepted = 2,
    Declined = 3,
    Revoked = 4,
    Expired = 5,
}

[GenerateSerializer, Immutable, Alias("b2btrade.bank-account")]
public sealed record BankAccount(
    [property: Id(0)] string BankName,
    [property: Id(1)] string BranchName,
    [property: Id(2)] string AccountName,
    [property: Id(3)] string AccountNumber);

/// <summary>Registration details of an enterprise, as validated by <see cref="EnterpriseRules.ValidateProfile"/>.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.enterprise-profile")]
public sealed record EnterpriseProfile
{
    [Id(0)] public string LegalName { get; init; } = "";
    [Id(1)] public string UnifiedSocialCreditCode { get; init; } = "";
    [Id(2)] public string LegalRepresentative { get; init; } = "";
    [Id(3)] public string RegisteredAddress { get; init; } = "";
    [Id(4)] public string ContactName { get; init; } = "";
    [Id(5)] public string ContactPhone { get; init; } = "";
    [Id(6)] public string BusinessLicenceFileId { get; init; } = "";
    [Id(7)] public ImmutableList<BankAccount> BankAccounts { get; init; } = [];
    [Id(8)] public bool IsBuyer { get; init; }
    [Id(9)] public bool IsSeller { get; init; }
    [Id(10)] public bool IsFinancialInstitution { get; init; }
}

[GenerateSerializer, Immutable, Alias("b2btrade.membership")]
public sealed record Membership
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
    [Id(2)] public required ImmutableSortedSet<MemberRole> Roles { get; init; }
    [Id(3)] public decimal? SigningLimit { get; init; }
    [Id(4)] public required DateTimeOffset JoinedAt { get; init; }

    /// <summary>A Purchaser's orders above this total wait for an approver (an Admin); null: no limit.</summary>
    [Id(5)] public decimal? SpendingLimit { get; init; }
}

[GenerateSerializer, Immutable, Alias("b2btrade.invitation")]
public sealed record Invitation
{
    [Id(0)] public required string InvitationId { get; init; }
    [Id(1)] public required ContactAddress Invitee { get; init; }
    [Id(2)] public required ImmutableSortedSet<MemberRole> Roles { get; init; }
    [Id(3)] public decimal? SigningLimit { get; init; }
    [Id(4)] public required InvitationStatus Status { get; init; }
    [Id(5)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public required DateTimeOffset ExpiresAt { get; init; }
    [Id(7)] public required string InvitedBy { get; init; }
    [Id(8)] public decimal? SpendingLimit { get; init; }

    public InvitationStatus StatusAt(DateTimeOffset now) =>
        Status == InvitationStatus.Pending && now >= ExpiresAt ? InvitationStatus.Expired : Status;
}

/// <summary>The enterprise aggregate's state.</summary>
[GenerateSerializer, Alias("b2btrade.enterprise-state")]
public sealed record EnterpriseState
{
    [Id(0)] public required string EnterpriseId { get; init; }
    [Id(1)] public required EnterpriseProfile Profile { get; init; }
    [Id(2)] public VerificationStatus Status { get; init; } = VerificationStatus.Unverified;
    [Id(3)] public string? RejectionReason { get; init; }
    [Id(4)] public ImmutableDictionary<string, Membership> Members { get; init; } = ImmutableDictionary<string, Membership>.Empty;
    [Id(5)] public ImmutableList<Invitation> Invitations { get; init; } = [];
    [Id(6)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(7)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(8)] public DateTimeOffset? SubmittedAt { get; init; }
    [Id(9)] public long Version { get; init; } = 1;
    [Id(10)] public required string CreatedBy { get; init; }
    [Id(11)] public string? CreationRequestId { get; init; }
    [Id(12)] public string? ReviewedBy { get; init; }
}
