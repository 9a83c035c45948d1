using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Identity;

public enum AccountKind
{
    Individual = 1,
    Enterprise = 2,
}

public enum ExternalProvider
{
    WeChat = 1,
    QQ = 2,
}

/// <summary>A third-party identity bound to an account.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.external-login")]
public sealed record ExternalLogin([property: Id(0)] ExternalProvider Provider, [property: Id(1)] string Subject, [property: Id(2)] DateTimeOffset LinkedAt);

/// <summary>One login session (device). Only hashes of refresh tokens are kept.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.user-session")]
public sealed record UserSession
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string RefreshTokenHash { get; init; }
    [Id(2)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(3)] public required DateTimeOffset ExpiresAt { get; init; }
    [Id(4)] public ImmutableList<string> SpentRefreshTokenHashes { get; init; } = [];
}

/// <summary>A user account: the aggregate behind a login. Decisions are pure functions returning the next state.</summary>
[GenerateSerializer, Alias("b2btrade.user-account")]
public sealed record UserAccount
{
    public const int MaxSessions = 20;
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(30);

    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
    [Id(2)] public required AccountKind Kind { get; init; }
    [Id(3)] public ContactAddress? Phone { get; init; }
    [Id(4)] public ContactAddress? Email { get; init; }
    [Id(5)] public required string PasswordHash { get; init; }
    [Id(6)] public bool IsOperator { get; init; }
    [Id(7)] public ImmutableList<ExternalLogin> ExternalLogins { get; init; } = [];
    [Id(8)] public ImmutableList<UserSession> Sessions { get; init; } = [];
    [Id(9)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(10)] public long SecurityStamp { get; init; }

    public IEnumerable<ContactAddress> Addresses => new[] { Phone, Email }.OfType<ContactAddress>();

