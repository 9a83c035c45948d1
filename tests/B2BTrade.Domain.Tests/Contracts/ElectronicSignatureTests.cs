using System.Security.Cryptography;
using System.Text;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Contracts;

namespace B2BTrade.Domain.Tests.Contracts;

public sealed class ElectronicSignatureTests : IDisposable
{
    // Keys sealed with few PBKDF2 iterations keep the suite fast; one test below checks the production count.
    private const int FastIterations = 1_000;
    private const string ContractId = "ctr_0123456789abcdefghjkm";
    private const string BuyerSecret = "buyer-secret-1";
    private const string SellerSecret = "seller#secret2";

    private static readonly DateTimeOffset s_now = new(2026, 12, 6, 10, 0, 0, 123, TimeSpan.FromHours(8));
    private static readonly byte[] s_document = MakeDocument();
    private static readonly string s_documentSha256 = ElectronicSignature.Sha256Hex(s_document);

    private readonly TimestampAuthority _authority = TimestampAuthority.Create();
    private readonly SealedSigningKey _buyerKey = Enroll("usr_buyer", "ent_buyer", BuyerSecret);
    private readonly SealedSigningKey _sellerKey = Enroll("usr_seller", "ent_seller", SellerSecret);

    public void Dispose() => _authority.Dispose();

    [Fact]
    public void EnrolledKeysSignAndTheContractVerifies()
    {
        var buyer = SignAsBuyer();
        var seller = SignAsSeller();

        var result = Verify(s_document, buyer, seller);

        Assert.True(result.Valid);
        Assert.True(result.FullySigned);
        Assert.False(result.DocumentTampered);
        Assert.Equal(s_documentSha256, result.DocumentSha256);
        Assert.Empty(result.FindingsZh);
        Assert.Empty(result.FindingsEn);
        Assert.All(result.Signatures, check => Assert.True(check.SignatureValid && check.TimestampValid && check.KeyBelongsToSigner));

        Assert.Equal("ent_buyer", buyer.EnterpriseId);
        Assert.True(buyer.BuyerSide);
        Assert.Equal("usr_buyer", buyer.SignerUserId);
        Assert.Equal("张三", buyer.SignerName);
        Assert.Equal(_buyerKey.KeyId, buyer.KeyId);
        Assert.Equal(_buyerKey.PublicKey, buyer.PublicKey);
        Assert.Equal(s_documentSha256, buyer.DocumentSha256);
        Assert.Equal(64, buyer.Signature.Length);
        Assert.Equal(64, buyer.TimestampToken.Length);
        Assert.False(seller.BuyerSide);
        Assert.Equal("ent_seller", seller.EnterpriseId);
    }

    [Fact]
    public void SignedAtIsTheSigningInstantTruncatedToMilliseconds()
    {
        var record = ElectronicSignature.Sign(_buyerKey, BuyerSecret, ContractId, true, "张三", s_documentSha256, s_now.AddTicks(9_999), _authority);

        Assert.Equal(s_now, record.SignedAt);
        Assert.Equal(s_now.ToUnixTimeMilliseconds(), record.SignedAt.ToUnixTimeMilliseconds());
        Assert.True(Verify(s_document, record).Valid);
    }

    [Fact]
    public void KeyIdIsTheFirst26HexCharactersOfThePublicKeyHash()
    {
        var expected = "key_" + Convert.ToHexStringLower(SHA256.HashData(_buyerKey.PublicKey))[..26];

        Assert.Equal(expected, _buyerKey.KeyId);
        Assert.Equal(30, _buyerKey.KeyId.Length);
        Assert.True(Ids.IsWellFormed(_buyerKey.KeyId, "key"));
        Assert.Equal("usr_buyer", _buyerKey.OwnerUserId);
        Assert.Equal("ent_buyer", _buyerKey.EnterpriseId);
        Assert.Equal(s_now, _buyerKey.CreatedAt);
        using var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(_buyerKey.PublicKey, out var read);
        Assert.Equal(_buyerKey.PublicKey.Length, read);
        Assert.Equal(256, publicKey.KeySize);
    }

