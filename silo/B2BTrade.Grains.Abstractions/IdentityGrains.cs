using B2BTrade.Domain.Identity;

namespace B2BTrade.Grains;

/// <summary>A user as the API needs it: masked contacts for responses, full addresses only for matching invitations.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.user-view")]
public sealed record UserView
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
    [Id(2)] public required AccountKind Kind { get; init; }
    [Id(3)] public string MaskedPhone { get; init; } = "";
    [Id(4)] public string MaskedEmail { get; init; } = "";
    [Id(5)] public bool IsOperator { get; init; }
    [Id(6)] public ExternalProvider[] LinkedProviders { get; init; } = [];
    [Id(7)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public ContactAddress[] Addresses { get; init; } = [];
}

/// <summary>A new session: the API turns it into an access token (JWT) and hands out the refresh token.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.session-grant")]
public sealed record SessionGrant(
    [property: Id(0)] UserView User,
    [property: Id(1)] string SessionId,
    [property: Id(2)] long SecurityStamp,
    [property: Id(3)] string RefreshToken,
    [property: Id(4)] DateTimeOffset RefreshTokenExpiresAt);

/// <summary>What a bearer token's session resolves to on each request.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.session-check")]
public sealed record SessionCheck([property: Id(0)] bool IsLive, [property: Id(1)] bool IsOperator, [property: Id(2)] string DisplayName);

[GenerateSerializer, Immutable, Alias("b2btrade.register-user")]
public sealed record RegisterUserCommand(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] AccountKind Kind,
    [property: Id(2)] ContactAddress Address,
    [property: Id(3)] string Password,
    [property: Id(4)] bool IsOperator = false);

/// <summary>A user account (key: user id "u_…"). Owns credentials, sessions and third-party bindings.</summary>
[Alias("b2btrade.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the account; fails with ALREADY_EXISTS when it exists.</summary>
    Task<UserView> RegisterAsync(RegisterUserCommand command);

    /// <summary>The account, or null when it does not exist.</summary>
    [ReadOnly]
    Task<UserView?> GetAsync();

    /// <summary>Checks the password (rehashing when parameters rose) and starts a session; null when the password is wrong.</summary>
    Task<SessionGrant?> LoginWithPasswordAsync(string password);

    /// <summary>Starts a session for a caller already proven by a verification code or a third-party login.</summary>
    Task<SessionGrant> StartSessionAsync();

    /// <summary>Rotates a refresh token; a spent token ends its session.</summary>
    Task<SessionGrant> RefreshAsync(string sessionId, string refreshSecretHash);

    /// <summary>Whether a session (and the security stamp in its access token) is still live.</summary>
    [ReadOnly]
    Task<SessionCheck> CheckSessionAsync(string sessionId, long securityStamp);

    /// <summary>Ends one session.</summary>
    Task EndSessionAsync(string sessionId);

    /// <summary>Ends all sessions and invalidates every issued access token; returns how many sessions ended.</summary>
    Task<int> EndAllSessionsAsync();

    /// <summary>Changes the password after checking the current one; ends all sessions and starts a fresh one.</summary>
    Task<SessionGrant> ChangePasswordAsync(string currentPassword, string newPassword);

    /// <summary>Sets a new password (the caller proved the address with a code); ends all sessions.</summary>
    Task ResetPasswordAsync(string newPassword);

    /// <summary>Binds a third-party identity.</summary>
    Task<UserView> LinkExternalAsync(ExternalProvider provider, string subject);

    /// <summary>Publishes a snapshot to the read model again (rebuild).</summary>
    Task RepublishAsync();
}

/// <summary>
/// Unique claim of an identifier by one owner (key: "phone:+86…", "email:…", "wechat:openid", "qq:openid",
/// "credit-code:91…"). A grain per key makes the claim race-free without a database constraint.
/// </summary>
[Alias("b2btrade.IUniqueClaimGrain")]
public interface IUniqueClaimGrain : IGrainWithStringKey
{
    /// <summary>The owner holding the claim, or null.</summary>
    [ReadOnly]
    Task<string?> GetOwnerAsync();

    /// <summary>Claims for the owner; returns the holder afterwards (someone else when already taken).</summary>
    Task<string> ClaimAsync(string ownerId);
}

[GenerateSerializer, Immutable, Alias("b2btrade.code-issued")]
public sealed record CodeIssued([property: Id(0)] int ResendAfterSeconds, [property: Id(1)] int ExpiresInSeconds);

/// <summary>What the message carrying a code says: the code, or a notice when the address must not get one.</summary>
public enum CodeMessage
{
    Code = 1,
    AlreadyRegisteredNotice = 2,
    NoAccountNotice = 3,
}

/// <summary>Verification codes of one address for one purpose (key: "{purpose}|{address key}").</summary>
[Alias("b2btrade.IVerificationCodeGrain")]
public interface IVerificationCodeGrain : IGrainWithStringKey
{
    /// <summary>Issues a code under the resend and daily limits and sends the chosen message to the address.</summary>
    Task<CodeIssued> IssueAsync(CodeMessage message);

    /// <summary>
    /// Checks the code and returns the id of its issue, without consuming it; throws INVALID_ARGUMENT naming
    /// <paramref name="field"/>, the request field that carried the code (wrong, expired, used, too many tries). Call
    /// <see cref="ConsumeAsync"/> once the work it authorises is durable, so a request that failed halfway can be
    /// retried with the same code.
    /// </summary>
    Task<string> VerifyAsync(string code, string field);

    /// <summary>Marks the issued code used.</summary>
    Task ConsumeAsync(string issueId);
}

/// <summary>A fixed-window rate limit (key: "{what}|{subject}", e.g. "codes-per-ip|203.0.113.5").</summary>
[Alias("b2btrade.IRateLimitGrain")]
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Counts a hit of the given weight; throws RESOURCE_EXHAUSTED with the reason when it would pass the limit.</summary>
    Task HitAsync(int limit, TimeSpan window, string reason, int weight = 1);

    /// <summary>Gives back a hit counted up front for something that turned out not to count (a password that was right).</summary>
    Task RefundAsync(TimeSpan window);
}

/// <summary>Password-login throttling of one address (key: address key), whether or not an account exists.</summary>
[Alias("b2btrade.ILoginThrottleGrain")]
public interface ILoginThrottleGrain : IGrainWithStringKey
{
    /// <summary>
    /// One password login for this address, checked and counted in a single turn of this grain: LOGIN_LOCKED while
    /// locked; otherwise the owner's password is checked (a dummy check when no account owns the address), a wrong one
    /// counts (the 5th in a row locks for 15 minutes and answers LOGIN_LOCKED) and a right one clears the count and
    /// starts a session. Attempts on one address take their turns one at a time, so guesses sent at once get no more
    /// checks than guesses sent one after another, and right passwords sent at once all succeed.
    /// </summary>
    /// <returns>The session, or null when the password is wrong.</returns>
    Task<SessionGrant?> AttemptAsync(string? ownerUserId, string password);

    /// <summary>Clears the count after a successful login.</summary>
    Task RecordSuccessAsync();
}
