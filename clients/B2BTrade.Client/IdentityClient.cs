using B2BTrade.Protos.Identity.V1;

namespace B2BTrade.Client;

/// <summary>
/// Registration, login, sessions and WeChat/QQ identities. Successful logins store the session's tokens in the
/// <see cref="B2BTradeClient"/>, which then authenticates and refreshes every later call by itself.
/// </summary>
public sealed class IdentityClient
{
    private readonly IdentityService.IdentityServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal IdentityClient(IdentityService.IdentityServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>Sends a 6-digit verification code to a phone or email. Never retried automatically (each try sends a message).</summary>
    /// <param name="phoneOrEmail">Mainland mobile number or email address.</param>
    /// <param name="purpose">What the code is for.</param>
    /// <param name="deadline">Optional absolute deadline (UTC); default <see cref="B2BTradeClientOptions.DefaultDeadline"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>When another code may be requested and how long this one is valid.</returns>
    /// <exception cref="B2BTradeRateLimitedException">Codes were requested too often; see <see cref="B2BTradeRateLimitedException.RetryAfter"/>.</exception>
    public Task<SendVerificationCodeResponse> SendVerificationCodeAsync(string phoneOrEmail, VerificationPurpose purpose, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new SendVerificationCodeRequest { Address = ContactAddresses.Parse(phoneOrEmail), Purpose = purpose };
        return _pipeline.RunAsync(o => _client.SendVerificationCodeAsync(request, o).ResponseAsync, CallPolicy.Anonymous, deadline, cancellationToken);
    }

    /// <summary>Registers an account with a code sent for <see cref="VerificationPurpose.Register"/>, and signs in as it.</summary>
    /// <param name="phoneOrEmail">The phone or email the code was sent to; it becomes the login name.</param>
    /// <param name="code">The 6-digit code.</param>
    /// <param name="password">The new password: 8 to 128 characters with letters, digits and symbols.</param>
    /// <param name="accountKind">Individual or enterprise user.</param>
    /// <param name="displayName">Name shown to counterparties.</param>
    /// <param name="oauthLinkTicket">Optional ticket from <see cref="CompleteOAuthLoginAsync"/> to bind a WeChat/QQ identity.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new account.</returns>
    /// <exception cref="B2BTradeValidationException">A field is invalid; see <see cref="B2BTradeException.FieldViolations"/>.</exception>
    public async Task<User> RegisterAsync(string phoneOrEmail, string code, string password, AccountKind accountKind, string displayName, string? oauthLinkTicket = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new RegisterRequest
        {
            Address = ContactAddresses.Parse(phoneOrEmail),
            Code = code,
            Password = password,
            AccountKind = accountKind,
            DisplayName = displayName,
            OauthLinkTicket = oauthLinkTicket ?? string.Empty,
        };
        var response = await _pipeline.RunAsync(o => _client.RegisterAsync(request, o).ResponseAsync, CallPolicy.Anonymous, deadline, cancellationToken);
        _pipeline.Tokens.Set(B2BTradeTokens.FromProto(response.Tokens));
        return response.User;
    }

    /// <summary>Signs in with phone/email and password.</summary>
    /// <param name="phoneOrEmail">Phone or email of the account.</param>
    /// <param name="password">The password.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed-in account.</returns>
    /// <exception cref="B2BTradeUnauthenticatedException">Wrong phone/email or password.</exception>
    /// <exception cref="B2BTradeRateLimitedException">Password login is locked for a while; log in with a code instead.</exception>
    public async Task<User> LoginWithPasswordAsync(string phoneOrEmail, string password, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new LoginWithPasswordRequest { Address = ContactAddresses.Parse(phoneOrEmail), Password = password };
        var response = await _pipeline.RunAsync(o => _client.LoginWithPasswordAsync(request, o).ResponseAsync, CallPolicy.Anonymous, deadline, cancellationToken);
        _pipeline.Tokens.Set(B2BTradeTokens.FromProto(response.Tokens));
        return response.User;
    }

    /// <summary>Signs in with phone/email and a code sent for <see cref="VerificationPurpose.Login"/>.</summary>
    /// <param name="phoneOrEmail">Phone or email of the account.</param>
    /// <param name="code">The 6-digit code.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed-in account.</returns>
    public async Task<User> LoginWithCodeAsync(string phoneOrEmail, string code, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new LoginWithCodeRequest { Address = ContactAddresses.Parse(phoneOrEmail), Code = code };
        var response = await _pipeline.RunAsync(o => _client.LoginWithCodeAsync(request, o).ResponseAsync, CallPolicy.Anonymous, deadline, cancellationToken);
        _pipeline.Tokens.Set(B2BTradeTokens.FromProto(response.Tokens));
        return response.User;
    }

    /// <summary>
    /// Resumes a session from a refresh token persisted from <see cref="B2BTradeClient.TokensChanged"/>: refreshes at once
    /// (the stored token is spent and a new one is announced through <see cref="B2BTradeClient.TokensChanged"/>) and returns the account.
    /// </summary>
    /// <param name="refreshToken">The stored refresh token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account of the resumed session.</returns>
    /// <exception cref="B2BTradeUnauthenticatedException">The refresh token is spent, expired or revoked; sign in again.</exception>
    public Task<User> ResumeSessionAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        _pipeline.Tokens.Set(B2BTradeTokens.FromRefreshToken(refreshToken));
        return GetCurrentUserAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Ends this session on the server and forgets its tokens (also when the server says the session had already ended).</summary>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the session has ended.</returns>
    public async Task LogoutAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await _pipeline.RunAsync(o => _client.LogoutAsync(new LogoutRequest(), o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        }
        catch (B2BTradeUnauthenticatedException)
        {
            // Already over: nothing left to end.
        }

        _pipeline.Tokens.Set(null);
    }

    /// <summary>Ends every session of the account on every device, this one included, and forgets the tokens.</summary>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many sessions were ended.</returns>
    public async Task<int> LogoutEverywhereAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var response = await _pipeline.RunAsync(o => _client.LogoutEverywhereAsync(new LogoutEverywhereRequest(), o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        _pipeline.Tokens.Set(null);
        return response.RevokedSessions;
    }

    /// <summary>Changes the password; every other session is revoked and this client switches to the fresh session returned.</summary>
    /// <param name="currentPassword">The current password.</param>
    /// <param name="newPassword">The new password.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the password has changed.</returns>
    public async Task ChangePasswordAsync(string currentPassword, string newPassword, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ChangePasswordRequest { CurrentPassword = currentPassword, NewPassword = newPassword };
        var response = await _pipeline.RunAsync(o => _client.ChangePasswordAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        _pipeline.Tokens.Set(B2BTradeTokens.FromProto(response.Tokens));
    }

    /// <summary>Sets a new password with a code sent for <see cref="VerificationPurpose.ResetPassword"/>. Does not sign in.</summary>
    /// <param name="phoneOrEmail">Phone or email of the account.</param>
    /// <param name="code">The 6-digit code.</param>
    /// <param name="newPassword">The new password.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the password has been reset.</returns>
    public Task ResetPasswordAsync(string phoneOrEmail, string code, string newPassword, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new ResetPasswordRequest { Address = ContactAddresses.Parse(phoneOrEmail), Code = code, NewPassword = newPassword };
        return _pipeline.RunAsync(o => _client.ResetPasswordAsync(request, o).ResponseAsync, CallPolicy.Anonymous, deadline, cancellationToken);
    }

    /// <summary>Returns the signed-in account.</summary>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account, with masked phone and email.</returns>
    public async Task<User> GetCurrentUserAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var response = await _pipeline.RunAsync(o => _client.GetCurrentUserAsync(new GetCurrentUserRequest(), o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.User;
    }

    /// <summary>Starts a WeChat or QQ login: open <see cref="StartOAuthLoginResponse.AuthorizationUrl"/> in a browser and keep the state.</summary>
    /// <param name="provider">WeChat or QQ.</param>
    /// <param name="redirectUri">A configured redirect URI the provider sends the browser back to.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The authorization URL and anti-forgery state.</returns>
    public Task<StartOAuthLoginResponse> StartOAuthLoginAsync(OAuthProvider provider, string redirectUri, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new StartOAuthLoginRequest { Provider = provider, RedirectUri = redirectUri };
        return _pipeline.RunAsync(o => _client.StartOAuthLoginAsync(request, o).ResponseAsync, CallPolicy.Anonymous, deadline, cancellationToken);
    }

    /// <summary>
    /// Completes a WeChat or QQ login. When the identity is bound to an account the session is stored (as after a
    /// login); otherwise the answer carries a link ticket for <see cref="RegisterAsync"/> or <see cref="LinkOAuthIdentityAsync"/>.
    /// </summary>
    /// <param name="provider">WeChat or QQ.</param>
    /// <param name="code">The authorization code from the provider's redirect.</param>
    /// <param name="state">The state from <see cref="StartOAuthLoginAsync"/>, as echoed back.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Either a session or a link ticket.</returns>
    public async Task<CompleteOAuthLoginResponse> CompleteOAuthLoginAsync(OAuthProvider provider, string code, string state, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new CompleteOAuthLoginRequest { Provider = provider, Code = code, State = state };
        var response = await _pipeline.RunAsync(o => _client.CompleteOAuthLoginAsync(request, o).ResponseAsync, CallPolicy.Anonymous, deadline, cancellationToken);
        if (response.OutcomeCase == CompleteOAuthLoginResponse.OutcomeOneofCase.Session)
        {
            _pipeline.Tokens.Set(B2BTradeTokens.FromProto(response.Session.Tokens));
        }

        return response;
    }

    /// <summary>Binds a WeChat/QQ identity (from a link ticket) to the signed-in account.</summary>
    /// <param name="linkTicket">The ticket from <see cref="CompleteOAuthLoginAsync"/>.</param>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account with the new binding.</returns>
    public async Task<User> LinkOAuthIdentityAsync(string linkTicket, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new LinkOAuthIdentityRequest { LinkTicket = linkTicket };
        var response = await _pipeline.RunAsync(o => _client.LinkOAuthIdentityAsync(request, o).ResponseAsync, CallPolicy.Write, deadline, cancellationToken);
        return response.User;
    }
}
