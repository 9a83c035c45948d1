using System.Security.Cryptography;
using B2BTrade.Protos.Files.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;

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
    public async Task AnUploadRefusedForItsContentAnswersAgainWithAClearErrorAndKeepsNoBytes()
    {
        // Completing again after UNSUPPORTED_FILE_TYPE used to open the removed bytes and fail with INTERNAL.
        var auth = Api.Bearer((await _api.RegisterAsync(Api.Phone(Api.UniquePhone()))).Tokens.AccessToken);
        var script = "<html><script>alert(1)</script></html>"u8.ToArray();
        var started = await _api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "licence.pdf", SizeBytes = script.Length }, auth);
        await _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 0, Data = ByteString.CopyFrom(script) }, auth);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId }, auth).ResponseAsync, "UNSUPPORTED_FILE_TYPE");
        Assert.False(File.Exists(Path.Combine(factory.DataDir, "files", "uploads", started.UploadId + ".part")));

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId }, auth).ResponseAsync, "UPLOAD_REJECTED");
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 0, Data = ByteString.CopyFrom(script) }, auth).ResponseAsync, "UPLOAD_REJECTED");
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

/// <summary>A node whose uploads must be completed within 3 seconds (B2BTrade:UploadWindow; 24 h by default).</summary>
public sealed class ShortUploadWindowApiFactory : ApiFactory
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    protected override void ConfigureSettings(IWebHostBuilder builder) =>
        builder.UseSetting("B2BTrade:UploadWindow", Window.ToString());
}

public sealed class UploadExpiryTests(ShortUploadWindowApiFactory factory) : IClassFixture<ShortUploadWindowApiFactory>
{
    private readonly Api _api = new(factory.NativeChannel(), factory);

    private string PartialFile(string uploadId) => Path.Combine(factory.DataDir, "files", "uploads", uploadId + ".part");

    [Fact]
    public async Task AnAbandonedUploadIsRemovedFromDiskWithoutTheClientComingBack()
    {
        // An attacker's review: uploads started and never finished stayed on disk for ever.
        var auth = Api.Bearer((await _api.RegisterAsync(Api.Phone(Api.UniquePhone()))).Tokens.AccessToken);
        var content = Api.Png(4096);
        var started = await _api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "half.png", SizeBytes = content.Length }, auth);
        await _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 0, Data = ByteString.CopyFrom(content, 0, 1000) }, auth);
        Assert.True(File.Exists(PartialFile(started.UploadId)));

        // Nobody touches the upload: its reminder removes the bytes after the window.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (File.Exists(PartialFile(started.UploadId)))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), "the abandoned upload's bytes are still on disk after 90 s");
            await Task.Delay(200);
        }

        Assert.True(waited.Elapsed >= ShortUploadWindowApiFactory.Window - TimeSpan.FromSeconds(1), "removed before its window ended");
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 1000, Data = ByteString.CopyFrom(content, 1000, content.Length - 1000) }, auth).ResponseAsync, "UPLOAD_EXPIRED");
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId }, auth).ResponseAsync, "UPLOAD_EXPIRED");
        Assert.False(File.Exists(PartialFile(started.UploadId)));
    }

    [Fact]
    public async Task AnUploadCompletedInTimeOutlivesItsWindow()
    {
        var auth = Api.Bearer((await _api.RegisterAsync(Api.Phone(Api.UniquePhone()))).Tokens.AccessToken);
        var content = Api.Png(4096);
        var started = await _api.Files.StartUploadAsync(new StartUploadRequest { DisplayName = "whole.png", SizeBytes = content.Length }, auth);
        await _api.Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = 0, Data = ByteString.CopyFrom(content) }, auth);
        var file = (await _api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId }, auth)).File;

        await Task.Delay(ShortUploadWindowApiFactory.Window * 2);
        var again = (await _api.Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId }, auth)).File;
        Assert.Equal(file.FileId, again.FileId);
        using var download = _api.Files.DownloadFile(new DownloadFileRequest { FileId = file.FileId }, auth);
        var received = new MemoryStream();
        await foreach (var chunk in download.ResponseStream.ReadAllAsync())
        {
            chunk.Data.WriteTo(received);
        }

        Assert.Equal(content, received.ToArray());
    }
}
