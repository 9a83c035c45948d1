using System.Collections.Concurrent;
using System.Web;
using B2BTrade.Protos.Identity.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>
/// A local OAuth 2.0 provider speaking both dialects the platform supports, started by the tests on a loopback port:
/// WeChat open platform (qrconnect → access_token with openid/unionid → userinfo) and QQ Connect
/// (authorize → token → me (openid) → get_user_info).
/// </summary>
public sealed class FakeOAuthProvider : IAsyncDisposable
{
    public const string AppId = "wx-test-app";
    public const string AppSecret = "wx-test-secret";
    public const string QqAppId = "qq-test-app";
    public const string QqAppKey = "qq-test-key";
    private readonly ConcurrentDictionary<string, string> _codes = new();
    private readonly WebApplication _app;

    public FakeOAuthProvider()
    {
        Port = ApiFactory.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear(); // the API's appsettings.json sits in this folder too; its Kestrel endpoints must not apply here
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{Port}" });
        _app = builder.Build();
        _app.MapGet("/connect/qrconnect", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (q["appid"] != AppId || q["response_type"] != "code")
            {
                return Results.BadRequest();
            }

            var code = Guid.NewGuid().ToString("N");
            _codes[code] = q["test_user"].ToString();
            return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
        });
        _app.MapGet("/sns/oauth2/access_token", (HttpContext http) =>
        {
            var q = http.Request.Query;
            return q["appid"] == AppId && q["secret"] == AppSecret && q["grant_type"] == "authorization_code" && _codes.TryRemove(q["code"].ToString(), out var user)
                ? Results.Json(new { access_token = "at-" + user, expires_in = 7200, openid = "openid-" + user, unionid = "union-" + user })
                : Results.Json(new { errcode = 40029, errmsg = "invalid code" });
        });
        _app.MapGet("/sns/userinfo", (HttpContext http) =>
            http.Request.Query["access_token"].ToString().StartsWith("at-", StringComparison.Ordinal)
                ? Results.Json(new { openid = http.Request.Query["openid"].ToString(), nickname = "微信用户" + http.Request.Query["access_token"].ToString()[3..] })
                : Results.Json(new { errcode = 40001, errmsg = "invalid token" }));
        _app.MapGet("/oauth2.0/authorize", (HttpContext http) =>
        {
            var q = http.Request.Query;
            if (q["client_id"] != QqAppId || q["response_type"] != "code")
            {
                return Results.BadRequest();
            }

            var code = Guid.NewGuid().ToString("N");
            _codes[code] = q["test_user"].ToString() + "|" + q["redirect_uri"];
            return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
        });
        _app.MapGet("/oauth2.0/token", (HttpContext http) =>
        {
            var q = http.Request.Query;
            // QQ checks that the redirect_uri of the exchange equals the one of the authorization.
            return q["client_id"] == QqAppId && q["client_secret"] == QqAppKey && q["fmt"] == "json"
                && _codes.TryRemove(q["code"].ToString(), out var grant) && grant.Split('|')[1] == q["redirect_uri"]
                ? Results.Json(new { access_token = "qq-at-" + grant.Split('|')[0], expires_in = 7776000 })
                : Results.Json(new { error = 100019, error_description = "code to access token error" });
        });
        _app.MapGet("/oauth2.0/me", (HttpContext http) =>
            http.Request.Query["access_token"].ToString() is { } token && token.StartsWith("qq-at-", StringComparison.Ordinal)
                ? Results.Json(new { client_id = QqAppId, openid = "qq-openid-" + token[6..] })
                : Results.Json(new { error = 100016, error_description = "access token check failed" }));
        _app.MapGet("/user/get_user_info", (HttpContext http) =>
            http.Request.Query["oauth_consumer_key"] == QqAppId
                ? Results.Json(new { ret = 0, nickname = "QQ用户" + http.Request.Query["access_token"].ToString()[6..] })
                : Results.Json(new { ret = -1, msg = "client id mismatch" }));
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class OAuthApiFactory : ApiFactory
{
    public const string RedirectUri = "https://app.b2btrade.test/oauth/callback/wechat";
    public const string QqRedirectUri = "https://app.b2btrade.test/oauth/callback/qq";

    public FakeOAuthProvider Provider { get; } = new();

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("B2BTrade:OAuth:WeChat:ClientId", FakeOAuthProvider.AppId);
        builder.UseSetting("B2BTrade:OAuth:WeChat:ClientSecret", FakeOAuthProvider.AppSecret);
        builder.UseSetting("B2BTrade:OAuth:WeChat:AuthorizeEndpoint", Provider.BaseUrl + "/connect/qrconnect");
        builder.UseSetting("B2BTrade:OAuth:WeChat:TokenEndpoint", Provider.BaseUrl + "/sns/oauth2/access_token");
        builder.UseSetting("B2BTrade:OAuth:WeChat:UserInfoEndpoint", Provider.BaseUrl + "/sns/userinfo");
        builder.UseSetting("B2BTrade:OAuth:WeChat:RedirectUris:0", RedirectUri);
        builder.UseSetting("B2BTrade:OAuth:QQ:ClientId", FakeOAuthProvider.QqAppId);
        builder.UseSetting("B2BTrade:OAuth:QQ:ClientSecret", FakeOAuthProvider.QqAppKey);
        builder.UseSetting("B2BTrade:OAuth:QQ:AuthorizeEndpoint", Provider.BaseUrl + "/oauth2.0/authorize");
        builder.UseSetting("B2BTrade:OAuth:QQ:TokenEndpoint", Provider.BaseUrl + "/oauth2.0/token");
        builder.UseSetting("B2BTrade:OAuth:QQ:OpenIdEndpoint", Provider.BaseUrl + "/oauth2.0/me");
        builder.UseSetting("B2BTrade:OAuth:QQ:UserInfoEndpoint", Provider.BaseUrl + "/user/get_user_info");
        builder.UseSetting("B2BTrade:OAuth:QQ:RedirectUris:0", QqRedirectUri);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed class OAuthTests(OAuthApiFactory factory) : IClassFixture<OAuthApiFactory>
{
    private readonly Api _api = new(factory.NativeChannel(), factory);

    /// <summary>Plays the browser: opens the provider's authorization URL as the given provider user and follows the redirect back.</summary>
    private async Task<(string Code, string State)> AuthorizeAsBrowserAsync(string providerUser, OAuthProvider provider = OAuthProvider.Wechat)
    {
        var redirect = provider == OAuthProvider.Wechat ? OAuthApiFactory.RedirectUri : OAuthApiFactory.QqRedirectUri;
        var start = await _api.Identity.StartOAuthLoginAsync(new StartOAuthLoginRequest { Provider = provider, RedirectUri = redirect });
        Assert.StartsWith(factory.Provider.BaseUrl, start.AuthorizationUrl, StringComparison.Ordinal);
        var url = start.AuthorizationUrl.Split('#')[0] + "&test_user=" + providerUser;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(new Uri(url));
        var location = response.Headers.Location!;
        Assert.StartsWith(redirect, location.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(start.State, query["state"]);
        return (query["code"]!, query["state"]!);
    }

    [Fact]
    public async Task NewWeChatIdentityRegistersBoundAndLaterLogsStraightIn()
    {
        var providerUser = "alice" + Guid.NewGuid().ToString("N")[..6];
        var (code, state) = await AuthorizeAsBrowserAsync(providerUser);
        var first = await _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Wechat, Code = code, State = state });
        Assert.Equal(CompleteOAuthLoginResponse.OutcomeOneofCase.LinkTicket, first.OutcomeCase);
        Assert.Equal("微信用户" + providerUser, first.ProviderNickname);

        var phone = Api.UniquePhone();
        await _api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Phone(phone), Purpose = VerificationPurpose.Register });
        var registered = await _api.Identity.RegisterAsync(new RegisterRequest
        {
            Address = Api.Phone(phone),
            Code = await _api.LatestCodeAsync("+86" + phone),
            Password = Api.StrongPassword,
            AccountKind = AccountKind.Enterprise,
            DisplayName = "微信注册用户",
            OauthLinkTicket = first.LinkTicket,
        });
        Assert.Contains(OAuthProvider.Wechat, registered.User.LinkedProviders);

