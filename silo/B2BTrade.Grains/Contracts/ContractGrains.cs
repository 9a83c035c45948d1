using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Contracts;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Domain.Orders;
using B2BTrade.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace B2BTrade.Grains.Contracts;

/// <summary>
/// One contract. Generated once from its confirmed order: composed by the domain template, rendered to PDF, the PDF
/// stored and hashed; afterwards only signatures are added. When the second party signs, the order is told (and
/// told again by a reminder until it has heard).
/// </summary>
[GrainType("contract")]
public sealed partial class ContractGrain : Grain, IContractGrain, IRemindable
{
    private const string NotifyReminder = "contract-notify-order";

    private readonly AggregateJournal<ContractState> _journal;
    private readonly IContractRenderer _renderer;
    private readonly IFileStore _files;
    private readonly ILogger<ContractGrain> _logger;

    public ContractGrain(
        [PersistentState("contract", StorageNames.Grains)] IPersistentState<AggregateState<ContractState>> state,
        TimeProvider time,
        IContractRenderer renderer,
        IFileStore files,
        ILogger<ContractGrain> logger)
    {
        _renderer = renderer;
        _files = files;
        _logger = logger;
        _journal = new AggregateJournal<ContractState>(state, "contract", this.GetPrimaryKeyString(), time, AuditView, ReadModelRow);
    }

    private string Id => this.GetPrimaryKeyString();

    public async Task CreateFromOrderAsync(OrderState order)
    {
        if (_journal.Current is not null)
        {
            return;
        }

        if (order.ContractId != Id || order.Status is not (OrderStatus.Confirmed or OrderStatus.ContractEffective))
        {
            throw Errors.PermissionDenied("Contracts are generated from their confirmed order.", "合同只能由已确认的订单生成。");
        }

        var now = _journal.Now;
        var facts = await FactsAsync(order, now);
        var content = ContractTemplate.Compose(facts);
        var pdf = _renderer.RenderPdf(content);
        var sha256 = ElectronicSignature.Sha256Hex(pdf);
        var fileId = Ids.Derived("f", Id, sha256);
        var uploadId = Ids.Derived("up", Id, sha256);
        await _files.WriteChunkAsync(uploadId, 0, pdf);
        await _files.PromoteAsync(uploadId, fileId);
        await _journal.ExecuteAsync("system", current => current is not null
            ? Decision<ContractState, bool>.Unchanged(false)
            : new Decision<ContractState, bool>(new ContractState
            {
                ContractId = Id,
                OrderId = order.OrderId,
                Content = content,
                DocumentSha256 = sha256,
                DocumentSize = pdf.Length,
                DocumentFileId = fileId,
                CreatedAt = now,
            }, "contract.generated", true)
            {
                Events =
                [
                    ToSign(order.BuyerEnterpriseId, facts), ToSign(order.SellerEnterpriseId, facts),
                ],
            });
    }

    public async Task<ContractState> GetAsync(Caller caller)
    {
        var state = Require(_journal.Current);
        await PartyOfAsync(caller, state);
        return state;
    }

    public async Task<ContractDocument> DownloadAsync(Caller caller, bool html)
    {
        var state = Require(_journal.Current);
        await PartyOfAsync(caller, state);
        if (html)
        {
            var bytes = Encoding.UTF8.GetBytes(_renderer.RenderHtml(state.Content));
            return new ContractDocument(bytes, "text/html; charset=utf-8", state.Facts.ContractNumber + ".html", ElectronicSignature.Sha256Hex(bytes));
        }

        var pdf = await ReadDocumentAsync(state);
        return new ContractDocument(pdf, "application/pdf", state.Facts.ContractNumber + ".pdf", ElectronicSignature.Sha256Hex(pdf));
    }

