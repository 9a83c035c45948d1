using System.Security.Cryptography;
using B2BTrade.Protos.Files.V1;
using Google.Protobuf;
using Grpc.Core;

namespace B2BTrade.Client;

/// <summary>Attachments and vouchers (JPEG, PNG or PDF, up to 20 MiB): chunked uploads checked by SHA-256, streamed downloads.</summary>
public sealed class FilesClient
{
    private readonly FileService.FileServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal FilesClient(FileService.FileServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>
    /// Uploads a file: opens an upload of the content's size, sends chunks of the size the server allows (a chunk is
    /// re-sent at the same offset after a transient failure, which the server ignores if it already has it), then
    /// completes it with the SHA-256 computed here so corruption on the way fails the upload.
    /// </summary>
    /// <param name="content">The bytes, read from the current position to the end. Non-seekable streams are buffered.</param>
    /// <param name="displayName">Name shown for the file, 1 to 200 characters (never used as a path).</param>
    /// <param name="enterpriseId">Optional enterprise whose members may read the file; the caller must be a member.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The stored file's metadata, including the content type the server recognised.</returns>
    /// <exception cref="B2BTradeValidationException">Too large, empty, or not a JPEG, PNG or PDF.</exception>
    public async Task<FileMetadata> UploadAsync(Stream content, string displayName, string? enterpriseId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            content = buffer;
        }

        var size = content.Length - content.Position;
        var start = new StartUploadRequest { DisplayName = displayName, SizeBytes = size, EnterpriseId = enterpriseId ?? string.Empty };
        var upload = await _pipeline.RunAsync(o => _client.StartUploadAsync(start, o).ResponseAsync, CallPolicy.Write, null, cancellationToken);
        var chunkSize = upload.MaxChunkBytes > 0 ? upload.MaxChunkBytes : 1024 * 1024;

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[(int)Math.Min(chunkSize, Math.Max(size, 1))];
        long offset = 0;
        while (offset < size)
        {
            var length = await content.ReadAtLeastAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - offset)), (int)Math.Min(chunk.Length, size - offset), throwOnEndOfStream: true, cancellationToken);
            hash.AppendData(chunk, 0, length);
            var request = new UploadChunkRequest { UploadId = upload.UploadId, Offset = offset, Data = ByteString.CopyFrom(chunk, 0, length) };
            var answer = await _pipeline.RunAsync(o => _client.UploadChunkAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, null, cancellationToken);
            offset += length;
            if (answer.ReceivedBytes != offset)
            {
                throw new InvalidOperationException($"The server holds {answer.ReceivedBytes} bytes of upload {upload.UploadId}, expected {offset}.");
            }
        }

        var complete = new CompleteUploadRequest { UploadId = upload.UploadId, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) };
        var response = await _pipeline.RunAsync(o => _client.CompleteUploadAsync(complete, o).ResponseAsync, CallPolicy.Write, null, cancellationToken);
        return response.File;
    }

    /// <summary>Uploads bytes held in memory; see <see cref="UploadAsync(Stream, string, string?, CancellationToken)"/>.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="displayName">Name shown for the file.</param>
    /// <param name="enterpriseId">Optional enterprise whose members may read the file.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The stored file's metadata.</returns>
    public async Task<FileMetadata> UploadAsync(byte[] content, string displayName, string? enterpriseId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream(content, writable: false);
        return await UploadAsync(stream, displayName, enterpriseId, cancellationToken);
    }

    /// <summary>Returns a file's metadata.</summary>
    /// <param name="fileId">The file.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The metadata.</returns>
    public async Task<FileMetadata> GetAsync(string fileId, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetFileRequest { FileId = fileId };
        var response = await _pipeline.RunAsync(o => _client.GetFileAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.File;
    }

    /// <summary>
    /// Streams a file into <paramref name="destination"/> and checks its size and SHA-256 against the metadata. The
    /// download is retried after a transient failure only while nothing has been written to the destination.
    /// </summary>
    /// <param name="fileId">The file.</param>
    /// <param name="destination">Where the bytes go; it is not closed.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for the whole download.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="InvalidDataException">The bytes received do not match the file's size or SHA-256.</exception>
    public Task<FileMetadata> DownloadAsync(string fileId, Stream destination, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var request = new DownloadFileRequest { FileId = fileId };
        long written = 0;
        return _pipeline.RunAsync(
            async options =>
            {
                using var call = _client.DownloadFile(request, options);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                FileMetadata? metadata = null;
                await foreach (var message in call.ResponseStream.ReadAllAsync(options.CancellationToken))
                {
                    metadata ??= message.File;
                    if (message.Offset != written)
                    {
                        throw new InvalidDataException($"File {fileId}: chunk at offset {message.Offset}, expected {written}.");
                    }

                    hash.AppendData(message.Data.Span);
                    await destination.WriteAsync(message.Data.Memory, options.CancellationToken);
                    written += message.Data.Length;
                }

                if (metadata is null)
                {
                    throw new InvalidDataException($"File {fileId}: the server sent no metadata.");
                }

                var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (written != metadata.SizeBytes || (!string.IsNullOrEmpty(metadata.Sha256) && !string.Equals(sha256, metadata.Sha256, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new InvalidDataException($"File {fileId}: received {written} bytes with SHA-256 {sha256}, expected {metadata.SizeBytes} bytes with {metadata.Sha256}.");
                }

                return metadata;
            },
            CallPolicy.Read,
            deadline,
            cancellationToken,
            canRepeat: () => written == 0);
    }
}
