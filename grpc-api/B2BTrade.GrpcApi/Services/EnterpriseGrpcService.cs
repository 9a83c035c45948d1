using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Grains;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Silo.ReadModel;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace B2BTrade.GrpcApi.Services;

/// <summary>Enterprises and members. Authorization lives in the enterprise grain; ids are checked for shape here.</summary>
[Authorize]
public sealed class EnterpriseGrpcService(IGrainFactory grains, ReadModelQueries queries, TimeProvider time) : EnterpriseService.EnterpriseServiceBase
{
    public override async Task<CreateEnterpriseResponse> CreateEnterprise(CreateEnterpriseRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var profile = EnterpriseRules.ValidateProfile(ProtoMapping.Profile(request.Profile));
        var snapshot = await Enterprise(Ids.Derived("ent", caller.UserId, requestId)).CreateAsync(caller, requestId, profile);
        return new CreateEnterpriseResponse { Enterprise = ProtoMapping.Enterprise(snapshot, caller.IsOperator) };
    }

    public override async Task<GetEnterpriseResponse> GetEnterprise(GetEnterpriseRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var snapshot = await Enterprise(request.EnterpriseId).GetAsync(caller);
        return new GetEnterpriseResponse { Enterprise = ProtoMapping.Enterprise(snapshot, caller.IsOperator) };
    }

    public override async Task<UpdateEnterpriseResponse> UpdateEnterprise(UpdateEnterpriseRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var grain = Enterprise(request.EnterpriseId);
        var profile = EnterpriseRules.ValidateProfile(ProtoMapping.Profile(request.Profile));
        var snapshot = await grain.UpdateAsync(caller, profile, request.Etag);
        return new UpdateEnterpriseResponse { Enterprise = ProtoMapping.Enterprise(snapshot, caller.IsOperator) };
    }

    public override async Task<SubmitEnterpriseVerificationResponse> SubmitEnterpriseVerification(SubmitEnterpriseVerificationRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var snapshot = await Enterprise(request.EnterpriseId).SubmitAsync(caller);
        return new SubmitEnterpriseVerificationResponse { Enterprise = ProtoMapping.Enterprise(snapshot, caller.IsOperator) };
    }

    public override async Task<ListMyEnterprisesResponse> ListMyEnterprises(ListMyEnterprisesRequest request, ServerCallContext context)
    {
        var page = await queries.ListEnterprisesOfUserAsync(context.Caller().UserId, RequestParsing.PageSize(request.PageSize), request.PageToken);
        var response = new ListMyEnterprisesResponse { NextPageToken = page.NextPageToken };
        response.Enterprises.AddRange(page.Items.Select(ProtoMapping.Enterprise));
        return response;
    }

    public override async Task<InviteMemberResponse> InviteMember(InviteMemberRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var requestId = Ids.ValidateRequestId(request.RequestId);
        var grain = Enterprise(request.EnterpriseId);
        var invitee = RequestParsing.Address(request.Invitee, "invitee");
        var roles = RequestParsing.Roles(request.Roles, "roles");
        var limit = RequestParsing.OptionalCny(request.SigningLimit, "signing_limit");
        var spendingLimit = RequestParsing.OptionalCny(request.SpendingLimit, "spending_limit");
        var invitation = await grain.InviteAsync(caller, requestId, invitee, roles, limit, spendingLimit);
        var snapshot = await grain.GetAsync(caller);
        return new InviteMemberResponse { Invitation = ProtoMapping.Invitation(invitation, snapshot.State, time.GetUtcNow()) };
    }

    public override async Task<ListMyInvitationsResponse> ListMyInvitations(ListMyInvitationsRequest request, ServerCallContext context)
    {
        var user = await grains.GetGrain<IUserGrain>(context.Caller().UserId).GetAsync() ?? throw Errors.NotFound("User", "用户");
        var page = await queries.ListPendingInvitationsAsync([.. user.Addresses.Select(a => a.Key)], time.GetUtcNow(), RequestParsing.PageSize(request.PageSize), request.PageToken);
        var response = new ListMyInvitationsResponse { NextPageToken = page.NextPageToken };
        response.Invitations.AddRange(page.Items.Select(ProtoMapping.Invitation));
        return response;
    }

