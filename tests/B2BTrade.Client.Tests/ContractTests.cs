using System.Security.Cryptography;
using B2BTrade.Protos.Contract.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

/// <summary>Contract calls against the fake server: hash-checked downloads, local hash check, verification, signing.</summary>
public sealed class ContractTests
{
    private const string Service = "/b2btrade.contract.v1.ContractService/";

    private static readonly byte[] s_pdf = "%PDF-1.7\n购销合同 B2B-20261206-000123\n%%EOF"u8.ToArray();

    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static Contract Contract(byte[] document) => new()
    {
        ContractId = "ctr_1",
        ContractNumber = "B2B-20261206-000123",
        Status = ContractStatus.PendingSignatures,
        DocumentSha256 = Hex(document),
        DocumentSize = document.Length,
    };

    private static DownloadContractResponse Pdf(byte[] content, string sha256) =>
        new() { Content = ByteString.CopyFrom(content), ContentType = "application/pdf", FileName = "B2B-20261206-000123.pdf", Sha256 = sha256 };

    [Fact]
    public void AKnownInputHashesToTheStandardSha256InLowerCaseHex()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContractsClient.ComputeSha256("abc"u8));
    }

    [Fact]
    public void TheLocalCheckAcceptsTheExactDocumentAndRejectsAnyFlippedByteOrOtherLength()
    {
        var contract = Contract(s_pdf);
        Assert.True(ContractsClient.DocumentMatches(contract, s_pdf));
        var upperCase = contract.Clone();
        upperCase.DocumentSha256 = contract.DocumentSha256.ToUpperInvariant();
        Assert.True(ContractsClient.DocumentMatches(upperCase, s_pdf));

        for (var i = 0; i < s_pdf.Length; i++)
        {
            var tampered = (byte[])s_pdf.Clone();
            tampered[i] ^= (byte)(1 << (i % 8));
            Assert.False(ContractsClient.DocumentMatches(contract, tampered), $"byte {i} flipped");
        }

        Assert.False(ContractsClient.DocumentMatches(contract, [.. s_pdf, (byte)'\n']));
        Assert.False(ContractsClient.DocumentMatches(contract, s_pdf.AsSpan(1)));
        Assert.False(ContractsClient.DocumentMatches(new Contract { ContractId = "ctr_1" }, s_pdf)); // no recorded hash proves nothing
    }

    [Fact]
    public async Task APdfDownloadIsRetriedAfterUnavailableAndComesWithItsLocallyRecomputedHash()
    {
        var attempts = 0;
        using var server = new FakeGrpcServer(_ => Task.FromResult(++attempts == 1 ? FakeReply.Error(StatusCode.Unavailable) : FakeReply.Ok(Pdf(s_pdf, Hex(s_pdf).ToUpperInvariant()))));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var document = await client.Contracts.DownloadPdfAsync("ctr_1");

        Assert.Equal(s_pdf, document.Content);
        Assert.Equal((Hex(s_pdf), "application/pdf", "B2B-20261206-000123.pdf"), (document.Sha256, document.ContentType, document.FileName));
        Assert.True(ContractsClient.DocumentMatches(Contract(s_pdf), document.Content));
        var sent = server.Calls.Select(c => c.Parse(DownloadContractRequest.Parser)).ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, r => Assert.Equal(("ctr_1", DocumentFormat.Pdf), (r.ContractId, r.Format)));
    }

    [Fact]
    public async Task BytesThatDoNotMatchTheHashSentWithThemOrNoHashAtAllAreRefused()
    {
        var corrupted = (byte[])s_pdf.Clone();
        corrupted[10] ^= 0x01;
        var replies = new Queue<DownloadContractResponse>([Pdf(corrupted, Hex(s_pdf)), Pdf(s_pdf, ""), new DownloadContractResponse { Content = ByteString.CopyFromUtf8("<html>合同</html>"), ContentType = "text/html; charset=utf-8", Sha256 = Hex("<html>合同</html>"u8.ToArray()) }]);
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(replies.Dequeue())));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var mismatch = await Assert.ThrowsAsync<InvalidDataException>(() => client.Contracts.DownloadPdfAsync("ctr_1"));
        await Assert.ThrowsAsync<InvalidDataException>(() => client.Contracts.DownloadPdfAsync("ctr_1"));
        var html = await client.Contracts.DownloadHtmlAsync("ctr_1");

        Assert.Contains(Hex(corrupted), mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(("<html>合同</html>", "text/html; charset=utf-8"), (System.Text.Encoding.UTF8.GetString(html.Content), html.ContentType));
        Assert.Equal([DocumentFormat.Pdf, DocumentFormat.Pdf, DocumentFormat.Html], server.Calls.Select(c => c.Parse(DownloadContractRequest.Parser).Format));
    }

    [Fact]
    public async Task VerificationChecksTheStoredDocumentOrTheGivenBytesAndReportsTamperingWithoutThrowing()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(VerifyContractRequest.Parser);
            var checkedHash = request.Document.IsEmpty ? Hex(s_pdf) : Hex(request.Document.ToByteArray());
            var tampered = checkedHash != Hex(s_pdf);
            return Task.FromResult(FakeReply.Ok(new VerifyContractResponse
            {
                Valid = !tampered,
                DocumentSha256 = checkedHash,
                ExpectedSha256 = Hex(s_pdf),
                DocumentTampered = tampered,
                Findings = { tampered ? "文件内容已被修改" : "签名有效" },
            }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);
        var changed = (byte[])s_pdf.Clone();
        changed[^1] ^= 0x20;

        var stored = await client.Contracts.VerifyAsync("ctr_1");
        var copy = await client.Contracts.VerifyAsync("ctr_1", s_pdf);
        var forged = await client.Contracts.VerifyAsync("ctr_1", changed);

        Assert.Equal((true, false), (stored.Valid, stored.DocumentTampered));
        Assert.Equal((true, false), (copy.Valid, copy.DocumentTampered));
        Assert.Equal((false, true, "文件内容已被修改"), (forged.Valid, forged.DocumentTampered, forged.Findings.Single()));
        Assert.Equal([0, s_pdf.Length, changed.Length], server.Calls.Select(c => c.Parse(VerifyContractRequest.Parser).Document.Length));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Contracts.VerifyAsync("ctr_1", Array.Empty<byte>()));
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task SigningAndEnrolmentAreNotRepeatedAfterUnavailableAndSendTheSecretAndHashGiven()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Error(StatusCode.Unavailable)));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Contracts.EnrollSigningKeyAsync("ent_buyer", "签章口令-2026!", currentSigningSecret: "旧签章口令-2025"));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Contracts.SignAsync("ctr_1", "ent_buyer", "签章口令-2026!", Hex(s_pdf)));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Contracts.SignAsync("ctr_1", "ent_buyer", "签章口令-2026!", ""));
        await Assert.ThrowsAsync<B2BTradeUnavailableException>(() => client.Contracts.ReplaceForgottenSigningKeyAsync("ent_buyer", "新签章口令-2027", "13800138000", "123456"));

        Assert.Equal(["EnrollSigningKey", "SignContract", "EnrollSigningKey"], server.Calls.Select(c => c.Method[Service.Length..]));
        var enrolments = server.CallsTo(Service + "EnrollSigningKey").Select(c => c.Parse(EnrollSigningKeyRequest.Parser)).ToList();
        var enrol = enrolments[0];
        Assert.Equal(("ent_buyer", "签章口令-2026!", "旧签章口令-2025", ""), (enrol.EnterpriseId, enrol.SigningSecret, enrol.CurrentSigningSecret, enrol.VerificationCode));
        var forgotten = enrolments[1];
        Assert.Equal(("ent_buyer", "新签章口令-2027", "", "13800138000", "123456"),
            (forgotten.EnterpriseId, forgotten.SigningSecret, forgotten.CurrentSigningSecret, forgotten.VerificationAddress.Phone, forgotten.VerificationCode));
        var sign = server.CallsTo(Service + "SignContract").Single().Parse(SignContractRequest.Parser);
        Assert.Equal(("ctr_1", "ent_buyer", "签章口令-2026!", Hex(s_pdf)), (sign.ContractId, sign.EnterpriseId, sign.SigningSecret, sign.DocumentSha256));
    }

    [Fact]
    public async Task ASignatoryAboveTheirLimitGetsPermissionDeniedWithItsReasonAndReadsAreRetried()
    {
        var denied = new Google.Rpc.Status
        {
            Code = (int)Code.PermissionDenied,
            Message = "合同金额超出签署限额",
            Details = { Any.Pack(new ErrorInfo { Reason = "SIGNING_LIMIT_EXCEEDED", Domain = "b2btrade", Metadata = { ["limit"] = "500000.00" } }) },
        };
        var failed = new HashSet<string>();
        using var server = new FakeGrpcServer(call => Task.FromResult(call.Method[Service.Length..] switch
        {
            "SignContract" => FakeReply.Error(denied),
            _ when failed.Add(call.Method) => FakeReply.Error(StatusCode.DeadlineExceeded),
            "GetContract" => FakeReply.Ok(new GetContractResponse { Contract = Contract(s_pdf) }),
            "GetSigningKey" => FakeReply.Ok(new GetSigningKeyResponse { Enrolled = true, KeyId = "key_1" }),
            _ => FakeReply.Error(StatusCode.Unimplemented),
        }));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var error = await Assert.ThrowsAsync<B2BTradePermissionDeniedException>(() => client.Contracts.SignAsync("ctr_1", "ent_buyer", "签章口令-2026!", Hex(s_pdf)));
        var contract = await client.Contracts.GetAsync("ctr_1");
        var key = await client.Contracts.GetSigningKeyAsync("ent_buyer");

        Assert.Equal(("SIGNING_LIMIT_EXCEEDED", "500000.00", "合同金额超出签署限额"), (error.Reason, error.Metadata["limit"], error.Message));
        Assert.Equal(("B2B-20261206-000123", true, "key_1"), (contract.ContractNumber, key.Enrolled, key.KeyId));
        Assert.Equal(["SignContract", "GetContract", "GetContract", "GetSigningKey", "GetSigningKey"], server.Calls.Select(c => c.Method[Service.Length..]));
    }

    [Fact]
    public async Task ListFollowsPageTokensForTheEnterprise()
    {
        using var server = new FakeGrpcServer(call =>
        {
            var request = call.Parse(ListContractsRequest.Parser);
            Assert.Equal(("ent_buyer", 1), (request.EnterpriseId, request.PageSize));
            return Task.FromResult(FakeReply.Ok(request.PageToken switch
            {
                "" => new ListContractsResponse { Contracts = { new ContractSummary { ContractId = "ctr_2" } }, NextPageToken = "p2" },
                "p2" => new ListContractsResponse { Contracts = { new ContractSummary { ContractId = "ctr_1", Status = ContractStatus.Effective } } },
                _ => throw new InvalidOperationException(request.PageToken),
            }));
        });
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var ids = new List<string>();
        await foreach (var contract in client.Contracts.ListAsync("ent_buyer", pageSize: 1))
        {
            ids.Add(contract.ContractId);
        }

        Assert.Equal(["ctr_2", "ctr_1"], ids);
        Assert.Equal(["", "p2"], server.Calls.Select(c => c.Parse(ListContractsRequest.Parser).PageToken));
    }
}
