using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Contracts;

// Electronic signatures meeting the four conditions of the PRC Electronic Signature Law, Art. 13 (DESIGN §5):
// 1. the creation data belongs to the signer only: one ECDSA P-256 key pair per (user, enterprise), made at enrolment;
// 2. it is under the signer's sole control when signing: the private key exists at rest only as PKCS#8 encrypted under
//    a secret the platform never stores, and is decrypted in memory for one signature and disposed;
// 3. a later change to the signature is detectable: it verifies under the key's public key and a timestamp token;
// 4. a later change to the document is detectable: the signature covers the SHA-256 of the exact document bytes.

/// <summary>A signatory's key pair: the public key in clear, the private key sealed under the signatory's signing secret.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.sealed-signing-key")]
public sealed record SealedSigningKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string OwnerUserId,
    [property: Id(2)] string EnterpriseId,
    [property: Id(3)] byte[] PublicKey,
    [property: Id(4)] byte[] EncryptedPrivateKey,
    [property: Id(5)] DateTimeOffset CreatedAt);

/// <summary>One party's signature over a contract document, with the timestamp authority's token.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-signature")]
public sealed record SignatureRecord(
    [property: Id(0)] string EnterpriseId,
    [property: Id(1)] bool BuyerSide,
    [property: Id(2)] string SignerUserId,
    [property: Id(3)] string SignerName,
    [property: Id(4)] string KeyId,
    [property: Id(5)] byte[] PublicKey,
    [property: Id(6)] string DocumentSha256,
    [property: Id(7)] DateTimeOffset SignedAt,
    [property: Id(8)] byte[] Signature,
    [property: Id(9)] byte[] TimestampToken);

public static class ElectronicSignature
{
    public const int MinSecretLength = 8;
    public const int MaxSecretLength = 128;

    /// <summary>PBKDF2-HMAC-SHA256 iterations sealing a private key (OWASP 2023 figure for PBKDF2-HMAC-SHA256).</summary>
    public const int Pbkdf2Iterations = 600_000;

    private const string StatementHeader = "b2btrade-contract-signature/v1\n";
    private const string SecretField = "signing_secret";

    /// <summary>
    /// Validates the secret (field "signing_secret") and creates a key pair whose private half is stored only as
    /// PKCS#8 encrypted with AES-256-CBC under PBKDF2-HMAC-SHA256 of the secret.
    /// </summary>
    public static SealedSigningKey Enroll(string ownerUserId, string enterpriseId, string secret, DateTimeOffset now) =>
        Enroll(ownerUserId, enterpriseId, secret, now, Pbkdf2Iterations);

