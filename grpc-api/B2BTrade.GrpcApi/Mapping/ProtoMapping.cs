using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains;
using B2BTrade.Silo.ReadModel;
using Google.Protobuf.WellKnownTypes;
using Proto = B2BTrade.Protos.Enterprise.V1;
using ProtoIdentity = B2BTrade.Protos.Identity.V1;
using ProtoMoney = B2BTrade.Protos.Common.V1.Money;

namespace B2BTrade.GrpcApi.Mapping;

/// <summary>Domain → proto. Personal and financial data is masked unless the reader needs it whole.</summary>
public static class ProtoMapping
{
    public static Timestamp Time(DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static ProtoMoney Money(decimal amount) => new() { CurrencyCode = Cny.CurrencyCode, Amount = Cny.Format(amount) };

    public static ProtoIdentity.User User(UserView user)
    {
        var proto = new ProtoIdentity.User
        {
            UserId = user.UserId,
            DisplayName = user.DisplayName,
            AccountKind = (ProtoIdentity.AccountKind)(int)user.Kind,
            MaskedPhone = user.MaskedPhone,
            MaskedEmail = user.MaskedEmail,
            IsOperator = user.IsOperator,
            CreateTime = Time(user.CreatedAt),
        };
        proto.LinkedProviders.AddRange(user.LinkedProviders.Select(p => (ProtoIdentity.OAuthProvider)(int)p));
        return proto;
    }

    public static EnterpriseProfile Profile(Proto.EnterpriseProfile? profile) => profile is null
        ? new EnterpriseProfile()
        : new EnterpriseProfile
        {
            LegalName = profile.LegalName,
            UnifiedSocialCreditCode = profile.UnifiedSocialCreditCode,
            LegalRepresentative = profile.LegalRepresentative,
            RegisteredAddress = profile.RegisteredAddress,
            ContactName = profile.ContactName,
            ContactPhone = profile.ContactPhone,
            BusinessLicenceFileId = profile.BusinessLicenceFileId,
            BankAccounts = [.. profile.BankAccounts.Select(a => new BankAccount(a.BankName, a.BranchName, a.AccountName, a.AccountNumber))],
            IsBuyer = profile.IsBuyer,
            IsSeller = profile.IsSeller,
            IsFinancialInstitution = profile.IsFinancialInstitution,
        };

    /// <summary>Admins and operators see the registration whole; other members see contact phone and account numbers masked.</summary>
    public static Proto.Enterprise Enterprise(EnterpriseSnapshot snapshot, bool isOperator)
    {
        var state = snapshot.State;
        var full = isOperator || snapshot.CallerRoles.Contains(MemberRole.Admin);
        var p = state.Profile;
        var profile = new Proto.EnterpriseProfile
        {
            LegalName = p.LegalName,
            UnifiedSocialCreditCode = p.UnifiedSocialCreditCode,
            LegalRepresentative = p.LegalRepresentative,
            RegisteredAddress = p.RegisteredAddress,
            ContactName = p.ContactName,
            ContactPhone = full ? p.ContactPhone : Mask.Phone(p.ContactPhone),
            BusinessLicenceFileId = p.BusinessLicenceFileId,
            IsBuyer = p.IsBuyer,
            IsSeller = p.IsSeller,
            IsFinancialInstitution = p.IsFinancialInstitution,
        };
        profile.BankAccounts.AddRange(p.BankAccounts.Select(a => new Proto.BankAccount
        {
            BankName = a.BankName,
            BranchName = a.BranchName,
            AccountName = a.AccountName,
            AccountNumber = full ? a.AccountNumber : Mask.Number(a.AccountNumber),
        }));
        var proto = new Proto.Enterprise
        {
            EnterpriseId = state.EnterpriseId,
            Profile = profile,
            VerificationStatus = (Proto.VerificationStatus)(int)state.Status,
            RejectionReason = state.RejectionReason ?? "",
            CreateTime = Time(state.CreatedAt),
            UpdateTime = Time(state.UpdatedAt),
            Etag = Grains.Enterprises.EnterpriseGrain.ETag(state),
        };
        proto.MyRoles.AddRange(snapshot.CallerRoles.Select(r => (Proto.MemberRole)(int)r));
        return proto;
    }

    /// <summary>A list entry from the read model: identity, status and the caller's roles (GetEnterprise has the rest).</summary>
    public static Proto.Enterprise Enterprise(EnterpriseListItem item)
    {
        var proto = new Proto.Enterprise
        {
            EnterpriseId = item.EnterpriseId,
            Profile = new Proto.EnterpriseProfile { LegalName = item.LegalName, UnifiedSocialCreditCode = item.CreditCode },
            VerificationStatus = (Proto.VerificationStatus)item.Status,
            RejectionReason = item.RejectionReason ?? "",
            CreateTime = Time(item.CreatedAt),
            UpdateTime = Time(item.UpdatedAt),
        };
        proto.MyRoles.AddRange(item.Roles.Select(r => (Proto.MemberRole)r));
        return proto;
    }

    public static Proto.Member Member(Membership member)
    {
        var proto = new Proto.Member { UserId = member.UserId, DisplayName = member.DisplayName, JoinTime = Time(member.JoinedAt) };
        proto.Roles.AddRange(member.Roles.Select(r => (Proto.MemberRole)(int)r));
        if (member.SigningLimit is { } limit)
        {
            proto.SigningLimit = Money(limit);
        }

        if (member.SpendingLimit is { } spending)
        {
            proto.SpendingLimit = Money(spending);
        }

        return proto;
    }

    public static Proto.Invitation Invitation(Invitation invitation, EnterpriseState enterprise, DateTimeOffset now)
    {
        var proto = new Proto.Invitation
        {
            InvitationId = invitation.InvitationId,
            EnterpriseId = enterprise.EnterpriseId,
            EnterpriseName = enterprise.Profile.LegalName,
            MaskedInvitee = invitation.Invitee.Masked,
            Status = (Proto.InvitationStatus)(int)invitation.StatusAt(now),
            CreateTime = Time(invitation.CreatedAt),
            ExpireTime = Time(invitation.ExpiresAt),
        };
        proto.Roles.AddRange(invitation.Roles.Select(r => (Proto.MemberRole)(int)r));
        if (invitation.SigningLimit is { } limit)
        {
            proto.SigningLimit = Money(limit);
        }

        return proto;
    }

    public static Proto.Invitation Invitation(InvitationListItem item)
    {
        var proto = new Proto.Invitation
        {
            InvitationId = item.InvitationId,
            EnterpriseId = item.EnterpriseId,
            EnterpriseName = item.EnterpriseName,
            MaskedInvitee = item.MaskedInvitee,
            Status = (Proto.InvitationStatus)item.Status,
            CreateTime = Time(item.CreatedAt),
            ExpireTime = Time(item.ExpiresAt),
        };
        proto.Roles.AddRange(item.Roles.Select(r => (Proto.MemberRole)r));
        if (item.SigningLimit is { } limit)
        {
            proto.SigningLimit = Money(limit);
        }

        return proto;
    }

    public static Protos.Files.V1.FileMetadata File(StoredFile file) => new()
    {
        FileId = file.FileId,
        DisplayName = file.DisplayName,
        ContentType = file.ContentType,
        SizeBytes = file.SizeBytes,
        Sha256 = file.Sha256,
        EnterpriseId = file.EnterpriseId ?? "",
        CreateTime = Time(file.CreatedAt),
    };
}
