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
/// A local OAuth 2.0 provider speaking the WeChat open-platform dialect: authorize (redirects back with a code),
/// access_token (code → token + openid/unionid), userinfo. Started by the tests on a loopback port.
/// </summary>
public sealed class FakeWeChatProvider : IAsyncDisposable
{
    public const string AppId = "wx-test-app";
    public const string AppSecret = "wx-test-secret";
    private readonly ConcurrentDictionary<string, string> _codes = new();
    private readonly WebApplication _app;

    public FakeWeChatProvider()
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
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class OAuthApiFactory : ApiFactory
{
    public const string RedirectUri = "https://app.b2btrade.test/oauth/callback/wechat";

    public FakeWeChatProvider Provider { get; } = new();

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("B2BTrade:OAuth:WeChat:ClientId", FakeWeChatProvider.AppId);
        builder.UseSetting("B2BTrade:OAuth:WeChat:ClientSecret", FakeWeChatProvider.AppSecret);
        builder.UseSetting("B2BTrade:OAuth:WeChat:AuthorizeEndpoint", Provider.BaseUrl + "/connect/qrconnect");
        builder.UseSetting("B2BTrade:OAuth:WeChat:TokenEndpoint", Provider.BaseUrl + "/sns/oauth2/access_token");
        builder.UseSetting("B2BTrade:OAuth:WeChat:UserInfoEndpoint", Provider.BaseUrl + "/sns/userinfo");
        builder.UseSetting("B2BTrade:OAuth:WeChat:RedirectUris:0", RedirectUri);
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
    private async Task<(string Code, string State)> AuthorizeAsBrowserAsync(string providerUser)
    {
        var start = await _api.Identity.StartOAuthLoginAsync(new StartOAuthLoginRequest { Provider = OAuthProvider.Wechat, RedirectUri = OAuthApiFactory.RedirectUri });
        Assert.StartsWith(factory.Provider.BaseUrl, start.AuthorizationUrl, StringComparison.Ordinal);
        var url = start.AuthorizationUrl.Split('#')[0] + "&test_user=" + providerUser;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(new Uri(url));
        var location = response.Headers.Location!;
        Assert.StartsWith(OAuthApiFactory.RedirectUri, location.ToString(), StringComparison.Ordinal);
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
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => _api.Identity.StartOAuthLoginAsync(new StartOAuthLoginRequest { Provider = OAuthProvider.Qq, RedirectUri = OAuthApiFactory.RedirectUri }).ResponseAsync, "OAUTH_PROVIDER_NOT_CONFIGURED");
    }
}

public sealed class LowIpLimitApiFactory : ApiFactory
{
    protected override int CodesPerIpPerHour => 3;
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
}