    public override async Task<AcceptInvitationResponse> AcceptInvitation(AcceptInvitationRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var grain = Enterprise(request.EnterpriseId);
        var invitationId = RequestParsing.Id(request.InvitationId, "inv", "invitation_id");
        var snapshot = await grain.AcceptInvitationAsync(caller, invitationId, await AddressesOf(caller));
        return new AcceptInvitationResponse { Enterprise = ProtoMapping.Enterprise(snapshot, caller.IsOperator) };
    }

    public override async Task<DeclineInvitationResponse> DeclineInvitation(DeclineInvitationRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var grain = Enterprise(request.EnterpriseId);
        await grain.DeclineInvitationAsync(caller, RequestParsing.Id(request.InvitationId, "inv", "invitation_id"), await AddressesOf(caller));
        return new DeclineInvitationResponse();
    }

    public override async Task<RevokeInvitationResponse> RevokeInvitation(RevokeInvitationRequest request, ServerCallContext context)
    {
        var grain = Enterprise(request.EnterpriseId);
        await grain.RevokeInvitationAsync(context.Caller(), RequestParsing.Id(request.InvitationId, "inv", "invitation_id"));
        return new RevokeInvitationResponse();
    }

    public override async Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        var snapshot = await Enterprise(request.EnterpriseId).GetAsync(caller);
        var pageSize = RequestParsing.PageSize(request.PageSize, 50);
        var after = PageToken.Decode(request.PageToken) ?? "";
        var members = snapshot.State.Members.Values
            .Where(m => string.CompareOrdinal(m.UserId, after) > 0)
            .OrderBy(m => m.UserId, StringComparer.Ordinal)
            .Take(pageSize + 1)
            .ToList();
        var response = new ListMembersResponse
        {
            NextPageToken = members.Count > pageSize ? PageToken.Encode(members[pageSize - 1].UserId) : "",
        };
        response.Members.AddRange(members.Take(pageSize).Select(ProtoMapping.Member));
        if (caller.IsOperator || snapshot.CallerRoles.Contains(Domain.Enterprises.MemberRole.Admin))
        {
            var now = time.GetUtcNow();
            response.PendingInvitations.AddRange(snapshot.State.Invitations
                .Where(i => i.StatusAt(now) == Domain.Enterprises.InvitationStatus.Pending)
                .Select(i => ProtoMapping.Invitation(i, snapshot.State, now)));
        }

        return response;
    }

    public override async Task<UpdateMemberRolesResponse> UpdateMemberRoles(UpdateMemberRolesRequest request, ServerCallContext context)
    {
        var grain = Enterprise(request.EnterpriseId);
        var userId = RequestParsing.Id(request.UserId, "u", "user_id");
        var roles = RequestParsing.Roles(request.Roles, "roles");
        var limit = RequestParsing.OptionalCny(request.SigningLimit, "signing_limit");
        var spendingLimit = RequestParsing.OptionalCny(request.SpendingLimit, "spending_limit");
        var member = await grain.UpdateMemberRolesAsync(context.Caller(), userId, roles, limit, spendingLimit);
        return new UpdateMemberRolesResponse { Member = ProtoMapping.Member(member) };
    }

    public override async Task<RemoveMemberResponse> RemoveMember(RemoveMemberRequest request, ServerCallContext context)
    {
        var grain = Enterprise(request.EnterpriseId);
        await grain.RemoveMemberAsync(context.Caller(), RequestParsing.Id(request.UserId, "u", "user_id"));
        return new RemoveMemberResponse();
    }

    private IEnterpriseGrain Enterprise(string? enterpriseId) =>
        grains.GetGrain<IEnterpriseGrain>(RequestParsing.Id(enterpriseId, "ent", "enterprise_id"));

    private async Task<Domain.Identity.ContactAddress[]> AddressesOf(Caller caller) =>
        (await grains.GetGrain<IUserGrain>(caller.UserId).GetAsync())?.Addresses ?? [];
}
