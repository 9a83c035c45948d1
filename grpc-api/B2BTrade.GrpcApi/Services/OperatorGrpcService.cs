using B2BTrade.Domain.Audit;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Operations.V1;
using B2BTrade.Silo.ReadModel;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using EnterpriseStatus = B2BTrade.Protos.Enterprise.V1.VerificationStatus;

namespace B2BTrade.GrpcApi.Services;

/// <summary>Platform operations. Every method requires an operator; anyone else is refused before anything is read.</summary>
[Authorize]
public sealed class OperatorGrpcService(IGrainFactory grains, ReadModelQueries queries, ReadModelRebuilder rebuilder) : OperatorService.OperatorServiceBase
{
    private static readonly HashSet<string> s_auditedTypes = ["user", "enterprise"];

    public override async Task<ListVerificationRequestsResponse> ListVerificationRequests(ListVerificationRequestsRequest request, ServerCallContext context)
    {
        RequireOperator(context);
        var status = request.Status == EnterpriseStatus.Unspecified ? (int)EnterpriseStatus.Pending : (int)RequestParsing.Enum<Domain.Enterprises.VerificationStatus>((int)request.Status, "status");
        var page = await queries.ListByVerificationStatusAsync(status, RequestParsing.PageSize(request.PageSize), request.PageToken);
        var response = new ListVerificationRequestsResponse { NextPageToken = page.NextPageToken };
        response.Requests.AddRange(page.Items.Select(e => new VerificationRequest
        {
            EnterpriseId = e.EnterpriseId,
            LegalName = e.LegalName,
            UnifiedSocialCreditCode = e.CreditCode,
            Status = (EnterpriseStatus)e.Status,
            SubmitTime = ProtoMapping.Time(e.SubmittedAt ?? e.CreatedAt),
        }));
        return response;
    }

    public override async Task<GetVerificationRequestResponse> GetVerificationRequest(GetVerificationRequestRequest request, ServerCallContext context)
    {
        var caller = RequireOperator(context);
        var snapshot = await Enterprise(request.EnterpriseId).GetAsync(caller);
        return new GetVerificationRequestResponse { Enterprise = ProtoMapping.Enterprise(snapshot, isOperator: true) };
    }

    public override async Task<ApproveEnterpriseVerificationResponse> ApproveEnterpriseVerification(ApproveEnterpriseVerificationRequest request, ServerCallContext context)
    {
        var caller = RequireOperator(context);
        var snapshot = await Enterprise(request.EnterpriseId).ApproveAsync(caller);
        return new ApproveEnterpriseVerificationResponse { Enterprise = ProtoMapping.Enterprise(snapshot, isOperator: true) };
    }

    public override async Task<RejectEnterpriseVerificationResponse> RejectEnterpriseVerification(RejectEnterpriseVerificationRequest request, ServerCallContext context)
    {
        var caller = RequireOperator(context);
        var snapshot = await Enterprise(request.EnterpriseId).RejectAsync(caller, request.Reason);
        return new RejectEnterpriseVerificationResponse { Enterprise = ProtoMapping.Enterprise(snapshot, isOperator: true) };
    }

    public override async Task<ListOutboxMessagesResponse> ListOutboxMessages(ListOutboxMessagesRequest request, ServerCallContext context)
    {
        RequireOperator(context);
        var recipient = string.IsNullOrWhiteSpace(request.Recipient) ? null : RequestParsing.Recipient(request.Recipient, "recipient");
        var page = await queries.ListSentMessagesAsync(recipient, RequestParsing.PageSize(request.PageSize), request.PageToken);
        var response = new ListOutboxMessagesResponse { NextPageToken = page.NextPageToken };
        response.Messages.AddRange(page.Items.Select(m => new OutboxMessage
        {
            MessageId = m.Id,
            Channel = m.Channel,
            Recipient = m.Recipient,
            Body = m.Body,
            CreateTime = ProtoMapping.Time(m.CreatedAt),
        }));
        return response;
    }

    public override async Task<GetAuditTrailResponse> GetAuditTrail(GetAuditTrailRequest request, ServerCallContext context)
    {
        RequireOperator(context);
        if (!s_auditedTypes.Contains(request.AggregateType))
        {
            throw Errors.InvalidField("aggregate_type", "UNKNOWN_AGGREGATE_TYPE", "aggregate_type must be one of: user, enterprise.", "aggregate_type 须为 user 或 enterprise。");
        }

        var entries = await queries.GetAuditTrailAsync(request.AggregateType, RequestParsing.Required(request.AggregateId, "aggregate_id", "Aggregate id", "聚合编号"));
        var broken = AuditChain.FirstBrokenSequence(entries);
        var response = new GetAuditTrailResponse { ChainIntact = broken == 0, FirstBrokenSequence = broken };
        response.Entries.AddRange(entries.Select(e => new AuditEntry
        {
            Sequence = e.Sequence,
            Actor = e.Actor,
            Action = e.Action,
            BeforeJson = e.BeforeJson,
            AfterJson = e.AfterJson,
            OccurTime = ProtoMapping.Time(e.OccurredAt),
            Hash = e.Hash,
        }));
        return response;
    }

    public override async Task<RebuildReadModelResponse> RebuildReadModel(RebuildReadModelRequest request, ServerCallContext context)
    {
        RequireOperator(context);
        return new RebuildReadModelResponse { AggregatesProjected = await rebuilder.RebuildAsync(context.CancellationToken) };
    }

    private IEnterpriseGrain Enterprise(string? id) => grains.GetGrain<IEnterpriseGrain>(RequestParsing.Id(id, "ent", "enterprise_id"));

    private static Caller RequireOperator(ServerCallContext context)
    {
        var caller = context.Caller();
        return caller.IsOperator ? caller : throw Errors.PermissionDenied("This needs a platform operator account.", "此操作需要平台运营账号。");
    }
}