    // The iteration count is stored inside the encrypted PKCS#8, so keys sealed with fewer iterations (tests) still open.
    internal static SealedSigningKey Enroll(string ownerUserId, string enterpriseId, string secret, DateTimeOffset now, int pbkdf2Iterations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerUserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(enterpriseId);
        ValidateSecret(secret);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = key.ExportSubjectPublicKeyInfo();
        var sealedKey = key.ExportEncryptedPkcs8PrivateKey(
            secret.AsSpan(),
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, pbkdf2Iterations));
        return new SealedSigningKey(KeyIdOf(publicKey), ownerUserId, enterpriseId, publicKey, sealedKey, now);
    }

    /// <summary>"key_" + the first 26 lowercase hex characters (104 bits) of SHA-256 over the SubjectPublicKeyInfo DER.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> publicKey) => "key_" + Sha256Hex(publicKey)[..26];

    /// <summary>SHA-256 of bytes, lowercase hex.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The exact bytes a signer signs: the header "b2btrade-contract-signature/v1\n", then each field as a 4-byte
    /// big-endian length and its bytes (strings UTF-8, buyer side one byte 1/0, signedAt 8-byte big-endian unix
    /// milliseconds), in the order of the parameters. No two different statements share bytes.
    /// </summary>
    public static byte[] Statement(string contractId, string enterpriseId, bool buyerSide, string signerUserId, string keyId, string documentSha256, DateTimeOffset signedAt)
    {
        var writer = new FieldWriter(StatementHeader);
        writer.Text(contractId);
        writer.Text(enterpriseId);
        writer.Bytes([buyerSide ? (byte)1 : (byte)0]);
        writer.Text(signerUserId);
        writer.Text(keyId);
        writer.Text(documentSha256);
        writer.UnixMilliseconds(signedAt);
        return writer.ToArray();
    }

    /// <summary>
    /// Unlocks the key with the secret, signs <see cref="Statement"/> with ECDSA P-256/SHA-256 (IEEE P1363), takes a
    /// timestamp token and returns the record. The private key lives in memory only inside this call.
    /// </summary>
    public static SignatureRecord Sign(SealedSigningKey key, string secret, string contractId, bool buyerSide, string signerName, string documentSha256, DateTimeOffset now, TimestampAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(contractId);
        ArgumentNullException.ThrowIfNull(signerName);
        ArgumentNullException.ThrowIfNull(authority);
        if (string.IsNullOrEmpty(secret))
        {
            throw Errors.InvalidField(SecretField, "REQUIRED", "Enter your signing secret to sign.", "请输入签署密码。");
        }

        if (!IsSha256Hex(documentSha256))
        {
            throw Errors.InvalidField("document_sha256", "INVALID_FORMAT", "The document hash must be 64 hexadecimal characters (SHA-256).", "文件哈希须为 64 位十六进制字符（SHA-256）。");
        }

        var documentHash = documentSha256.ToLowerInvariant();
        var signedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var statement = Statement(contractId, key.EnterpriseId, buyerSide, key.OwnerUserId, key.KeyId, documentHash, signedAt);

        byte[] signature;
        using (var signer = Unlock(key, secret))
        {
            signature = signer.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        var token = authority.Issue(documentHash, signature, signedAt);
        return new SignatureRecord(key.EnterpriseId, buyerSide, key.OwnerUserId, signerName, key.KeyId, key.PublicKey.ToArray(), documentHash, signedAt, signature, token);
    }

    /// <summary>Whether the secret unlocks the key (the private key is opened and discarded at once).</summary>
    public static bool Opens(SealedSigningKey key, string? secret)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        try
        {
            using var signer = Unlock(key, secret);
            return true;
        }
        catch (DomainException e) when (e.Reason == "WRONG_SIGNING_SECRET")
        {
            return false;
        }
    }

    internal static bool IsSha256Hex(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigit);

    private static ECDsa Unlock(SealedSigningKey key, string secret)
    {
        var signer = ECDsa.Create();
        try
        {
            signer.ImportEncryptedPkcs8PrivateKey(secret.AsSpan(), key.EncryptedPrivateKey, out _);
        }
        catch (CryptographicException)
        {
            // A wrong secret fails the AES padding or the PKCS#8 decoding; either way nothing was signed.
            signer.Dispose();
            throw new DomainException(ErrorKind.PermissionDenied, "WRONG_SIGNING_SECRET", "The signing secret is wrong.", "签署密码错误。");
        }

        if (signer.KeySize != 256 || !signer.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.PublicKey))
        {
            signer.Dispose();
            throw Errors.Precondition("SIGNING_KEY_MISMATCH", "The stored signing key does not match its public key; enrol a new key.", "签署密钥与其公钥不符，请重新设置签署密钥。");
        }

        return signer;
    }

    private static void ValidateSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            throw Errors.InvalidField(SecretField, "REQUIRED", "A signing secret is required.", "请设置签署密码。");
        }

        if (secret.Length < MinSecretLength)
        {
            throw Errors.InvalidField(SecretField, "TOO_SHORT", $"The signing secret must be at least {MinSecretLength} characters.", $"签署密码至少 {MinSecretLength} 位。");
        }

        if (secret.Length > MaxSecretLength)
        {
            throw Errors.InvalidField(SecretField, "TOO_LONG", $"The signing secret must be at most {MaxSecretLength} characters.", $"签署密码最多 {MaxSecretLength} 位。");
        }

        if (secret.AsSpan().IndexOfAnyExcept(secret[0]) < 0 || (secret.Length < 12 && secret.All(char.IsDigit)))
        {
            throw Errors.InvalidField(SecretField, "TOO_WEAK", "The signing secret is too easy to guess: avoid one repeated character, and use at least 12 digits if it is digits only.", "签署密码过于简单：不能全为同一字符，纯数字须至少 12 位。");
        }
    }
}

/// <summary>
/// The platform's timestamp authority: its own ECDSA P-256 key. A token is its IEEE P1363 signature over
/// ("b2btrade-timestamp/v1", document SHA-256, SHA-256 of the signer's signature, time in unix milliseconds).
/// </summary>
public sealed class TimestampAuthority : IDisposable
{
    private const string TokenHeader = "b2btrade-timestamp/v1\n";
    private readonly ECDsa _key;

