using System.Globalization;
using System.Security.Claims;
using B2BTrade.Grains;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace B2BTrade.GrpcApi.Auth;

/// <summary>
/// After a JWT's signature and lifetime check out, confirms with the user's grain that its session is still live
/// and its security stamp current, so logout, logout-everywhere and password changes take effect at once,
/// and operator rights come from the account, not from a token claim.
/// </summary>
public static class SessionValidation
{
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
        var check = await grains.GetGrain<IUserGrain>(userId).CheckSessionAsync(sessionId, stamp);
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
}
