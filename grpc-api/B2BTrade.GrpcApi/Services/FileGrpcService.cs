using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.Grains.Infrastructure;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Files.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace B2BTrade.GrpcApi.Services;

/// <summary>Uploads in unary chunks (browsers have no client streaming) and downloads as a server stream.</summary>
[Authorize]
public sealed class FileGrpcService(IGrainFactory grains, IFileStore store, IConfiguration configuration) : FileService.FileServiceBase
{
    private const int DownloadChunkBytes = 64 * 1024;

    public override async Task<StartUploadResponse> StartUpload(StartUploadRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        if (request.SizeBytes is > 0 and <= Grains.Files.FileTypes.MaxBytes)
        {
            // One account cannot fill the disk (or, in a cluster, the database): uploads and their declared bytes are
            // budgeted per user. A request refused by validation spends nothing.
            await grains.GetGrain<IRateLimitGrain>("uploads-per-user|" + caller.UserId)
                .HitAsync(configuration.GetValue("B2BTrade:RateLimits:UploadsPerUserPerHour", 200), TimeSpan.FromHours(1), "UPLOAD_LIMIT");
            await grains.GetGrain<IRateLimitGrain>("upload-mib-per-user|" + caller.UserId)
                .HitAsync(configuration.GetValue("B2BTrade:RateLimits:UploadMiBPerUserPerDay", 2048), TimeSpan.FromDays(1), "UPLOAD_VOLUME_LIMIT", (int)((request.SizeBytes + (1 << 20) - 1) >> 20));
        }

        var uploadId = Ids.NewId("up");
        var started = await grains.GetGrain<IUploadGrain>(uploadId).StartAsync(caller, request.DisplayName, request.SizeBytes, request.EnterpriseId);
        return new StartUploadResponse { UploadId = started.UploadId, MaxChunkBytes = started.MaxChunkBytes };
    }

    public override async Task<UploadChunkResponse> UploadChunk(UploadChunkRequest request, ServerCallContext context)
    {
        var uploadId = RequestParsing.Id(request.UploadId, "up", "upload_id");
        var received = await grains.GetGrain<IUploadGrain>(uploadId).AppendAsync(context.Caller(), request.Offset, request.Data.ToByteArray());
        return new UploadChunkResponse { ReceivedBytes = received };
    }

    public override async Task<CompleteUploadResponse> CompleteUpload(CompleteUploadRequest request, ServerCallContext context)
    {
        var uploadId = RequestParsing.Id(request.UploadId, "up", "upload_id");
        var file = await grains.GetGrain<IUploadGrain>(uploadId).CompleteAsync(context.Caller(), request.Sha256);
        return new CompleteUploadResponse { File = ProtoMapping.File(file) };
    }

    public override async Task<GetFileResponse> GetFile(GetFileRequest request, ServerCallContext context)
    {
        var file = await grains.GetGrain<IFileGrain>(RequestParsing.Id(request.FileId, "f", "file_id")).GetAsync(context.Caller());
        return new GetFileResponse { File = ProtoMapping.File(file) };
    }

    public override async Task DownloadFile(DownloadFileRequest request, IServerStreamWriter<DownloadFileResponse> responseStream, ServerCallContext context)
    {
        var file = await grains.GetGrain<IFileGrain>(RequestParsing.Id(request.FileId, "f", "file_id")).GetAsync(context.Caller());
        await using var content = await store.OpenFileAsync(file.FileId, context.CancellationToken);
        var buffer = new byte[DownloadChunkBytes];
        long offset = 0;
        var first = true;
        int read;
        while ((read = await content.ReadAsync(buffer, context.CancellationToken)) > 0 || first)
        {
            var message = new DownloadFileResponse { Offset = offset, Data = ByteString.CopyFrom(buffer, 0, read) };
            if (first)
            {
                message.File = ProtoMapping.File(file);
                first = false;
            }

            await responseStream.WriteAsync(message, context.CancellationToken);
            offset += read;
            if (read == 0)
            {
                break;
            }
        }
    }
}