    public static string ValidateDisplayName(string? name, string field = "display_name")
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is < 1 or > 64 || trimmed.Any(char.IsControl))
        {
            throw Errors.InvalidField(field, "INVALID_DISPLAY_NAME", "The name must be 1 to 64 printable characters.", "名称须为 1 至 64 个可见字符。");
        }

        return trimmed;
    }

    public static UserAccount Register(string userId, string displayName, AccountKind kind, ContactAddress address, string passwordHash, DateTimeOffset now, bool isOperator = false) => new()
    {
        UserId = userId,
        DisplayName = displayName,
        Kind = kind,
        Phone = address.Kind == ContactKind.Phone ? address : null,
        Email = address.Kind == ContactKind.Email ? address : null,
        PasswordHash = passwordHash,
        IsOperator = isOperator,
        CreatedAt = now,
    };

    /// <summary>Starts a session; the oldest sessions beyond <see cref="MaxSessions"/> are ended.</summary>
    public (UserAccount Account, UserSession Session, string RefreshToken) StartSession(DateTimeOffset now)
    {
        var sessionId = Ids.NewId("s");
        var (token, hash) = NewRefreshToken(sessionId);
        var session = new UserSession { SessionId = sessionId, RefreshTokenHash = hash, CreatedAt = now, ExpiresAt = now + RefreshTokenLifetime };
        var live = Sessions.Where(s => s.ExpiresAt > now).OrderByDescending(s => s.CreatedAt).Take(MaxSessions - 1);
        return (this with { Sessions = [session, .. live] }, session, token);
    }

    /// <summary>
    /// Rotates a refresh token. Presenting an already-spent token means it was stolen or replayed:
    /// the whole session is ended (OAuth 2.0 Security BCP, refresh token rotation with reuse detection).
    /// </summary>
    public (UserAccount Account, UserSession Session, string RefreshToken) Refresh(string sessionId, string presentedSecretHash, DateTimeOffset now)
    {
        var session = Sessions.FirstOrDefault(s => s.SessionId == sessionId && s.ExpiresAt > now)
            ?? throw InvalidRefreshToken();
        if (session.SpentRefreshTokenHashes.Contains(presentedSecretHash))
        {
            throw new RefreshTokenReuseException(this with { Sessions = Sessions.Remove(session) });
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(session.RefreshTokenHash), Encoding.ASCII.GetBytes(presentedSecretHash)))
        {
            throw InvalidRefreshToken();
        }

        var (token, hash) = NewRefreshToken(sessionId);
        var rotated = session with
        {
            RefreshTokenHash = hash,
            SpentRefreshTokenHashes = session.SpentRefreshTokenHashes.Add(session.RefreshTokenHash).TakeLast(8).ToImmutableList(),
        };
        return (this with { Sessions = Sessions.Replace(session, rotated) }, rotated, token);
    }

    public bool HasLiveSession(string sessionId, long securityStamp, DateTimeOffset now) =>
        securityStamp == SecurityStamp && Sessions.Any(s => s.SessionId == sessionId && s.ExpiresAt > now);

    public UserAccount EndSession(string sessionId) => this with { Sessions = Sessions.RemoveAll(s => s.SessionId == sessionId) };

    /// <summary>Ends every session and invalidates every access token already issued.</summary>
    public UserAccount EndAllSessions() => this with { Sessions = [], SecurityStamp = SecurityStamp + 1 };

    public UserAccount ChangePasswordHash(string newHash) => EndAllSessions() with { PasswordHash = newHash };

    public UserAccount Link(ExternalProvider provider, string subject, DateTimeOffset now)
    {
        if (ExternalLogins.Any(l => l.Provider == provider && l.Subject != subject))
        {
            throw Errors.Precondition("PROVIDER_ALREADY_LINKED", "Another account of this provider is already bound to this user.", "该账号已绑定另一个同类第三方账号。");
        }

        return ExternalLogins.Any(l => l.Provider == provider)
            ? this
            : this with { ExternalLogins = ExternalLogins.Add(new ExternalLogin(provider, subject, now)) };
    }

    /// <summary>What the audit trail records of this account: never password or token hashes.</summary>
    public object ToAuditView() => new
    {
        UserId,
        DisplayName,
        Kind = Kind.ToString(),
        Phone = Phone?.Masked,
        Email = Email?.Masked,
        IsOperator,
        ExternalLogins = ExternalLogins.Select(l => l.Provider.ToString()),
        Sessions = Sessions.Count,
        SecurityStamp,
    };

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Refresh tokens read "{userId}.{sessionId}.{secret}"; only the SHA-256 of the secret is stored.</summary>
    public static bool TryParseRefreshToken(string? token, out string userId, out string sessionId, out string secretHash)
    {
        userId = sessionId = secretHash = "";
        var parts = (token ?? "").Split('.');
        if (parts.Length != 3 || !Ids.IsWellFormed(parts[0], "u") || !Ids.IsWellFormed(parts[1], "s") || parts[2].Length is < 20 or > 100)
        {
            return false;
        }

        (userId, sessionId, secretHash) = (parts[0], parts[1], HashSecret(parts[2]));
        return true;
    }

    /// <summary>Only ever told to someone who proved control of the address (a valid code), so it reveals nothing.</summary>
    public static DomainException AlreadyExists() =>
        new(ErrorKind.AlreadyExists, "ACCOUNT_EXISTS", "An account already exists for this phone or email; log in or reset the password.", "该手机号/邮箱已注册，请直接登录或找回密码。");

    public static DomainException InvalidRefreshToken() =>
        Errors.Unauthenticated("REFRESH_TOKEN_INVALID", "The session has ended; log in again.", "登录已失效，请重新登录。");

    private (string Token, string Hash) NewRefreshToken(string sessionId)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return ($"{UserId}.{sessionId}.{secret}", HashSecret(secret));
    }
}

/// <summary>A spent refresh token was presented again: the session it belonged to must be ended.</summary>
public sealed class RefreshTokenReuseException(UserAccount accountWithoutSession) : Exception("Refresh token reuse detected.")
{
    public UserAccount AccountWithoutSession { get; } = accountWithoutSession;
}