        var (again, againState) = await AuthorizeAsBrowserAsync(providerUser);
        var second = await _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Wechat, Code = again, State = againState });
        Assert.Equal(CompleteOAuthLoginResponse.OutcomeOneofCase.Session, second.OutcomeCase);
        Assert.Equal(registered.User.UserId, second.Session.User.UserId);
        await _api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest(), Api.Bearer(second.Session.Tokens.AccessToken));
    }

    [Fact]
    public async Task ExistingAccountBindsAWeChatIdentityOnce()
    {
        var owner = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()));
        var providerUser = "bob" + Guid.NewGuid().ToString("N")[..6];
        var (code, state) = await AuthorizeAsBrowserAsync(providerUser);
        var outcome = await _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Wechat, Code = code, State = state });
        var linked = await _api.Identity.LinkOAuthIdentityAsync(new LinkOAuthIdentityRequest { LinkTicket = outcome.LinkTicket }, Api.Bearer(owner.Tokens.AccessToken));
        Assert.Contains(OAuthProvider.Wechat, linked.User.LinkedProviders);

        var other = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()));
        await RpcAssert.ThrowsAsync(StatusCode.AlreadyExists, () => _api.Identity.LinkOAuthIdentityAsync(new LinkOAuthIdentityRequest { LinkTicket = outcome.LinkTicket }, Api.Bearer(other.Tokens.AccessToken)).ResponseAsync, "EXTERNAL_IDENTITY_TAKEN");
    }

    [Fact]
    public async Task ForgedStateReusedCodeAndUnregisteredRedirectAreRefused()
    {
        var (code, state) = await AuthorizeAsBrowserAsync("carol");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Wechat, Code = code, State = state[..^2] + "xx" }).ResponseAsync, "OAUTH_STATE_INVALID");
        await _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Wechat, Code = code, State = state });
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Wechat, Code = code, State = state }).ResponseAsync, "OAUTH_CODE_REJECTED");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.StartOAuthLoginAsync(new StartOAuthLoginRequest { Provider = OAuthProvider.Wechat, RedirectUri = "https://evil.example/steal" }).ResponseAsync, "REDIRECT_URI_NOT_ALLOWED");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.StartOAuthLoginAsync(new StartOAuthLoginRequest { Provider = OAuthProvider.Qq, RedirectUri = OAuthApiFactory.RedirectUri }).ResponseAsync, "REDIRECT_URI_NOT_ALLOWED");
    }

    [Fact]
    public async Task QqLoginLinksAnExistingAccountAndThenLogsIn()
    {
        var owner = await _api.RegisterAsync(Api.Email(Api.UniqueEmail()));
        var providerUser = "dave" + Guid.NewGuid().ToString("N")[..6];
        var (code, state) = await AuthorizeAsBrowserAsync(providerUser, OAuthProvider.Qq);
        var outcome = await _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Qq, Code = code, State = state });
        Assert.Equal("QQ用户" + providerUser, outcome.ProviderNickname);
        var linked = await _api.Identity.LinkOAuthIdentityAsync(new LinkOAuthIdentityRequest { LinkTicket = outcome.LinkTicket }, Api.Bearer(owner.Tokens.AccessToken));
        Assert.Contains(OAuthProvider.Qq, linked.User.LinkedProviders);

        var (again, againState) = await AuthorizeAsBrowserAsync(providerUser, OAuthProvider.Qq);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Wechat, Code = again, State = againState }).ResponseAsync, "OAUTH_STATE_INVALID");
        var session = await _api.Identity.CompleteOAuthLoginAsync(new CompleteOAuthLoginRequest { Provider = OAuthProvider.Qq, Code = again, State = againState });
        Assert.Equal(owner.User.UserId, session.Session.User.UserId);
    }
}

