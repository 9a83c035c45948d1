using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Tests.Enterprises;

public class EnterpriseRulesTests
{
    private const string Creator = "u_creator1";
    private const string Buyer = "u_buyer001";
    private static readonly DateTimeOffset s_t0 = new(2025, 3, 14, 2, 0, 0, TimeSpan.Zero);
    private static readonly ContactAddress s_inviteeEmail = ContactAddress.ParseEmail("buyer@steel.cn", "email");
    private static readonly ContactAddress s_inviteePhone = ContactAddress.ParsePhone("13912345678", "phone");

    private static EnterpriseProfile ValidProfile => new()
    {
        LegalName = "福州钢贸有限公司",
        UnifiedSocialCreditCode = "91350100M000100Y43",
        LegalRepresentative = "张伟",
        RegisteredAddress = "福建省福州市鼓楼区五四路 100 号",
        ContactName = "李娜",
        ContactPhone = "13812345678",
        BusinessLicenceFileId = "f_abcdefgh",
        BankAccounts = [new BankAccount("中国工商银行", "福州分行", "福州钢贸有限公司", "6222021234567890123")],
        IsBuyer = true,
    };

    [Fact]
    public void ValidateProfileNormalisesCodeAndPhone()
    {
        var profile = EnterpriseRules.ValidateProfile(ValidProfile with
        {
            LegalName = "  福州钢贸有限公司 ",
            UnifiedSocialCreditCode = " 91350100m000100y43 ",
            ContactPhone = "+86 138 1234 5678",
            BankAccounts = [new BankAccount(" 中国工商银行 ", "福州分行", "福州钢贸有限公司 ", "6222 0212 3456 7890 123")],
        });

        Assert.Equal("福州钢贸有限公司", profile.LegalName);
        Assert.Equal("91350100M000100Y43", profile.UnifiedSocialCreditCode);
        Assert.Equal("+8613812345678", profile.ContactPhone);
        Assert.Equal("6222021234567890123", profile.BankAccounts[0].AccountNumber);
        Assert.Equal("中国工商银行", profile.BankAccounts[0].BankName);
    }

