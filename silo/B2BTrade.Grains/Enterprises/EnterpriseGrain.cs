using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains.Infrastructure;

namespace B2BTrade.Grains.Enterprises;

[GrainType("enterprise")]
public sealed class EnterpriseGrain : Grain, IEnterpriseGrain, IRemindable
{
    private const string InvitationExpiryReminder = "invitation-expiry";
    private readonly AggregateJournal<EnterpriseState> _journal;

    public EnterpriseGrain(
        [PersistentState("enterprise", StorageNames.Grains)] IPersistentState<AggregateState<EnterpriseState>> state,
        TimeProvider time)
    {
        _journal = new AggregateJournal<EnterpriseState>(state, "enterprise", this.GetPrimaryKeyString(), time, AuditView, ReadModelRow);
    }

    private string Id => this.GetPrimaryKeyString();

    public async Task<EnterpriseSnapshot> CreateAsync(Caller caller, string requestId, EnterpriseProfile profile)
    {
        if (Id != Ids.Derived("ent", caller.UserId, requestId))
        {
            throw Errors.PermissionDenied("Enterprise ids are assigned by the platform.", "企业编号由平台分配。");
        }

        if (_journal.Current is null)
        {
            await RequireReadableFileAsync(caller, profile.BusinessLicenceFileId);
        }

        return await _journal.ExecuteAsync(caller.UserId, current =>
        {
            if (current is not null)
            {
                // The id derives from (caller, request id), so an existing state here is this very request, retried.
                return Decision<EnterpriseState, EnterpriseSnapshot>.Unchanged(Snapshot(current, caller));
            }

            var created = EnterpriseRules.Create(Id, profile, caller.UserId, caller.DisplayName, requestId, _journal.Now);
            return new(created, "enterprise.created", Snapshot(created, caller));
        });
    }

    public Task<EnterpriseSnapshot> GetAsync(Caller caller)
    {
        var state = Visible(caller);
        return Task.FromResult(Snapshot(state, caller));
    }

    public async Task<EnterpriseSnapshot> UpdateAsync(Caller caller, EnterpriseProfile profile, string? etag)
    {
        var state = Visible(caller);
        if (!string.IsNullOrEmpty(etag) && etag != ETag(state))
        {
            throw new DomainException(ErrorKind.Aborted, "ETAG_MISMATCH", "The enterprise changed since you read it; reload and try again.", "企业信息已被他人修改，请刷新后重试。");
        }

        if (profile.BusinessLicenceFileId != state.Profile.BusinessLicenceFileId)
        {
            await RequireReadableFileAsync(caller, profile.BusinessLicenceFileId);
        }

        return await Change(caller, s => EnterpriseRules.Update(s, caller.UserId, profile, _journal.Now), "enterprise.updated");
    }

    public Task<EnterpriseSnapshot> SubmitAsync(Caller caller) =>
        Change(caller, s => EnterpriseRules.Submit(s, caller.UserId, _journal.Now), "enterprise.verification.submitted");

    public async Task<EnterpriseSnapshot> ApproveAsync(Caller caller)
    {
        RequireOperator(caller);
        var state = Visible(caller);
        if (state.Status == VerificationStatus.Pending)
        {
            var owner = await GrainFactory.GetGrain<IUniqueClaimGrain>("credit-code:" + state.Profile.UnifiedSocialCreditCode).ClaimAsync(Id);
            if (owner != Id)
            {
                throw Errors.Precondition("CREDIT_CODE_ALREADY_VERIFIED", "Another enterprise with this unified social credit code is already verified.", "已有使用该统一社会信用代码的企业通过认证。");
            }
        }

        return await Change(caller, s => EnterpriseRules.Approve(s, caller.UserId, _journal.Now), "enterprise.verification.approved");
    }

    public Task<EnterpriseSnapshot> RejectAsync(Caller caller, string reason)
    {
        RequireOperator(caller);
        return Change(caller, s => EnterpriseRules.Reject(s, caller.UserId, reason, _journal.Now), "enterprise.verification.rejected");
    }

