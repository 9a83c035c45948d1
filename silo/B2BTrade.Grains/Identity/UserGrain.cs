using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains.Infrastructure;

namespace B2BTrade.Grains.Identity;

[GrainType("user")]
public sealed class UserGrain : Grain, IUserGrain
{
    private readonly PasswordHasher _hasher;
    private readonly AggregateJournal<UserAccount> _journal;

    public UserGrain(
        [PersistentState("user", StorageNames.Grains)] IPersistentState<AggregateState<UserAccount>> state,
        PasswordHasher hasher,
        TimeProvider time)
    {
        _hasher = hasher;
        _journal = new AggregateJournal<UserAccount>(state, "user", this.GetPrimaryKeyString(), time, a => a.ToAuditView(), ReadModelRow);
    }

    public async Task<UserView> RegisterAsync(RegisterUserCommand command)
    {
        var name = UserAccount.ValidateDisplayName(command.DisplayName);
        PasswordPolicy.Validate(command.Password, [command.Address]);
        if (_journal.Current is { } existing)
        {
            // The id derives from the verification code's issue: the same registration retried gets its account back.
            return existing.Addresses.Contains(command.Address) ? View(existing) : throw UserAccount.AlreadyExists();
        }

        var hash = await HashAsync(command.Password);
        return await _journal.ExecuteAsync(this.GetPrimaryKeyString(), current => current is not null
            ? throw UserAccount.AlreadyExists()
            : Changed(UserAccount.Register(this.GetPrimaryKeyString(), name, command.Kind, command.Address, hash, _journal.Now, command.IsOperator), "user.registered"));
    }

    public Task<UserView?> GetAsync() => Task.FromResult(_journal.Current is { } account ? View(account) : null);

    public async Task<SessionGrant?> LoginWithPasswordAsync(string password)
    {
        var account = _journal.Current;
        if (account is null)
        {
            await Task.Run(() => _hasher.VerifyAgainstDummy(password));
            return null;
        }

        var check = await Task.Run(() => _hasher.Verify(password, account.PasswordHash));
        if (check == PasswordCheck.Failed)
        {
            return null;
        }

        var rehash = check == PasswordCheck.SucceededRehashNeeded ? await HashAsync(password) : null;
        return await _journal.ExecuteAsync(account.UserId, current =>
        {
            var upgraded = rehash is null ? Require(current) : Require(current) with { PasswordHash = rehash };
            var (next, session, token) = upgraded.StartSession(_journal.Now);
            return new Decision<UserAccount, SessionGrant?>(next, "user.session.started.password", Grant(next, session, token));
        });
    }

    public Task<SessionGrant> StartSessionAsync() =>
        _journal.ExecuteAsync(this.GetPrimaryKeyString(), current =>
        {
            var (next, session, token) = Require(current).StartSession(_journal.Now);
            return new Decision<UserAccount, SessionGrant>(next, "user.session.started", Grant(next, session, token));
        });

    public async Task<SessionGrant> RefreshAsync(string sessionId, string refreshSecretHash)
    {
        try
        {
            return await _journal.ExecuteAsync(this.GetPrimaryKeyString(), current =>
            {
                var (next, session, token) = Require(current, unauthenticated: true).Refresh(sessionId, refreshSecretHash, _journal.Now);
                return new Decision<UserAccount, SessionGrant>(next, "user.session.refreshed", Grant(next, session, token));
            });
        }
        catch (RefreshTokenReuseException reuse)
        {
            await _journal.ExecuteAsync("system", _ => new Decision<UserAccount, bool>(reuse.AccountWithoutSession, "user.session.ended.token-reuse", true));
            throw Errors.Unauthenticated("REFRESH_TOKEN_REUSED", "This refresh token was already used; the session has been ended for safety. Log in again.", "该刷新令牌已被使用，为安全起见会话已终止，请重新登录。");
        }
    }

