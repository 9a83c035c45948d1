using System.Runtime.CompilerServices;
using B2BTrade.Protos.Negotiation.V1;
using NegotiationThread = B2BTrade.Protos.Negotiation.V1.Thread;

namespace B2BTrade.Client;

/// <summary>
/// Inquiries, RFQs, quotes and counter-offers (询盘 / 报价 / 还价) with the chat of every thread. A thread is between one
/// buyer and one seller enterprise; their Purchaser (buyer) or Sales (seller) members and Admins see it, anyone else
/// gets NOT_FOUND. Build terms with <see cref="NegotiationTerms"/>.
/// <para>
/// Calls carrying an id (<see cref="CreateInquiryAsync"/>, <see cref="CreateRfqAsync"/>, <see cref="SendMessageAsync"/>)
/// and reads are retried after UNAVAILABLE or DEADLINE_EXCEEDED with the same id, so a lost answer never opens a second
/// thread or posts a message twice. Offers, acceptance, declines and withdrawals carry no id and are not retried once the
/// request may have reached the server: re-read the thread and decide again (pass the etag to quote and counter so a
/// repeat can never add a second version).
/// </para>
/// </summary>
public sealed class NegotiationsClient
{
    private readonly NegotiationService.NegotiationServiceClient _client;
    private readonly FilesClient _files;
    private readonly CallPipeline _pipeline;

    internal NegotiationsClient(NegotiationService.NegotiationServiceClient client, FilesClient files, CallPipeline pipeline)
    {
        _client = client;
        _files = files;
        _pipeline = pipeline;
    }

    /// <summary>
    /// Opens an inquiry on a listing: one thread with the listing's seller, status
    /// <see cref="ThreadStatus.AwaitingQuote"/>, version 1 holding the terms. The request id is sent unchanged on every
    /// automatic retry, so a retry after a lost answer returns the thread opened the first time. Pass your own
    /// <paramref name="requestId"/> (and keep it) to make repeats across process restarts safe too.
    /// </summary>
    /// <param name="buyerEnterpriseId">The buyer enterprise; the caller is its Purchaser or Admin.</param>
    /// <param name="listingId">The listing asked about.</param>
    /// <param name="terms">What the buyer wants; the unit price is the target price (optional), validity optional.</param>
    /// <param name="attachmentFileIds">Files for the seller (drawings, reference quotes), sent as the first messages.</param>
    /// <param name="requestId">Idempotency key (8 to 64 letters, digits, '-' or '_'; a UUID fits); a new GUID when null.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The thread.</returns>
    /// <exception cref="B2BTradeValidationException">Bad terms; see <see cref="B2BTradeException.FieldViolations"/> (<c>terms.…</c>).
    /// Also <c>REQUEST_ID_REUSED</c> on <c>request_id</c> when the id already opened an inquiry with other content.</exception>
    /// <exception cref="B2BTradePreconditionException">E.g. the listing belongs to the buyer's own enterprise.</exception>
    public async Task<NegotiationThread> CreateInquiryAsync(string buyerEnterpriseId, string listingId, Terms terms, IEnumerable<string>? attachmentFileIds = null, string? requestId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var request = new CreateInquiryRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(),
            BuyerEnterpriseId = buyerEnterpriseId,
            ListingId = listingId,
            Terms = terms,
            AttachmentFileIds = { attachmentFileIds ?? [] },
        };
        var response = await _pipeline.RunAsync(o => _client.CreateInquiryAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Thread;
    }

    /// <summary>
    /// Opens a request for quotation to several sellers at once: one thread per listing's seller, grouped under one RFQ.
    /// The request id is reused on automatic retries, so a lost answer never opens a second RFQ.
    /// </summary>
    /// <param name="buyerEnterpriseId">The buyer enterprise.</param>
    /// <param name="title">Title for the buyer's list, e.g. <c>11月螺纹钢采购</c>.</param>
    /// <param name="listingIds">One listing per seller, 2 to 20 listings of different sellers.</param>
    /// <param name="terms">What the buyer wants, sent to every seller.</param>
    /// <param name="requestId">Idempotency key; a new GUID when null.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RFQ with one row per seller, in the order of <paramref name="listingIds"/>.</returns>
    public async Task<Rfq> CreateRfqAsync(string buyerEnterpriseId, string title, IEnumerable<string> listingIds, Terms terms, string? requestId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingIds);
        ArgumentNullException.ThrowIfNull(terms);
        var request = new CreateRfqRequest
        {
            RequestId = requestId ?? Guid.NewGuid().ToString(),
            BuyerEnterpriseId = buyerEnterpriseId,
            Title = title,
            ListingIds = { listingIds },
            Terms = terms,
        };
        var response = await _pipeline.RunAsync(o => _client.CreateRfqAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Rfq;
    }

