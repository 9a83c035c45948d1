using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains.Infrastructure;

namespace B2BTrade.Grains.Identity;

[GenerateSerializer, Immutable, Alias("b2btrade.unique-claim-state")]
public sealed record UniqueClaimState
{
    [Id(0)] public string? OwnerId { get; init; }
}

[GrainType("unique-claim")]
public sealed class UniqueClaimGrain(
    [PersistentState("unique-claim", StorageNames.Grains)] IPersistentState<UniqueClaimState> state) : Grain, IUniqueClaimGrain
{
    public Task<string?> GetOwnerAsync() => Task.FromResult(state.State?.OwnerId);

    public async Task<string> ClaimAsync(string ownerId)
    {
        if (state.State?.OwnerId is null)
        {
            await state.ReplaceAsync(new UniqueClaimState { OwnerId = ownerId });
        }

        return state.State!.OwnerId!;
    }
}

[GrainType("verification-code")]
public sealed class VerificationCodeGrain(
    [PersistentState("verification-code", StorageNames.Grains)] IPersistentState<VerificationCodeState> state,
    IMessageSender sender,
    TimeProvider time) : Grain, IVerificationCodeGrain
{
    public async Task<CodeIssued> IssueAsync(CodeMessage message)
    {
        var (purpose, address) = ParseKey(this.GetPrimaryKeyString());
        var (next, code) = VerificationCodeRules.Issue(state.State, time.GetUtcNow());
        // A notice carries no code, so nothing can be verified against it; limits still count identically.
        await state.ReplaceAsync(message == CodeMessage.Code ? next : next with { CodeHash = null });

        await sender.SendAsync(address, Body(message, purpose, code));
        return new CodeIssued((int)VerificationCodeRules.ResendInterval.TotalSeconds, (int)VerificationCodeRules.Validity.TotalSeconds);
    }

    public async Task<string> VerifyAsync(string code, string field)
    {
        var (next, error) = VerificationCodeRules.Verify(state.State, code, time.GetUtcNow(), field);
        if (!ReferenceEquals(next, state.State))
        {
            await state.ReplaceAsync(next);
        }

        if (error is not null)
        {
            throw error;
        }

        return state.State.IssueId!;
    }

    public async Task ConsumeAsync(string issueId)
    {
        var next = VerificationCodeRules.Consume(state.State, issueId);
        if (!ReferenceEquals(next, state.State))
        {
            await state.ReplaceAsync(next);
        }
    }

    public static string Key(VerificationPurpose purpose, ContactAddress address) => $"{(int)purpose}|{address.Key}";

    private static (VerificationPurpose Purpose, ContactAddress Address) ParseKey(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return ((VerificationPurpose)int.Parse(key[..bar], System.Globalization.CultureInfo.InvariantCulture), ContactAddress.FromKey(key[(bar + 1)..]));
    }

    private static string Body(CodeMessage message, VerificationPurpose purpose, string code) => message switch
    {
        CodeMessage.Code => $"【B2BTrade】您的{PurposeZh(purpose)}验证码为 {code}，5 分钟内有效，请勿告诉他人。Your B2BTrade verification code is {code}, valid for 5 minutes.",
        CodeMessage.AlreadyRegisteredNotice => "【B2BTrade】该手机号/邮箱已注册 B2BTrade 账号，请直接登录或找回密码；如非本人操作请忽略。This address already has a B2BTrade account: log in or reset your password.",
        _ => "【B2BTrade】该手机号/邮箱尚未注册 B2BTrade 账号；如非本人操作请忽略。This address has no B2BTrade account; ignore this message if it was not you.",
    };

    private static string PurposeZh(VerificationPurpose purpose) => purpose switch
    {
        VerificationPurpose.Register => "注册",
        VerificationPurpose.Login => "登录",
        _ => "找回密码",
    };
}

[GrainType("rate-limit")]
public sealed class RateLimitGrain(
    [PersistentState("rate-limit", StorageNames.Grains)] IPersistentState<FixedWindow> state,
    TimeProvider time) : Grain, IRateLimitGrain
{
    public async Task HitAsync(int limit, TimeSpan window, string reason, int weight = 1)
    {
        var (next, allowed, retryAfter) = FixedWindow.Hit(state.State, time.GetUtcNow(), window, limit, weight);
        if (!allowed)
        {
            throw Errors.Exhausted(reason, "Too many requests; try again later.", "请求过于频繁，请稍后再试。", retryAfter);
        }

        await state.ReplaceAsync(next);
    }

    public async Task RefundAsync(TimeSpan window)
    {
        var next = FixedWindow.Refund(state.State, time.GetUtcNow(), window);
        if (!ReferenceEquals(next, state.State))
        {
            await state.ReplaceAsync(next);
        }
    }
}

[GrainType("login-throttle")]
public sealed class LoginThrottleGrain(
    [PersistentState("login-throttle", StorageNames.Grains)] IPersistentState<LoginThrottle> state,
    TimeProvider time,
    PasswordHasher hasher) : Grain, ILoginThrottleGrain
{
    public async Task<SessionGrant?> AttemptAsync(string? ownerUserId, string password)
    {
        ThrowIfLocked();
        SessionGrant? grant = null;
        if (ownerUserId is null)
        {
            // No account: the same work as a wrong password, so timing does not tell which addresses are registered.
            await Task.Run(() => hasher.VerifyAgainstDummy(password));
        }
        else
        {
            grant = await GrainFactory.GetGrain<IUserGrain>(ownerUserId).LoginWithPasswordAsync(password);
        }

        if (grant is null)
        {
            await state.ReplaceAsync(state.State.RecordFailure(time.GetUtcNow()));
            ThrowIfLocked();
            return null;
        }

        await RecordSuccessAsync();
        return grant;
    }

    /// <summary>RESOURCE_EXHAUSTED LOGIN_LOCKED while locked.</summary>
    private void ThrowIfLocked()
    {
        var now = time.GetUtcNow();
        if (state.State.IsLocked(now))
        {
            throw state.State.LockedError(now);
        }
    }

    public Task RecordSuccessAsync() =>
        state.State.ConsecutiveFailures == 0 && state.State.LockedUntil is null ? Task.CompletedTask : state.ReplaceAsync(LoginThrottle.Cleared);
}
