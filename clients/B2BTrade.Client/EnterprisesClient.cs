using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Enterprise.V1;

namespace B2BTrade.Client;

/// <summary>Enterprises (企业), their verification (企业认证), invitations and members.</summary>
public sealed class EnterprisesClient
{
    private readonly EnterpriseService.EnterpriseServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal EnterprisesClient(EnterpriseService.EnterpriseServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>
    /// Creates an enterprise; the caller becomes its first Admin. The same request id is sent on every automatic retry,
    /// so a retry after a lost answer returns the enterprise created the first time instead of a second one. Pass your
    /// own <paramref name="requestId"/> (and keep it) to make retries across process restarts safe too.
    /// </summary>
    /// <param name="profile">Registration details.</param>
    /// <param name="requestId">Idempotency key (UUID); a new GUID when null.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new enterprise, unverified.</returns>
    /// <exception cref="B2BTradeValidationException">Profile fields are invalid; see <see cref="B2BTradeException.FieldViolations"/>.</exception>
    public async Task<Enterprise> CreateAsync(EnterpriseProfile profile, string? requestId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new CreateEnterpriseRequest { RequestId = requestId ?? Guid.NewGuid().ToString(), Profile = profile };
        var response = await _pipeline.RunAsync(o => _client.CreateEnterpriseAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Returns an enterprise the caller is a member of.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enterprise with its etag.</returns>
    /// <exception cref="B2BTradeNotFoundException">No such enterprise, or the caller is not a member.</exception>
    public async Task<Enterprise> GetAsync(string enterpriseId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetEnterpriseRequest { EnterpriseId = enterpriseId };
        var response = await _pipeline.RunAsync(o => _client.GetEnterpriseAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Replaces the registration details while unverified, rejected or pending. Admin only.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="profile">The new details (all fields replaced).</param>
    /// <param name="etag">The etag last read with <see cref="GetAsync"/>.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated enterprise with its new etag.</returns>
    /// <exception cref="B2BTradeConflictException">The etag is stale (ABORTED): someone else changed it; re-read and decide again.</exception>
    public async Task<Enterprise> UpdateAsync(string enterpriseId, EnterpriseProfile profile, string etag, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new UpdateEnterpriseRequest { EnterpriseId = enterpriseId, Profile = profile, Etag = etag };
        var response = await _pipeline.RunAsync(o => _client.UpdateEnterpriseAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Submits the enterprise for operator review. Admin only.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enterprise, now pending review.</returns>
    /// <exception cref="B2BTradePreconditionException">The enterprise cannot be submitted in its current state.</exception>
    public async Task<Enterprise> SubmitVerificationAsync(string enterpriseId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new SubmitEnterpriseVerificationRequest { EnterpriseId = enterpriseId };
        var response = await _pipeline.RunAsync(o => _client.SubmitEnterpriseVerificationAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Streams every enterprise the caller belongs to, fetching pages as the caller reads.</summary>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The enterprises.</returns>
    public IAsyncEnumerable<Enterprise> ListMineAsync(int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) => _pipeline.RunAsync(o => _client.ListMyEnterprisesAsync(new ListMyEnterprisesRequest { PageSize = pageSize, PageToken = token }, o).ResponseAsync, CallPolicy.Read, null, ct),
            page => page.Enterprises,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>Invites a person by phone or email. Admin only. The request id is reused on automatic retries.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="phoneOrEmail">Phone or email of the person invited.</param>
    /// <param name="roles">Roles offered; at least one.</param>
    /// <param name="signingLimit">Signing limit in CNY, required with <see cref="MemberRole.Signatory"/>.</param>
    /// <param name="requestId">Idempotency key (UUID); a new GUID when null.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The invitation.</returns>
    public async Task<Invitation> InviteMemberAsync(string enterpriseId, string phoneOrEmail, IEnumerable<MemberRole> roles, Money? signingLimit = null, string? requestId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new InviteMemberRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(),
            EnterpriseId = enterpriseId,
            Invitee = ContactAddresses.Parse(phoneOrEmail),
            SigningLimit = signingLimit,
        };
        request.Roles.AddRange(roles);
        var response = await _pipeline.RunAsync(o => _client.InviteMemberAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Invitation;
    }

    /// <summary>Streams the pending invitations addressed to the caller's phone or email.</summary>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The invitations.</returns>
    public IAsyncEnumerable<Invitation> ListMyInvitationsAsync(int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) => _pipeline.RunAsync(o => _client.ListMyInvitationsAsync(new ListMyInvitationsRequest { PageSize = pageSize, PageToken = token }, o).ResponseAsync, CallPolicy.Read, null, ct),
            page => page.Invitations,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>Accepts an invitation addressed to the caller.</summary>
    /// <param name="enterpriseId">The enterprise inviting.</param>
    /// <param name="invitationId">The invitation.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enterprise joined.</returns>
    public async Task<Enterprise> AcceptInvitationAsync(string enterpriseId, string invitationId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new AcceptInvitationRequest { EnterpriseId = enterpriseId, InvitationId = invitationId };
        var response = await _pipeline.RunAsync(o => _client.AcceptInvitationAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Declines an invitation addressed to the caller.</summary>
    /// <param name="enterpriseId">The enterprise inviting.</param>
    /// <param name="invitationId">The invitation.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when declined.</returns>
    public Task DeclineInvitationAsync(string enterpriseId, string invitationId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new DeclineInvitationRequest { EnterpriseId = enterpriseId, InvitationId = invitationId };
        return _pipeline.RunAsync(o => _client.DeclineInvitationAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
    }

    /// <summary>Withdraws a pending invitation. Admin only.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="invitationId">The invitation.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when revoked.</returns>
    public Task RevokeInvitationAsync(string enterpriseId, string invitationId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new RevokeInvitationRequest { EnterpriseId = enterpriseId, InvitationId = invitationId };
        return _pipeline.RunAsync(o => _client.RevokeInvitationAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
    }

    /// <summary>Streams the members of an enterprise. Members only. Use <see cref="GetMembersPageAsync"/> for pending invitations too.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The members.</returns>
    public IAsyncEnumerable<Member> ListMembersAsync(string enterpriseId, int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) => GetMembersPageAsync(enterpriseId, token, pageSize, cancellationToken: ct),
            page => page.Members,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>Returns one page of members, with the pending invitations (Admins only).</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="pageToken">Empty for the first page, then <see cref="ListMembersResponse.NextPageToken"/>.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public Task<ListMembersResponse> GetMembersPageAsync(string enterpriseId, string pageToken = "", int pageSize = 0, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ListMembersRequest { EnterpriseId = enterpriseId, PageToken = pageToken, PageSize = pageSize };
        return _pipeline.RunAsync(o => _client.ListMembersAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
    }

    /// <summary>Replaces a member's roles and signing limit. Admin only; an enterprise never has zero Admins.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="userId">The member.</param>
    /// <param name="roles">The full new set of roles; at least one.</param>
    /// <param name="signingLimit">Signing limit in CNY, required with <see cref="MemberRole.Signatory"/>.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The member after the change.</returns>
    /// <exception cref="B2BTradePreconditionException">The change would leave the enterprise without an Admin.</exception>
    public async Task<Member> UpdateMemberRolesAsync(string enterpriseId, string userId, IEnumerable<MemberRole> roles, Money? signingLimit = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new UpdateMemberRolesRequest { EnterpriseId = enterpriseId, UserId = userId, SigningLimit = signingLimit };
        request.Roles.AddRange(roles);
        var response = await _pipeline.RunAsync(o => _client.UpdateMemberRolesAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Member;
    }

    /// <summary>Removes a member (Admin only), or leaves when <paramref name="userId"/> is the caller's own id.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="userId">The member to remove.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when removed.</returns>
    public Task RemoveMemberAsync(string enterpriseId, string userId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new RemoveMemberRequest { EnterpriseId = enterpriseId, UserId = userId };
        return _pipeline.RunAsync(o => _client.RemoveMemberAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
    }
}
