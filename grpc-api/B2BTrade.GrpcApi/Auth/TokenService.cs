using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using B2BTrade.Grains;
using B2BTrade.Silo.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace B2BTrade.GrpcApi.Auth;

public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Session = "sid";
    public const string Stamp = "sst";
    public const string Operator = "b2b_op";
    public const string Name = "b2b_name";
    public const string Issuer = "b2btrade";
    public const string Audience = "b2btrade-api";
}

/// <summary>
/// Issues short-lived access tokens (HS256 JWT, 15 minutes) and signs small server-side tickets (OAuth state,
/// link tickets). The key comes from B2BTrade:Auth:SigningKey; a single node generates one into its data folder.
/// </summary>
public sealed class TokenService
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(15);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;
    private readonly byte[] _key;

    public TokenService(IConfiguration configuration, B2BTradeOptions options, TimeProvider time)
    {
        _time = time;
        _key = LoadKey(configuration["B2BTrade:Auth:SigningKey"], options);
        SigningKey = new SymmetricSecurityKey(_key) { KeyId = "b2btrade-1" };
    }

    public SymmetricSecurityKey SigningKey { get; }

    public (string Token, DateTimeOffset ExpiresAt) IssueAccessToken(SessionGrant grant)
    {
        var now = _time.GetUtcNow();
        var expires = now + AccessTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenClaims.Issuer,
            Audience = TokenClaims.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(TokenClaims.Subject, grant.User.UserId),
                new Claim(TokenClaims.Session, grant.SessionId),
                new Claim(TokenClaims.Stamp, grant.SecurityStamp.ToString(CultureInfo.InvariantCulture)),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = TokenClaims.Issuer,
        ValidAudience = TokenClaims.Audience,
        IssuerSigningKey = SigningKey,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = TokenClaims.Subject,
        LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires),
    };

    /// <summary>
    /// Lifetimes are judged by the platform's clock (the injected TimeProvider), like every other deadline, with 30 s
    /// of skew either way.
    /// </summary>
    public bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromSeconds(30);
        return (notBefore is null || notBefore.Value <= now + skew) && expires is not null && expires.Value > now - skew;
    }

    /// <summary>Signs "purpose|payload|expiry" so the server can trust it back without storing it (works on any node).</summary>
    public string SignTicket(string purpose, string payload, TimeSpan lifetime)
    {
        var expires = (_time.GetUtcNow() + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = Base64Url(Encoding.UTF8.GetBytes(payload)) + "." + expires;
        return body + "." + Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "|" + body)));
    }

    /// <summary>The payload of a valid, unexpired ticket for the purpose, or null.</summary>
    public string? ReadTicket(string purpose, string? ticket)
    {
        var parts = (ticket ?? "").Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "|" + parts[0] + "." + parts[1]));
        byte[] presented;
        try
        {
            presented = FromBase64Url(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, presented) || _time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return null;
        }

        return Encoding.UTF8.GetString(FromBase64Url(parts[0]));
    }

    private static byte[] LoadKey(string? configured, B2BTradeOptions options)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var key = Convert.FromBase64String(configured);
            return key.Length >= 32 ? key : throw new InvalidOperationException("B2BTrade:Auth:SigningKey must be at least 32 bytes (base64).");
        }

        if (options.Mode == RunMode.Cluster)
        {
            throw new InvalidOperationException("Cluster mode needs B2BTrade:Auth:SigningKey so every API node accepts the same tokens.");
        }

        var path = Path.Combine(options.DataDirFullPath, "keys", "token-signing.key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var generated = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(generated));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return generated;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }
}
