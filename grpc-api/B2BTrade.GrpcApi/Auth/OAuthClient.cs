using System.Text.Json;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;

namespace B2BTrade.GrpcApi.Auth;

/// <summary>One provider's endpoints and credentials (B2BTrade:OAuth:WeChat / B2BTrade:OAuth:QQ).</summary>
public sealed class OAuthProviderOptions
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string AuthorizeEndpoint { get; set; } = "";
    public string TokenEndpoint { get; set; } = "";
    public string UserInfoEndpoint { get; set; } = "";

    /// <summary>QQ only: the endpoint that maps an access token to an openid.</summary>
    public string OpenIdEndpoint { get; set; } = "";

    /// <summary>Redirect URIs the web app may ask the provider to come back to (exact match).</summary>
    public List<string> RedirectUris { get; set; } = [];

    public bool IsConfigured => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(TokenEndpoint) && !string.IsNullOrEmpty(AuthorizeEndpoint);
}

public sealed record ExternalIdentity(ExternalProvider Provider, string Subject, string Nickname);

/// <summary>
/// The server side of the OAuth 2.0 authorization-code flow for WeChat (open platform, snsapi_login) and QQ Connect.
/// Both providers answer JSON; the client secret never leaves the server.
/// </summary>
public sealed class OAuthClient(IHttpClientFactory httpClients, IConfiguration configuration)
{
    public OAuthProviderOptions Options(ExternalProvider provider) =>
        configuration.GetSection($"B2BTrade:OAuth:{provider}").Get<OAuthProviderOptions>() ?? new OAuthProviderOptions();

    public string AuthorizationUrl(ExternalProvider provider, string redirectUri, string state)
    {
        var o = Options(provider);
        var redirect = Uri.EscapeDataString(redirectUri);
        return provider == ExternalProvider.WeChat
            ? $"{o.AuthorizeEndpoint}?appid={Uri.EscapeDataString(o.ClientId)}&redirect_uri={redirect}&response_type=code&scope=snsapi_login&state={Uri.EscapeDataString(state)}#wechat_redirect"
            : $"{o.AuthorizeEndpoint}?response_type=code&client_id={Uri.EscapeDataString(o.ClientId)}&redirect_uri={redirect}&state={Uri.EscapeDataString(state)}&scope=get_user_info";
    }

    public async Task<ExternalIdentity> ExchangeAsync(ExternalProvider provider, string code, string redirectUri, CancellationToken cancellationToken)
    {
        var o = Options(provider);
        var http = httpClients.CreateClient("oauth");
        var c = Uri.EscapeDataString(code);
        if (provider == ExternalProvider.WeChat)
        {
            var token = await GetJsonAsync(http, $"{o.TokenEndpoint}?appid={Uri.EscapeDataString(o.ClientId)}&secret={Uri.EscapeDataString(o.ClientSecret)}&code={c}&grant_type=authorization_code", cancellationToken);
            var accessToken = Text(token, "access_token");
            var openId = Text(token, "openid");
            var subject = token.TryGetProperty("unionid", out var union) && union.GetString() is { Length: > 0 } u ? u : openId;
            var info = string.IsNullOrEmpty(o.UserInfoEndpoint) ? default : await GetJsonAsync(http, $"{o.UserInfoEndpoint}?access_token={Uri.EscapeDataString(accessToken)}&openid={Uri.EscapeDataString(openId)}", cancellationToken);
            return new ExternalIdentity(provider, subject, info.ValueKind == JsonValueKind.Object && info.TryGetProperty("nickname", out var nick) ? nick.GetString() ?? "" : "");
        }
        else
        {
            var token = await GetJsonAsync(http, $"{o.TokenEndpoint}?grant_type=authorization_code&client_id={Uri.EscapeDataString(o.ClientId)}&client_secret={Uri.EscapeDataString(o.ClientSecret)}&code={c}&redirect_uri={Uri.EscapeDataString(redirectUri)}&fmt=json", cancellationToken);
            var accessToken = Text(token, "access_token");
            var me = await GetJsonAsync(http, $"{o.OpenIdEndpoint}?access_token={Uri.EscapeDataString(accessToken)}&fmt=json", cancellationToken);
            var openId = Text(me, "openid");
            var info = string.IsNullOrEmpty(o.UserInfoEndpoint) ? default : await GetJsonAsync(http, $"{o.UserInfoEndpoint}?access_token={Uri.EscapeDataString(accessToken)}&oauth_consumer_key={Uri.EscapeDataString(o.ClientId)}&openid={Uri.EscapeDataString(openId)}", cancellationToken);
            return new ExternalIdentity(provider, openId, info.ValueKind == JsonValueKind.Object && info.TryGetProperty("nickname", out var nick) ? nick.GetString() ?? "" : "");
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement.Clone();
            if (!response.IsSuccessStatusCode || root.TryGetProperty("errcode", out var errcode) && errcode.ValueKind == JsonValueKind.Number && errcode.GetInt32() != 0
                || root.TryGetProperty("error", out _))
            {
                throw ProviderRejected();
            }

            return root;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DomainException(ErrorKind.ResourceExhausted, "OAUTH_PROVIDER_UNAVAILABLE", "The login provider did not answer; try again.", "第三方登录服务暂时无响应，请重试。");
        }
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text ? text : throw ProviderRejected();

    private static DomainException ProviderRejected() =>
        Errors.InvalidField("code", "OAUTH_CODE_REJECTED", "The login provider rejected the authorization code; start the login again.", "第三方登录授权码无效，请重新登录。");
}
