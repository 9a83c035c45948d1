using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Operations.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace B2BTrade.GrpcApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class EnterpriseTests(ApiFactory factory)
{
    public static TheoryData<string> Transports => ["native", "grpc-web"];

    private Api Over(string transport) => new(transport == "native" ? factory.NativeChannel() : factory.WebChannel(), factory);

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EnterpriseIsCreatedVerifiedAndJoinedByAnInvitedMember(string transport)
    {
        var api = Over(transport);
        var (token, _, enterprise) = await api.EnterpriseWithAdminAsync();
        Assert.Equal(VerificationStatus.Unverified, enterprise.VerificationStatus);
        Assert.Equal([MemberRole.Admin], enterprise.MyRoles);

        var submitted = await api.Enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        Assert.Equal(VerificationStatus.Pending, submitted.Enterprise.VerificationStatus);

        var operatorToken = await api.OperatorTokenAsync();
        var queue = await Api.EventuallyAsync(
            () => api.Operator.ListVerificationRequestsAsync(new ListVerificationRequestsRequest { PageSize = 100 }, Api.Bearer(operatorToken)).ResponseAsync,
            q => q.Requests.Any(r => r.EnterpriseId == enterprise.EnterpriseId));
        Assert.Contains(queue.Requests, r => r.EnterpriseId == enterprise.EnterpriseId);
        var approved = await api.Operator.ApproveEnterpriseVerificationAsync(new ApproveEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(operatorToken));
        Assert.Equal(VerificationStatus.Verified, approved.Enterprise.VerificationStatus);

        var inviteeEmail = Api.UniqueEmail();
        var invitation = await api.Enterprises.InviteMemberAsync(new InviteMemberRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            EnterpriseId = enterprise.EnterpriseId,
            Invitee = Api.Email(inviteeEmail),
            Roles = { MemberRole.Purchaser, MemberRole.Signatory },
            SigningLimit = new Money { CurrencyCode = "CNY", Amount = "500000.00" },
        }, Api.Bearer(token));
        Assert.Equal(InvitationStatus.Pending, invitation.Invitation.Status);

        var invitee = await api.RegisterAsync(Api.Email(inviteeEmail));
        var mine = await Api.EventuallyAsync(
            () => api.Enterprises.ListMyInvitationsAsync(new ListMyInvitationsRequest(), Api.Bearer(invitee.Tokens.AccessToken)).ResponseAsync,
            r => r.Invitations.Count > 0);
        var received = Assert.Single(mine.Invitations);
        Assert.Equal(enterprise.Profile.LegalName, received.EnterpriseName);

        var joined = await api.Enterprises.AcceptInvitationAsync(new AcceptInvitationRequest { EnterpriseId = enterprise.EnterpriseId, InvitationId = received.InvitationId }, Api.Bearer(invitee.Tokens.AccessToken));
        Assert.Equal([MemberRole.Purchaser, MemberRole.Signatory], joined.Enterprise.MyRoles);
        Assert.DoesNotContain("1001234509876543210", joined.Enterprise.ToString(), StringComparison.Ordinal);

        var members = await api.Enterprises.ListMembersAsync(new ListMembersRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        Assert.Equal(2, members.Members.Count);
        Assert.Equal("500000.00", members.Members.Single(m => m.UserId == invitee.User.UserId).SigningLimit.Amount);

        var listed = await Api.EventuallyAsync(
            () => api.Enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest(), Api.Bearer(invitee.Tokens.AccessToken)).ResponseAsync,
            r => r.Enterprises.Count > 0);
        Assert.Equal(VerificationStatus.Verified, Assert.Single(listed.Enterprises).VerificationStatus);
    }

    [Fact]
    public async Task RetriedCreateWithTheSameRequestIdCreatesOneEnterprise()
    {
        var api = Over("native");
        var user = await api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        var request = new CreateEnterpriseRequest { RequestId = Guid.NewGuid().ToString(), Profile = Api.Profile("重复请求测试有限公司") };
        var replies = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.Enterprises.CreateEnterpriseAsync(request, Api.Bearer(user.Tokens.AccessToken)).ResponseAsync));
        Assert.Single(replies.Select(r => r.Enterprise.EnterpriseId).Distinct());
        Assert.All(replies, r => Assert.Equal(replies[0].Enterprise.Etag, r.Enterprise.Etag));

        var listed = await Api.EventuallyAsync(
            () => api.Enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest(), Api.Bearer(user.Tokens.AccessToken)).ResponseAsync,
            r => r.Enterprises.Count > 0);
        await Task.Delay(300);
        listed = await api.Enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest(), Api.Bearer(user.Tokens.AccessToken));
        Assert.Single(listed.Enterprises);
    }

    [Fact]
    public async Task InvalidProfileReportsEveryBadFieldAndCreatesNothing()
    {
        var api = Over("native");
        var user = await api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        var profile = Api.Profile();
        profile.UnifiedSocialCreditCode = "91350100M000100Y44";
        profile.LegalRepresentative = "";
        profile.ContactPhone = "123";
        profile.BankAccounts[0].AccountName = "别的公司";
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => api.Enterprises.CreateEnterpriseAsync(new CreateEnterpriseRequest { RequestId = Guid.NewGuid().ToString(), Profile = profile }, Api.Bearer(user.Tokens.AccessToken)).ResponseAsync);
        var fields = RpcAssert.Violations(error).Select(v => v.Field).ToHashSet();
        Assert.Contains("profile.unified_social_credit_code", fields);
        Assert.Contains("profile.legal_representative", fields);
        Assert.Contains("profile.contact_phone", fields);
        Assert.Contains("profile.bank_accounts[0].account_name", fields);

        await Task.Delay(200);
        var listed = await api.Enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest(), Api.Bearer(user.Tokens.AccessToken));
        Assert.Empty(listed.Enterprises);
    }

    [Fact]
    public async Task AnEnterpriseNeverLosesItsLastAdmin()
    {
        var api = Over("native");
        var (token, user, enterprise) = await api.EnterpriseWithAdminAsync();
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => api.Enterprises.UpdateMemberRolesAsync(new UpdateMemberRolesRequest { EnterpriseId = enterprise.EnterpriseId, UserId = user.User.UserId, Roles = { MemberRole.Sales } }, Api.Bearer(token)).ResponseAsync, "LAST_ADMIN");
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => api.Enterprises.RemoveMemberAsync(new RemoveMemberRequest { EnterpriseId = enterprise.EnterpriseId, UserId = user.User.UserId }, Api.Bearer(token)).ResponseAsync, "LAST_ADMIN");
    }

    [Fact]
    public async Task RejectedEnterpriseShowsTheReasonAndCanBeCorrectedAndResubmitted()
    {
        var api = Over("native");
        var (token, _, enterprise) = await api.EnterpriseWithAdminAsync();
        await api.Enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        var operatorToken = await api.OperatorTokenAsync();
        await api.Operator.RejectEnterpriseVerificationAsync(new RejectEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId, Reason = "营业执照不清晰" }, Api.Bearer(operatorToken));

        var seen = await api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        Assert.Equal(VerificationStatus.Rejected, seen.Enterprise.VerificationStatus);
        Assert.Equal("营业执照不清晰", seen.Enterprise.RejectionReason);
        var listed = await Api.EventuallyAsync(
            () => api.Enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest(), Api.Bearer(token)).ResponseAsync,
            r => r.Enterprises.Any(e => e.RejectionReason.Length > 0));
        Assert.Equal("营业执照不清晰", Assert.Single(listed.Enterprises).RejectionReason);

        var profile = seen.Enterprise.Profile.Clone();
        profile.RegisteredAddress = "上海市浦东新区世纪大道200号";
        await RpcAssert.ThrowsAsync(StatusCode.Aborted, () => api.Enterprises.UpdateEnterpriseAsync(new UpdateEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId, Profile = profile, Etag = "1" }, Api.Bearer(token)).ResponseAsync, "ETAG_MISMATCH");
        var updated = await api.Enterprises.UpdateEnterpriseAsync(new UpdateEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId, Profile = profile, Etag = seen.Enterprise.Etag }, Api.Bearer(token));
        Assert.Equal("上海市浦东新区世纪大道200号", updated.Enterprise.Profile.RegisteredAddress);
        var again = await api.Enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        Assert.Equal(VerificationStatus.Pending, again.Enterprise.VerificationStatus);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ControlAndTextDirectionCharactersAreRefusedInAnyFieldNamingIt(string transport)
    {
        // An attacker's review: a right-to-left override in a legal name made the contract show another name than the
        // stored one, and NUL would break PostgreSQL text columns.
        var api = Over(transport);
        var (token, _, enterprise) = await api.EnterpriseWithAdminAsync();
        var seen = await api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        var profile = seen.Enterprise.Profile.Clone();
        profile.LegalName = "恶意\u202E司公限有\u202C";
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => api.Enterprises.UpdateEnterpriseAsync(new UpdateEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId, Profile = profile, Etag = seen.Enterprise.Etag }, Api.Bearer(token)).ResponseAsync, "CONTROL_CHARACTERS");
        Assert.Equal("profile.legal_name", Assert.Single(RpcAssert.Violations(error)).Field);

        // Nested and repeated fields and map keys and values are named by their path.
        var (sellerToken, _, seller) = await api.VerifiedSellerAsync();
        var spec = Api.RebarSpec();
        spec.Attributes["grade"] = "HRB400E\u0000";
        error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => api.Catalog.CreateListingAsync(new Protos.Catalog.V1.CreateListingRequest { RequestId = Guid.NewGuid().ToString(), SellerEnterpriseId = seller.EnterpriseId, Spec = spec }, Api.Bearer(sellerToken)).ResponseAsync, "CONTROL_CHARACTERS");
        Assert.Equal("spec.attributes.grade", Assert.Single(RpcAssert.Violations(error)).Field);
        var bulk = new Protos.Catalog.V1.BulkUpsertListingsRequest { SellerEnterpriseId = seller.EnterpriseId };
        bulk.Items.Add(new Protos.Catalog.V1.BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), Spec = Api.RebarSpec() });
        bulk.Items.Add(new Protos.Catalog.V1.BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), Spec = Api.RebarSpec() });
        bulk.Items[1].Spec.Brand = "沙钢\u0007";
        error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => api.Catalog.BulkUpsertListingsAsync(bulk, Api.Bearer(sellerToken)).ResponseAsync, "CONTROL_CHARACTERS");
        Assert.Equal("items[1].spec.brand", Assert.Single(RpcAssert.Violations(error)).Field);

        // Every bad field of a request is named at once (up to 20, as many as an error carries), so an ERP can fix its batch in one go.
        bulk.Items[0].Spec.Origin = "\u202E江苏";
        bulk.Items[1].Spec.Attributes["grade"] = "HRB400E\u0000";
        error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => api.Catalog.BulkUpsertListingsAsync(bulk, Api.Bearer(sellerToken)).ResponseAsync, "CONTROL_CHARACTERS");
        Assert.Equal(
            new[] { "items[0].spec.origin", "items[1].spec.attributes.grade", "items[1].spec.brand" },
            RpcAssert.Violations(error).Select(v => v.Field).Order(StringComparer.Ordinal));
        var many = new Protos.Catalog.V1.BulkUpsertListingsRequest { SellerEnterpriseId = seller.EnterpriseId };
        for (var i = 0; i < 60; i++)
        {
            many.Items.Add(new Protos.Catalog.V1.BulkUpsertItem { RequestId = Guid.NewGuid().ToString(), Spec = Api.RebarSpec() });
            many.Items[i].Spec.Brand = "沙钢\u0007";
        }

        error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => api.Catalog.BulkUpsertListingsAsync(many, Api.Bearer(sellerToken)).ResponseAsync, "CONTROL_CHARACTERS");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"items[{i}].spec.brand"), RpcAssert.Violations(error).Select(v => v.Field));

        // Nothing was stored, and ordinary text (line breaks included) still passes.
        var unchanged = await api.Enterprises.GetEnterpriseAsync(new GetEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        Assert.Equal(seen.Enterprise.Profile.LegalName, unchanged.Enterprise.Profile.LegalName);
        profile.LegalName = seen.Enterprise.Profile.LegalName;
        profile.RegisteredAddress = "上海市浦东新区\n世纪大道100号";
        var updated = await api.Enterprises.UpdateEnterpriseAsync(new UpdateEnterpriseRequest { EnterpriseId = enterprise.EnterpriseId, Profile = profile, Etag = seen.Enterprise.Etag }, Api.Bearer(token));
        Assert.Equal("上海市浦东新区\n世纪大道100号", updated.Enterprise.Profile.RegisteredAddress);
    }

    [Fact]
    public async Task OnlyOneEnterprisePerCreditCodeCanBeVerified()
    {
        var api = Over("native");
        var code = Api.UniqueCreditCode();
        var operatorToken = await api.OperatorTokenAsync();
        var ids = new List<string>();
        foreach (var name in new[] { "真实钢铁有限公司", "冒名钢铁有限公司" })
        {
            var user = await api.RegisterAsync(Api.Phone(Api.UniquePhone()));
            var licence = await api.UploadAsync(user.Tokens.AccessToken, Api.Png());
            var profile = Api.Profile(name, code);
            profile.BusinessLicenceFileId = licence.FileId;
            var created = await api.Enterprises.CreateEnterpriseAsync(new CreateEnterpriseRequest { RequestId = Guid.NewGuid().ToString(), Profile = profile }, Api.Bearer(user.Tokens.AccessToken));
            await api.Enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = created.Enterprise.EnterpriseId }, Api.Bearer(user.Tokens.AccessToken));
            ids.Add(created.Enterprise.EnterpriseId);
        }

        await api.Operator.ApproveEnterpriseVerificationAsync(new ApproveEnterpriseVerificationRequest { EnterpriseId = ids[0] }, Api.Bearer(operatorToken));
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => api.Operator.ApproveEnterpriseVerificationAsync(new ApproveEnterpriseVerificationRequest { EnterpriseId = ids[1] }, Api.Bearer(operatorToken)).ResponseAsync, "CREDIT_CODE_ALREADY_VERIFIED");
    }

    [Fact]
    public async Task AuditTrailRecordsEveryChangeInAnIntactHashChain()
    {
        var api = Over("native");
        var (token, user, enterprise) = await api.EnterpriseWithAdminAsync();
        await api.Enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId }, Api.Bearer(token));
        var trail = await api.Operator.GetAuditTrailAsync(new GetAuditTrailRequest { AggregateType = "enterprise", AggregateId = enterprise.EnterpriseId }, Api.Bearer(await api.OperatorTokenAsync()));
        Assert.True(trail.ChainIntact);
        Assert.Equal(["enterprise.created", "enterprise.verification.submitted"], trail.Entries.Select(e => e.Action));
        Assert.All(trail.Entries, e => Assert.Equal(user.User.UserId, e.Actor));
        Assert.DoesNotContain("1001234509876543210", trail.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadModelRebuildRestoresListsFromGrainState()
    {
        var api = Over("native");
        var (token, _, enterprise) = await api.EnterpriseWithAdminAsync();
        var rebuilt = await api.Operator.RebuildReadModelAsync(new RebuildReadModelRequest(), Api.Bearer(await api.OperatorTokenAsync()));
        Assert.True(rebuilt.AggregatesProjected >= 2);
        var listed = await api.Enterprises.ListMyEnterprisesAsync(new ListMyEnterprisesRequest(), Api.Bearer(token));
        Assert.Equal(enterprise.EnterpriseId, Assert.Single(listed.Enterprises).EnterpriseId);
    }
}
