using System.Globalization;
using System.Security.Cryptography;
using B2BTrade.Domain.Common;
using B2BTrade.Grains.Infrastructure;

namespace B2BTrade.Grains.Files;

/// <summary>Accepted file types, recognised by their leading bytes (magic numbers), never by name or declared type.</summary>
public static class FileTypes
{
    public const long MaxBytes = 20 * 1024 * 1024;
    public const int MaxChunkBytes = 1024 * 1024;

    public static string? Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : head.StartsWith("%PDF-"u8) ? "application/pdf"
        : null;
}

[GenerateSerializer, Immutable, Alias("b2btrade.upload-state")]
public sealed record UploadState
{
    [Id(0)] public string? OwnerUserId { get; init; }
    [Id(1)] public string DisplayName { get; init; } = "";
    [Id(2)] public long SizeBytes { get; init; }
    [Id(3)] public long ReceivedBytes { get; init; }
    [Id(4)] public string? EnterpriseId { get; init; }
    [Id(5)] public DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public string? CompletedFileId { get; init; }

    /// <summary>Why the received bytes were removed before completion (<c>UPLOAD_EXPIRED</c>, <c>UNSUPPORTED_FILE_TYPE</c>); null while they are kept.</summary>
    [Id(7)] public string? DiscardedBecause { get; init; }
}