    private TimestampAuthority(ECDsa key)
    {
        _key = key;
        PublicKey = key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>SubjectPublicKeyInfo DER.</summary>
    public byte[] PublicKey { get; }

    public static TimestampAuthority Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static TimestampAuthority FromPkcs8(byte[] privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(privateKey, out _);
            if (key.KeySize != 256)
            {
                throw new ArgumentException("The timestamp authority key must be ECDSA P-256.", nameof(privateKey));
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return new TimestampAuthority(key);
    }

    /// <summary>The private key as unencrypted PKCS#8, for the platform's own storage.</summary>
    public byte[] ExportPkcs8() => _key.ExportPkcs8PrivateKey();

    public byte[] Issue(string documentSha256, byte[] signature, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(documentSha256);
        ArgumentNullException.ThrowIfNull(signature);
        return _key.SignData(Statement(documentSha256, signature, at), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>True when the token is the authority's signature over exactly these values; never throws on malformed input.</summary>
    public static bool Verify(byte[] authorityPublicKey, byte[] token, string documentSha256, byte[] signature, DateTimeOffset at)
    {
        if (authorityPublicKey is null || token is null || documentSha256 is null || signature is null)
        {
            return false;
        }

        return SignatureMath.VerifyP256(authorityPublicKey, Statement(documentSha256, signature, at), token);
    }

    public void Dispose() => _key.Dispose();

    private static byte[] Statement(string documentSha256, byte[] signature, DateTimeOffset at)
    {
        var writer = new FieldWriter(TokenHeader);
        writer.Text(documentSha256);
        writer.Bytes(SHA256.HashData(signature));
        writer.UnixMilliseconds(at);
        return writer.ToArray();
    }
}

/// <summary>The check of one signature (see the proto's SignatureCheck).</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.signature-check")]
public sealed record SignatureCheck(
    [property: Id(0)] SignatureRecord Signature, [property: Id(1)] bool SignatureValid, [property: Id(2)] bool TimestampValid, [property: Id(3)] bool KeyBelongsToSigner);

/// <summary>The outcome of verifying a contract document and its signatures; tampering is reported here, never thrown.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contract-verification")]
public sealed record ContractVerification(
    [property: Id(0)] bool Valid,
    [property: Id(1)] string DocumentSha256,
    [property: Id(2)] string ExpectedSha256,
    [property: Id(3)] bool DocumentTampered,
    [property: Id(4)] IReadOnlyList<SignatureCheck> Signatures,
    [property: Id(5)] bool FullySigned,
    [property: Id(6)] IReadOnlyList<string> FindingsZh,
    [property: Id(7)] IReadOnlyList<string> FindingsEn);

public static class ContractVerifier
{
    /// <summary>
    /// Recomputes everything: the document hash against <paramref name="expectedSha256"/>; per signature the statement
    /// (rebuilt from the record and <paramref name="contractId"/>) under the record's public key, the signed hash against
    /// both the expected and the recomputed hash, the timestamp token under <paramref name="authorityPublicKey"/>, and
    /// that <paramref name="enrolledKey"/> holds the same key for the same signer and enterprise. Findings list one line
    /// per problem and are empty exactly when the contract is valid. With <paramref name="parties"/>, a signature must also
    /// be by the enterprise that is party on its side.
    /// </summary>
    public static ContractVerification Verify(string contractId, string expectedSha256, ReadOnlySpan<byte> document,
        IReadOnlyList<SignatureRecord> signatures, byte[] authorityPublicKey, Func<string, SealedSigningKey?> enrolledKey,
        (string BuyerEnterpriseId, string SellerEnterpriseId)? parties = null)
    {
        ArgumentNullException.ThrowIfNull(contractId);
        ArgumentNullException.ThrowIfNull(expectedSha256);
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(enrolledKey);

        var actual = ElectronicSignature.Sha256Hex(document);
        var tampered = !HashEquals(actual, expectedSha256);
        var zh = new List<string>();
        var en = new List<string>();
        if (tampered)
        {
            zh.Add("文件内容已被修改（哈希不符）");
            en.Add("The document has been changed (hash mismatch).");
        }

        if (signatures.Count == 0)
        {
            zh.Add("合同尚无签名");
            en.Add("The contract has no signatures.");
        }

        var checks = new List<SignatureCheck>(signatures.Count);
        foreach (var record in signatures)
        {
            var check = Check(contractId, expectedSha256, actual, record, authorityPublicKey, enrolledKey, out var coversOtherDocument);
            checks.Add(check);
            var (sideZh, sideEn) = record.BuyerSide ? ("买方", "buyer") : ("卖方", "seller");
            if (!check.SignatureValid)
            {
                if (coversOtherDocument)
                {
                    zh.Add($"{sideZh}签名针对的不是此文件");
                    en.Add($"The {sideEn}'s signature was made over a different document.");
                }
                else
                {
                    zh.Add($"{sideZh}签名无效");
                    en.Add($"The {sideEn}'s signature is invalid.");
                }
            }

            if (!check.TimestampValid)
            {
                zh.Add($"{sideZh}签名的时间戳无效");
                en.Add($"The {sideEn}'s signature timestamp is invalid.");
            }

            if (!check.KeyBelongsToSigner)
            {
                zh.Add($"{sideZh}签名所用密钥不属于签署人");
                en.Add($"The {sideEn}'s signing key was not enrolled by the signer for that enterprise.");
            }
        }

        var strangers = parties is { } p
            ? checks.Where(c => c.Signature.EnterpriseId != (c.Signature.BuyerSide ? p.BuyerEnterpriseId : p.SellerEnterpriseId)).ToList()
            : [];
        if (strangers.Count > 0)
        {
            zh.Add("签名方与合同当事人不符");
            en.Add("A signature is by an enterprise that is not the party it claims to sign for.");
        }

        bool Sound(SignatureCheck c) => c.SignatureValid && c.TimestampValid && c.KeyBelongsToSigner && !strangers.Contains(c);

        // Both sides must be different enterprises: a party cannot complete a contract by signing as its own counterparty.
        var fullySigned = checks.Any(b => b.Signature.BuyerSide && Sound(b)
            && checks.Any(s => !s.Signature.BuyerSide && Sound(s) && s.Signature.EnterpriseId != b.Signature.EnterpriseId));
        var valid = !tampered && checks.Count > 0 && checks.All(Sound);
        return new ContractVerification(valid, actual, expectedSha256, tampered, checks, fullySigned, zh, en);
    }

    private static SignatureCheck Check(string contractId, string expectedSha256, string actualSha256, SignatureRecord record,
        byte[] authorityPublicKey, Func<string, SealedSigningKey?> enrolledKey, out bool coversOtherDocument)
    {
        // A record read back from damaged storage may lack fields; it is reported invalid, not thrown.
        if (record.EnterpriseId is null || record.SignerUserId is null || record.KeyId is null
            || record.DocumentSha256 is null || record.PublicKey is null || record.Signature is null)
        {
            coversOtherDocument = false;
            return new SignatureCheck(record, false, false, false);
        }

        byte[]? statement;
        try
        {
            statement = ElectronicSignature.Statement(contractId, record.EnterpriseId, record.BuyerSide, record.SignerUserId, record.KeyId, record.DocumentSha256, record.SignedAt);
        }
        catch (EncoderFallbackException)
        {
            statement = null; // text that is not valid Unicode was never signed
        }

        var cryptoValid = statement is not null
            && record.KeyId == ElectronicSignature.KeyIdOf(record.PublicKey)
            && SignatureMath.VerifyP256(record.PublicKey, statement, record.Signature);
        coversOtherDocument = cryptoValid && !(HashEquals(record.DocumentSha256, expectedSha256) && HashEquals(record.DocumentSha256, actualSha256));
        var signatureValid = cryptoValid && !coversOtherDocument;

        var timestampValid = record.TimestampToken is not null
            && TimestampAuthority.Verify(authorityPublicKey, record.TimestampToken, record.DocumentSha256, record.Signature, record.SignedAt);

        var enrolled = enrolledKey(record.KeyId);
        var keyBelongs = enrolled is not null
            && enrolled.KeyId == record.KeyId
            && enrolled.OwnerUserId == record.SignerUserId
            && enrolled.EnterpriseId == record.EnterpriseId
            && enrolled.PublicKey.AsSpan().SequenceEqual(record.PublicKey);
        return new SignatureCheck(record, signatureValid, timestampValid, keyBelongs);
    }

    // Hex case carries no content; anything that is not a SHA-256 hex string never matches.
    private static bool HashEquals(string a, string b) =>
        ElectronicSignature.IsSha256Hex(a) && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

internal static class SignatureMath
{
    /// <summary>Verifies an IEEE P1363 ECDSA P-256/SHA-256 signature; false (never an exception) for a malformed or non-P-256 key.</summary>
    public static bool VerifyP256(byte[] subjectPublicKeyInfo, byte[] data, byte[] signature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out var read);
            return read == subjectPublicKeyInfo.Length
                && key.KeySize == 256
                && key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>Versioned header, then each field as a 4-byte big-endian length and its bytes.</summary>
internal sealed class FieldWriter
{
    // Strict UTF-8: a lone surrogate would otherwise become U+FFFD and two different strings would share bytes.
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly MemoryStream _buffer = new();

    public FieldWriter(string header)
    {
        _buffer.Write(s_utf8.GetBytes(header));
    }

    public void Text(string value) => Bytes(s_utf8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))));

    public void UnixMilliseconds(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, at.ToUnixTimeMilliseconds());
        Bytes(bytes);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        _buffer.Write(length);
        _buffer.Write(value);
    }

    public byte[] ToArray() => _buffer.ToArray();
}
