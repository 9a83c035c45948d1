using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Identity;

public enum VerificationPurpose
{
    Register = 1,
    Login = 2,
    ResetPassword = 3,

    /// <summary>Replacing a signing key whose secret the signatory has forgotten (proves the account, not just the session).</summary>
    SigningKey = 4,
}

/// <summary>The code last sent to one address for one purpose, and that address's sending count today.</summary>
[GenerateSerializer, Alias("b2btrade.verification-code-state")]
public sealed record VerificationCodeState
{
    [Id(0)] public string? CodeHash { get; init; }
    [Id(1)] public string? Salt { get; init; }
    [Id(2)] public DateTimeOffset? IssuedAt { get; init; }
    [Id(3)] public DateTimeOffset? ExpiresAt { get; init; }
    [Id(4)] public int FailedAttempts { get; init; }
    [Id(5)] public bool Consumed { get; init; }
    [Id(6)] public DateOnly CountDay { get; init; }
    [Id(7)] public int SentOnCountDay { get; init; }

    /// <summary>Identifies one issued code, so work that a code authorises can be retried idempotently until the code is consumed.</summary>
    [Id(8)] public string? IssueId { get; init; }
}

/// <summary>
/// Verification code rules (DESIGN §3.1): 6 digits from a CSPRNG, valid 5 minutes, single use, dead after
/// 5 wrong tries, resend no sooner than 60 s, at most 10 per address per China calendar day. Only a salted hash is kept.
/// </summary>
public static class VerificationCodeRules
{
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(60);
    public const int MaxFailedAttempts = 5;
    public const int DailyCapPerAddress = 10;
    private static readonly TimeSpan s_chinaOffset = TimeSpan.FromHours(8);

    public static (VerificationCodeState State, string Code) Issue(VerificationCodeState state, DateTimeOffset now)
    {
        if (state.IssuedAt is { } issued && now - issued < ResendInterval)
        {
            var wait = ResendInterval - (now - issued);
            throw Errors.Exhausted("CODE_RESEND_TOO_SOON", $"Wait {Math.Ceiling(wait.TotalSeconds)} s before requesting another code.", $"请 {Math.Ceiling(wait.TotalSeconds)} 秒后再获取验证码。", wait);
        }

        var today = DateOnly.FromDateTime(now.ToOffset(s_chinaOffset).DateTime);
        var sentToday = state.CountDay == today ? state.SentOnCountDay : 0;
        if (sentToday >= DailyCapPerAddress)
        {
            var tomorrow = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), s_chinaOffset);
            throw Errors.Exhausted("CODE_DAILY_LIMIT", "Too many codes were sent to this address today; try again tomorrow.", "今日该号码/邮箱获取验证码次数已达上限，请明天再试。", tomorrow - now);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var salt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        return (new VerificationCodeState
        {
            CodeHash = HashCode(code, salt),
            Salt = salt,
            IssuedAt = now,
            ExpiresAt = now + Validity,
            FailedAttempts = 0,
            Consumed = false,
            CountDay = today,
            SentOnCountDay = sentToday + 1,
            IssueId = Ids.NewId("vc"),
        }, code);
    }

    /// <summary>
    /// Checks a code without consuming it (see <see cref="Consume"/>). A wrong code counts against the 5 tries; after that
    /// the code is dead. Returns the new state and null on success, or the new state and the error to report.
    /// </summary>
    public static (VerificationCodeState State, DomainException? Error) Verify(VerificationCodeState state, string? code, DateTimeOffset now, string field = "code")
    {
        if (string.IsNullOrEmpty(code) || code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return (state, Errors.InvalidField(field, "INVALID_CODE_FORMAT", "The verification code is 6 digits.", "验证码为 6 位数字。"));
        }

        if (state.CodeHash is null || state.Salt is null || state.IssueId is null || state.Consumed || state.FailedAttempts >= MaxFailedAttempts)
        {
            return (state, Invalid(field));
        }

        if (now >= state.ExpiresAt)
        {
            return (state, Errors.InvalidField(field, "CODE_EXPIRED", "The verification code has expired; request a new one.", "验证码已过期，请重新获取。"));
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashCode(code, state.Salt)), Encoding.ASCII.GetBytes(state.CodeHash)))
        {
            return (state with { FailedAttempts = state.FailedAttempts + 1 }, Invalid(field));
        }

        return (state, null);
    }

    /// <summary>Marks the code used once the work it authorised is durable; a later issue is not affected.</summary>
    public static VerificationCodeState Consume(VerificationCodeState state, string issueId) =>
        state.IssueId == issueId && !state.Consumed ? state with { Consumed = true } : state;

    /// <summary>The one answer for a wrong, used, dead or never-sent code, so none of them can be told apart.</summary>
    public static DomainException Invalid(string field = "code") =>
        Errors.InvalidField(field, "CODE_INVALID", "The verification code is wrong or no longer valid.", "验证码错误或已失效。");

    private static string HashCode(string code, string salt) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));
}

/// <summary>A fixed-window counter (e.g. codes requested per IP per hour).</summary>
[GenerateSerializer, Alias("b2btrade.fixed-window")]
public sealed record FixedWindow
{
    [Id(0)] public DateTimeOffset WindowStart { get; init; }
    [Id(1)] public int Count { get; init; }

    /// <summary>Counts a hit of the given weight (1 for a request, the MiB of an upload); returns the new window and whether it fits the limit.</summary>
    public static (FixedWindow State, bool Allowed, TimeSpan RetryAfter) Hit(FixedWindow state, DateTimeOffset now, TimeSpan window, int limit, int weight = 1)
    {
        var current = now - state.WindowStart >= window || now < state.WindowStart
            ? new FixedWindow { WindowStart = now, Count = 0 }
            : state;
        if ((long)current.Count + weight > limit)
        {
            return (current, false, current.WindowStart + window - now);
        }

        return (current with { Count = current.Count + weight }, true, TimeSpan.Zero);
    }

    /// <summary>Gives back one hit of the current window (a hit counted up front that turned out not to count).</summary>
    public static FixedWindow Refund(FixedWindow state, DateTimeOffset now, TimeSpan window) =>
        now - state.WindowStart >= window || now < state.WindowStart || state.Count == 0 ? state : state with { Count = state.Count - 1 };
}

/// <summary>Password-login throttling per address: 5 consecutive failures lock password login for 15 minutes.</summary>
[GenerateSerializer, Alias("b2btrade.login-throttle")]
public sealed record LoginThrottle
{
    public const int MaxConsecutiveFailures = 5;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    [Id(0)] public int ConsecutiveFailures { get; init; }
    [Id(1)] public DateTimeOffset? LockedUntil { get; init; }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && now < until;

    public LoginThrottle RecordFailure(DateTimeOffset now)
    {
        var failures = IsLocked(now) ? ConsecutiveFailures : ConsecutiveFailures + 1;
        return failures >= MaxConsecutiveFailures
            ? new LoginThrottle { ConsecutiveFailures = 0, LockedUntil = now + LockDuration }
            : this with { ConsecutiveFailures = failures };
    }

    public static LoginThrottle Cleared { get; } = new();

    public DomainException LockedError(DateTimeOffset now) =>
        Errors.Exhausted("LOGIN_LOCKED", "Too many wrong passwords: password login is locked for 15 minutes. You can still log in with a verification code.", "密码错误次数过多，密码登录已锁定 15 分钟；仍可使用验证码登录。", LockedUntil - now);
}