    public async Task<ContractState> SignAsync(Caller caller, string enterpriseId, string signingSecret, string documentSha256)
    {
        var state = Require(_journal.Current);
        var buyerSide = enterpriseId == state.Facts.Buyer.EnterpriseId;
        if (!buyerSide && enterpriseId != state.Facts.Seller.EnterpriseId)
        {
            await PartyOfAsync(caller, state);
            throw Errors.InvalidField("enterprise_id", "NOT_A_PARTY", "The enterprise is not a party to this contract.", "该企业不是合同当事人。");
        }

        var member = await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetMembershipAsync(caller.UserId);
        if (member is null)
        {
            await PartyOfAsync(caller, state);
            throw Errors.PermissionDenied("You are not a member of that party.", "您不是该当事方的成员。");
        }

        if (!member.Roles.Contains(MemberRole.Signatory))
        {
            throw new DomainException(ErrorKind.PermissionDenied, "NOT_A_SIGNATORY", "Only a member with the Signatory role can sign contracts.", "仅授权签约代表可以签署合同。");
        }

        ContractRules.RequireSignable(state, buyerSide, documentSha256, member.SigningLimit);
        var signature = await GrainFactory.GetGrain<ISigningKeyGrain>(SigningKeyGrain.KeyFor(caller.UserId, enterpriseId))
            .SignAsync(Id, buyerSide, caller.DisplayName, signingSecret, state.DocumentSha256);
        var next = await _journal.ExecuteAsync(caller.UserId, current =>
        {
            var s = Require(current);
            ContractRules.RequireSignable(s, buyerSide, documentSha256, member.SigningLimit);
            var signed = ContractRules.AddSignature(s, signature, _journal.Now);
            var other = buyerSide ? s.Facts.Seller : s.Facts.Buyer;
            return new Decision<ContractState, ContractState>(signed, "contract.signed", signed)
            {
                Events = signed.EffectiveAt is null
                    ? [Notice(NotificationKind.ContractToSign, other.EnterpriseId, [MemberRole.Signatory, MemberRole.Admin], caller.UserId,
                        $"对方已签署合同 {s.Facts.ContractNumber}", $"The other party signed contract {s.Facts.ContractNumber}",
                        $"{(buyerSide ? s.Facts.Buyer.LegalName : s.Facts.Seller.LegalName)} 已签署，等待贵方签署。", "Waiting for your signature.")]
                    : [],
            };
        });
        if (next.EffectiveAt is not null)
        {
            await NotifyOrderAsync();
        }

        return next;
    }

    public async Task<ContractVerification> VerifyAsync(Caller caller, byte[]? document)
    {
        var state = Require(_journal.Current);
        await PartyOfAsync(caller, state);
        var bytes = document is { Length: > 0 } ? document : await ReadDocumentAsync(state);
        var authorityKey = await GrainFactory.GetGrain<ITimestampAuthorityGrain>(TimestampAuthorityGrain.PlatformKey).GetPublicKeyAsync();
        var keys = new Dictionary<string, SealedSigningKey?>(StringComparer.Ordinal);
        foreach (var signature in state.Signatures)
        {
            keys[signature.KeyId] = await GrainFactory.GetGrain<ISigningKeyGrain>(SigningKeyGrain.KeyFor(signature.SignerUserId, signature.EnterpriseId)).FindAsync(signature.KeyId);
        }

        return ContractVerifier.Verify(Id, state.DocumentSha256, bytes, state.Signatures, authorityKey, id => keys.GetValueOrDefault(id),
            (state.Facts.Buyer.EnterpriseId, state.Facts.Seller.EnterpriseId));
    }

