using B2BTrade.Domain.Contracts;
using B2BTrade.Domain.Orders;

namespace B2BTrade.Grains;

/// <summary>A contract's document bytes with their metadata.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-document")]
public sealed record ContractDocument([property: Id(0)] byte[] Content, [property: Id(1)] string ContentType, [property: Id(2)] string FileName, [property: Id(3)] string Sha256);

/// <summary>A contract (key: "ctr_…", derived from its order).</summary>
[Alias("b2btrade.IContractGrain")]
public interface IContractGrain : IGrainWithStringKey
{
    /// <summary>Composes, renders and stores the contract of a confirmed order (order grains; idempotent).</summary>
    Task CreateFromOrderAsync(OrderState order);

    /// <summary>Members of either party see it; anyone else gets NOT_FOUND.</summary>
    Task<ContractState> GetAsync(Caller caller);

    /// <summary>The canonical PDF, or its HTML reading copy.</summary>
    Task<ContractDocument> DownloadAsync(Caller caller, bool html);

    /// <summary>A Signatory of a party signs for it with their signing secret, over the document they read.</summary>
    Task<ContractState> SignAsync(Caller caller, string enterpriseId, string signingSecret, string documentSha256);

    /// <summary>Recomputes the hash (of the stored document, or of <paramref name="document"/>) and checks every signature.</summary>
    Task<ContractVerification> VerifyAsync(Caller caller, byte[]? document);

    Task RepublishAsync();
}

/// <summary>Public facts of a signing key (never the sealed private key).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.signing-key-info")]
public sealed record SigningKeyInfo([property: Id(0)] string KeyId, [property: Id(1)] byte[] PublicKey, [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>One signatory's key for one enterprise (key: derived from user and enterprise). Keeps replaced keys so old signatures verify.</summary>
[Alias("b2btrade.ISigningKeyGrain")]
public interface ISigningKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the key, sealed under the secret (the grain checks the caller is a Signatory of the enterprise). An existing
    /// key is replaced only with its current secret, or when the caller has just proved the account with a verification
    /// code (<paramref name="accountReverified"/>, checked by the API).
    /// </summary>
    Task<SigningKeyInfo> EnrollAsync(Caller caller, string enterpriseId, string signingSecret, string? currentSigningSecret = null, bool accountReverified = false);

    [ReadOnly]
    Task<SigningKeyInfo?> GetCurrentAsync();

    /// <summary>Signs a contract's document hash (contract grains only); wrong secrets are counted and lock the key for a while.</summary>
    Task<SignatureRecord> SignAsync(string contractId, bool buyerSide, string signerName, string signingSecret, string documentSha256);

    /// <summary>A current or replaced key by id (verification).</summary>
    [ReadOnly]
    Task<SealedSigningKey?> FindAsync(string keyId);
}

/// <summary>The platform's timestamp authority (a single grain, key "platform").</summary>
[Alias("b2btrade.ITimestampAuthorityGrain")]
public interface ITimestampAuthorityGrain : IGrainWithStringKey
{
    Task<byte[]> IssueAsync(string documentSha256, byte[] signature, DateTimeOffset at);

    [ReadOnly]
    Task<byte[]> GetPublicKeyAsync();
}
