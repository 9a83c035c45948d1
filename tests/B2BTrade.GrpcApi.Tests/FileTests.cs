using System.Security.Cryptography;
using B2BTrade.Protos.Files.V1;
using Google.Protobuf;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class FileTests(ApiFactory factory)
{
    private readonly Api _api = new(factory.WebChannel(), factory);

    [Fact]
    public async Task UploadedPngIsStoredWithItsHashAndDownloadsIdentically()
    {
        var user = await _api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        var content = Api.Png(2_500_000);
        var file = await _api.UploadAsync(user.Tokens.AccessToken, content, "../../etc/passwd.png");
        Assert.Equal("image/png", file.ContentType);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.Sha256);
        Assert.StartsWith("f_", file.FileId, StringComparison.Ordinal);

        using var download = _api.Files.DownloadFile(new DownloadFileRequest { FileId = file.FileId }, Api.Bearer(user.Tokens.AccessToken));
        var received = new MemoryStream();
        await foreach (var chunk in download.ResponseStream.ReadAllAsync())
        {
            Assert.Equal(received.Length, chunk.Offset);
            chunk.Data.WriteTo(received);
        }

        Assert.Equal(content, received.ToArray());
    }

    [Fact]
    public async Task OneAccountCannotAnnounceMoreThanItsDailyUploadVolume()
    {
        // An attacker's review: one user started 300 uploads of 20 MiB each; nothing limited the volume.
        var user = await _api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        var auth = Api.Bearer(user.Tokens.AccessToken);
        Task<StartUploadResponse> Start(long bytes) => _api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "scan.pdf", SizeBytes = bytes }, auth).ResponseAsync;

        // A refused request spends nothing; 2,048 MiB a day is 102 uploads of 20 MiB, then the account is told to wait.
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => Start(21 * 1024 * 1024));
        for (var i = 0; i < 102; i++)
        {
            await Start(20 * 1024 * 1024);
        }

        var error = await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => Start(20 * 1024 * 1024), "UPLOAD_VOLUME_LIMIT");
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["retry_after_seconds"]);
        await Start(8 * 1024 * 1024);

        // Another account is not affected.
        var other = await _api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        await _api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "scan.pdf", SizeBytes = 20 * 1024 * 1024 }, Api.Bearer(other.Tokens.AccessToken));
    }

    [Fact]
    public async Task ContentThatIsNotJpegPngOrPdfIsRefusedWhateverItsName()
    {
        var user = await _api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        var script = "<html><script>alert(1)</script></html>"u8.ToArray();
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.UploadAsync(user.Tokens.AccessToken, script, "licence.png"), "UNSUPPORTED_FILE_TYPE");
        Assert.NotNull(error);
    }

    [Fact]
    public async Task HashMismatchOversizeAndOutOfOrderChunksAreRefused()
    {
        var token = (await _api.RegisterAsync(Api.Phone(Api.UniquePhone()))).Tokens.AccessToken;
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "big.pdf", SizeBytes = 21 * 1024 * 1024 }, Api.Bearer(token)).ResponseAsync, "FILE_TOO_LARGE");

        var content = "%PDF-1.7\n%test\n"u8.ToArray();
        var started = await _api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "a.pdf", SizeBytes = content.Length }, Api.Bearer(token));
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 4, Data = ByteString.CopyFrom(content, 4, 4) }, Api.Bearer(token)).ResponseAsync, "OFFSET_MISMATCH");
        await _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 0, Data = ByteString.CopyFrom(content) }, Api.Bearer(token));
        var again = await _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 0, Data = ByteString.CopyFrom(content) }, Api.Bearer(token));
        Assert.Equal(content.Length, again.ReceivedBytes);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId, Sha256 = new string('0', 64) }, Api.Bearer(token)).ResponseAsync, "HASH_MISMATCH");
        var completed = await _api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) }, Api.Bearer(token));
        Assert.Equal("application/pdf", completed.File.ContentType);
    }

    [Fact]
    public async Task AnotherUserCannotSeeAFileButAnOperatorCan()
    {
        var owner = await _api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        var stranger = await _api.RegisterAsync(Api.Phone(Api.UniquePhone()));
        var file = await _api.UploadAsync(owner.Tokens.AccessToken, Api.Png());
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => _api.Files.GetFileAsync(new GetFileRequest { FileId = file.FileId }, Api.Bearer(stranger.Tokens.AccessToken)).ResponseAsync);
        var seen = await _api.Files.GetFileAsync(new GetFileRequest { FileId = file.FileId }, Api.Bearer(await _api.OperatorTokenAsync()));
        Assert.Equal(file.Sha256, seen.File.Sha256);
    }
}
