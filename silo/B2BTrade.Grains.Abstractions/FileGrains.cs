namespace B2BTrade.Grains;

/// <summary>Metadata of a stored file. The bytes live in the file store under the id, never under the uploader's name.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.file-metadata")]
public sealed record StoredFile
{
    [Id(0)] public required string FileId { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
    [Id(2)] public required string ContentType { get; init; }
    [Id(3)] public required long SizeBytes { get; init; }
    [Id(4)] public required string Sha256 { get; init; }
    [Id(5)] public required string OwnerUserId { get; init; }
    [Id(6)] public string? EnterpriseId { get; init; }
    [Id(7)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Readable by every logged-in user: a product image published on a listing.</summary>
    [Id(8)] public bool Public { get; init; }

    /// <summary>Negotiation threads the file was sent in: their participants may read it.</summary>
    [Id(9)] public System.Collections.Immutable.ImmutableList<string>? SharedInThreads { get; init; }
}

[GenerateSerializer, Immutable, Alias("b2btrade.upload-started")]
public sealed record UploadStarted([property: Id(0)] string UploadId, [property: Id(1)] int MaxChunkBytes);

/// <summary>One upload in progress (key: "up_…"), owned by the user who started it.</summary>
[Alias("b2btrade.IUploadGrain")]
public interface IUploadGrain : IGrainWithStringKey
{
    /// <summary>Opens the upload.</summary>
    Task<UploadStarted> StartAsync(Caller caller, string displayName, long sizeBytes, string? enterpriseId);

    /// <summary>Appends a chunk at the given offset; a chunk already received is ignored. Returns bytes received.</summary>
    Task<long> AppendAsync(Caller caller, long offset, byte[] data);

    /// <summary>Checks size, content type and optional client hash; stores the file and returns its metadata.</summary>
    Task<StoredFile> CompleteAsync(Caller caller, string? expectedSha256);
}

/// <summary>A stored file's metadata and access rule (key: "f_…").</summary>
[Alias("b2btrade.IFileGrain")]
public interface IFileGrain : IGrainWithStringKey
{
    /// <summary>Records the metadata once.</summary>
    Task CreateAsync(StoredFile file);

    /// <summary>The metadata, if the caller may read the file (owner, member of its enterprise, operator, or anyone once public); otherwise NOT_FOUND.</summary>
    [ReadOnly]
    Task<StoredFile> GetAsync(Caller caller);

    /// <summary>Lets the participants of a negotiation thread read the file (a chat attachment); only someone who may read it can.</summary>
    Task<StoredFile> ShareWithThreadAsync(Caller caller, string threadId);

    /// <summary>
    /// Makes the file readable by every logged-in user (a listing image). Only its uploader, a member of the enterprise
    /// it was uploaded for, or an operator can: someone who only received it in a negotiation may read it but not
    /// publish it (PERMISSION_DENIED FILE_NOT_YOURS); anyone else gets NOT_FOUND.
    /// </summary>
    Task<StoredFile> PublishAsync(Caller caller);

    /// <summary>What <see cref="PublishAsync"/> would answer, without publishing (checked before a listing is written).</summary>
    [ReadOnly]
    Task<StoredFile> CheckPublishableAsync(Caller caller);
}

/// <summary>File settings of the deployment: how long an upload may stay unfinished before its bytes are removed (24 h unless configured).</summary>
public sealed record UploadSettings(TimeSpan Window)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);
}
