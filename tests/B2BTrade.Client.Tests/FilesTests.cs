using System.Security.Cryptography;
using B2BTrade.Protos.Files.V1;
using Google.Protobuf;
using Grpc.Core;

namespace B2BTrade.Client.Tests;

public sealed class FilesTests
{
    private static B2BTradeTokens Session => TestSupport.Tokens("a1", "r1", TimeSpan.FromMinutes(10));

    [Fact]
    public async Task UploadSendsChunksOfTheServersSizeAndTheContentsSha256()
    {
        var content = Enumerable.Range(0, 10).Select(i => (byte)i).ToArray();
        var received = new MemoryStream();
        var chunkFailures = 1;
        using var server = new FakeGrpcServer(call => Task.FromResult(call.Method switch
        {
            "/b2btrade.files.v1.FileService/StartUpload" => FakeReply.Ok(new StartUploadResponse { UploadId = "up_1", MaxChunkBytes = 4 }),
            "/b2btrade.files.v1.FileService/UploadChunk" when chunkFailures-- > 0 => FakeReply.Error(StatusCode.Unavailable),
            "/b2btrade.files.v1.FileService/UploadChunk" => Receive(call.Parse(UploadChunkRequest.Parser)),
            "/b2btrade.files.v1.FileService/CompleteUpload" => FakeReply.Ok(new CompleteUploadResponse { File = new FileMetadata { FileId = "f_1", Sha256 = call.Parse(CompleteUploadRequest.Parser).Sha256 } }),
            _ => FakeReply.Error(StatusCode.Unimplemented),
        }));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        var file = await client.Files.UploadAsync(new NonSeekableStream(content), "营业执照.pdf", "ent_1");

        Assert.Equal("f_1", file.FileId);
        Assert.Equal(content, received.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.Sha256);
        var start = server.CallsTo("/b2btrade.files.v1.FileService/StartUpload").Single().Parse(StartUploadRequest.Parser);
        Assert.Equal(10, start.SizeBytes);
        Assert.Equal("ent_1", start.EnterpriseId);
        Assert.Equal([0L, 0L, 4L, 8L], server.CallsTo("/b2btrade.files.v1.FileService/UploadChunk").Select(c => c.Parse(UploadChunkRequest.Parser).Offset));

        FakeReply Receive(UploadChunkRequest chunk)
        {
            Assert.InRange(chunk.Data.Length, 1, 4);
            if (chunk.Offset == received.Length)
            {
                chunk.Data.WriteTo(received);
            }

            return FakeReply.Ok(new UploadChunkResponse { ReceivedBytes = received.Length });
        }
    }

    [Fact]
    public async Task DownloadWritesEveryChunkAndChecksTheHash()
    {
        var content = "%PDF-1.7 contract"u8.ToArray();
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(
            new DownloadFileResponse { File = new FileMetadata { FileId = "f_1", SizeBytes = content.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) }, Offset = 0, Data = ByteString.CopyFrom(content, 0, 8) },
            new DownloadFileResponse { Offset = 8, Data = ByteString.CopyFrom(content, 8, content.Length - 8) })));
        using var client = TestSupport.CreateClient(server, tokens: Session);
        var destination = new MemoryStream();

        var metadata = await client.Files.DownloadAsync("f_1", destination);

        Assert.Equal("f_1", metadata.FileId);
        Assert.Equal(content, destination.ToArray());
    }

    [Fact]
    public async Task DownloadWhoseBytesDoNotMatchTheHashFails()
    {
        using var server = new FakeGrpcServer(_ => Task.FromResult(FakeReply.Ok(
            new DownloadFileResponse { File = new FileMetadata { FileId = "f_1", SizeBytes = 3, Sha256 = new string('0', 64) }, Data = ByteString.CopyFromUtf8("abc") })));
        using var client = TestSupport.CreateClient(server, tokens: Session);

        await Assert.ThrowsAsync<InvalidDataException>(() => client.Files.DownloadAsync("f_1", new MemoryStream()));
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
