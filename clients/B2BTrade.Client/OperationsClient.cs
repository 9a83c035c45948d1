using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Operations.V1;

namespace B2BTrade.Client;

/// <summary>Platform operator (平台运营) work: verification review, the message outbox, audit trails, read-model upkeep. Operator accounts only.</summary>
public sealed class OperationsClient
{
    private readonly OperatorService.OperatorServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal OperationsClient(OperatorService.OperatorServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>Streams enterprises in the review queue with the given status, oldest submission first.</summary>
    /// <param name="status">Status to list; <see cref="VerificationStatus.Unspecified"/> means pending.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The verification requests.</returns>
    public IAsyncEnumerable<VerificationRequest> ListVerificationRequestsAsync(VerificationStatus status = VerificationStatus.Pending, int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) => _pipeline.RunAsync(o => _client.ListVerificationRequestsAsync(new ListVerificationRequestsRequest { Status = status, PageSize = pageSize, PageToken = token }, o).ResponseAsync, CallPolicy.Read, null, ct),
            page => page.Requests,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>Returns an enterprise under review with its full registration details.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enterprise.</returns>
    public async Task<Enterprise> GetVerificationRequestAsync(string enterpriseId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetVerificationRequestRequest { EnterpriseId = enterpriseId };
        var response = await _pipeline.RunAsync(o => _client.GetVerificationRequestAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Approves a pending enterprise.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enterprise, now verified.</returns>
    /// <exception cref="B2BTradePreconditionException">The enterprise is not pending.</exception>
    public async Task<Enterprise> ApproveVerificationAsync(string enterpriseId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ApproveEnterpriseVerificationRequest { EnterpriseId = enterpriseId };
        var response = await _pipeline.RunAsync(o => _client.ApproveEnterpriseVerificationAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Rejects a pending enterprise with a reason the enterprise sees.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="reason">Why, 2 to 500 characters.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enterprise, now rejected.</returns>
    public async Task<Enterprise> RejectVerificationAsync(string enterpriseId, string reason, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new RejectEnterpriseVerificationRequest { EnterpriseId = enterpriseId, Reason = reason };
        var response = await _pipeline.RunAsync(o => _client.RejectEnterpriseVerificationAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Enterprise;
    }

    /// <summary>Streams messages (verification codes, notices) written to the local outbox, newest first.</summary>
    /// <param name="recipient">Only messages to this normalised phone (<c>+8613812345678</c>) or lowercase email; null for all.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The messages.</returns>
    public IAsyncEnumerable<OutboxMessage> ListOutboxMessagesAsync(string? recipient = null, int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) => _pipeline.RunAsync(o => _client.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { Recipient = recipient ?? string.Empty, PageSize = pageSize, PageToken = token }, o).ResponseAsync, CallPolicy.Read, null, ct),
            page => page.Messages,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>Returns the hash-chained audit trail of one aggregate and whether the chain is intact.</summary>
    /// <param name="aggregateType">Aggregate type, e.g. <c>enterprise</c> or <c>user</c>.</param>
    /// <param name="aggregateId">Aggregate id.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries and the chain check.</returns>
    public Task<GetAuditTrailResponse> GetAuditTrailAsync(string aggregateType, string aggregateId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetAuditTrailRequest { AggregateType = aggregateType, AggregateId = aggregateId };
        return _pipeline.RunAsync(o => _client.GetAuditTrailAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
    }

    /// <summary>Rebuilds the read model from the grains' durable state.</summary>
    /// <param name="deadline">Optional absolute deadline (UTC); rebuilding may outlast the default deadline.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many aggregates were re-projected.</returns>
    public async Task<int> RebuildReadModelAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var response = await _pipeline.RunAsync(o => _client.RebuildReadModelAsync(new RebuildReadModelRequest(), o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.AggregatesProjected;
    }
}
