using B2BTrade.Protos.Identity.V1;
using Google.Protobuf.WellKnownTypes;

namespace B2BTrade.Client.Tests;

internal static class TestSupport
{
    public const string GetCurrentUser = "/b2btrade.identity.v1.IdentityService/GetCurrentUser";
    public const string RefreshToken = "/b2btrade.identity.v1.IdentityService/RefreshToken";
    public const string LoginWithPassword = "/b2btrade.identity.v1.IdentityService/LoginWithPassword";
    public const string CreateEnterprise = "/b2btrade.enterprise.v1.EnterpriseService/CreateEnterprise";
    public const string GetEnterprise = "/b2btrade.enterprise.v1.EnterpriseService/GetEnterprise";
    public const string UpdateEnterprise = "/b2btrade.enterprise.v1.EnterpriseService/UpdateEnterprise";
    public const string ListMyEnterprises = "/b2btrade.enterprise.v1.EnterpriseService/ListMyEnterprises";

    public static B2BTradeClient CreateClient(FakeGrpcServer server, int maxRetries = 3, B2BTradeTokens? tokens = null, string language = "zh-CN", B2BTradeTransport transport = B2BTradeTransport.NativeGrpc) =>
        new(new B2BTradeClientOptions
        {
            Address = new Uri("http://b2btrade.test"),
            HttpMessageHandler = server,
            Transport = transport,
            MaxRetries = maxRetries,
            InitialRetryBackoff = TimeSpan.FromMilliseconds(1),
            MaxRetryBackoff = TimeSpan.FromMilliseconds(5),
            Language = language,
            InitialTokens = tokens,
        });

    public static B2BTradeTokens Tokens(string access, string refresh, TimeSpan accessLifetime) =>
        new(access, DateTimeOffset.UtcNow + accessLifetime, refresh, DateTimeOffset.UtcNow.AddDays(7));

    public static TokenPair Pair(string access, string refresh, TimeSpan accessLifetime) => new()
    {
        AccessToken = access,
        AccessTokenExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + accessLifetime),
        RefreshToken = refresh,
        RefreshTokenExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(7)),
    };
}