    public Task RepublishAsync() => _journal.RepublishAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == NotifyReminder)
        {
            await NotifyOrderAsync();
        }
    }

    private async Task NotifyOrderAsync()
    {
        var state = Require(_journal.Current);
        if (state.EffectiveAt is null || state.OrderNotified)
        {
            await this.UnregisterReminderIfAnyAsync(NotifyReminder);

            return;
        }

        try
        {
            await GrainFactory.GetGrain<IOrderGrain>(state.OrderId).ContractEffectiveAsync(Id);
        }
        catch (Exception e)
        {
            LogOrderNotifyFailed(e, Id);
            await this.RegisterOrUpdateReminder(NotifyReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
            return;
        }

        await _journal.ExecuteAsync("system", current =>
        {
            var s = Require(current);
            return s.OrderNotified ? Decision<ContractState, bool>.Unchanged(false) : new Decision<ContractState, bool>(s with { OrderNotified = true }, "contract.order-notified", true);
        });
        await this.UnregisterReminderIfAnyAsync(NotifyReminder);
    }

    private async Task<byte[]> ReadDocumentAsync(ContractState state)
    {
        await using var stream = await _files.OpenFileAsync(state.DocumentFileId);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Any member of either party may read and verify the contract; anyone else learns nothing.</summary>
    private async Task PartyOfAsync(Caller caller, ContractState state)
    {
        foreach (var enterpriseId in new[] { state.Facts.Buyer.EnterpriseId, state.Facts.Seller.EnterpriseId })
        {
            if ((await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetRolesAsync(caller.UserId)).Length > 0)
            {
                return;
            }
        }

        throw ContractNotFound();
    }

    private async Task<ContractFacts> FactsAsync(OrderState order, DateTimeOffset now)
    {
        var price = order.Price;
        var d = order.Details;
        return new ContractFacts
        {
            ContractNumber = ContractRules.Number(Id, TermsRules.ChinaToday(now)),
            OrderId = order.OrderId,
            Buyer = await PartyAsync(order.BuyerEnterpriseId),
            Seller = await PartyAsync(order.SellerEnterpriseId),
            Goods = [.. price.Lines.Select((l, i) => new ContractGoodsLine(i + 1, l.ProductName, string.Join("；", l.Attributes.Select(a => $"{a.Key}：{a.Value}")), l.Quantity, l.UnitPrice, l.Amount, l.VatRatePercent))],
            Fees = [.. price.Items.Where(i => i.Kind != PriceItemKind.Goods).Select(i => new ContractFee(i.LabelZh, i.Amount))],
            TotalAmount = price.Total,
            TotalInWords = price.TotalInWords,
            TaxAmount = price.TaxAmount,
            Payment = price.Payment,
            DepositAmount = price.DepositAmount,
            DeliveryDate = d.DeliveryDate,
            DeliveryPlace = $"{d.Address.OneLine}（收货人 {d.Address.ContactName} {d.Address.ContactPhone}）",
            Transport = d.Transport,
            SellerBearsFreight = price.FreightBearer == FreightBearer.Seller,
            QualityStandard = order.QualityStandard,
            WeightBasis = order.WeightBasis,
            InvoiceTitle = d.Invoice.Title,
            InvoiceTaxNumber = d.Invoice.TaxNumber,
            InvoiceBank = d.Invoice.BankName,
            InvoiceBankAccount = d.Invoice.BankAccount,
            InvoiceAddressPhone = $"{d.Invoice.Address} {d.Invoice.Phone}",
            ContractDate = TermsRules.ChinaToday(now),
            Remarks = d.Remarks,
        };
    }

    private async Task<ContractParty> PartyAsync(string enterpriseId)
    {
        var profile = await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetProfileAsync()
            ?? throw Errors.Precondition("ENTERPRISE_NOT_FOUND", "A party of the order no longer exists.", "订单当事方不存在。");
        var account = profile.BankAccounts.FirstOrDefault();
        return new ContractParty(enterpriseId, profile.LegalName, profile.UnifiedSocialCreditCode, profile.LegalRepresentative, profile.RegisteredAddress,
            profile.ContactName, profile.ContactPhone, account is null ? "" : (account.BankName + " " + account.BranchName).Trim(), account?.AccountName ?? "", account?.AccountNumber ?? "");
    }

    private (string Kind, object Payload) ToSign(string enterpriseId, ContractFacts facts) =>
        Notice(NotificationKind.ContractToSign, enterpriseId, [MemberRole.Signatory, MemberRole.Admin], null,
            $"待签署合同 {facts.ContractNumber}", $"Contract {facts.ContractNumber} to sign",
            $"{facts.Buyer.LegalName} 与 {facts.Seller.LegalName}，金额 ¥{Cny.Format(facts.TotalAmount)}", $"{facts.Buyer.LegalName} / {facts.Seller.LegalName}, ¥{Cny.Format(facts.TotalAmount)}");

    private (string Kind, object Payload) Notice(NotificationKind kind, string enterpriseId, MemberRole[] roles, string? exclude, string titleZh, string titleEn, string bodyZh, string bodyEn) =>
        (InboxNotice.EventKind, new InboxNotice(kind, Id, titleZh, titleEn, bodyZh, bodyEn, [new InboxRecipients(enterpriseId, [.. roles.Select(r => (int)r)])], exclude));

    private static ContractState Require(ContractState? state) => state ?? throw ContractNotFound();

    private static DomainException ContractNotFound() => Errors.NotFound("Contract", "合同");

    private static object AuditView(ContractState s) => new
    {
        s.DocumentSha256,
        s.Status,
        Signatures = s.Signatures.Select(x => new { x.EnterpriseId, x.SignerUserId, x.KeyId, x.SignedAt, x.DocumentSha256 }),
        s.EffectiveAt,
        s.OrderNotified,
    };

    private static object ReadModelRow(ContractState s) => new
    {
        contractId = s.ContractId,
        contractNumber = s.Facts.ContractNumber,
        orderId = s.OrderId,
        status = (int)s.Status,
        buyerEnterpriseId = s.Facts.Buyer.EnterpriseId,
        buyerName = s.Facts.Buyer.LegalName,
        sellerEnterpriseId = s.Facts.Seller.EnterpriseId,
        sellerName = s.Facts.Seller.LegalName,
        totalAmount = Cny.Format(s.Facts.TotalAmount),
        createdAt = s.CreatedAt,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the order of contract {ContractId} that it took effect failed; the reminder retries")]
    private partial void LogOrderNotifyFailed(Exception exception, string contractId);
}

/// <summary>
/// One signatory's signing key for one enterprise. The private key exists here only sealed under the signatory's
/// secret; it is unsealed in memory for one signature at a time. Wrong secrets are counted: five in a row lock
/// signing for 15 minutes, so a stolen session cannot guess the secret.
/// </summary>
[GrainType("signing-key")]
public sealed class SigningKeyGrain(
    [PersistentState("signing-key", StorageNames.Grains)] IPersistentState<SigningKeyGrain.KeyRing> store,
    TimeProvider time) : Grain, ISigningKeyGrain
{
    private const int MaxFailures = 5;
    private static readonly TimeSpan s_lockout = TimeSpan.FromMinutes(15);

    public static string KeyFor(string userId, string enterpriseId) => Ids.Derived("sk", userId, enterpriseId);

    public async Task<SigningKeyInfo> EnrollAsync(Caller caller, string enterpriseId, string signingSecret, string? currentSigningSecret = null, bool accountReverified = false)
    {
        if (this.GetPrimaryKeyString() != KeyFor(caller.UserId, enterpriseId))
        {
            throw Errors.PermissionDenied("A signing key belongs to its signatory.", "签名密钥只属于签约代表本人。");
        }

        var member = Ids.IsWellFormed(enterpriseId, "ent") ? await GrainFactory.GetGrain<IEnterpriseGrain>(enterpriseId).GetMembershipAsync(caller.UserId) : null;
        if (member is null || !member.Roles.Contains(MemberRole.Signatory))
        {
            throw new DomainException(ErrorKind.PermissionDenied, "NOT_A_SIGNATORY", "Only a member with the Signatory role can hold a signing key.", "仅授权签约代表可以设置签名密钥。");
        }

        var ring = store.State;
        if (ring.Current is { } current && !accountReverified)
        {
            await RequireCurrentSecretAsync(current, currentSigningSecret);
            ring = store.State;
        }

        var key = ElectronicSignature.Enroll(caller.UserId, enterpriseId, signingSecret, time.GetUtcNow());
        store.State = new KeyRing { Current = key, Retired = ring.Current is null ? ring.Retired : ring.Retired.Add(ring.Current), Failures = 0, LockedUntil = null };
        await store.WriteStateAsync();
        return Info(key);
    }

    /// <summary>
    /// Replacing a key with only a session would let a stolen session sign: the current secret must open the current key.
    /// Wrong secrets count towards the same lock-out as signing, and a locked key cannot be replaced this way.
    /// </summary>
    private async Task RequireCurrentSecretAsync(SealedSigningKey current, string? currentSigningSecret)
    {
        const string field = "current_signing_secret";
        if (string.IsNullOrEmpty(currentSigningSecret))
        {
            throw Errors.InvalidField(field, "REQUIRED",
                "You already have a signing key: enter its signing secret to replace it, or a verification code sent to your phone or email if you forgot it.",
                "您已设置签名密钥：更换时请输入原签署密码；如已忘记，请使用发送到您手机或邮箱的验证码。");
        }

        var now = time.GetUtcNow();
        ThrowIfLocked(now);
        if (!ElectronicSignature.Opens(current, currentSigningSecret))
        {
            await CountWrongSecretAsync(now);
            throw new DomainException(ErrorKind.PermissionDenied, "WRONG_SIGNING_SECRET", "The current signing secret is wrong.", "原签署密码错误。",
                [new FieldViolation(field, "WRONG_SIGNING_SECRET", "The current signing secret is wrong.", "原签署密码错误。")]);
        }
    }

    public Task<SigningKeyInfo?> GetCurrentAsync() => Task.FromResult(store.State.Current is { } key ? Info(key) : null);

    public async Task<SignatureRecord> SignAsync(string contractId, bool buyerSide, string signerName, string signingSecret, string documentSha256)
    {
        var ring = store.State;
        var key = ring.Current ?? throw Errors.Precondition("NO_SIGNING_KEY", "Set up your signing key (EnrollSigningKey) before signing.", "请先设置签名密钥后再签署。");
        var now = time.GetUtcNow();
        ThrowIfLocked(now);
        SignatureRecord signature;
        try
        {
            // The real token comes from the platform authority below; this throwaway one only satisfies the domain call.
            using var local = TimestampAuthority.Create();
            signature = ElectronicSignature.Sign(key, signingSecret, contractId, buyerSide, signerName, documentSha256, now, local);
        }
        catch (DomainException e) when (e.Reason == "WRONG_SIGNING_SECRET")
        {
            await CountWrongSecretAsync(now);
            throw;
        }

        var token = await GrainFactory.GetGrain<ITimestampAuthorityGrain>(TimestampAuthorityGrain.PlatformKey).IssueAsync(signature.DocumentSha256, signature.Signature, signature.SignedAt);
        if (ring.Failures > 0)
        {
            store.State = ring with { Failures = 0, LockedUntil = null };
            await store.WriteStateAsync();
        }

        return signature with { TimestampToken = token };
    }

    private void ThrowIfLocked(DateTimeOffset now)
    {
        if (store.State.LockedUntil is { } until && now < until)
        {
            throw Errors.Exhausted("SIGNING_LOCKED", "Too many wrong signing secrets; try again later.", "签署密码错误次数过多，请稍后再试。", until - now);
        }
    }

    /// <summary>One more wrong secret, whether given to sign or to replace the key; the fifth in a row locks the key.</summary>
    private Task CountWrongSecretAsync(DateTimeOffset now)
    {
        var failures = store.State.Failures + 1;
        store.State = store.State with { Failures = failures, LockedUntil = failures >= MaxFailures ? now + s_lockout : null };
        return store.WriteStateAsync();
    }

    public Task<SealedSigningKey?> FindAsync(string keyId) =>
        Task.FromResult(store.State.Current is { } current && current.KeyId == keyId ? current : store.State.Retired.FirstOrDefault(k => k.KeyId == keyId));

    private static SigningKeyInfo Info(SealedSigningKey key) => new(key.KeyId, key.PublicKey, key.CreatedAt);

    /// <summary>The current key, the keys it replaced (so their signatures still verify), and the wrong-secret counter.</summary>
    [GenerateSerializer, Alias("b2btrade.signing-key-ring")]
    public sealed record KeyRing
    {
        [Id(0)] public SealedSigningKey? Current { get; init; }
        [Id(1)] public ImmutableList<SealedSigningKey> Retired { get; init; } = [];
        [Id(2)] public int Failures { get; init; }
        [Id(3)] public DateTimeOffset? LockedUntil { get; init; }
    }
}

/// <summary>The platform's timestamp authority: a P-256 key made on first use and kept in grain state.</summary>
[GrainType("timestamp-authority")]
public sealed class TimestampAuthorityGrain(
    [PersistentState("timestamp-authority", StorageNames.Grains)] IPersistentState<TimestampAuthorityGrain.AuthorityKey> store) : Grain, ITimestampAuthorityGrain
{
    public const string PlatformKey = "platform";

    public async Task<byte[]> IssueAsync(string documentSha256, byte[] signature, DateTimeOffset at)
    {
        using var authority = await AuthorityAsync();
        return authority.Issue(documentSha256, signature, at);
    }

    public async Task<byte[]> GetPublicKeyAsync()
    {
        using var authority = await AuthorityAsync();
        return authority.PublicKey;
    }

    private async Task<TimestampAuthority> AuthorityAsync()
    {
        if (store.State.Pkcs8 is { Length: > 0 } pkcs8)
        {
            return TimestampAuthority.FromPkcs8(pkcs8);
        }

        var created = TimestampAuthority.Create();
        store.State = new AuthorityKey { Pkcs8 = created.ExportPkcs8() };
        await store.WriteStateAsync();
        return created;
    }

    [GenerateSerializer, Alias("b2btrade.timestamp-authority-key")]
    public sealed record AuthorityKey
    {
        [Id(0)] public byte[]? Pkcs8 { get; init; }
    }
}
