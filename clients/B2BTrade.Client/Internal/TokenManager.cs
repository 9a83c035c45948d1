namespace B2BTrade.Client;

/// <summary>
/// Holds the session's tokens and refreshes them single-flight: however many calls need a fresh token at once, one
/// refresh runs and the others reuse its result, so a refresh token is never presented twice (a reused spent refresh
/// token kills the session on the server).
/// </summary>
internal sealed class TokenManager : IDisposable
{
    private readonly Func<string, CancellationToken, Task<B2BTradeTokens>> _refresh;
    private readonly TimeProvider _time;
    private readonly TimeSpan _margin;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _sync = new();
    private B2BTradeTokens? _current;

    public TokenManager(Func<string, CancellationToken, Task<B2BTradeTokens>> refresh, TimeProvider time, TimeSpan margin, B2BTradeTokens? initial = null)
    {
        _refresh = refresh;
        _time = time;
        _margin = margin;
        _current = initial;
    }

    public event EventHandler<B2BTradeTokensChangedEventArgs>? TokensChanged;

    public B2BTradeTokens? Current
    {
        get
        {
            lock (_sync)
            {
                return _current;
            }
        }
    }

    /// <summary>Replaces the tokens (login, logout, restore) and raises <see cref="TokensChanged"/>.</summary>
    public void Set(B2BTradeTokens? tokens)
    {
        lock (_sync)
        {
            if (Equals(_current, tokens))
            {
                return;
            }

            _current = tokens;
        }

        TokensChanged?.Invoke(this, new B2BTradeTokensChangedEventArgs(tokens));
    }

    /// <summary>The access token to send, refreshed first when it expires within the margin; null when signed out.</summary>
    public async ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var tokens = Current;
        if (tokens is null)
        {
            return null;
        }

        return IsFresh(tokens) ? tokens.AccessToken : await RefreshAsync(tokens.AccessToken, cancellationToken);
    }

    /// <summary>
    /// Called when the server refused <paramref name="rejectedAccessToken"/>. Refreshes unless another caller already
    /// replaced that token. Returns the access token to retry with, or null when there is no session.
    /// </summary>
    public Task<string?> RefreshAfterRejectionAsync(string rejectedAccessToken, CancellationToken cancellationToken) =>
        RefreshAsync(rejectedAccessToken, cancellationToken, rejected: true);

    private async Task<string?> RefreshAsync(string staleAccessToken, CancellationToken cancellationToken, bool rejected = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var tokens = Current;
            if (tokens is null)
            {
                return null;
            }

            // Another caller refreshed while this one waited: use its result instead of spending the refresh token again.
            if (tokens.AccessToken != staleAccessToken && (rejected || IsFresh(tokens)))
            {
                return tokens.AccessToken;
            }

            B2BTradeTokens renewed;
            try
            {
                // Not the caller's token: a refresh cancelled after the server rotated would lose the only valid refresh token.
                renewed = await _refresh(tokens.RefreshToken, CancellationToken.None);
            }
            catch (B2BTradeException ex) when (ex.StatusCode == Grpc.Core.StatusCode.Unauthenticated)
            {
                // The refresh token is spent, expired or revoked: the session is over.
                Set(null);
                throw;
            }

            Set(renewed);
            return renewed.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(B2BTradeTokens tokens) =>
        !string.IsNullOrEmpty(tokens.AccessToken)
        && (tokens.AccessTokenExpiresAt == DateTimeOffset.MaxValue || tokens.AccessTokenExpiresAt - _time.GetUtcNow() > _margin);

    public void Dispose() => _gate.Dispose();
}
