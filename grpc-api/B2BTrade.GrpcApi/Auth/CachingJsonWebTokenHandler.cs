using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace B2BTrade.GrpcApi.Auth;

/// <summary>
/// Checks an access token's signature and claims once, then remembers the outcome until the token expires, so a
/// client that sends the same token with every call (a chat, an ERP pushing orders) does not pay for parsing and
/// HMAC on each one. Only the signature and claims checks are remembered: the lifetime is re-judged on every call,
/// and the session check (<see cref="SessionValidation"/>) still asks the user's grain each time, so logout and
/// password changes keep taking effect at once.
/// </summary>
/// <remarks>
/// The key is the whole token, signature included, so a token with any byte changed is a miss and is checked in full.
/// Failures are never remembered. The cache is bounded: when it is full, expired entries go first, then everything.
/// </remarks>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler
{
    /// <summary>An entry weighs about 5 KB (the parsed token, its identity and the token text), so at most about 20 MB.</summary>
    public const int DefaultCapacity = 4_096;

    private readonly ConcurrentDictionary<string, ValidatedToken> _validated = new(StringComparer.Ordinal);
    private readonly Func<DateTime?, DateTime?, bool> _isWithinLifetime;
    private readonly int _capacity;

    /// <param name="isWithinLifetime">The platform's lifetime rule (not-before, expires), judged on every call.</param>
    public CachingJsonWebTokenHandler(Func<DateTime?, DateTime?, bool> isWithinLifetime, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _isWithinLifetime = isWithinLifetime;
        _capacity = capacity;
        MapInboundClaims = false;
    }

    /// <summary>How many validated tokens are remembered now (for tests and diagnostics).</summary>
    public int Count => _validated.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_validated.TryGetValue(token, out var remembered))
        {
            if (_isWithinLifetime(remembered.Token.ValidFrom, remembered.Token.ValidTo))
            {
                // A fresh identity per request: callers add claims to the principal, never to what is remembered.
                return new TokenValidationResult { IsValid = true, ClaimsIdentity = remembered.Identity.Clone(), SecurityToken = remembered.Token };
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken validated && result.ClaimsIdentity is { } identity)
        {
            MakeRoom();
            _validated[token] = new ValidatedToken(validated, identity.Clone());
        }

        return result;
    }

    private void MakeRoom()
    {
        if (_validated.Count < _capacity)
        {
            return;
        }

        foreach (var (key, entry) in _validated)
        {
            if (!_isWithinLifetime(entry.Token.ValidFrom, entry.Token.ValidTo))
            {
                _validated.TryRemove(key, out _);
            }
        }

        if (_validated.Count >= _capacity)
        {
            _validated.Clear();
        }
    }

    private sealed record ValidatedToken(JsonWebToken Token, ClaimsIdentity Identity);
}
