using System.Globalization;
using System.Security.Claims;
using B2BTrade.Domain.Common;
using B2BTrade.Grains;
using B2BTrade.GrpcApi.Interceptors;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace B2BTrade.GrpcApi.Auth;

/// <summary>
/// After a JWT's signature and lifetime check out, confirms with the user's grain that its session is still live
/// and its security stamp current, so logout, logout-everywhere and password changes take effect at once,
/// and operator rights come from the account, not from a token claim.
/// </summary>
public static class SessionValidation
{
    private const string ClusterUnavailable = "b2btrade.session-check-unavailable";

    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        var userId = principal?.FindFirst(TokenClaims.Subject)?.Value;
        var sessionId = principal?.FindFirst(TokenClaims.Session)?.Value;
        if (userId is null || sessionId is null
            || !long.TryParse(principal!.FindFirst(TokenClaims.Stamp)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var stamp))
        {
            context.Fail("Malformed token.");
            return;
        }

        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        SessionCheck check;
        try
        {
            check = await grains.GetGrain<IUserGrain>(userId).CheckSessionAsync(sessionId, stamp);
        }
        catch (Exception e) when (ErrorInterceptor.IsTransient(e))
        {
            // Not the caller's fault: answer UNAVAILABLE so clients retry, never UNAUTHENTICATED (which would log them out).
            context.HttpContext.Items[ClusterUnavailable] = true;
            context.Fail("The session could not be checked: the cluster is unavailable.");
            return;
        }

        if (!check.IsLive)
        {
            context.Fail("The session has ended.");
            return;
        }

        var identity = new ClaimsIdentity([new Claim(TokenClaims.Name, check.DisplayName)]);
        if (check.IsOperator)
        {
            identity.AddClaim(new Claim(TokenClaims.Operator, "1"));
        }

        principal.AddIdentity(identity);
    }

    /// <summary>
    /// A missing, expired or revoked token answers as a gRPC status (trailers-only) carrying ErrorInfo and a localized
    /// message, like every other error, instead of a bare HTTP 401.
    /// </summary>
    public static Task OnChallengeAsync(JwtBearerChallengeContext context)
    {
        var http = context.HttpContext;
        if (http.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Task.CompletedTask;
        }

        context.HandleResponse();
        var language = http.Request.Headers.AcceptLanguage.ToString();
        var locale = language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en-US" : "zh-CN";
        var unavailable = http.Items.ContainsKey(ClusterUnavailable);
        var error = unavailable
            ? ErrorInterceptor.Unavailable
            : Errors.Unauthenticated("UNAUTHENTICATED", "Log in first; the session is missing, expired or ended.", "请先登录：登录信息缺失、已过期或已退出。");
        var status = ErrorInterceptor.ToRpcException(error, locale);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/grpc";
        http.Response.Headers["grpc-status"] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["grpc-message"] = Uri.EscapeDataString(error.Message);
        http.Response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.Trailers.GetValueBytes("grpc-status-details-bin") ?? []);
        return Task.CompletedTask;
    }
}
