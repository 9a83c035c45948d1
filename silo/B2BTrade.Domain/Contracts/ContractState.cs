using System.Collections.Immutable;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Contracts;

/// <summary>Where a contract stands (numbers match contract.v1.ContractStatus).</summary>
public enum ContractStatus
{
    PendingSignatures = 1,
    PartiallySigned = 2,
    Effective = 3,
}

/// <summary>
/// A generated contract: its composed content, the canonical document's hash and where its bytes are kept, and the
/// signatures. The document never changes after generation; only signatures are added.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract")]
public sealed record ContractState
{
    [Id(0)] public required string ContractId { get; init; }
    [Id(1)] public required string OrderId { get; init; }
    [Id(2)] public required ContractContent Content { get; init; }
    [Id(3)] public required string DocumentSha256 { get; init; }
    [Id(4)] public required long DocumentSize { get; init; }

    /// <summary>The file-store id of the canonical PDF.</summary>
    [Id(5)] public required string DocumentFileId { get; init; }
    [Id(6)] public ImmutableList<SignatureRecord> Signatures { get; init; } = [];
    [Id(7)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public DateTimeOffset? EffectiveAt { get; init; }

    /// <summary>True once the order heard that the contract took effect (retried until it has).</summary>
    [Id(9)] public bool OrderNotified { get; init; }

    public ContractFacts Facts => Content.Facts;

    public ContractStatus Status => EffectiveAt is not null ? ContractStatus.Effective : Signatures.Count > 0 ? ContractStatus.PartiallySigned : ContractStatus.PendingSignatures;

    public bool HasSigned(bool buyerSide) => Signatures.Any(s => s.BuyerSide == buyerSide);
}

/// <summary>The rules of signing: each party signs once, over the exact document, within its signatory's limit.</summary>
public static class ContractRules
{
    /// <summary>The contract number printed on it: the China date of generation and a part of its id ("B2B-20261206-7F3K9Q2M").</summary>
    public static string Number(string contractId, DateOnly chinaDate) =>
        $"B2B-{chinaDate:yyyyMMdd}-{contractId[^8..].ToUpperInvariant()}";

    /// <summary>Checks a signatory may sign now (before the key is unlocked, so nothing is spent on a refused signature).</summary>
    public static void RequireSignable(ContractState state, bool buyerSide, string documentSha256, decimal? signingLimit)
    {
        if (!string.Equals(documentSha256, state.DocumentSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidField("document_sha256", "DOCUMENT_MISMATCH",
                "The document you read is not this contract's document; download it again before signing.", "您阅读的文件与合同文件不一致，请重新下载后再签署。");
        }

        if (state.HasSigned(buyerSide))
        {
            throw new DomainException(ErrorKind.AlreadyExists, "ALREADY_SIGNED", "Your party has already signed this contract.", "贵方已签署该合同。");
        }

        if (signingLimit is not { } limit || state.Facts.TotalAmount > limit)
        {
            throw new DomainException(ErrorKind.PermissionDenied, "ABOVE_SIGNING_LIMIT",
                $"The contract total ¥{Cny.Format(state.Facts.TotalAmount)} is above your signing limit.", $"合同金额 ¥{Cny.Format(state.Facts.TotalAmount)} 超出您的签约权限。");
        }
    }

    /// <summary>Adds a signature; the contract takes effect with the second party's.</summary>
    public static ContractState AddSignature(ContractState state, SignatureRecord signature, DateTimeOffset now)
    {
        var signed = state with { Signatures = state.Signatures.Add(signature) };
        return signed.HasSigned(true) && signed.HasSigned(false) ? signed with { EffectiveAt = now } : signed;
    }
}