/// <summary>
/// One upload in progress. An upload not completed within the window (<see cref="UploadSettings"/>) is removed: its
/// reminder deletes the bytes received so far even if the client never returns, and any later chunk or completion is
/// refused, so abandoned uploads do not fill the disk.
/// </summary>
[GrainType("upload")]
public sealed class UploadGrain(
    [PersistentState("upload", StorageNames.Grains)] IPersistentState<UploadState> state,
    IFileStore store,
    UploadSettings settings,
    TimeProvider time) : Grain, IUploadGrain, IRemindable
{
    private const string ExpiryReminder = "upload-expiry";

    public async Task<UploadStarted> StartAsync(Caller caller, string displayName, long sizeBytes, string? enterpriseId)
    {
        if (state.State.OwnerUserId is not null)
        {
            throw new DomainException(ErrorKind.AlreadyExists, "UPLOAD_EXISTS", "This upload was already started.", "该上传已开始。");
        }

        var name = (displayName ?? "").Trim();
        var validation = new Validation();
        if (name.Length is < 1 or > 200 || name.Any(char.IsControl))
        {
            validation.Add("display_name", "INVALID_FILE_NAME", "The file name must be 1 to 200 printable characters.", "文件名须为 1 至 200 个可见字符。");
        }

        if (sizeBytes is < 1 or > FileTypes.MaxBytes)
        {
            validation.Add("size_bytes", "FILE_TOO_LARGE", "Files must be between 1 byte and 20 MiB.", "文件大小须在 1 字节至 20 MB 之间。");
        }

        validation.ThrowIfInvalid();
        if (!string.IsNullOrEmpty(enterpriseId))
        {
            var roles = Ids.IsWellFormed(enterpriseId, "ent") ? await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetRolesAsync(caller.UserId) : [];
            if (roles.Length == 0)
            {
                throw Errors.NotFound("Enterprise", "企业");
            }
        }

        await state.ReplaceAsync(new UploadState
        {
            OwnerUserId = caller.UserId,
            DisplayName = name,
            SizeBytes = sizeBytes,
            EnterpriseId = string.IsNullOrEmpty(enterpriseId) ? null : enterpriseId,
            CreatedAt = time.GetUtcNow(),
        });

        // Reminders repeat at least every minute; the expiry unregisters it, and a repeat retries a failed removal.
        await this.RegisterOrUpdateReminder(ExpiryReminder, settings.Window, TimeSpan.FromHours(1));
        return new UploadStarted(this.GetPrimaryKeyString(), FileTypes.MaxChunkBytes);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var upload = state.State;
        if (upload.OwnerUserId is not null && upload.CompletedFileId is null && upload.DiscardedBecause is null)
        {
            if (!IsPastWindow(upload))
            {
                return;
            }

            await DiscardAsync(upload, "UPLOAD_EXPIRED");
        }

        await this.UnregisterReminderIfAnyAsync(reminderName);
    }

    public async Task<long> AppendAsync(Caller caller, long offset, byte[] data)
    {
        var upload = await OpenAsync(caller);
        if (upload.CompletedFileId is not null)
        {
            throw Errors.Precondition("UPLOAD_COMPLETED", "The upload is already complete.", "该上传已完成。");
        }

        if (data.Length is 0 or > FileTypes.MaxChunkBytes)
        {
            throw Errors.InvalidField("data", "INVALID_CHUNK_SIZE", $"Chunks must be 1 to {FileTypes.MaxChunkBytes} bytes.", $"分片大小须为 1 至 {FileTypes.MaxChunkBytes} 字节。");
        }

        if (offset + data.Length <= upload.ReceivedBytes)
        {
            return upload.ReceivedBytes; // a retried chunk that already arrived
        }

        if (offset != upload.ReceivedBytes)
        {
            throw new DomainException(ErrorKind.InvalidArgument, "OFFSET_MISMATCH", $"Expected the chunk at offset {upload.ReceivedBytes}.", $"应从偏移量 {upload.ReceivedBytes} 继续上传。",
                [new FieldViolation("offset", "OFFSET_MISMATCH", $"Expected {upload.ReceivedBytes}.", $"应为 {upload.ReceivedBytes}。")],
                new Dictionary<string, string> { ["expected_offset"] = upload.ReceivedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (offset + data.Length > upload.SizeBytes)
        {
            throw Errors.InvalidField("data", "EXCEEDS_DECLARED_SIZE", "The upload is larger than the size declared at start.", "上传内容超过了开始时声明的大小。");
        }

        await store.WriteChunkAsync(this.GetPrimaryKeyString(), offset, data);
        await state.ReplaceAsync(upload with { ReceivedBytes = offset + data.Length });
        return state.State.ReceivedBytes;
    }

    public async Task<StoredFile> CompleteAsync(Caller caller, string? expectedSha256)
    {
        var upload = await OpenAsync(caller);
        if (upload.CompletedFileId is { } done)
        {
            return await GrainFactory.GetGrain<IFileGrain>(done).GetAsync(caller);
        }

        if (upload.ReceivedBytes != upload.SizeBytes)
        {
            throw Errors.Precondition("UPLOAD_INCOMPLETE", $"Received {upload.ReceivedBytes} of {upload.SizeBytes} bytes.", $"已接收 {upload.ReceivedBytes} / {upload.SizeBytes} 字节，上传未完成。");
        }

        string? contentType;
        string sha256;
        await using (var content = await store.OpenUploadAsync(this.GetPrimaryKeyString()))
        {
            var head = new byte[8];
            var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false);
            contentType = FileTypes.Sniff(head.AsSpan(0, read));
            content.Position = 0;
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content));
        }

        if (contentType is null)
        {
            await DiscardAsync(upload, "UNSUPPORTED_FILE_TYPE");
            throw Errors.InvalidField("upload_id", "UNSUPPORTED_FILE_TYPE", "Only JPEG, PNG and PDF files are accepted.", "仅支持 JPEG、PNG 和 PDF 文件。");
        }

        if (!string.IsNullOrEmpty(expectedSha256) && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidField("sha256", "HASH_MISMATCH", "The file's SHA-256 does not match the one sent; upload it again.", "文件 SHA-256 校验不一致，请重新上传。");
        }

        var file = new StoredFile
        {
            FileId = Ids.Derived("f", this.GetPrimaryKeyString(), "file"),
            DisplayName = upload.DisplayName,
            ContentType = contentType,
            SizeBytes = upload.SizeBytes,
            Sha256 = sha256,
            OwnerUserId = upload.OwnerUserId!,
            EnterpriseId = upload.EnterpriseId,
            CreatedAt = time.GetUtcNow(),
        };
        await store.PromoteAsync(this.GetPrimaryKeyString(), file.FileId);
        await GrainFactory.GetGrain<IFileGrain>(file.FileId).CreateAsync(file);
        await state.ReplaceAsync(upload with { CompletedFileId = file.FileId });
        await this.UnregisterReminderIfAnyAsync(ExpiryReminder);

        return file;
    }

    /// <summary>The caller's own upload, still open: one past its window is removed now (its reminder may not have run yet).</summary>
    private async Task<UploadState> OpenAsync(Caller caller)
    {
        var upload = state.State.OwnerUserId == caller.UserId ? state.State : throw Errors.NotFound("Upload", "上传");
        if (upload.CompletedFileId is null && upload.DiscardedBecause is null && IsPastWindow(upload))
        {
            upload = await DiscardAsync(upload, "UPLOAD_EXPIRED");
        }

        return upload.DiscardedBecause switch
        {
            null => upload,
            "UPLOAD_EXPIRED" => throw Errors.Precondition("UPLOAD_EXPIRED",
                $"The upload was not completed within {Duration(settings.Window, "h", "min", "s")} and was removed; start a new upload.",
                $"该上传未在 {Duration(settings.Window, "小时", "分钟", "秒")}内完成，已被清除，请重新上传。"),
            _ => throw Errors.Precondition("UPLOAD_REJECTED", "The uploaded content was refused and removed; start a new upload.", "上传内容已被拒绝并清除，请重新上传。"),
        };
    }

    private static string Duration(TimeSpan span, string hours, string minutes, string seconds) =>
        span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.##} {hours}")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.##} {minutes}")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.##} {seconds}");

    private bool IsPastWindow(UploadState upload) => time.GetUtcNow() >= upload.CreatedAt + settings.Window;

    /// <summary>Removes the bytes first: a crash in between leaves an open upload whose next call or reminder removes them again.</summary>
    private async Task<UploadState> DiscardAsync(UploadState upload, string because)
    {
        await store.DiscardUploadAsync(this.GetPrimaryKeyString());
        var discarded = upload with { DiscardedBecause = because };
        await state.ReplaceAsync(discarded);
        return discarded;
    }
}