public sealed class LowIpLimitApiFactory : ApiFactory
{
    protected override int CodesPerIpPerHour => 3;

    protected override int PasswordFailuresPerIpPerHour => 6;
}

public sealed class RateLimitTests(LowIpLimitApiFactory factory) : IClassFixture<LowIpLimitApiFactory>
{
    [Fact]
    public async Task OneNetworkCannotRequestCodesForManyAddresses()
    {
        var api = new Api(factory.NativeChannel(), factory);
        for (var i = 0; i < 3; i++)
        {
            await api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(Api.UniqueEmail()), Purpose = VerificationPurpose.Register });
        }

        var error = await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(Api.UniqueEmail()), Purpose = VerificationPurpose.Register }).ResponseAsync, "CODE_IP_LIMIT");
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["retry_after_seconds"]);
        factory.Time.Advance(TimeSpan.FromHours(1));
        await api.Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = Api.Email(Api.UniqueEmail()), Purpose = VerificationPurpose.Register });
    }

    [Fact]
    public async Task OneNetworkCannotSprayPasswordsOverManyAddresses()
    {
        var api = new Api(factory.NativeChannel(), factory);
        Task<LoginWithPasswordResponse> Guess() => api.Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Api.Email(Api.UniqueEmail()), Password = "Spray#2026pass" }).ResponseAsync;

        // Six wrong passwords on six addresses (one each, far below any address's lock), then the network is refused.
        for (var i = 0; i < 6; i++)
        {
            await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, Guess, "INVALID_CREDENTIALS");
        }

        var error = await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, Guess, "LOGIN_IP_LIMIT");
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Metadata["retry_after_seconds"]);
        factory.Time.Advance(TimeSpan.FromHours(1));
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, Guess, "INVALID_CREDENTIALS");
    }
}