    [Fact]
    public void Sha256HexIsLowercaseHexOfTheBytes()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ElectronicSignature.Sha256Hex([]));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ElectronicSignature.Sha256Hex("abc"u8));
    }

    [Fact]
    public void StatementIsAVersionedLengthPrefixedEncoding()
    {
        var statement = ElectronicSignature.Statement("c", "e", true, "u", "k", "h", DateTimeOffset.FromUnixTimeMilliseconds(258));

        byte[] expected =
        [
            .. "b2btrade-contract-signature/v1\n"u8,
            0, 0, 0, 1, (byte)'c',
            0, 0, 0, 1, (byte)'e',
            0, 0, 0, 1, 1,
            0, 0, 0, 1, (byte)'u',
            0, 0, 0, 1, (byte)'k',
            0, 0, 0, 1, (byte)'h',
            0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2,
        ];
        Assert.Equal(expected, statement);
    }

    [Fact]
    public void ChangingAnyStatementFieldChangesTheBytes()
    {
        var at = s_now;
        var baseline = ElectronicSignature.Statement("ctr_1", "ent_1", true, "usr_1", "key_1", s_documentSha256, at);
        byte[][] variants =
        [
            ElectronicSignature.Statement("ctr_2", "ent_1", true, "usr_1", "key_1", s_documentSha256, at),
            ElectronicSignature.Statement("ctr_1", "ent_2", true, "usr_1", "key_1", s_documentSha256, at),
            ElectronicSignature.Statement("ctr_1", "ent_1", false, "usr_1", "key_1", s_documentSha256, at),
            ElectronicSignature.Statement("ctr_1", "ent_1", true, "usr_2", "key_1", s_documentSha256, at),
            ElectronicSignature.Statement("ctr_1", "ent_1", true, "usr_1", "key_2", s_documentSha256, at),
            ElectronicSignature.Statement("ctr_1", "ent_1", true, "usr_1", "key_1", ElectronicSignature.Sha256Hex("x"u8), at),
            ElectronicSignature.Statement("ctr_1", "ent_1", true, "usr_1", "key_1", s_documentSha256, at.AddMilliseconds(1)),
            // Moving a character between neighbouring fields must not give the same bytes.
            ElectronicSignature.Statement("ctr_1e", "nt_1", true, "usr_1", "key_1", s_documentSha256, at),
        ];

        Assert.All(variants, variant => Assert.NotEqual(baseline, variant));
        Assert.Equal(variants.Length, variants.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void WrongSecretIsRefusedAndNothingIsSigned()
    {
        SignatureRecord? record = null;

        var error = Assert.Throws<DomainException>(() =>
            record = ElectronicSignature.Sign(_buyerKey, "buyer-secret-2", ContractId, true, "张三", s_documentSha256, s_now, _authority));

        Assert.Null(record);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Equal("WRONG_SIGNING_SECRET", error.Reason);
        Assert.Equal("签署密码错误。", error.MessageZh);
        // Another signatory's secret does not open the key either.
        Assert.Equal("WRONG_SIGNING_SECRET", Assert.Throws<DomainException>(() =>
            ElectronicSignature.Sign(_buyerKey, SellerSecret, ContractId, true, "张三", s_documentSha256, s_now, _authority)).Reason);
    }

    [Fact]
    public void SigningWithoutASecretNamesTheField()
    {
        var error = Assert.Throws<DomainException>(() =>
            ElectronicSignature.Sign(_buyerKey, "", ContractId, true, "张三", s_documentSha256, s_now, _authority));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        var violation = Assert.Single(error.Violations);
        Assert.Equal(("signing_secret", "REQUIRED"), (violation.Field, violation.Reason));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-hex")]
    [InlineData("zzb0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    public void SigningRejectsAMalformedDocumentHash(string documentSha256)
    {
        var error = Assert.Throws<DomainException>(() =>
            ElectronicSignature.Sign(_buyerKey, BuyerSecret, ContractId, true, "张三", documentSha256, s_now, _authority));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(("document_sha256", "INVALID_FORMAT"), (violation.Field, violation.Reason));
    }

    [Fact]
    public void UppercaseDocumentHashIsSignedInLowercase()
    {
        var record = ElectronicSignature.Sign(_buyerKey, BuyerSecret, ContractId, true, "张三", s_documentSha256.ToUpperInvariant(), s_now, _authority);

        Assert.Equal(s_documentSha256, record.DocumentSha256);
        Assert.True(Verify(s_document, record).Valid);
    }

    [Theory]
    [InlineData("", "REQUIRED")]
    [InlineData("Ab1#xyz", "TOO_SHORT")]
    [InlineData("aaaaaaaaaaaa", "TOO_WEAK")]
    [InlineData("########", "TOO_WEAK")]
    [InlineData("12345678", "TOO_WEAK")]
    [InlineData("12345678901", "TOO_WEAK")]
    [InlineData("１２３４５６７８", "TOO_WEAK")]
    public void EnrolmentRejectsAWeakSecret(string secret, string reason)
    {
        var error = Assert.Throws<DomainException>(() => ElectronicSignature.Enroll("usr_1", "ent_1", secret, s_now, FastIterations));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        var violation = Assert.Single(error.Violations);
        Assert.Equal(("signing_secret", reason), (violation.Field, violation.Reason));
    }

    [Fact]
    public void EnrolmentRejectsASecretOver128Characters()
    {
        var error = Assert.Throws<DomainException>(() => ElectronicSignature.Enroll("usr_1", "ent_1", new string('a', 64) + new string('b', 65), s_now, FastIterations));

        Assert.Equal(("signing_secret", "TOO_LONG"), (error.Violations[0].Field, error.Violations[0].Reason));
    }

    [Theory]
    [InlineData("Ab1#xyzw")]
    [InlineData("123456789012")]
    [InlineData("aaaaaaab")]
    [InlineData("签署密码不告诉别人")]
    public void EnrolmentAcceptsSecretsAtTheLimits(string secret)
    {
        var key = ElectronicSignature.Enroll("usr_1", "ent_1", secret, s_now, FastIterations);

        var record = ElectronicSignature.Sign(key, secret, ContractId, true, "李四", s_documentSha256, s_now, _authority);
        Assert.True(Verify(s_document, [record], id => id == key.KeyId ? key : null).Valid);
    }

    [Fact]
    public void EnrolmentAccepts128CharacterSecret()
    {
        var secret = string.Concat(Enumerable.Repeat("Ab1#", 32));

        Assert.Equal(ElectronicSignature.MaxSecretLength, secret.Length);
        Assert.StartsWith("key_", ElectronicSignature.Enroll("usr_1", "ent_1", secret, s_now, FastIterations).KeyId, StringComparison.Ordinal);
    }

    [Fact]
    public void SealedPrivateKeyHoldsNoRawKeyAndOpensOnlyWithTheSecret()
    {
        using var opened = ECDsa.Create();
        opened.ImportEncryptedPkcs8PrivateKey(BuyerSecret.AsSpan(), _buyerKey.EncryptedPrivateKey, out _);
        var scalar = opened.ExportParameters(includePrivateParameters: true).D!;
        var plainPkcs8 = opened.ExportPkcs8PrivateKey();

        Assert.Equal(_buyerKey.PublicKey, opened.ExportSubjectPublicKeyInfo());
        Assert.Equal(32, scalar.Length);
        Assert.Equal(-1, _buyerKey.EncryptedPrivateKey.AsSpan().IndexOf(scalar));
        Assert.Equal(-1, _buyerKey.EncryptedPrivateKey.AsSpan().IndexOf(plainPkcs8.AsSpan(plainPkcs8.Length - 32)));

        using var attacker = ECDsa.Create();
        Assert.ThrowsAny<CryptographicException>(() => attacker.ImportPkcs8PrivateKey(_buyerKey.EncryptedPrivateKey, out _));
        Assert.ThrowsAny<CryptographicException>(() => attacker.ImportEncryptedPkcs8PrivateKey("".AsSpan(), _buyerKey.EncryptedPrivateKey, out _));
        Assert.ThrowsAny<CryptographicException>(() => attacker.ImportEncryptedPkcs8PrivateKey(SellerSecret.AsSpan(), _buyerKey.EncryptedPrivateKey, out _));
    }

    [Fact]
    public void ProductionEnrolmentSealsWithAes256AndPbkdf2Sha256At600000Iterations()
    {
        var key = ElectronicSignature.Enroll("usr_prod", "ent_prod", "production-secret", s_now);

        Assert.Equal(600_000, ElectronicSignature.Pbkdf2Iterations);
        // DER inside EncryptedPrivateKeyInfo: INTEGER 600000, OID aes256-CBC (2.16.840.1.101.3.4.1.42), OID hmacWithSHA256 (1.2.840.113549.2.9).
        Assert.True(key.EncryptedPrivateKey.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x02, 0x03, 0x09, 0x27, 0xC0]) >= 0);
        Assert.True(key.EncryptedPrivateKey.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]) >= 0);
        Assert.True(key.EncryptedPrivateKey.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09]) >= 0);
        var record = ElectronicSignature.Sign(key, "production-secret", ContractId, false, "王五", s_documentSha256, s_now, _authority);
        Assert.True(Verify(s_document, [record], id => id == key.KeyId ? key : null).Valid);
    }

    [Fact]
    public void EverySignatoryGetsTheirOwnKey()
    {
        SealedSigningKey[] keys =
        [
            _buyerKey,
            _sellerKey,
            Enroll("usr_buyer", "ent_other", BuyerSecret),
            Enroll("usr_other", "ent_buyer", BuyerSecret),
            Enroll("usr_buyer", "ent_buyer", BuyerSecret),
        ];

        Assert.Equal(keys.Length, keys.Select(k => Convert.ToHexString(k.PublicKey)).Distinct().Count());
        Assert.Equal(keys.Length, keys.Select(k => k.KeyId).Distinct().Count());
        Assert.Equal(keys.Length, keys.Select(k => Convert.ToHexString(k.EncryptedPrivateKey)).Distinct().Count());
    }

    [Fact]
    public void KeyOfUserACannotBePassedOffAsUserB()
    {
        // Someone holding A's key and secret labels the key as B's and signs: the maths verifies, but B never enrolled it.
        var relabelled = _buyerKey with { OwnerUserId = "usr_b" };
        var record = ElectronicSignature.Sign(relabelled, BuyerSecret, ContractId, true, "B", s_documentSha256, s_now, _authority);

        var check = Assert.Single(Verify(s_document, record).Signatures);

        Assert.True(check.SignatureValid);
        Assert.True(check.TimestampValid);
        Assert.False(check.KeyBelongsToSigner);
        var result = Verify(s_document, record);
        Assert.False(result.Valid);
        Assert.Equal(["买方签名所用密钥不属于签署人"], result.FindingsZh);
    }

    [Fact]
    public void KeyIsNotTheSignersWhenUnknownOrEnrolledForAnotherEnterpriseOrReplacedByOtherBytes()
    {
        var record = SignAsBuyer();
        var otherKey = Enroll("usr_buyer", "ent_buyer", BuyerSecret);

        Assert.False(Verify(s_document, [record], _ => null).Signatures[0].KeyBelongsToSigner);
        Assert.False(Verify(s_document, [record], _ => _buyerKey with { EnterpriseId = "ent_seller" }).Signatures[0].KeyBelongsToSigner);
        Assert.False(Verify(s_document, [record], _ => _buyerKey with { PublicKey = otherKey.PublicKey }).Signatures[0].KeyBelongsToSigner);
        Assert.True(Verify(s_document, [record], _ => _buyerKey).Signatures[0].KeyBelongsToSigner);
    }

    [Fact]
    public void AnyChangeToTheDocumentIsDetected()
    {
        var signatures = new[] { SignAsBuyer(), SignAsSeller() };
        var random = new Random(20261206);
        var tampered = new List<byte[]>();
        for (var i = 0; i < 500; i++)
        {
            var copy = s_document.ToArray();
            copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
            tampered.Add(copy);
        }

        tampered.Add(s_document[..^1]);
        tampered.Add([.. s_document, 0x00]);

        Assert.Equal(20 * 1024, s_document.Length);
        Assert.True(Verify(s_document, signatures).Valid);
        foreach (var document in tampered)
        {
            var result = Verify(document, signatures);
            Assert.True(result.DocumentTampered);
            Assert.False(result.Valid);
            Assert.False(result.FullySigned);
            Assert.NotEqual(s_documentSha256, result.DocumentSha256);
            Assert.Contains("文件内容已被修改（哈希不符）", result.FindingsZh);
        }
    }

    [Fact]
    public void ChangedSignatureBytesFailTheSignatureAndItsTimestamp()
    {
        var record = SignAsBuyer();
        var signature = record.Signature.ToArray();
        signature[17] ^= 0x01;

        var result = Verify(s_document, record with { Signature = signature });

        var check = Assert.Single(result.Signatures);
        Assert.False(check.SignatureValid);
        Assert.False(check.TimestampValid); // the token covers the signature's hash
        Assert.True(check.KeyBelongsToSigner);
        Assert.False(result.Valid);
        Assert.Contains("买方签名无效", result.FindingsZh);
        Assert.Contains("The buyer's signature is invalid.", result.FindingsEn);
    }

    [Fact]
    public void ChangedTimestampTokenFailsTheTimestamp()
    {
        var record = SignAsSeller();
        var token = record.TimestampToken.ToArray();
        token[40] ^= 0x80;

        var result = Verify(s_document, record with { TimestampToken = token });

        var check = Assert.Single(result.Signatures);
        Assert.True(check.SignatureValid);
        Assert.False(check.TimestampValid);
        Assert.False(result.Valid);
        Assert.Equal(["卖方签名的时间戳无效"], result.FindingsZh);
        Assert.Equal(["The seller's signature timestamp is invalid."], result.FindingsEn);
    }

    [Theory]
    [InlineData("SignedAt")]
    [InlineData("SignerUserId")]
    [InlineData("BuyerSide")]
    [InlineData("EnterpriseId")]
    [InlineData("KeyId")]
    [InlineData("PublicKey")]
    [InlineData("ContractId")]
    public void ChangedRecordFieldFailsTheSignature(string field)
    {
        var record = SignAsBuyer();
        var contractId = ContractId;
        var changed = field switch
        {
            "SignedAt" => record with { SignedAt = record.SignedAt.AddMilliseconds(1) },
            "SignerUserId" => record with { SignerUserId = "usr_seller" },
            "BuyerSide" => record with { BuyerSide = false },
            "EnterpriseId" => record with { EnterpriseId = "ent_seller" },
            "KeyId" => record with { KeyId = _sellerKey.KeyId },
            "PublicKey" => record with { PublicKey = _sellerKey.PublicKey },
            _ => record,
        };
        if (field == "ContractId")
        {
            contractId = "ctr_another";
        }

        var result = ContractVerifier.Verify(contractId, s_documentSha256, s_document, [changed], _authority.PublicKey, EnrolledKey);

        Assert.False(result.Signatures[0].SignatureValid);
        Assert.False(result.Valid);
        Assert.Contains(field == "BuyerSide" ? "卖方签名无效" : "买方签名无效", result.FindingsZh);
        // SignedAt is also in the timestamp token; who signed and for whom is checked against the enrolled key.
        Assert.Equal(field != "SignedAt", result.Signatures[0].TimestampValid);
        Assert.Equal(field is "BuyerSide" or "ContractId" or "SignedAt", result.Signatures[0].KeyBelongsToSigner);
    }

    [Fact]
    public void SignatureOverAnotherVersionOfTheDocumentDoesNotCountForThisOne()
    {
        var record = SignAsBuyer();
        var revised = s_document.ToArray();
        revised[0] ^= 0xFF;
        var revisedSha256 = ElectronicSignature.Sha256Hex(revised);

        var result = ContractVerifier.Verify(ContractId, revisedSha256, revised, [record], _authority.PublicKey, EnrolledKey);

        Assert.False(result.DocumentTampered);
        Assert.False(result.Signatures[0].SignatureValid);
        Assert.True(result.Signatures[0].TimestampValid);
        Assert.False(result.Valid);
        Assert.Equal(["买方签名针对的不是此文件"], result.FindingsZh);
    }

    [Fact]
    public void TokenFromAnotherAuthorityFails()
    {
        using var rogue = TimestampAuthority.Create();
        var record = ElectronicSignature.Sign(_buyerKey, BuyerSecret, ContractId, true, "张三", s_documentSha256, s_now, rogue);

        var check = Assert.Single(Verify(s_document, record).Signatures);

        Assert.True(check.SignatureValid);
        Assert.False(check.TimestampValid);
        Assert.True(TimestampAuthority.Verify(rogue.PublicKey, record.TimestampToken, record.DocumentSha256, record.Signature, record.SignedAt));
    }

    [Fact]
    public void TimestampTokenCoversHashSignatureAndTime()
    {
        var signature = RandomNumberGenerator.GetBytes(64);
        var token = _authority.Issue(s_documentSha256, signature, s_now);
        var otherSignature = signature.ToArray();
        otherSignature[0] ^= 1;

        Assert.True(TimestampAuthority.Verify(_authority.PublicKey, token, s_documentSha256, signature, s_now));
        Assert.False(TimestampAuthority.Verify(_authority.PublicKey, token, ElectronicSignature.Sha256Hex("x"u8), signature, s_now));
        Assert.False(TimestampAuthority.Verify(_authority.PublicKey, token, s_documentSha256, otherSignature, s_now));
        Assert.False(TimestampAuthority.Verify(_authority.PublicKey, token, s_documentSha256, signature, s_now.AddMilliseconds(1)));
        Assert.False(TimestampAuthority.Verify([1, 2, 3], token, s_documentSha256, signature, s_now));
        Assert.False(TimestampAuthority.Verify(_authority.PublicKey, [], s_documentSha256, signature, s_now));
    }

    [Fact]
    public void AuthorityKeySurvivesStorage()
    {
        using var restored = TimestampAuthority.FromPkcs8(_authority.ExportPkcs8());
        var signature = RandomNumberGenerator.GetBytes(64);

        Assert.Equal(_authority.PublicKey, restored.PublicKey);
        Assert.True(TimestampAuthority.Verify(_authority.PublicKey, restored.Issue(s_documentSha256, signature, s_now), s_documentSha256, signature, s_now));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => TimestampAuthority.FromPkcs8(p384.ExportPkcs8PrivateKey()));
    }

    [Fact]
    public void FullySignedNeedsAValidSignatureFromEachSide()
    {
        var buyer = SignAsBuyer();
        var seller = SignAsSeller();
        var secondBuyerKey = Enroll("usr_buyer2", "ent_buyer", "another-buyer-9");
        var secondBuyer = ElectronicSignature.Sign(secondBuyerKey, "another-buyer-9", ContractId, true, "赵六", s_documentSha256, s_now, _authority);
        var keys = new[] { _buyerKey, _sellerKey, secondBuyerKey };
        SealedSigningKey? Lookup(string id) => keys.FirstOrDefault(k => k.KeyId == id);
        // The buyer's own signatory signing the seller's side.
        var buyerAsSeller = ElectronicSignature.Sign(secondBuyerKey, "another-buyer-9", ContractId, false, "赵六", s_documentSha256, s_now, _authority);
        var badSeller = seller with { SignedAt = seller.SignedAt.AddSeconds(1) };

        var buyerOnly = Verify(s_document, [buyer], Lookup);
        Assert.True(buyerOnly.Valid);
        Assert.False(buyerOnly.FullySigned);
        Assert.False(Verify(s_document, [seller], Lookup).FullySigned);
        Assert.False(Verify(s_document, [buyer, secondBuyer], Lookup).FullySigned);
        Assert.False(Verify(s_document, [buyer, buyerAsSeller], Lookup).FullySigned);
        Assert.False(Verify(s_document, [buyer, badSeller], Lookup).FullySigned);
        Assert.True(Verify(s_document, [buyer, seller], Lookup).FullySigned);
        Assert.True(Verify(s_document, [seller, secondBuyer, buyer], Lookup).FullySigned);
    }

    [Fact]
    public void ASignatureByAnEnterpriseThatIsNotThePartyOnItsSideIsReported()
    {
        var buyer = SignAsBuyer();
        var seller = SignAsSeller();
        SealedSigningKey? Lookup(string id) => new[] { _buyerKey, _sellerKey }.FirstOrDefault(k => k.KeyId == id);

        var right = ContractVerifier.Verify(ContractId, s_documentSha256, s_document, [buyer, seller], _authority.PublicKey, Lookup, ("ent_buyer", "ent_seller"));
        Assert.True(right.Valid && right.FullySigned);

        // The contract's seller is another enterprise: ent_seller's (cryptographically sound) signature does not count.
        var wrong = ContractVerifier.Verify(ContractId, s_documentSha256, s_document, [buyer, seller], _authority.PublicKey, Lookup, ("ent_buyer", "ent_other"));
        Assert.False(wrong.Valid);
        Assert.False(wrong.FullySigned);
        Assert.Contains("签名方与合同当事人不符", wrong.FindingsZh);
    }

    [Fact]
    public void ContractWithoutSignaturesIsNotValid()
    {
        var result = Verify(s_document);

        Assert.False(result.Valid);
        Assert.False(result.DocumentTampered);
        Assert.False(result.FullySigned);
        Assert.Equal(["合同尚无签名"], result.FindingsZh);
        Assert.Equal(["The contract has no signatures."], result.FindingsEn);
    }

    [Fact]
    public void DamagedPublicKeyIsReportedNotThrown()
    {
        var record = SignAsBuyer();

        var check = Assert.Single(Verify(s_document, record with { PublicKey = [0x30, 0x03, 0x01, 0x02] }).Signatures);

        Assert.False(check.SignatureValid);
        Assert.False(check.KeyBelongsToSigner);
    }

    private static SealedSigningKey Enroll(string user, string enterprise, string secret) =>
        ElectronicSignature.Enroll(user, enterprise, secret, s_now, FastIterations);

    private static byte[] MakeDocument()
    {
        var bytes = new byte[20 * 1024];
        new Random(42).NextBytes(bytes);
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(bytes, 0);
        return bytes;
    }

    private SignatureRecord SignAsBuyer() =>
        ElectronicSignature.Sign(_buyerKey, BuyerSecret, ContractId, true, "张三", s_documentSha256, s_now, _authority);

    private SignatureRecord SignAsSeller() =>
        ElectronicSignature.Sign(_sellerKey, SellerSecret, ContractId, false, "李四", s_documentSha256, s_now.AddMinutes(5), _authority);

    private SealedSigningKey? EnrolledKey(string keyId) =>
        keyId == _buyerKey.KeyId ? _buyerKey : keyId == _sellerKey.KeyId ? _sellerKey : null;

    private ContractVerification Verify(byte[] document, params SignatureRecord[] signatures) =>
        ContractVerifier.Verify(ContractId, s_documentSha256, document, signatures, _authority.PublicKey, EnrolledKey);

    private ContractVerification Verify(byte[] document, SignatureRecord[] signatures, Func<string, SealedSigningKey?> enrolledKey) =>
        ContractVerifier.Verify(ContractId, s_documentSha256, document, signatures, _authority.PublicKey, enrolledKey);
}
