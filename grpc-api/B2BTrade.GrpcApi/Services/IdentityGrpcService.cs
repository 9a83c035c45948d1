using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains;
using B2BTrade.Grains.Identity;
using B2BTrade.GrpcApi.Auth;
using B2BTrade.GrpcApi.Mapping;
using B2BTrade.Protos.Identity.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using AccountKind = B2BTrade.Domain.Identity.AccountKind;
using VerificationPurpose = B2BTrade.Domain.Identity.VerificationPurpose;

namespace B2BTrade.GrpcApi.Services;

/// <summary>
/// Registration and login. Every answer about an address is the same whether or not an account exists:
/// codes for unknown addresses are replaced by a notice sent to that address, and failures share one reason.
/// </summary>
[Authorize]
public sealed class IdentityGrpcService(
    IGrainFactory grains,
    TokenService tokens,
    OAuthClient oauth,
    IConfiguration configuration) : IdentityService.IdentityServiceBase
{
    private static readonly TimeSpan s_ticketLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);

    [AllowAnonymous]
    public override async Task<SendVerificationCodeResponse> SendVerificationCode(SendVerificationCodeRequest request, ServerCallContext context)
    {
        var address = RequestParsing.Address(request.Address, "address");
        var purpose = RequestParsing.Enum<VerificationPurpose>((int)request.Purpose, "purpose");
        await grains.GetGrain<IRateLimitGrain>("codes-per-ip|" + context.ClientIp())
            .HitAsync(configuration.GetValue("B2BTrade:RateLimits:CodesPerIpPerHour", 30), TimeSpan.FromHours(1), "CODE_IP_LIMIT");
        var registered = await OwnerOf(address) is not null;
        var message = purpose switch
        {
            VerificationPurpose.Register when registered => CodeMessage.AlreadyRegisteredNotice,
            VerificationPurpose.Login or VerificationPurpose.ResetPassword or VerificationPurpose.SigningKey when !registered => CodeMessage.NoAccountNotice,
            _ => CodeMessage.Code,
        };
        var issued = await grains.GetGrain<IVerificationCodeGrain>(VerificationCodeGrain.Key(purpose, address)).IssueAsync(message);
        return new SendVerificationCodeResponse { ResendAfterSeconds = issued.ResendAfterSeconds, ExpiresInSeconds = issued.ExpiresInSeconds };
    }

    [AllowAnonymous]
    public override async Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        var address = RequestParsing.Address(request.Address, "address");
        var kind = RequestParsing.Enum<AccountKind>((int)request.AccountKind, "account_kind");
        var name = UserAccount.ValidateDisplayName(request.DisplayName);
        PasswordPolicy.Validate(request.Password, [address]);
        (ExternalProvider Provider, string Subject)? external = string.IsNullOrEmpty(request.OauthLinkTicket) ? null : ReadLinkTicket(request.OauthLinkTicket);

        var codes = grains.GetGrain<IVerificationCodeGrain>(VerificationCodeGrain.Key(VerificationPurpose.Register, address));
        var issueId = await codes.VerifyAsync(request.Code, "code");
        // One id per issued code: a Register that failed halfway and is retried with the same code resumes the same account.
        var userId = Ids.Derived("u", address.Key, issueId);
        if (await OwnerOf(address) is { } owner && owner != userId)
        {
            throw UserAccount.AlreadyExists();
        }

        // The account is created before the address is claimed: a crash in between leaves an unreachable account, never a claim without an account.
        var user = grains.GetGrain<IUserGrain>(userId);
        await user.RegisterAsync(new RegisterUserCommand(name, kind, address, request.Password));
        if (await grains.GetGrain<IUniqueClaimGrain>(address.Key).ClaimAsync(userId) != userId)
        {
            throw UserAccount.AlreadyExists();
        }

        if (external is { } identity)
        {
            await LinkAsync(userId, identity);
        }

        await codes.ConsumeAsync(issueId);
        var grant = await user.StartSessionAsync();
        return new RegisterResponse { User = ProtoMapping.User(grant.User), Tokens = Tokens(grant) };
    }

    [AllowAnonymous]
    public override async Task<LoginWithPasswordResponse> LoginWithPassword(LoginWithPasswordRequest request, ServerCallContext context)
    {
        var address = RequestParsing.Address(request.Address, "address");
        var password = RequestParsing.Required(request.Password, "password", "Password", "密码");
        // The network's budget of wrong passwords is spent before the password is checked and given back when it was
        // right; the address's own count is kept by its throttle grain, which checks one attempt at a time.
        var perIp = grains.GetGrain<IRateLimitGrain>("password-failures-per-ip|" + context.ClientIp());
        await perIp.HitAsync(configuration.GetValue("B2BTrade:RateLimits:PasswordFailuresPerIpPerHour", 100), s_hour, "LOGIN_IP_LIMIT");
        var grant = await grains.GetGrain<ILoginThrottleGrain>(address.Key).AttemptAsync(await OwnerOf(address), password);
        if (grant is null)
        {
            throw Errors.Unauthenticated("INVALID_CREDENTIALS", "The phone/email or password is wrong.", "账号或密码错误。");
        }

        await perIp.RefundAsync(s_hour);
        return new LoginWithPasswordResponse { User = ProtoMapping.User(grant.User), Tokens = Tokens(grant) };
    }

    [AllowAnonymous]
    public override async Task<LoginWithCodeResponse> LoginWithCode(LoginWithCodeRequest request, ServerCallContext context)
    {
        var address = RequestParsing.Address(request.Address, "address");
        // For an unknown address only a notice was sent and no code stored, so verification fails the same way as a wrong code.
        var codes = grains.GetGrain<IVerificationCodeGrain>(VerificationCodeGrain.Key(VerificationPurpose.Login, address));
        var issueId = await codes.VerifyAsync(request.Code, "code");
        var owner = await OwnerOf(address) ?? throw VerificationCodeRules.Invalid();
        await codes.ConsumeAsync(issueId);
        var grant = await grains.GetGrain<IUserGrain>(owner).StartSessionAsync();
        await grains.GetGrain<ILoginThrottleGrain>(address.Key).RecordSuccessAsync();
        return new LoginWithCodeResponse { User = ProtoMapping.User(grant.User), Tokens = Tokens(grant) };
    }

    [AllowAnonymous]
    public override async Task<RefreshTokenResponse> RefreshToken(RefreshTokenRequest request, ServerCallContext context)
    {
        if (!UserAccount.TryParseRefreshToken(request.RefreshToken, out var userId, out var sessionId, out var secretHash))
        {
            throw UserAccount.InvalidRefreshToken();
        }

        var grant = await grains.GetGrain<IUserGrain>(userId).RefreshAsync(sessionId, secretHash);
        return new RefreshTokenResponse { Tokens = Tokens(grant) };
    }

    public override async Task<LogoutResponse> Logout(LogoutRequest request, ServerCallContext context)
    {
        await grains.GetGrain<IUserGrain>(context.Caller().UserId).EndSessionAsync(context.SessionId());
        return new LogoutResponse();
    }

    public override async Task<LogoutEverywhereResponse> LogoutEverywhere(LogoutEverywhereRequest request, ServerCallContext context) =>
        new() { RevokedSessions = await grains.GetGrain<IUserGrain>(context.Caller().UserId).EndAllSessionsAsync() };

    public override async Task<ChangePasswordResponse> ChangePassword(ChangePasswordRequest request, ServerCallContext context)
    {
        var grant = await grains.GetGrain<IUserGrain>(context.Caller().UserId).ChangePasswordAsync(request.CurrentPassword, request.NewPassword);
        return new ChangePasswordResponse { Tokens = Tokens(grant) };
    }

    [AllowAnonymous]
    public override async Task<ResetPasswordResponse> ResetPassword(ResetPasswordRequest request, ServerCallContext context)
    {
        var address = RequestParsing.Address(request.Address, "address");
        PasswordPolicy.Validate(request.NewPassword, [address], "new_password");
        var codes = grains.GetGrain<IVerificationCodeGrain>(VerificationCodeGrain.Key(VerificationPurpose.ResetPassword, address));
        var issueId = await codes.VerifyAsync(request.Code, "code");
        var owner = await OwnerOf(address) ?? throw VerificationCodeRules.Invalid();
        await grains.GetGrain<IUserGrain>(owner).ResetPasswordAsync(request.NewPassword);
        await codes.ConsumeAsync(issueId);
        await grains.GetGrain<ILoginThrottleGrain>(address.Key).RecordSuccessAsync();
        return new ResetPasswordResponse();
    }

    public override async Task<GetCurrentUserResponse> GetCurrentUser(GetCurrentUserRequest request, ServerCallContext context)
    {
        var user = await grains.GetGrain<IUserGrain>(context.Caller().UserId).GetAsync() ?? throw Errors.NotFound("User", "用户");
        return new GetCurrentUserResponse { User = ProtoMapping.User(user) };
    }

    [AllowAnonymous]
    public override Task<StartOAuthLoginResponse> StartOAuthLogin(StartOAuthLoginRequest request, ServerCallContext context)
    {
        var provider = RequestParsing.Enum<ExternalProvider>((int)request.Provider, "provider");
        var options = ConfiguredProvider(provider);
        if (!options.RedirectUris.Contains(request.RedirectUri, StringComparer.Ordinal))
        {
            throw Errors.InvalidField("redirect_uri", "REDIRECT_URI_NOT_ALLOWED", "This redirect URI is not registered for the provider.", "该回调地址未登记。");
        }

        var state = tokens.SignTicket("oauth-state", $"{(int)provider}|{request.RedirectUri}|{Ids.NewId("n")}", s_ticketLifetime);
        return Task.FromResult(new StartOAuthLoginResponse { AuthorizationUrl = oauth.AuthorizationUrl(provider, request.RedirectUri, state), State = state });
    }

    [AllowAnonymous]
    public override async Task<CompleteOAuthLoginResponse> CompleteOAuthLogin(CompleteOAuthLoginRequest request, ServerCallContext context)
    {
        var provider = RequestParsing.Enum<ExternalProvider>((int)request.Provider, "provider");
        ConfiguredProvider(provider);
        var state = tokens.ReadTicket("oauth-state", request.State)?.Split('|');
        if (state is not { Length: 3 } || state[0] != ((int)provider).ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw Errors.InvalidField("state", "OAUTH_STATE_INVALID", "The login attempt expired or was tampered with; start again.", "第三方登录已过期或被篡改，请重新开始。");
        }

        var code = RequestParsing.Required(request.Code, "code", "Authorization code", "授权码");
        var identity = await oauth.ExchangeAsync(provider, code, state[1], context.CancellationToken);
        var owner = await grains.GetGrain<IUniqueClaimGrain>(ExternalKey(identity.Provider, identity.Subject)).GetOwnerAsync();
        if (owner is null)
        {
            var ticket = tokens.SignTicket("oauth-link", $"{(int)identity.Provider}|{identity.Subject}", s_ticketLifetime);
            return new CompleteOAuthLoginResponse { LinkTicket = ticket, ProviderNickname = identity.Nickname };
        }

        var grant = await grains.GetGrain<IUserGrain>(owner).StartSessionAsync();
        return new CompleteOAuthLoginResponse
        {
            Session = new Session { User = ProtoMapping.User(grant.User), Tokens = Tokens(grant) },
            ProviderNickname = identity.Nickname,
        };
    }

    public override async Task<LinkOAuthIdentityResponse> LinkOAuthIdentity(LinkOAuthIdentityRequest request, ServerCallContext context)
    {
        var external = ReadLinkTicket(request.LinkTicket);
        return new LinkOAuthIdentityResponse { User = ProtoMapping.User(await LinkAsync(context.Caller().UserId, external)) };
    }

    private async Task<UserView> LinkAsync(string userId, (ExternalProvider Provider, string Subject) external)
    {
        if (await grains.GetGrain<IUniqueClaimGrain>(ExternalKey(external.Provider, external.Subject)).ClaimAsync(userId) != userId)
        {
            throw new DomainException(ErrorKind.AlreadyExists, "EXTERNAL_IDENTITY_TAKEN", "This third-party account is already bound to another user.", "该第三方账号已绑定其他用户。");
        }

        return await grains.GetGrain<IUserGrain>(userId).LinkExternalAsync(external.Provider, external.Subject);
    }

    private (ExternalProvider Provider, string Subject) ReadLinkTicket(string ticket)
    {
        var parts = tokens.ReadTicket("oauth-link", ticket)?.Split('|', 2);
        return parts is { Length: 2 } && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var provider)
            ? ((ExternalProvider)provider, parts[1])
            : throw Errors.InvalidField("oauth_link_ticket", "LINK_TICKET_INVALID", "The third-party binding expired; log in with the provider again.", "第三方账号绑定已过期，请重新授权。");
    }

    private OAuthProviderOptions ConfiguredProvider(ExternalProvider provider)
    {
        var options = oauth.Options(provider);
        return options.IsConfigured
            ? options
            : throw Errors.Precondition("OAUTH_PROVIDER_NOT_CONFIGURED", $"{provider} login is not configured on this platform.", "该第三方登录方式尚未开通。");
    }

    private static string ExternalKey(ExternalProvider provider, string subject) => (provider == ExternalProvider.WeChat ? "wechat:" : "qq:") + subject;

    private Task<string?> OwnerOf(ContactAddress address) => grains.GetGrain<IUniqueClaimGrain>(address.Key).GetOwnerAsync();

    private TokenPair Tokens(SessionGrant grant)
    {
        var (access, expires) = tokens.IssueAccessToken(grant);
        return new TokenPair
        {
            AccessToken = access,
            AccessTokenExpireTime = ProtoMapping.Time(expires),
            RefreshToken = grant.RefreshToken,
            RefreshTokenExpireTime = ProtoMapping.Time(grant.RefreshTokenExpiresAt),
        };
    }
}