    [Fact]
    public void ValidateProfileReportsEveryBadFieldAtOnce()
    {
        var input = ValidProfile with
        {
            LegalName = "",
            UnifiedSocialCreditCode = "91350100M000100Y44",
            LegalRepresentative = "张",
            ContactPhone = "12345",
            BusinessLicenceFileId = "../licence.pdf",
            BankAccounts = [new BankAccount("工行", "", "别家公司", "12ab")],
            IsBuyer = false,
        };

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.ValidateProfile(input));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_FIELDS", error.Reason);
        var fields = error.Violations.Select(v => v.Field).ToHashSet();
        Assert.Subset(fields, new HashSet<string>
        {
            "profile.legal_name",
            "profile.unified_social_credit_code",
            "profile.legal_representative",
            "profile.contact_phone",
            "profile.business_licence_file_id",
            "profile.is_buyer",
            "profile.bank_accounts[0].account_name",
            "profile.bank_accounts[0].account_number",
        });
        Assert.Contains(error.Violations, v => v.Field == "profile.unified_social_credit_code" && v.Reason == "INVALID_CREDIT_CODE");
        Assert.Contains(error.Violations, v => v.Field == "profile.contact_phone" && v.Reason == "INVALID_PHONE");
        Assert.All(error.Violations, v => Assert.False(string.IsNullOrEmpty(v.MessageZh)));
    }

    [Fact]
    public void ValidateProfileRequiresTheMandatoryFields()
    {
        var error = Assert.Throws<DomainException>(() => EnterpriseRules.ValidateProfile(null));

        var required = error.Violations.Where(v => v.Reason == "REQUIRED").Select(v => v.Field).ToHashSet();
        Assert.Equal(
            new HashSet<string>
            {
                "profile.legal_name", "profile.unified_social_credit_code", "profile.legal_representative",
                "profile.registered_address", "profile.contact_name", "profile.contact_phone",
            },
            required);
    }

    [Fact]
    public void ValidateProfileRefusesMoreThanTenBankAccounts()
    {
        var account = ValidProfile.BankAccounts[0];
        var error = Assert.Throws<DomainException>(() => EnterpriseRules.ValidateProfile(ValidProfile with { BankAccounts = [.. Enumerable.Repeat(account, 11)] }));

        Assert.Equal("profile.bank_accounts", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void CreateMakesTheCreatorTheOnlyAdmin()
    {
        var state = Created();

        var member = Assert.Single(state.Members.Values);
        Assert.Equal(Creator, member.UserId);
        Assert.Equal(new[] { MemberRole.Admin }, member.Roles);
        Assert.Equal(VerificationStatus.Unverified, state.Status);
        Assert.Equal(1, state.Version);
    }

    [Fact]
    public void CreateRejectsAnInvalidProfile()
    {
        Assert.Throws<DomainException>(() => EnterpriseRules.Create("e_abcdefgh", ValidProfile with { UnifiedSocialCreditCode = "91350100M000100Y4" }, Creator, "Creator", "req-00000001", s_t0));
    }

    [Fact]
    public void NonMemberGetsNotFoundAsIfTheEnterpriseDidNotExist()
    {
        var state = Created();

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Submit(state, "u_stranger", s_t0));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("NOT_FOUND", error.Reason);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => EnterpriseRules.RequireRole(state, "u_stranger", MemberRole.Purchaser)).Kind);
    }

    [Fact]
    public void MemberWithoutAdminRoleIsDenied()
    {
        var state = WithMember(Created(), Buyer, [MemberRole.Purchaser]);

        var submit = Assert.Throws<DomainException>(() => EnterpriseRules.Submit(state, Buyer, s_t0));
        var invite = Assert.Throws<DomainException>(() => EnterpriseRules.Invite(state, Buyer, "inv_1", s_inviteeEmail, [MemberRole.Sales], null, s_t0));
        var finance = Assert.Throws<DomainException>(() => EnterpriseRules.RequireRole(state, Buyer, MemberRole.Finance));

        Assert.All(new[] { submit, invite, finance }, e => Assert.Equal(ErrorKind.PermissionDenied, e.Kind));
        Assert.Equal(Buyer, EnterpriseRules.RequireRole(state, Buyer, MemberRole.Purchaser).UserId);
        Assert.Equal(Creator, EnterpriseRules.RequireRole(state, Creator, MemberRole.Finance).UserId);
    }

    [Fact]
    public void SubmitNeedsABusinessLicence()
    {
        var state = EnterpriseRules.Create("e_abcdefgh", ValidProfile with { BusinessLicenceFileId = "" }, Creator, "Creator", "req-00000001", s_t0);

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Submit(state, Creator, s_t0));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("profile.business_licence_file_id", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void SubmitMovesToPendingReviewOnlyFromUnverifiedOrRejected()
    {
        var pending = EnterpriseRules.Submit(Created(), Creator, s_t0.AddMinutes(1));
        Assert.Equal(VerificationStatus.Pending, pending.Status);
        Assert.Equal(s_t0.AddMinutes(1), pending.SubmittedAt);

        var again = Assert.Throws<DomainException>(() => EnterpriseRules.Submit(pending, Creator, s_t0.AddMinutes(2)));
        Assert.Equal(ErrorKind.FailedPrecondition, again.Kind);

        var verified = EnterpriseRules.Approve(pending, "u_operator", s_t0.AddMinutes(3));
        Assert.Equal(ErrorKind.FailedPrecondition, Assert.Throws<DomainException>(() => EnterpriseRules.Submit(verified, Creator, s_t0.AddMinutes(4))).Kind);

        var rejected = EnterpriseRules.Reject(pending, "u_operator", "营业执照模糊", s_t0.AddMinutes(3));
        var resubmitted = EnterpriseRules.Submit(rejected, Creator, s_t0.AddMinutes(5));
        Assert.Equal(VerificationStatus.Pending, resubmitted.Status);
        Assert.Null(resubmitted.RejectionReason);
    }

    [Fact]
    public void ApproveAndRejectOnlyFromPending()
    {
        var unverified = Created();
        var verified = EnterpriseRules.Approve(EnterpriseRules.Submit(unverified, Creator, s_t0), "u_operator", s_t0);

        Assert.Equal(VerificationStatus.Verified, verified.Status);
        Assert.Equal("u_operator", verified.ReviewedBy);
        foreach (var state in new[] { unverified, verified })
        {
            Assert.Equal("INVALID_VERIFICATION_STATE", Assert.Throws<DomainException>(() => EnterpriseRules.Approve(state, "u_operator", s_t0)).Reason);
            Assert.Equal("INVALID_VERIFICATION_STATE", Assert.Throws<DomainException>(() => EnterpriseRules.Reject(state, "u_operator", "资料不全", s_t0)).Reason);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" x ")]
    [InlineData("501")]
    public void RejectNeedsAReasonOfTwoToFiveHundredCharacters(string? reason)
    {
        var pending = EnterpriseRules.Submit(Created(), Creator, s_t0);
        var text = reason == "501" ? new string('原', 501) : reason;

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Reject(pending, "u_operator", text, s_t0));

        Assert.Equal("reason", Assert.Single(error.Violations).Field);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(500)]
    public void RejectRecordsTheReason(int length)
    {
        var pending = EnterpriseRules.Submit(Created(), Creator, s_t0);
        var reason = new string('原', length);

        var rejected = EnterpriseRules.Reject(pending, "u_operator", "  " + reason + " ", s_t0);

        Assert.Equal(VerificationStatus.Rejected, rejected.Status);
        Assert.Equal(reason, rejected.RejectionReason);
    }

    [Fact]
    public void UpdateIsLockedWhileUnderReviewOrVerified()
    {
        var pending = EnterpriseRules.Submit(Created(), Creator, s_t0);
        var verified = EnterpriseRules.Approve(pending, "u_operator", s_t0);

        foreach (var state in new[] { pending, verified })
        {
            var error = Assert.Throws<DomainException>(() => EnterpriseRules.Update(state, Creator, ValidProfile with { ContactName = "王芳" }, s_t0));
            Assert.Equal("ENTERPRISE_LOCKED_FOR_EDIT", error.Reason);
        }

        Assert.Equal("王芳", EnterpriseRules.Update(Created(), Creator, ValidProfile with { ContactName = "王芳" }, s_t0).Profile.ContactName);
    }

    [Fact]
    public void InviteCreatesAPendingInvitationForSevenDays()
    {
        var (state, invitation) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser, MemberRole.Finance], 1_000m, s_t0);

        Assert.Equal(InvitationStatus.Pending, invitation.Status);
        Assert.Equal(s_t0.AddDays(7), invitation.ExpiresAt);
        Assert.Null(invitation.SigningLimit);
        Assert.Single(state.Invitations);
    }

    [Fact]
    public void InviteWithTheSameInvitationIdIsIdempotent()
    {
        var (once, first) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        var (twice, second) = EnterpriseRules.Invite(once, Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0.AddMinutes(1));

        Assert.Equal(first, second);
        Assert.Same(once, twice);
        Assert.Single(twice.Invitations);
    }

    [Fact]
    public void SecondPendingInvitationToTheSameAddressAlreadyExists()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Invite(state, Creator, "inv_2", ContactAddress.ParseEmail("Buyer@Steel.CN", "email"), [MemberRole.Sales], null, s_t0));

        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("INVITATION_ALREADY_PENDING", error.Reason);
    }

    [Fact]
    public void AddressCanBeInvitedAgainOnceTheOldInvitationExpired()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        var (again, invitation) = EnterpriseRules.Invite(state, Creator, "inv_2", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0.AddDays(7));

        Assert.Equal("inv_2", invitation.InvitationId);
        Assert.Equal(2, again.Invitations.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-1)]
    public void SignatoryNeedsASigningLimitAboveZero(int? limit)
    {
        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Signatory], limit, s_t0));

        Assert.Equal("signing_limit", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void SignatoryKeepsTheSigningLimitThroughAcceptance()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Signatory], 500_000m, s_t0);

        var joined = EnterpriseRules.Accept(state, "inv_1", Buyer, "Buyer", [s_inviteeEmail], s_t0.AddDays(1));

        Assert.Equal(500_000m, joined.Members[Buyer].SigningLimit);
    }

    [Fact]
    public void InviteRequiresAtLeastOneValidRole()
    {
        Assert.Equal("INVALID_ROLES", Assert.Throws<DomainException>(() => EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [], null, s_t0)).Reason);
        Assert.Equal("INVALID_ROLES", Assert.Throws<DomainException>(() => EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [(MemberRole)99], null, s_t0)).Reason);
    }

    [Fact]
    public void InviteeAcceptsAndJoinsWithTheInvitedRoles()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteePhone, [MemberRole.Purchaser], null, s_t0);

        var joined = EnterpriseRules.Accept(state, "inv_1", Buyer, "Buyer", [s_inviteeEmail, ContactAddress.ParsePhone("+86 139 1234 5678", "phone")], s_t0.AddDays(1));

        Assert.Equal(new[] { MemberRole.Purchaser }, joined.Members[Buyer].Roles);
        Assert.Equal(InvitationStatus.Accepted, joined.Invitations.Single().Status);
    }

    [Fact]
    public void SomeoneElsesInvitationLooksMissing()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Accept(state, "inv_1", "u_intruder", "Intruder", [ContactAddress.ParseEmail("other@steel.cn", "email")], s_t0));
        var missing = Assert.Throws<DomainException>(() => EnterpriseRules.Accept(state, "inv_404", Buyer, "Buyer", [s_inviteeEmail], s_t0));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal(error.Message, missing.Message);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => EnterpriseRules.Decline(state, "inv_1", [ContactAddress.ParseEmail("other@steel.cn", "email")], s_t0)).Kind);
    }

    [Fact]
    public void ExpiredInvitationCannotBeAccepted()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        Assert.NotNull(EnterpriseRules.Accept(state, "inv_1", Buyer, "Buyer", [s_inviteeEmail], s_t0.AddDays(7).AddSeconds(-1)));
        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Accept(state, "inv_1", Buyer, "Buyer", [s_inviteeEmail], s_t0.AddDays(7)));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("INVITATION_NOT_PENDING", error.Reason);
    }

    [Fact]
    public void ExistingMemberCannotAcceptAgain()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);
        var joined = EnterpriseRules.Accept(state, "inv_1", Buyer, "Buyer", [s_inviteeEmail], s_t0.AddHours(1));

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.Accept(joined, "inv_1", Buyer, "Buyer", [s_inviteeEmail], s_t0.AddHours(2)));

        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("ALREADY_MEMBER", error.Reason);
    }

    [Fact]
    public void DeclinedInvitationCanNoLongerBeAccepted()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        var declined = EnterpriseRules.Decline(state, "inv_1", [s_inviteeEmail], s_t0.AddHours(1));

        Assert.Equal(InvitationStatus.Declined, declined.Invitations.Single().Status);
        Assert.Equal("INVITATION_NOT_PENDING", Assert.Throws<DomainException>(() => EnterpriseRules.Accept(declined, "inv_1", Buyer, "Buyer", [s_inviteeEmail], s_t0.AddHours(2))).Reason);
        Assert.False(declined.Members.ContainsKey(Buyer));
    }

    [Fact]
    public void RevokedInvitationCanNoLongerBeAccepted()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        var revoked = EnterpriseRules.Revoke(state, Creator, "inv_1", s_t0.AddHours(1));

        Assert.Equal(InvitationStatus.Revoked, revoked.Invitations.Single().Status);
        Assert.Equal("INVITATION_NOT_PENDING", Assert.Throws<DomainException>(() => EnterpriseRules.Accept(revoked, "inv_1", Buyer, "Buyer", [s_inviteeEmail], s_t0.AddHours(2))).Reason);
        Assert.Equal("INVITATION_NOT_PENDING", Assert.Throws<DomainException>(() => EnterpriseRules.Revoke(revoked, Creator, "inv_1", s_t0.AddHours(2))).Reason);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => EnterpriseRules.Revoke(state, Creator, "inv_404", s_t0)).Kind);
    }

    [Fact]
    public void SoleAdminCannotDropTheAdminRole()
    {
        var state = WithMember(Created(), Buyer, [MemberRole.Purchaser]);

        var error = Assert.Throws<DomainException>(() => EnterpriseRules.UpdateRoles(state, Creator, Creator, [MemberRole.Finance], null, s_t0));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("LAST_ADMIN", error.Reason);
    }

    [Fact]
    public void AdminCanHandOverAdminAndStepDown()
    {
        var state = WithMember(Created(), Buyer, [MemberRole.Purchaser]);

        state = EnterpriseRules.UpdateRoles(state, Creator, Buyer, [MemberRole.Admin, MemberRole.Purchaser], null, s_t0);
        state = EnterpriseRules.UpdateRoles(state, Creator, Creator, [MemberRole.Finance], null, s_t0);

        Assert.Equal(new[] { MemberRole.Finance }, state.Members[Creator].Roles);
        Assert.Contains(MemberRole.Admin, state.Members[Buyer].Roles);
        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => EnterpriseRules.UpdateRoles(state, Creator, Buyer, [MemberRole.Sales], null, s_t0)).Kind);
    }

    [Fact]
    public void UpdateRolesDropsTheSigningLimitWhenSignatoryIsRemoved()
    {
        var state = WithMember(Created(), Buyer, [MemberRole.Purchaser]);
        state = EnterpriseRules.UpdateRoles(state, Creator, Buyer, [MemberRole.Signatory], 100_000m, s_t0);
        Assert.Equal(100_000m, state.Members[Buyer].SigningLimit);

        state = EnterpriseRules.UpdateRoles(state, Creator, Buyer, [MemberRole.Sales], 100_000m, s_t0);

        Assert.Null(state.Members[Buyer].SigningLimit);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => EnterpriseRules.UpdateRoles(state, Creator, "u_nobody", [MemberRole.Sales], null, s_t0)).Kind);
    }

    [Fact]
    public void SoleAdminCannotLeave()
    {
        var state = WithMember(Created(), Buyer, [MemberRole.Purchaser]);

        Assert.Equal("LAST_ADMIN", Assert.Throws<DomainException>(() => EnterpriseRules.RemoveMember(state, Creator, Creator, s_t0)).Reason);
    }

    [Fact]
    public void MemberMayLeaveByRemovingThemself()
    {
        var state = WithMember(Created(), Buyer, [MemberRole.Purchaser]);

        var left = EnterpriseRules.RemoveMember(state, Buyer, Buyer, s_t0);

        Assert.False(left.Members.ContainsKey(Buyer));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => EnterpriseRules.RequireMember(left, Buyer)).Kind);
    }

    [Fact]
    public void OnlyAnAdminMayRemoveSomeoneElse()
    {
        var state = WithMember(WithMember(Created(), Buyer, [MemberRole.Purchaser]), "u_seller01", [MemberRole.Sales]);

        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => EnterpriseRules.RemoveMember(state, Buyer, "u_seller01", s_t0)).Kind);
        Assert.False(EnterpriseRules.RemoveMember(state, Creator, "u_seller01", s_t0).Members.ContainsKey("u_seller01"));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => EnterpriseRules.RemoveMember(state, Creator, "u_nobody", s_t0)).Kind);
    }

    [Fact]
    public void ExpireInvitationsMarksOnlyLapsedOnes()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);
        (state, _) = EnterpriseRules.Invite(state, Creator, "inv_2", s_inviteePhone, [MemberRole.Sales], null, s_t0.AddDays(3));

        var expired = EnterpriseRules.ExpireInvitations(state, s_t0.AddDays(7));

        Assert.Equal(InvitationStatus.Expired, expired.Invitations.Single(i => i.InvitationId == "inv_1").Status);
        Assert.Equal(InvitationStatus.Pending, expired.Invitations.Single(i => i.InvitationId == "inv_2").Status);
        Assert.Equal(state.Version + 1, expired.Version);
    }

    [Fact]
    public void ExpireInvitationsReturnsTheSameStateWhenNothingLapsed()
    {
        var (state, _) = EnterpriseRules.Invite(Created(), Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, s_t0);

        Assert.Same(state, EnterpriseRules.ExpireInvitations(state, s_t0.AddDays(7).AddSeconds(-1)));
        var expired = EnterpriseRules.ExpireInvitations(state, s_t0.AddDays(8));
        Assert.Same(expired, EnterpriseRules.ExpireInvitations(expired, s_t0.AddDays(9)));
    }

    [Fact]
    public void VersionIncrementsOnEveryChange()
    {
        var state = Created();
        var versions = new List<long> { state.Version };
        var t = s_t0;

        state = EnterpriseRules.Update(state, Creator, ValidProfile with { ContactName = "王芳" }, t = t.AddMinutes(1));
        versions.Add(state.Version);
        (state, _) = EnterpriseRules.Invite(state, Creator, "inv_1", s_inviteeEmail, [MemberRole.Purchaser], null, t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.Accept(state, "inv_1", Buyer, "Buyer", [s_inviteeEmail], t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.UpdateRoles(state, Creator, Buyer, [MemberRole.Finance], null, t = t.AddMinutes(1));
        versions.Add(state.Version);
        (state, _) = EnterpriseRules.Invite(state, Creator, "inv_2", s_inviteePhone, [MemberRole.Sales], null, t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.Revoke(state, Creator, "inv_2", t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.Submit(state, Creator, t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.Reject(state, "u_operator", "执照过期", t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.Submit(state, Creator, t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.Approve(state, "u_operator", t = t.AddMinutes(1));
        versions.Add(state.Version);
        state = EnterpriseRules.RemoveMember(state, Buyer, Buyer, t = t.AddMinutes(1));
        versions.Add(state.Version);

        Assert.Equal(Enumerable.Range(1, versions.Count).Select(i => (long)i), versions);
        Assert.Equal(t, state.UpdatedAt);
    }

    private static EnterpriseState Created() =>
        EnterpriseRules.Create("e_abcdefgh", ValidProfile, Creator, "Creator", "req-00000001", s_t0);

    private static EnterpriseState WithMember(EnterpriseState state, string userId, MemberRole[] roles)
    {
        var address = ContactAddress.ParseEmail(userId.Replace("_", "", StringComparison.Ordinal) + "@steel.cn", "email");
        var invitationId = "inv_" + userId;
        (state, _) = EnterpriseRules.Invite(state, Creator, invitationId, address, roles, null, s_t0);
        return EnterpriseRules.Accept(state, invitationId, userId, userId, [address], s_t0);
    }
}