    /// <summary>Returns an RFQ with every seller's current quote side by side.</summary>
    /// <param name="rfqId">The RFQ (<c>rfq_…</c>).</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RFQ.</returns>
    public async Task<Rfq> GetRfqAsync(string rfqId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetRfqRequest { RfqId = rfqId };
        var response = await _pipeline.RunAsync(o => _client.GetRfqAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Rfq;
    }

    /// <summary>
    /// Awards an RFQ to one seller's open quote: that quote is accepted and the other threads are closed. Not retried
    /// once the request may have reached the server; after a transient error re-read with <see cref="GetRfqAsync"/>.
    /// </summary>
    /// <param name="rfqId">The RFQ.</param>
    /// <param name="threadId">The winning seller's thread.</param>
    /// <param name="version">The quote version awarded; it must still be that thread's open quote.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The RFQ after the award.</returns>
    /// <exception cref="B2BTradeConflictException">The quote changed since it was read (ABORTED, <c>VERSION_MISMATCH</c>).</exception>
    /// <exception cref="B2BTradePreconditionException">E.g. <c>QUOTE_EXPIRED</c>.</exception>
    public async Task<Rfq> AwardRfqAsync(string rfqId, string threadId, int version, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new AwardRfqRequest { RfqId = rfqId, ThreadId = threadId, Version = version };
        var response = await _pipeline.RunAsync(o => _client.AwardRfqAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Rfq;
    }

    /// <summary>Returns a thread with every version of its terms, oldest first.</summary>
    /// <param name="threadId">The thread (<c>thr_…</c>).</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The thread; <see cref="NegotiationThread.Etag"/> is its latest version number.</returns>
    /// <exception cref="B2BTradeNotFoundException">No such thread, or the caller is not on either side of it.</exception>
    public async Task<NegotiationThread> GetThreadAsync(string threadId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetThreadRequest { ThreadId = threadId };
        var response = await _pipeline.RunAsync(o => _client.GetThreadAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Thread;
    }

    /// <summary>Streams an enterprise's threads as buyer (my inquiries) or as seller (inquiry management), newest activity first.</summary>
    /// <param name="enterpriseId">The caller's enterprise.</param>
    /// <param name="side">As buyer or as seller.</param>
    /// <param name="statuses">Only these statuses; null or empty for all.</param>
    /// <param name="rfqId">Only the threads of this RFQ; null for all.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default (20).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The threads.</returns>
    public IAsyncEnumerable<ThreadSummary> ListThreadsAsync(string enterpriseId, Side side, IEnumerable<ThreadStatus>? statuses = null, string? rfqId = null, int pageSize = 0, CancellationToken cancellationToken = default)
    {
        var filter = statuses?.ToList() ?? [];
        return Paging.ReadAllAsync(
            (token, ct) =>
            {
                var request = new ListThreadsRequest { EnterpriseId = enterpriseId, Side = side, Statuses = { filter }, RfqId = rfqId ?? string.Empty, PageSize = pageSize, PageToken = token };
                return _pipeline.RunAsync(o => _client.ListThreadsAsync(request, o).ResponseAsync, CallPolicy.Read, null, ct);
            },
            page => page.Threads,
            page => page.NextPageToken,
            cancellationToken);
    }

    /// <summary>
    /// Seller: sends a quote, or revises the open quote, as a new version (status <see cref="ThreadStatus.Quoted"/>).
    /// Not retried once the request may have reached the server (the RPC has no request id).
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="terms">The quote's terms; unit price and validity (1 minute to 90 days ahead) required.</param>
    /// <param name="etag">The thread's etag as last read; the quote is refused if the thread changed since. Null or empty: no check.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The thread with the new version as its open quote.</returns>
    /// <exception cref="B2BTradeValidationException">Bad terms (<c>terms.…</c>).</exception>
    /// <exception cref="B2BTradeConflictException">The thread changed since <paramref name="etag"/> (ABORTED, <c>ETAG_MISMATCH</c>).</exception>
    /// <exception cref="B2BTradePreconditionException">The thread is closed (accepted, declined or awarded elsewhere).</exception>
    public async Task<NegotiationThread> SubmitQuoteAsync(string threadId, Terms terms, string? etag = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var request = new SubmitQuoteRequest { ThreadId = threadId, Etag = etag ?? string.Empty, Terms = terms };
        var response = await _pipeline.RunAsync(o => _client.SubmitQuoteAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Thread;
    }

    /// <summary>
    /// Buyer: answers the seller's quote with other terms, or revises the own counter-offer, as a new version (status
    /// <see cref="ThreadStatus.Countered"/>). Not retried once the request may have reached the server.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="terms">The counter-offer's terms; unit price required.</param>
    /// <param name="etag">The thread's etag as last read; null or empty for no check.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The thread.</returns>
    /// <exception cref="B2BTradeConflictException">The thread changed since <paramref name="etag"/> (ABORTED, <c>ETAG_MISMATCH</c>).</exception>
    public async Task<NegotiationThread> CounterOfferAsync(string threadId, Terms terms, string? etag = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var request = new CounterOfferRequest { ThreadId = threadId, Etag = etag ?? string.Empty, Terms = terms };
        var response = await _pipeline.RunAsync(o => _client.CounterOfferAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Thread;
    }

    /// <summary>
    /// Buyer: accepts the seller's open quote at <paramref name="version"/>; its terms become the agreed terms, frozen.
    /// Not retried once the request may have reached the server: after a transient error, re-read the thread
    /// (<see cref="NegotiationThread.AgreedVersion"/> tells whether it went through).
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="version">The quote version the buyer saw (<see cref="NegotiationThread.OpenQuoteVersion"/>).</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The accepted thread.</returns>
    /// <exception cref="B2BTradeConflictException">The open quote is another version (ABORTED, <c>VERSION_MISMATCH</c>).</exception>
    /// <exception cref="B2BTradePreconditionException">The quote's validity passed (<c>QUOTE_EXPIRED</c>) or no quote is open.</exception>
    public async Task<NegotiationThread> AcceptQuoteAsync(string threadId, int version, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new AcceptQuoteRequest { ThreadId = threadId, Version = version };
        var response = await _pipeline.RunAsync(o => _client.AcceptQuoteAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Thread;
    }

    /// <summary>Buyer: declines and closes the thread. Not retried once the request may have reached the server.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="reason">Why, shown to the seller, up to 500 characters; null for none.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The declined thread.</returns>
    public async Task<NegotiationThread> DeclineAsync(string threadId, string? reason = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new DeclineThreadRequest { ThreadId = threadId, Reason = reason ?? string.Empty };
        var response = await _pipeline.RunAsync(o => _client.DeclineThreadAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Thread;
    }

    /// <summary>Seller: withdraws the open quote; the seller may quote again later. Not retried once the request may have reached the server.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="version">The open quote's version.</param>
    /// <param name="reason">Why, shown to the buyer, up to 500 characters; null for none.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The thread, now <see cref="ThreadStatus.Withdrawn"/>.</returns>
    public async Task<NegotiationThread> WithdrawQuoteAsync(string threadId, int version, string? reason = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new WithdrawQuoteRequest { ThreadId = threadId, Version = version, Reason = reason ?? string.Empty };
        var response = await _pipeline.RunAsync(o => _client.WithdrawQuoteAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Thread;
    }

    /// <summary>Computes the totals of terms without saving anything (read them with <see cref="NegotiationTotals.FromProto"/>).</summary>
    /// <param name="terms">The terms.</param>
    /// <param name="forQuote">Validate as a quote: unit price and validity required.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The totals the platform would record.</returns>
    /// <exception cref="B2BTradeValidationException">Bad terms (<c>terms.…</c>).</exception>
    public async Task<Totals> PreviewTermsAsync(Terms terms, bool forQuote = false, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var request = new PreviewTermsRequest { Terms = terms, ForQuote = forQuote };
        var response = await _pipeline.RunAsync(o => _client.PreviewTermsAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Totals;
    }

    /// <summary>Lists the fields that differ between two versions of a thread's terms, totals included.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="fromVersion">The older version.</param>
    /// <param name="toVersion">The newer version.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changes in terms field order, e.g. <c>unit_price</c>, <c>totals.total_amount</c>.</returns>
    public async Task<IReadOnlyList<FieldChange>> DiffVersionsAsync(string threadId, int fromVersion, int toVersion, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new DiffVersionsRequest { ThreadId = threadId, FromVersion = fromVersion, ToVersion = toVersion };
        var response = await _pipeline.RunAsync(o => _client.DiffVersionsAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Changes;
    }

    /// <summary>
    /// Posts a message to a thread. The client message id is generated once per call (unless given) and sent on every
    /// automatic retry, so a retry after a lost answer returns the stored message instead of posting it twice.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="text">Text, up to 4,000 characters, shown as plain text; may be empty with an attachment.</param>
    /// <param name="attachmentFileId">A file the caller uploaded (<see cref="FilesClient.UploadAsync(Stream, string, string?, CancellationToken)"/>); the counterparty may then read it. Null for none.</param>
    /// <param name="clientMessageId">Idempotency key (8 to 64 letters, digits, '-' or '_'); a new GUID when null. Keep your own to repeat safely after a restart.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored message with its sequence number.</returns>
    /// <exception cref="B2BTradeValidationException">E.g. <c>CLIENT_MESSAGE_ID_REUSED</c> on <c>client_message_id</c>: the id was
    /// already used for a message with other text or another attachment.</exception>
    public async Task<Message> SendMessageAsync(string threadId, string? text, string? attachmentFileId = null, string? clientMessageId = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new SendMessageRequest
        {
            ThreadId = threadId,
            ClientMessageId = clientMessageId ?? Guid.NewGuid().ToString(),
            Text = text ?? string.Empty,
            AttachmentFileId = attachmentFileId ?? string.Empty,
        };
        var response = await _pipeline.RunAsync(o => _client.SendMessageAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Message;
    }

    /// <summary>
    /// Uploads a file (JPEG, PNG or PDF, up to 20 MiB) through <see cref="FilesClient"/> and posts it as a message. The
    /// upload happens once; the message is retried with one client message id like <see cref="SendMessageAsync"/>. If
    /// the message finally fails, the uploaded file stays unreferenced.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="content">The bytes, read from the current position to the end.</param>
    /// <param name="displayName">File name shown in the chat, 1 to 200 characters.</param>
    /// <param name="text">Optional text sent with the file.</param>
    /// <param name="enterpriseId">Optional enterprise of the caller whose members may also read the file.</param>
    /// <param name="clientMessageId">Idempotency key of the message; a new GUID when null.</param>
    /// <param name="cancellationToken">Cancels the upload and the message.</param>
    /// <returns>The stored message with its attachment.</returns>
    /// <exception cref="B2BTradeValidationException">The file is empty, too large, or not a JPEG, PNG or PDF.</exception>
    public async Task<Message> SendFileAsync(string threadId, Stream content, string displayName, string? text = null, string? enterpriseId = null, string? clientMessageId = null, CancellationToken cancellationToken = default)
    {
        var file = await _files.UploadAsync(content, displayName, enterpriseId, cancellationToken);
        return await SendMessageAsync(threadId, text, file.FileId, clientMessageId, cancellationToken: cancellationToken);
    }

    /// <summary>Uploads bytes held in memory and posts them as a message; see <see cref="SendFileAsync(string, Stream, string, string?, string?, string?, CancellationToken)"/>.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="displayName">File name shown in the chat.</param>
    /// <param name="text">Optional text sent with the file.</param>
    /// <param name="enterpriseId">Optional enterprise of the caller whose members may also read the file.</param>
    /// <param name="clientMessageId">Idempotency key of the message; a new GUID when null.</param>
    /// <param name="cancellationToken">Cancels the upload and the message.</param>
    /// <returns>The stored message with its attachment.</returns>
    public async Task<Message> SendFileAsync(string threadId, byte[] content, string displayName, string? text = null, string? enterpriseId = null, string? clientMessageId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream(content, writable: false);
        return await SendFileAsync(threadId, stream, displayName, text, enterpriseId, clientMessageId, cancellationToken);
    }

    /// <summary>Pages back through a thread's messages, newest first, fetching older pages as the caller reads.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="beforeSequence">Start below this sequence; 0 to start from the newest message.</param>
    /// <param name="pageSize">Messages per request, 1 to 200; 0 for the server default (50).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The messages, newest first.</returns>
    public async IAsyncEnumerable<Message> ListMessagesAsync(string threadId, long beforeSequence = 0, int pageSize = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beforeSequence);
        var before = beforeSequence;
        while (true)
        {
            var request = new ListMessagesRequest { ThreadId = threadId, BeforeSequence = before, PageSize = pageSize };
            var page = await _pipeline.RunAsync(o => _client.ListMessagesAsync(request, o).ResponseAsync, CallPolicy.Read, null, cancellationToken);
            foreach (var message in page.Messages)
            {
                yield return message;
            }

            // Stop when the server says so, and never loop on a page that would not move back.
            var oldest = page.Messages.Count > 0 ? page.Messages.Min(m => m.Sequence) : 0;
            if (!page.HasMore || oldest <= 1 || (before != 0 && oldest >= before))
            {
                yield break;
            }

            before = oldest;
        }
    }

    /// <summary>
    /// Marks the thread's messages read up to a sequence (clamped to the last message); the other side sees the read
    /// receipt. Safe to repeat, so it is retried after transient errors.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="upToSequence">The last message read.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The caller's unread messages left in the thread.</returns>
    public async Task<long> MarkReadAsync(string threadId, long upToSequence, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new MarkThreadReadRequest { ThreadId = threadId, UpToSequence = upToSequence };
        var response = await _pipeline.RunAsync(o => _client.MarkThreadReadAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.UnreadCount;
    }

    /// <summary>
    /// Follows a thread live. Events (see <see cref="WatchThreadResponse.EventCase"/>): first the
    /// <see cref="NegotiationThread"/>, then the messages after <paramref name="afterSequence"/>, then every new message,
    /// the thread after every change of terms or status, and read receipts.
    /// <para>
    /// The stream has no deadline and lasts until <paramref name="cancellationToken"/> is cancelled. When the server ends
    /// it, it is lost (UNAVAILABLE) or the access token expired, the SDK reopens it (refreshing the token first) with
    /// <c>after_sequence</c> set to the last message delivered, so messages posted meanwhile arrive once, none twice.
    /// Every reopening starts with the thread again: treat each thread event as its latest state.
    /// </para>
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="afterSequence">
    /// Messages after this sequence are sent first, e.g. the last one shown. 0 for only messages posted from now on
    /// (page older ones with <see cref="ListMessagesAsync"/>).
    /// </param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>The thread's events.</returns>
    /// <exception cref="B2BTradeNotFoundException">No such thread, or the caller is not on either side of it.</exception>
    /// <exception cref="B2BTradeUnauthenticatedException">The session ended and could not be refreshed.</exception>
    public async IAsyncEnumerable<WatchThreadResponse> WatchThreadAsync(string threadId, long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        var lastDelivered = afterSequence; // the highest message sequence the caller has seen
        long? startedAt = afterSequence > 0 ? afterSequence : null; // where a watch "from now on" began
        var events = LiveStream.FollowAsync(
            _pipeline,
            o => _client.WatchThread(new WatchThreadRequest { ThreadId = threadId, AfterSequence = Math.Max(lastDelivered, startedAt ?? 0) }, o),
            cancellationToken);
        await foreach (var e in events)
        {
            switch (e.EventCase)
            {
                case WatchThreadResponse.EventOneofCase.Message when e.Message.Sequence <= lastDelivered:
                    continue; // already delivered before a reconnect
                case WatchThreadResponse.EventOneofCase.Message:
                    lastDelivered = e.Message.Sequence;
                    break;
                case WatchThreadResponse.EventOneofCase.Thread when startedAt is null:
                    // "From now on" means after the last message when the watch first opened, also after a reconnect.
                    startedAt = e.Thread.MessageCount;
                    break;
                default:
                    break;
            }

            yield return e;
        }
    }
}