    public Task<SessionCheck> CheckSessionAsync(string sessionId, long securityStamp) =>
        Task.FromResult(_journal.Current is { } account && account.HasLiveSession(sessionId, securityStamp, _journal.Now)
            ? new SessionCheck(true, account.IsOperator, account.DisplayName)
            : new SessionCheck(false, false, ""));

    public Task EndSessionAsync(string sessionId) =>
        _journal.ExecuteAsync(this.GetPrimaryKeyString(), current =>
            current is null || current.Sessions.All(s => s.SessionId != sessionId)
                ? Decision<UserAccount, bool>.Unchanged(false)
                : new Decision<UserAccount, bool>(current.EndSession(sessionId), "user.session.ended", true));

    public Task<int> EndAllSessionsAsync() =>
        _journal.ExecuteAsync(this.GetPrimaryKeyString(), current =>
            new Decision<UserAccount, int>(Require(current).EndAllSessions(), "user.sessions.ended.all", Require(current).Sessions.Count));

    public async Task<SessionGrant> ChangePasswordAsync(string currentPassword, string newPassword)
    {
        var account = Require(_journal.Current);
        if (await Task.Run(() => _hasher.Verify(currentPassword ?? "", account.PasswordHash)) == PasswordCheck.Failed)
        {
            throw Errors.InvalidField("current_password", "WRONG_PASSWORD", "The current password is wrong.", "当前密码错误。");
        }

        PasswordPolicy.Validate(newPassword, account.Addresses, "new_password");
        var hash = await HashAsync(newPassword);
        return await _journal.ExecuteAsync(account.UserId, current =>
        {
            var (next, session, token) = Require(current).ChangePasswordHash(hash).StartSession(_journal.Now);
            return new Decision<UserAccount, SessionGrant>(next, "user.password.changed", Grant(next, session, token));
        });
    }

    public async Task ResetPasswordAsync(string newPassword)
    {
        var account = Require(_journal.Current);
        PasswordPolicy.Validate(newPassword, account.Addresses, "new_password");
        var hash = await HashAsync(newPassword);
        await _journal.ExecuteAsync(account.UserId, current => new Decision<UserAccount, bool>(Require(current).ChangePasswordHash(hash), "user.password.reset", true));
    }

    public Task<UserView> LinkExternalAsync(ExternalProvider provider, string subject) =>
        _journal.ExecuteAsync(this.GetPrimaryKeyString(), current =>
        {
            var next = Require(current).Link(provider, subject, _journal.Now);
            return new Decision<UserAccount, UserView>(next, "user.external-login.linked", View(next));
        });

    public Task RepublishAsync() => _journal.RepublishAsync();

    private Task<string> HashAsync(string password) => Task.Run(() => _hasher.Hash(password));

    private static Decision<UserAccount, UserView> Changed(UserAccount next, string action) => new(next, action, View(next));

    private static UserAccount Require(UserAccount? account, bool unauthenticated = false) =>
        account ?? throw (unauthenticated ? UserAccount.InvalidRefreshToken() : Errors.NotFound("User", "用户"));

    private static SessionGrant Grant(UserAccount account, UserSession session, string token) =>
        new(View(account), session.SessionId, account.SecurityStamp, token, session.ExpiresAt);

    internal static UserView View(UserAccount a) => new()
    {
        UserId = a.UserId,
        DisplayName = a.DisplayName,
        Kind = a.Kind,
        MaskedPhone = a.Phone?.Masked ?? "",
        MaskedEmail = a.Email?.Masked ?? "",
        IsOperator = a.IsOperator,
        LinkedProviders = [.. a.ExternalLogins.Select(l => l.Provider)],
        CreatedAt = a.CreatedAt,
        Addresses = [.. a.Addresses],
    };

    private static object ReadModelRow(UserAccount a) => new
    {
        userId = a.UserId,
        displayName = a.DisplayName,
        kind = (int)a.Kind,
        isOperator = a.IsOperator,
        maskedPhone = a.Phone?.Masked,
        maskedEmail = a.Email?.Masked,
        createdAt = a.CreatedAt,
    };
}
