using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using Grpc.Core;

namespace B2BTrade.GrpcApi;

public static class CallContextExtensions
{
    /// <summary>"zh-CN" unless the caller asked for English (accept-language starting with "en").</summary>
    public static string Locale(this ServerCallContext context)
    {
        var language = context.RequestHeaders.GetValue("accept-language") ?? "";
        return language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en-US" : "zh-CN";
    }

    /// <summary>The authenticated caller, resolved from a live session (see <see cref="Auth.SessionValidation"/>).</summary>
    public static Caller Caller(this ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        var id = user.FindFirst(Auth.TokenClaims.Subject)?.Value;
        return id is null
            ? throw Errors.Unauthenticated("UNAUTHENTICATED", "Log in first.", "请先登录。")
            : new Caller(id, user.HasClaim(Auth.TokenClaims.Operator, "1"), user.FindFirst(Auth.TokenClaims.Name)?.Value ?? "");
    }

    /// <summary>When the caller's access token expires; live streams end then (the client refreshes and reopens).</summary>
    public static DateTimeOffset AccessTokenExpiry(this ServerCallContext context) =>
        long.TryParse(context.GetHttpContext().User.FindFirst("exp")?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : DateTimeOffset.MaxValue;

    public static string SessionId(this ServerCallContext context) =>
        context.GetHttpContext().User.FindFirst(Auth.TokenClaims.Session)?.Value ?? "";

    /// <summary>The client's IP for rate limits. Proxies are not trusted unless configured; the direct peer counts.</summary>
    public static string ClientIp(this ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