    public async Task<Invitation> InviteAsync(Caller caller, string requestId, ContactAddress invitee, MemberRole[] roles, decimal? signingLimit, decimal? spendingLimit = null)
    {
        Visible(caller);
        var invitationId = Ids.Derived("inv", caller.UserId + "/" + Id, requestId);
        var invitation = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var (next, created) = EnterpriseRules.Invite(Require(current), caller.UserId, invitationId, invitee, roles, signingLimit, _journal.Now, spendingLimit);
            return new Decision<EnterpriseState, Invitation>(next, "enterprise.member.invited", created);
        });
        await this.RegisterOrUpdateReminder(InvitationExpiryReminder, invitation.ExpiresAt - _journal.Now + TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        return invitation;
    }

    public Task<EnterpriseSnapshot> AcceptInvitationAsync(Caller caller, string invitationId, ContactAddress[] callerAddresses) =>
        _journal.ExecuteAsync(caller.UserId, current =>
        {
            var next = EnterpriseRules.Accept(Require(current), invitationId, caller.UserId, caller.DisplayName, callerAddresses, _journal.Now);
            return new Decision<EnterpriseState, EnterpriseSnapshot>(next, "enterprise.invitation.accepted", Snapshot(next, caller));
        });

    public Task DeclineInvitationAsync(Caller caller, string invitationId, ContactAddress[] callerAddresses) =>
        _journal.ExecuteAsync(caller.UserId, current =>
            new Decision<EnterpriseState, bool>(EnterpriseRules.Decline(Require(current), invitationId, callerAddresses, _journal.Now), "enterprise.invitation.declined", true));

    public Task RevokeInvitationAsync(Caller caller, string invitationId)
    {
        Visible(caller);
        return Change(caller, s => EnterpriseRules.Revoke(s, caller.UserId, invitationId, _journal.Now), "enterprise.invitation.revoked");
    }

    public Task<Membership> UpdateMemberRolesAsync(Caller caller, string userId, MemberRole[] roles, decimal? signingLimit, decimal? spendingLimit = null)
    {
        Visible(caller);
        return _journal.ExecuteAsync(caller.UserId, current =>
        {
            var next = EnterpriseRules.UpdateRoles(Require(current), caller.UserId, userId, roles, signingLimit, _journal.Now, spendingLimit);
            return new Decision<EnterpriseState, Membership>(next, "enterprise.member.roles-changed", next.Members[userId]);
        });
    }

    public Task RemoveMemberAsync(Caller caller, string userId)
    {
        Visible(caller);
        return Change(caller, s => EnterpriseRules.RemoveMember(s, caller.UserId, userId, _journal.Now), "enterprise.member.removed");
    }

    public Task<MemberRole[]> GetRolesAsync(string userId) =>
        Task.FromResult(_journal.Current?.Members.GetValueOrDefault(userId) is { } member ? member.Roles.ToArray() : []);

    public Task<Membership?> GetMembershipAsync(string userId) => Task.FromResult(_journal.Current?.Members.GetValueOrDefault(userId));

    public Task<EnterpriseProfile?> GetProfileAsync() => Task.FromResult(_journal.Current?.Profile);

    public Task<string?> GetLegalNameAsync() => Task.FromResult(_journal.Current?.Profile.LegalName);

    public Task<BuyerFacts> GetBuyerFactsAsync(string userId) =>
        Task.FromResult(_journal.Current is { } state
            ? new BuyerFacts(state.Members.GetValueOrDefault(userId), state.Status == VerificationStatus.Verified, state.Profile.LegalName)
            : new BuyerFacts(null, false, ""));

    public Task<SellerStanding> GetSellerStandingAsync(string userId) =>
        Task.FromResult(_journal.Current is { } state
            ? new SellerStanding(state.Status == VerificationStatus.Verified, state.Profile.IsSeller, state.Members.GetValueOrDefault(userId) is { } m ? [.. m.Roles] : [])
            : new SellerStanding(false, false, []));

    public Task RepublishAsync() => _journal.RepublishAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != InvitationExpiryReminder)
        {
            return;
        }

        await _journal.ExecuteAsync(Caller.System.UserId, current =>
            current is null
                ? Decision<EnterpriseState, bool>.Unchanged(false)
                : new Decision<EnterpriseState, bool>(EnterpriseRules.ExpireInvitations(current, _journal.Now), "enterprise.invitations.expired", true));
        var pending = _journal.Current?.Invitations.Where(i => i.Status == InvitationStatus.Pending).ToList() ?? [];
        if (pending.Count == 0)
        {
            await this.UnregisterReminderIfAnyAsync(InvitationExpiryReminder);
        }
        else
        {
            var nextDue = pending.Min(i => i.ExpiresAt) - _journal.Now + TimeSpan.FromSeconds(1);
            await this.RegisterOrUpdateReminder(InvitationExpiryReminder, nextDue > TimeSpan.Zero ? nextDue : TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        }
    }

    private Task<EnterpriseSnapshot> Change(Caller caller, Func<EnterpriseState, EnterpriseState> decide, string action) =>
        _journal.ExecuteAsync(caller.UserId, current =>
        {
            var next = decide(Require(current));
            return new Decision<EnterpriseState, EnterpriseSnapshot>(next, action, Snapshot(next, caller));
        });

    /// <summary>Members and operators see the enterprise; to anyone else it does not exist.</summary>
    private EnterpriseState Visible(Caller caller)
    {
        var state = Require(_journal.Current);
        if (!caller.IsOperator)
        {
            EnterpriseRules.RequireMember(state, caller.UserId);
        }

        return state;
    }

    private async Task RequireReadableFileAsync(Caller caller, string fileId)
    {
        if (string.IsNullOrEmpty(fileId))
        {
            return;
        }

        if (!Ids.IsWellFormed(fileId, "f"))
        {
            throw Errors.InvalidField("profile.business_licence_file_id", "INVALID_FILE_ID", "The business licence must be a file uploaded through FileService.", "营业执照须为已上传的文件。");
        }

        try
        {
            await GrainFactory.GetGrain<IFileGrain>(fileId).GetAsync(caller);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw Errors.InvalidField("profile.business_licence_file_id", "FILE_NOT_FOUND", "The business licence file was not found.", "未找到营业执照文件。");
        }
    }

    private static void RequireOperator(Caller caller)
    {
        if (!caller.IsOperator)
        {
            throw Errors.PermissionDenied("Only platform operators review enterprises.", "仅平台运营人员可审核企业。");
        }
    }

    private static EnterpriseState Require(EnterpriseState? state) => state ?? throw Errors.NotFound("Enterprise", "企业");

    public static string ETag(EnterpriseState state) => state.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static EnterpriseSnapshot Snapshot(EnterpriseState state, Caller caller) =>
        new(state, state.Members.GetValueOrDefault(caller.UserId) is { } m ? [.. m.Roles] : []);

    private static object AuditView(EnterpriseState s) => new
    {
        s.EnterpriseId,
        Profile = s.Profile with { BankAccounts = [.. s.Profile.BankAccounts.Select(a => a with { AccountNumber = Mask.Number(a.AccountNumber) })], ContactPhone = Mask.Phone(s.Profile.ContactPhone) },
        Status = s.Status.ToString(),
        s.RejectionReason,
        Members = s.Members.Values.OrderBy(m => m.UserId, StringComparer.Ordinal).Select(m => new { m.UserId, Roles = m.Roles.Select(r => r.ToString()), m.SigningLimit, m.SpendingLimit }),
        Invitations = s.Invitations.Select(i => new { i.InvitationId, Invitee = i.Invitee.Masked, Status = i.Status.ToString(), Roles = i.Roles.Select(r => r.ToString()) }),
        s.Version,
    };

    private static object ReadModelRow(EnterpriseState s) => new
    {
        enterpriseId = s.EnterpriseId,
        legalName = s.Profile.LegalName,
        creditCode = s.Profile.UnifiedSocialCreditCode,
        status = (int)s.Status,
        rejectionReason = s.RejectionReason,
        createdAt = s.CreatedAt,
        updatedAt = s.UpdatedAt,
        submittedAt = s.SubmittedAt,
        members = s.Members.Values.Select(m => new { userId = m.UserId, displayName = m.DisplayName, roles = m.Roles.Select(r => (int)r) }),
        invitations = s.Invitations.Select(i => new
        {
            invitationId = i.InvitationId,
            inviteeKey = i.Invitee.Key,
            maskedInvitee = i.Invitee.Masked,
            status = (int)i.Status,
            roles = i.Roles.Select(r => (int)r),
            signingLimit = i.SigningLimit,
            createdAt = i.CreatedAt,
            expiresAt = i.ExpiresAt,
        }),
    };
}