[GenerateSerializer, Immutable, Alias("b2btrade.file-state")]
public sealed record FileState
{
    [Id(0)] public StoredFile? File { get; init; }
}

[GrainType("file")]
public sealed class FileGrain(
    [PersistentState("file", StorageNames.Grains)] IPersistentState<FileState> state) : Grain, IFileGrain
{
    private const int MaxSharedThreads = 32;

    public Task CreateAsync(StoredFile file) =>
        state.State.File is null ? state.ReplaceAsync(new FileState { File = file }) : Task.CompletedTask;

    public async Task<StoredFile> PublishAsync(Caller caller)
    {
        var file = await CheckPublishableAsync(caller);
        if (!file.Public)
        {
            file = file with { Public = true };
            await state.ReplaceAsync(new FileState { File = file });
        }

        return file;
    }

    public async Task<StoredFile> CheckPublishableAsync(Caller caller)
    {
        var file = state.State.File ?? throw Errors.NotFound("File", "文件");
        if (await IsUploadersSideAsync(file, caller))
        {
            return file;
        }

        // Anyone else: NOT_FOUND unless they may read it (a thread it was sent in); then only if it is public already.
        var readable = await GetAsync(caller);
        return readable.Public
            ? readable
            : throw new DomainException(ErrorKind.PermissionDenied, "FILE_NOT_YOURS", "Only files you or your enterprise uploaded can be published.", "只能公开您本人或本企业上传的文件。");
    }

    /// <summary>The uploader, a member of the enterprise it was uploaded for, or an operator.</summary>
    private async Task<bool> IsUploadersSideAsync(StoredFile file, Caller caller) =>
        caller.IsOperator || file.OwnerUserId == caller.UserId
        || (file.EnterpriseId is not null && (await GrainFactory.GetGrain<IEnterpriseGrain>(file.EnterpriseId).GetRolesAsync(caller.UserId)).Length > 0);

    public async Task<StoredFile> ShareWithThreadAsync(Caller caller, string threadId)
    {
        // Already in this thread: the thread grain calling us has checked the caller is its participant (asking it
        // again from here would wait on ourselves).
        if (state.State.File is { SharedInThreads: { } already } sharedFile && already.Contains(threadId))
        {
            return sharedFile;
        }

        var file = await GetAsync(caller);
        var shared = file.SharedInThreads ?? [];

        if (shared.Count >= MaxSharedThreads)
        {
            throw Errors.Precondition("SHARED_TOO_OFTEN", $"A file can be sent in at most {MaxSharedThreads} threads; upload it again.", $"同一文件最多可在 {MaxSharedThreads} 个询盘中发送，请重新上传。");
        }

        file = file with { SharedInThreads = shared.Add(threadId) };
        await state.ReplaceAsync(new FileState { File = file });
        return file;
    }

    public async Task<StoredFile> GetAsync(Caller caller)
    {
        var file = state.State.File ?? throw Errors.NotFound("File", "文件");
        if (file.Public || await IsUploadersSideAsync(file, caller))
        {
            return file;
        }

        foreach (var threadId in file.SharedInThreads ?? [])
        {
            try
            {
                await GrainFactory.GetGrain<INegotiationGrain>(threadId).AuthorizeAsync(caller);
                return file;
            }
            catch (DomainException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Not a participant of this thread; try the next.
            }
        }

        throw Errors.NotFound("File", "文件");
    }
}
