using System.Collections.Immutable;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Enterprises;

/// <summary>The enterprise aggregate's decisions: each takes the current state and returns the next, or throws.</summary>
public static class EnterpriseRules
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public const int MaxMembers = 500;
    public const int MaxPendingInvitations = 100;

    /// <summary>Checks every field and returns the normalised profile, or throws INVALID_ARGUMENT listing every bad field.</summary>
    public static EnterpriseProfile ValidateProfile(EnterpriseProfile? input, string prefix = "profile")
    {
        var p = input ?? new EnterpriseProfile();
        var v = new Validation();
        var bankAccounts = p.BankAccounts ?? [];
        string F(string name) => prefix + "." + name;
        v.Required(F("legal_name"), p.LegalName, "Legal name", "企业全称").Length(F("legal_name"), p.LegalName, 2, 100, "Legal name", "企业全称");
        var code = UnifiedSocialCreditCode.Normalize(p.UnifiedSocialCreditCode);
        if (code.Length == 0)
        {
            v.Required(F("unified_social_credit_code"), code, "Unified social credit code", "统一社会信用代码");
        }
        else if (!UnifiedSocialCreditCode.IsValid(code))
        {
            v.Add(F("unified_social_credit_code"), "INVALID_CREDIT_CODE", "The unified social credit code is not valid (18 characters with a GB 32100-2015 check character).", "统一社会信用代码无效（应为 18 位且校验位正确）。");
        }

        v.Required(F("legal_representative"), p.LegalRepresentative, "Legal representative", "法定代表人").Length(F("legal_representative"), p.LegalRepresentative, 2, 50, "Legal representative", "法定代表人");
        v.Required(F("registered_address"), p.RegisteredAddress, "Registered address", "注册地址").Length(F("registered_address"), p.RegisteredAddress, 5, 200, "Registered address", "注册地址");
        v.Required(F("contact_name"), p.ContactName, "Contact name", "联系人").Length(F("contact_name"), p.ContactName, 2, 50, "Contact name", "联系人");
        var contactPhone = "";
        if (string.IsNullOrWhiteSpace(p.ContactPhone))
        {
            v.Required(F("contact_phone"), p.ContactPhone, "Contact phone", "联系电话");
        }
        else
        {
            try
            {
                contactPhone = ContactAddress.ParsePhone(p.ContactPhone, F("contact_phone")).Value;
            }
            catch (DomainException e)
            {
                v.Merge(e);
            }
        }

        if (!string.IsNullOrEmpty(p.BusinessLicenceFileId) && !Ids.IsWellFormed(p.BusinessLicenceFileId, "f"))
        {
            v.Add(F("business_licence_file_id"), "INVALID_FILE_ID", "The business licence must be a file uploaded through FileService.", "营业执照须为已上传的文件。");
        }

        if (!p.IsBuyer && !p.IsSeller && !p.IsFinancialInstitution)
        {
            v.Add(F("is_buyer"), "NO_TRADE_ROLE", "Choose at least one of buyer, seller or financial institution.", "请至少选择采购方、销售方或金融机构之一。");
        }

        if (bankAccounts.Count > 10)
        {
            v.Add(F("bank_accounts"), "TOO_MANY", "At most 10 bank accounts.", "最多登记 10 个银行账户。");
        }

        var accounts = ImmutableList.CreateBuilder<BankAccount>();
        for (var i = 0; i < Math.Min(bankAccounts.Count, 10); i++)
        {
            var a = bankAccounts[i] ?? new BankAccount("", "", "", "");
            string B(string name) => $"{prefix}.bank_accounts[{i}].{name}";
            v.Required(B("bank_name"), a.BankName, "Bank name", "开户银行").Length(B("bank_name"), a.BankName, 2, 50, "Bank name", "开户银行");
            v.Length(B("branch_name"), a.BranchName, 2, 100, "Branch", "开户支行");
            var number = (a.AccountNumber ?? "").Replace(" ", "", StringComparison.Ordinal);
            if (number.Length is < 8 or > 32 || !number.All(char.IsAsciiDigit))
            {
                v.Add(B("account_number"), "INVALID_ACCOUNT_NUMBER", "The account number must be 8 to 32 digits.", "银行账号须为 8 至 32 位数字。");
            }

            if ((a.AccountName ?? "").Trim() != (p.LegalName ?? "").Trim())
            {
                v.Add(B("account_name"), "ACCOUNT_NAME_MISMATCH", "A corporate account must be in the enterprise's legal name.", "对公账户户名须与企业全称一致。");
            }

            accounts.Add(new BankAccount(a.BankName?.Trim() ?? "", a.BranchName?.Trim() ?? "", a.AccountName?.Trim() ?? "", number));
        }

        v.ThrowIfInvalid();
        return p with
        {
            LegalName = (p.LegalName ?? "").Trim(),
            UnifiedSocialCreditCode = code,
            LegalRepresentative = (p.LegalRepresentative ?? "").Trim(),
            RegisteredAddress = (p.RegisteredAddress ?? "").Trim(),
            ContactName = (p.ContactName ?? "").Trim(),
            ContactPhone = contactPhone,
            BankAccounts = accounts.ToImmutable(),
        };
    }

    public static EnterpriseState Create(string enterpriseId, EnterpriseProfile profile, string creatorUserId, string creatorName, string requestId, DateTimeOffset now) => new()
    {
        EnterpriseId = enterpriseId,
        Profile = ValidateProfile(profile),
        CreatedAt = now,
        UpdatedAt = now,
        CreatedBy = creatorUserId,
        CreationRequestId = requestId,
        Members = ImmutableDictionary<string, Membership>.Empty.Add(creatorUserId, new Membership
        {
            UserId = creatorUserId,
            DisplayName = creatorName,
            Roles = [MemberRole.Admin],
            JoinedAt = now,
        }),
    };

    /// <summary>Non-members get NOT_FOUND, exactly as if the enterprise did not exist (no probing by id).</summary>
    public static Membership RequireMember(EnterpriseState state, string userId) =>
        state.Members.TryGetValue(userId, out var member) ? member : throw Errors.NotFound("Enterprise", "企业");

    public static Membership RequireRole(EnterpriseState state, string userId, MemberRole role)
    {
        var member = RequireMember(state, userId);
        return member.Roles.Contains(role) || member.Roles.Contains(MemberRole.Admin)
            ? member
            : throw Errors.PermissionDenied($"This needs the {role} role in the enterprise.", $"此操作需要企业内的“{RoleZh(role)}”角色。");
    }

    public static Membership RequireAdmin(EnterpriseState state, string userId)
    {
        var member = RequireMember(state, userId);
        return member.Roles.Contains(MemberRole.Admin)
            ? member
            : throw Errors.PermissionDenied("Only an enterprise administrator may do this.", "仅企业管理员可执行此操作。");
    }

    public static EnterpriseState Update(EnterpriseState state, string actor, EnterpriseProfile profile, DateTimeOffset now)
    {
        RequireAdmin(state, actor);
        if (state.Status is VerificationStatus.Pending or VerificationStatus.Verified)
        {
            throw Errors.Precondition("ENTERPRISE_LOCKED_FOR_EDIT", "Registration details cannot be edited while under review or after verification.", "审核中或已认证的企业不能修改登记信息。");
        }

        return Touch(state with { Profile = ValidateProfile(profile) }, now);
    }

    public static EnterpriseState Submit(EnterpriseState state, string actor, DateTimeOffset now)
    {
        RequireAdmin(state, actor);
        if (state.Status is not (VerificationStatus.Unverified or VerificationStatus.Rejected))
        {
            throw Errors.Precondition("INVALID_VERIFICATION_STATE", $"The enterprise is {state.Status}; only unverified or rejected enterprises can be submitted.", "只有未认证或被驳回的企业可以提交认证。");
        }

        if (string.IsNullOrEmpty(state.Profile.BusinessLicenceFileId))
        {
            throw Errors.InvalidField("profile.business_licence_file_id", "REQUIRED", "Upload the business licence before submitting for verification.", "提交认证前请上传营业执照。");
        }

        return Touch(state with { Status = VerificationStatus.Pending, SubmittedAt = now, RejectionReason = null }, now);
    }

    public static EnterpriseState Approve(EnterpriseState state, string operatorId, DateTimeOffset now) =>
        state.Status == VerificationStatus.Pending
            ? Touch(state with { Status = VerificationStatus.Verified, ReviewedBy = operatorId, RejectionReason = null }, now)
            : throw NotPending(state);

    public static EnterpriseState Reject(EnterpriseState state, string operatorId, string? reason, DateTimeOffset now)
    {
        var text = (reason ?? "").Trim();
        if (text.Length is < 2 or > 500)
        {
            throw Errors.InvalidField("reason", "INVALID_REASON", "Give a reason of 2 to 500 characters.", "请填写 2 至 500 字的驳回原因。");
        }

        return state.Status == VerificationStatus.Pending
            ? Touch(state with { Status = VerificationStatus.Rejected, ReviewedBy = operatorId, RejectionReason = text }, now)
            : throw NotPending(state);
    }

    public static ImmutableSortedSet<MemberRole> ValidateRoles(IEnumerable<MemberRole> roles, decimal? signingLimit, string field = "roles")
    {
        var set = roles.ToImmutableSortedSet();
        if (set.IsEmpty || set.Any(r => !Enum.IsDefined(r)))
        {
            throw Errors.InvalidField(field, "INVALID_ROLES", "Give at least one valid role.", "请至少选择一个有效角色。");
        }

        if (set.Contains(MemberRole.Signatory) && signingLimit is null or <= 0)
        {
            throw Errors.InvalidField("signing_limit", "REQUIRED", "A Signatory needs a contract amount limit above zero.", "授权签约代表须设置大于零的签约金额上限。");
        }

        return set;
    }

    /// <summary>A Purchaser's spending limit: above zero when given; kept only for members with the Purchaser role.</summary>
    public static decimal? ValidateSpendingLimit(ImmutableSortedSet<MemberRole> roles, decimal? spendingLimit) =>
        spendingLimit is <= 0
            ? throw Errors.InvalidField("spending_limit", "OUT_OF_RANGE", "A spending limit must be above zero (leave it empty for no limit).", "采购限额须大于零（不限额请留空）。")
            : roles.Contains(MemberRole.Purchaser) ? spendingLimit : null;

    public static (EnterpriseState State, Invitation Invitation) Invite(
        EnterpriseState state, string actor, string invitationId, ContactAddress invitee, IEnumerable<MemberRole> roles, decimal? signingLimit, DateTimeOffset now,
        decimal? spendingLimit = null)
    {
        RequireAdmin(state, actor);
        var existing = state.Invitations.FirstOrDefault(i => i.InvitationId == invitationId);
        if (existing is not null)
        {
            return (state, existing);
        }

        var roleSet = ValidateRoles(roles, signingLimit);
        if (state.Invitations.Any(i => i.Invitee == invitee && i.StatusAt(now) == InvitationStatus.Pending))
        {
            throw new DomainException(ErrorKind.AlreadyExists, "INVITATION_ALREADY_PENDING", "This person already has a pending invitation.", "已向此人发出邀请，尚未答复。");
        }

        if (state.Members.Count >= MaxMembers || state.Invitations.Count(i => i.StatusAt(now) == InvitationStatus.Pending) >= MaxPendingInvitations)
        {
            throw Errors.Exhausted("MEMBER_LIMIT", "The enterprise has reached its member or invitation limit.", "企业成员或待处理邀请数量已达上限。");
        }

        var invitation = new Invitation
        {
            InvitationId = invitationId,
            Invitee = invitee,
            Roles = roleSet,
            SigningLimit = roleSet.Contains(MemberRole.Signatory) ? signingLimit : null,
            SpendingLimit = ValidateSpendingLimit(roleSet, spendingLimit),
            Status = InvitationStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
            InvitedBy = actor,
        };
        var kept = state.Invitations.Where(i => i.StatusAt(now) == InvitationStatus.Pending || now - i.CreatedAt < TimeSpan.FromDays(30));
        return (Touch(state with { Invitations = [.. kept, invitation] }, now), invitation);
    }

    /// <summary>Accepts an invitation addressed to one of the user's verified addresses. Someone else's invitation looks missing.</summary>
    public static EnterpriseState Accept(EnterpriseState state, string invitationId, string userId, string displayName, IEnumerable<ContactAddress> userAddresses, DateTimeOffset now)
    {
        var invitation = FindAddressedTo(state, invitationId, userAddresses);
        if (state.Members.ContainsKey(userId))
        {
            throw new DomainException(ErrorKind.AlreadyExists, "ALREADY_MEMBER", "You are already a member of this enterprise.", "您已是该企业成员。");
        }

        RequirePending(invitation, now);
        var member = new Membership { UserId = userId, DisplayName = displayName, Roles = invitation.Roles, SigningLimit = invitation.SigningLimit, SpendingLimit = invitation.SpendingLimit, JoinedAt = now };
        return Touch(state with
        {
            Members = state.Members.Add(userId, member),
            Invitations = state.Invitations.Replace(invitation, invitation with { Status = InvitationStatus.Accepted }),
        }, now);
    }

    public static EnterpriseState Decline(EnterpriseState state, string invitationId, IEnumerable<ContactAddress> userAddresses, DateTimeOffset now)
    {
        var invitation = FindAddressedTo(state, invitationId, userAddresses);
        RequirePending(invitation, now);
        return Touch(state with { Invitations = state.Invitations.Replace(invitation, invitation with { Status = InvitationStatus.Declined }) }, now);
    }

    public static EnterpriseState Revoke(EnterpriseState state, string actor, string invitationId, DateTimeOffset now)
    {
        RequireAdmin(state, actor);
        var invitation = state.Invitations.FirstOrDefault(i => i.InvitationId == invitationId) ?? throw Errors.NotFound("Invitation", "邀请");
        RequirePending(invitation, now);
        return Touch(state with { Invitations = state.Invitations.Replace(invitation, invitation with { Status = InvitationStatus.Revoked }) }, now);
    }

    public static EnterpriseState UpdateRoles(
        EnterpriseState state, string actor, string targetUserId, IEnumerable<MemberRole> roles, decimal? signingLimit, DateTimeOffset now, decimal? spendingLimit = null)
    {
        RequireAdmin(state, actor);
        var member = state.Members.GetValueOrDefault(targetUserId) ?? throw Errors.NotFound("Member", "成员");
        var roleSet = ValidateRoles(roles, signingLimit);
        var members = state.Members.SetItem(targetUserId, member with
        {
            Roles = roleSet,
            SigningLimit = roleSet.Contains(MemberRole.Signatory) ? signingLimit : null,
            SpendingLimit = ValidateSpendingLimit(roleSet, spendingLimit),
        });
        RequireAnAdmin(members);
        return Touch(state with { Members = members }, now);
    }

    public static EnterpriseState RemoveMember(EnterpriseState state, string actor, string targetUserId, DateTimeOffset now)
    {
        if (actor != targetUserId)
        {
            RequireAdmin(state, actor);
        }
        else
        {
            RequireMember(state, actor);
        }

        if (!state.Members.ContainsKey(targetUserId))
        {
            throw Errors.NotFound("Member", "成员");
        }

        var members = state.Members.Remove(targetUserId);
        RequireAnAdmin(members);
        return Touch(state with { Members = members }, now);
    }

    /// <summary>Marks lapsed invitations expired; returns the same instance when none lapsed.</summary>
    public static EnterpriseState ExpireInvitations(EnterpriseState state, DateTimeOffset now)
    {
        var lapsed = state.Invitations.Where(i => i.Status == InvitationStatus.Pending && now >= i.ExpiresAt).ToList();
        if (lapsed.Count == 0)
        {
            return state;
        }

        var invitations = state.Invitations.Select(i => lapsed.Contains(i) ? i with { Status = InvitationStatus.Expired } : i).ToImmutableList();
        return Touch(state with { Invitations = invitations }, now);
    }

    public static string RoleZh(MemberRole role) => role switch
    {
        MemberRole.Admin => "管理员",
        MemberRole.Purchaser => "采购",
        MemberRole.Sales => "销售",
        MemberRole.Finance => "财务",
        MemberRole.Signatory => "授权签约代表",
        _ => role.ToString(),
    };

    private static void RequireAnAdmin(ImmutableDictionary<string, Membership> members)
    {
        if (!members.Values.Any(m => m.Roles.Contains(MemberRole.Admin)))
        {
            throw Errors.Precondition("LAST_ADMIN", "An enterprise must keep at least one administrator.", "企业至少须保留一名管理员。");
        }
    }

    private static Invitation FindAddressedTo(EnterpriseState state, string invitationId, IEnumerable<ContactAddress> userAddresses)
    {
        var addresses = userAddresses.ToHashSet();
        return state.Invitations.FirstOrDefault(i => i.InvitationId == invitationId && addresses.Contains(i.Invitee))
            ?? throw Errors.NotFound("Invitation", "邀请");
    }

    private static void RequirePending(Invitation invitation, DateTimeOffset now)
    {
        var status = invitation.StatusAt(now);
        if (status != InvitationStatus.Pending)
        {
            throw Errors.Precondition("INVITATION_NOT_PENDING", $"The invitation is {status.ToString().ToLowerInvariant()}.", "该邀请已失效或已处理。");
        }
    }

    private static DomainException NotPending(EnterpriseState state) =>
        Errors.Precondition("INVALID_VERIFICATION_STATE", $"The enterprise is {state.Status}, not pending review.", "该企业不在待审核状态。");

    private static EnterpriseState Touch(EnterpriseState state, DateTimeOffset now) => state with { UpdatedAt = now, Version = state.Version + 1 };
}
