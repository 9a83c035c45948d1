using System.Security.Cryptography;
using B2BTrade.Protos.Contract.V1;
using Google.Protobuf;

namespace B2BTrade.Client;

/// <summary>A downloaded contract document whose bytes were checked against the SHA-256 the server sent with them.</summary>
/// <param name="Content">The bytes.</param>
/// <param name="ContentType"><c>application/pdf</c> or <c>text/html; charset=utf-8</c>.</param>
/// <param name="FileName">A file name, e.g. <c>B2B-20261206-000123.pdf</c>.</param>
/// <param name="Sha256">SHA-256 of <paramref name="Content"/>, lower-case hex, recomputed locally.</param>
public sealed record ContractDocument(byte[] Content, string ContentType, string FileName, string Sha256);

/// <summary>
/// Electronic purchase contracts (购销合同) generated from confirmed orders, and their electronic signatures. Members of
/// either party read, download and verify; members with the Signatory role enrol a signing key and sign within their
/// amount limit. The canonical document is the PDF: its SHA-256 (<see cref="Contract.DocumentSha256"/>) is what both
/// parties sign, so keep the PDF you archive and check it with <see cref="DocumentMatches"/> or
/// <see cref="VerifyAsync(string, byte[], DateTime?, CancellationToken)"/>.
/// <para>
/// Reads, downloads and verification are retried after UNAVAILABLE or DEADLINE_EXCEEDED. Enrolling a key and signing
/// carry no request id and are not retried once the request may have reached the server: re-read the contract
/// (<see cref="Contract.Signatures"/>) or the key (<see cref="GetSigningKeyAsync"/>).
/// </para>
/// </summary>
public sealed class ContractsClient
{
    private readonly ContractService.ContractServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal ContractsClient(ContractService.ContractServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>Returns a contract: parties, goods, amounts, clauses, document hash and signatures.</summary>
    /// <param name="contractId">The contract (<c>ctr_…</c>, <see cref="Protos.Order.V1.Order.ContractId"/>).</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contract.</returns>
    /// <exception cref="B2BTradeNotFoundException">No such contract, or the caller is a member of neither party.</exception>
    public async Task<Contract> GetAsync(string contractId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetContractRequest { ContractId = contractId };
        var response = await _pipeline.RunAsync(o => _client.GetContractAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Contract;
    }

    /// <summary>Streams an enterprise's contracts (as buyer or seller), newest first.</summary>
    /// <param name="enterpriseId">The caller's enterprise.</param>
    /// <param name="pageSize">Items per page, 1 to 100; 0 for the server default (20).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The contracts.</returns>
    public IAsyncEnumerable<ContractSummary> ListAsync(string enterpriseId, int pageSize = 0, CancellationToken cancellationToken = default) =>
        Paging.ReadAllAsync(
            (token, ct) =>
            {
                var request = new ListContractsRequest { EnterpriseId = enterpriseId, PageSize = pageSize, PageToken = token };
                return _pipeline.RunAsync(o => _client.ListContractsAsync(request, o).ResponseAsync, CallPolicy.Read, null, ct);
            },
            page => page.Contracts,
            page => page.NextPageToken,
            cancellationToken);

    /// <summary>
    /// Downloads the canonical document (PDF), the bytes that are hashed and signed, and checks them against the SHA-256
    /// sent with them. To check them against the contract's recorded hash too, use <see cref="DocumentMatches"/> or
    /// <see cref="VerifyAsync(string, byte[], DateTime?, CancellationToken)"/>.
    /// </summary>
    /// <param name="contractId">The contract.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The PDF with its SHA-256.</returns>
    /// <exception cref="InvalidDataException">The bytes received do not match the SHA-256 the server sent.</exception>
    public Task<ContractDocument> DownloadPdfAsync(string contractId, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        DownloadAsync(contractId, DocumentFormat.Pdf, deadline, cancellationToken);

    /// <summary>
    /// Downloads an HTML rendering of the contract for reading (not what is signed; its hash differs from the PDF's),
    /// checked against the SHA-256 sent with it.
    /// </summary>
    /// <param name="contractId">The contract.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The HTML (UTF-8) with its SHA-256.</returns>
    /// <exception cref="InvalidDataException">The bytes received do not match the SHA-256 the server sent.</exception>
    public Task<ContractDocument> DownloadHtmlAsync(string contractId, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        DownloadAsync(contractId, DocumentFormat.Html, deadline, cancellationToken);

    /// <summary>
    /// Signatory: creates, or replaces, the caller's signing key for an enterprise, sealed under a signing secret that the
    /// platform never stores (replacing a key never invalidates signatures already made). Replacing an existing key
    /// needs its current secret (or, when forgotten, <see cref="ReplaceForgottenSigningKeyAsync"/>). Not retried once sent.
    /// </summary>
    /// <param name="enterpriseId">The enterprise the caller signs for (the caller holds its Signatory role).</param>
    /// <param name="signingSecret">8 to 128 characters, not the login password. Keep it: it is needed for every signature.</param>
    /// <param name="currentSigningSecret">The secret of the key being replaced; null for a first key.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new key's id, public key (SubjectPublicKeyInfo, DER) and creation time.</returns>
    /// <exception cref="B2BTradePermissionDeniedException">The caller does not hold the Signatory role, or the current secret is wrong (<c>WRONG_SIGNING_SECRET</c>; wrong secrets count towards the signing lock-out).</exception>
    /// <exception cref="B2BTradeValidationException">The secret is too short or too long (<c>signing_secret</c>), or a key exists and no current secret was given (<c>current_signing_secret</c>).</exception>
    /// <exception cref="B2BTradeRateLimitedException">Too many wrong secrets: the key is locked for a while (<c>SIGNING_LOCKED</c>).</exception>
    public Task<EnrollSigningKeyResponse> EnrollSigningKeyAsync(string enterpriseId, string signingSecret, string? currentSigningSecret = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new EnrollSigningKeyRequest { EnterpriseId = enterpriseId, SigningSecret = signingSecret ?? string.Empty, CurrentSigningSecret = currentSigningSecret ?? string.Empty };
        return _pipeline.RunAsync(o => _client.EnrollSigningKeyAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
    }

    /// <summary>
    /// Signatory: replaces a signing key whose secret is forgotten, proving the account with a code sent by
    /// <see cref="IdentityClient.SendVerificationCodeAsync"/> (<c>VerificationPurpose.SigningKey</c>) to one of the
    /// caller's own login addresses. Not retried once sent.
    /// </summary>
    /// <param name="enterpriseId">The enterprise the caller signs for.</param>
    /// <param name="signingSecret">The new secret, 8 to 128 characters.</param>
    /// <param name="phoneOrEmail">The caller's own phone or email the code was sent to.</param>
    /// <param name="code">The 6-digit code.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new key.</returns>
    /// <exception cref="B2BTradeValidationException">The code is wrong, expired or used (<c>code</c>), or the address is not the caller's (<c>verification_address</c>).</exception>
    public Task<EnrollSigningKeyResponse> ReplaceForgottenSigningKeyAsync(string enterpriseId, string signingSecret, string phoneOrEmail, string code, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new EnrollSigningKeyRequest
        {
            EnterpriseId = enterpriseId,
            SigningSecret = signingSecret ?? string.Empty,
            VerificationAddress = ContactAddresses.Parse(phoneOrEmail),
            VerificationCode = code ?? string.Empty,
        };
        return _pipeline.RunAsync(o => _client.EnrollSigningKeyAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
    }

    /// <summary>Returns whether the caller has a signing key for an enterprise, and its public key.</summary>
    /// <param name="enterpriseId">The enterprise.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key; <see cref="GetSigningKeyResponse.Enrolled"/> is false when there is none.</returns>
    public Task<GetSigningKeyResponse> GetSigningKeyAsync(string enterpriseId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetSigningKeyRequest { EnterpriseId = enterpriseId };
        return _pipeline.RunAsync(o => _client.GetSigningKeyAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
    }

    /// <summary>
    /// Signatory: signs the contract for their enterprise. The contract takes effect when both parties have signed. Not
    /// retried once the request may have reached the server: after a transient error re-read with <see cref="GetAsync"/>.
    /// </summary>
    /// <param name="contractId">The contract.</param>
    /// <param name="enterpriseId">The party the caller signs for.</param>
    /// <param name="signingSecret">The caller's signing secret; it unlocks their key for this signature only.</param>
    /// <param name="documentSha256">
    /// SHA-256 (hex) of the document the signatory read, e.g. <see cref="ContractDocument.Sha256"/> of the PDF from
    /// <see cref="DownloadPdfAsync"/>; signing is refused if it differs from the contract's.
    /// </param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The contract with the new signature.</returns>
    /// <exception cref="B2BTradePermissionDeniedException">Not a Signatory of the party, or the amount is above the signatory's limit.</exception>
    /// <exception cref="B2BTradePreconditionException">E.g. no key enrolled, a wrong secret, a hash that differs, or the party already signed.</exception>
    public async Task<Contract> SignAsync(string contractId, string enterpriseId, string signingSecret, string documentSha256, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentSha256);
        var request = new SignContractRequest { ContractId = contractId, EnterpriseId = enterpriseId, SigningSecret = signingSecret ?? string.Empty, DocumentSha256 = documentSha256 };
        var response = await _pipeline.RunAsync(o => _client.SignContractAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.Contract;
    }

    /// <summary>
    /// Has the server recompute the hash of the stored document and check every signature and timestamp. Tampering is
    /// reported in the answer (<see cref="VerifyContractResponse.Valid"/> false, <see cref="VerifyContractResponse.Findings"/>),
    /// not raised as an error.
    /// </summary>
    /// <param name="contractId">The contract.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The verification.</returns>
    public Task<VerifyContractResponse> VerifyAsync(string contractId, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        VerifyAsync(new VerifyContractRequest { ContractId = contractId }, deadline, cancellationToken);

    /// <summary>
    /// Checks a copy of the document (e.g. a PDF archived in your ERP, or one someone sent) against the contract and its
    /// signatures. Any changed byte is reported as <see cref="VerifyContractResponse.DocumentTampered"/>.
    /// </summary>
    /// <param name="contractId">The contract.</param>
    /// <param name="document">The document bytes to check; must not be empty (an empty copy would check the stored one).</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The verification.</returns>
    public Task<VerifyContractResponse> VerifyAsync(string contractId, byte[] document, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfZero(document.Length, nameof(document));
        return VerifyAsync(new VerifyContractRequest { ContractId = contractId, Document = ByteString.CopyFrom(document) }, deadline, cancellationToken);
    }

    /// <summary>
    /// Checks locally, without a call, that <paramref name="pdf"/> is the contract's canonical document: same size as
    /// <see cref="Contract.DocumentSize"/> (when given) and same SHA-256 as <see cref="Contract.DocumentSha256"/>. This
    /// proves the bytes were not changed since the contract was generated; the signatures are checked by
    /// <see cref="VerifyAsync(string, byte[], DateTime?, CancellationToken)"/>.
    /// </summary>
    /// <param name="contract">The contract, e.g. from <see cref="GetAsync"/>.</param>
    /// <param name="pdf">The document bytes.</param>
    /// <returns>True when the bytes are the contract's document.</returns>
    public static bool DocumentMatches(Contract contract, ReadOnlySpan<byte> pdf)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (string.IsNullOrEmpty(contract.DocumentSha256) || (contract.DocumentSize > 0 && contract.DocumentSize != pdf.Length))
        {
            return false;
        }

        return string.Equals(ComputeSha256(pdf), contract.DocumentSha256, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>SHA-256 of the bytes as lower-case hex, the form the platform uses for document hashes.</summary>
    /// <param name="content">The bytes.</param>
    /// <returns>64 hex characters.</returns>
    public static string ComputeSha256(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task<ContractDocument> DownloadAsync(string contractId, DocumentFormat format, DateTime? deadline, CancellationToken cancellationToken)
    {
        var request = new DownloadContractRequest { ContractId = contractId, Format = format };
        var response = await _pipeline.RunAsync(o => _client.DownloadContractAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        var content = response.Content.ToByteArray();
        var sha256 = ComputeSha256(content);
        if (!string.Equals(sha256, response.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Contract {contractId}: received {content.Length} bytes with SHA-256 {sha256}, but the server sent {(response.Sha256.Length == 0 ? "no hash" : response.Sha256)}.");
        }

        return new ContractDocument(content, response.ContentType, response.FileName, sha256);
    }

    private Task<VerifyContractResponse> VerifyAsync(VerifyContractRequest request, DateTime? deadline, CancellationToken cancellationToken) =>
        _pipeline.RunAsync(o => _client.VerifyContractAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
}
