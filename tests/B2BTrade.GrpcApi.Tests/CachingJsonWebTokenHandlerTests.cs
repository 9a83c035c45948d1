using System.Security.Claims;
using System.Security.Cryptography;
using B2BTrade.GrpcApi.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>The validated-token cache: what it remembers, and what it must never let through.</summary>
public sealed class CachingJsonWebTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));
    private readonly ShiftedTimeProvider _time = new();

    [Fact]
    public async Task ASecondUseOfAValidTokenIsAnsweredFromTheCacheWithAFreshIdentity()
    {
        var handler = Handler();
        var token = Issue("u_1", TimeSpan.FromMinutes(15));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, handler.Count);
        Assert.Same(first.SecurityToken, second.SecurityToken);
        Assert.Equal("u_1", second.ClaimsIdentity.FindFirst("sub")?.Value);

        // What one request adds to its identity must not reach the next request's.
        second.ClaimsIdentity.AddClaim(new Claim("b2b_op", "1"));
        var third = await handler.ValidateTokenAsync(token, Parameters());
        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
        Assert.Null(third.ClaimsIdentity.FindFirst("b2b_op"));
    }

    [Fact]
    public async Task ARememberedTokenIsRefusedOnceItExpires()
    {
        var handler = Handler();
        var token = Issue("u_2", TimeSpan.FromMinutes(15));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        _time.Advance(TimeSpan.FromMinutes(16));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task AChangedSignatureIsCheckedInFullAndRefusedWhileTheOriginalIsRemembered()
    {
        var handler = Handler();
        var token = Issue("u_3", TimeSpan.FromMinutes(15));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        // A character inside the signature (the last one also holds padding bits, which decode the same).
        var at = token.Length - 10;
        var tampered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenClaims.Issuer,
            Audience = TokenClaims.Audience,
            Expires = _time.GetUtcNow().AddMinutes(15).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", "u_3")]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256),
        });

        Assert.False((await handler.ValidateTokenAsync(tampered, Parameters())).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters())).IsValid);
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task TheCacheStaysWithinItsCapacity()
    {
        var handler = Handler(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await handler.ValidateTokenAsync(Issue("u_" + i, TimeSpan.FromMinutes(15)), Parameters())).IsValid);
            Assert.InRange(handler.Count, 1, 3);
        }
    }

    [Fact]
    public async Task ExpiredEntriesMakeRoomBeforeLiveOnes()
    {
        var handler = Handler(capacity: 2);
        var shortLived = Issue("u_short", TimeSpan.FromMinutes(1));
        var longLived = Issue("u_long", TimeSpan.FromMinutes(15));
        await handler.ValidateTokenAsync(shortLived, Parameters());
        await handler.ValidateTokenAsync(longLived, Parameters());

        _time.Advance(TimeSpan.FromMinutes(2));
        await handler.ValidateTokenAsync(Issue("u_new", TimeSpan.FromMinutes(15)), Parameters());

        // The expired token went to make room; the live one stayed remembered.
        Assert.Equal(2, handler.Count);
        var again = await handler.ValidateTokenAsync(longLived, Parameters());
        Assert.True(again.IsValid);
        Assert.Equal(2, handler.Count);
    }

    private CachingJsonWebTokenHandler Handler(int capacity = CachingJsonWebTokenHandler.DefaultCapacity) => new(IsWithinLifetime, capacity);

    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return (notBefore is null || notBefore.Value <= now) && expires is not null && expires.Value > now;
    }

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = TokenClaims.Issuer,
        ValidAudience = TokenClaims.Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires),
    };

    private string Issue(string subject, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenClaims.Issuer,
            Audience = TokenClaims.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
