using B2BTrade.Protos.Identity.V1;

namespace B2BTrade.Client;

/// <summary>The tokens of a signed-in session. Persist <see cref="RefreshToken"/> to resume later; it rotates on every refresh.</summary>
/// <param name="AccessToken">Bearer token sent as <c>authorization</c>; empty when only a refresh token is known.</param>
/// <param name="AccessTokenExpiresAt">When the access token stops working.</param>
/// <param name="RefreshToken">Single-use token that buys the next token pair.</param>
/// <param name="RefreshTokenExpiresAt">When the refresh token stops working; null when unknown.</param>
public sealed record B2BTradeTokens(
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string RefreshToken,
    DateTimeOffset? RefreshTokenExpiresAt)
{
    /// <summary>Tokens holding only a stored refresh token: the client refreshes before its first authenticated call.</summary>
    /// <param name="refreshToken">The refresh token persisted from <see cref="B2BTradeClient.TokensChanged"/>.</param>
    /// <returns>Tokens with an empty, already expired access token.</returns>
    public static B2BTradeTokens FromRefreshToken(string refreshToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        return new B2BTradeTokens(string.Empty, DateTimeOffset.MinValue, refreshToken, null);
    }

    /// <summary>Converts the server's token pair.</summary>
    /// <param name="pair">The <c>TokenPair</c> from a login, register or refresh answer.</param>
    /// <returns>The tokens.</returns>
    public static B2BTradeTokens FromProto(TokenPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new B2BTradeTokens(
            pair.AccessToken,
            pair.AccessTokenExpireTime?.ToDateTimeOffset() ?? DateTimeOffset.MaxValue,
            pair.RefreshToken,
            pair.RefreshTokenExpireTime?.ToDateTimeOffset());
    }

    /// <summary>Hides the tokens so they never reach a log by accident.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"B2BTradeTokens {{ AccessTokenExpiresAt = {AccessTokenExpiresAt:O}, RefreshTokenExpiresAt = {RefreshTokenExpiresAt:O} }}";
}

/// <summary>Arguments of <see cref="B2BTradeClient.TokensChanged"/>.</summary>
/// <param name="tokens">The new tokens, or null when the session ended.</param>
public sealed class B2BTradeTokensChangedEventArgs(B2BTradeTokens? tokens) : EventArgs
{
    /// <summary>The new tokens (persist <see cref="B2BTradeTokens.RefreshToken"/>), or null when the session ended (logout, or the server refused the refresh token).</summary>
    public B2BTradeTokens? Tokens { get; } = tokens;
}
