using Grpc.Core;

namespace B2BTrade.Client;

/// <summary>What the pipeline needs to know about a call.</summary>
/// <param name="Authenticated">Sends the bearer token (refreshing it first when needed) and refreshes once on UNAUTHENTICATED.</param>
/// <param name="Idempotent">Safe to repeat after UNAVAILABLE or DEADLINE_EXCEEDED: reads, calls with a request id.</param>
internal readonly record struct CallPolicy(bool Authenticated, bool Idempotent)
{
    /// <summary>A read: authenticated and safe to repeat.</summary>
    public static CallPolicy Read => new(true, true);

    /// <summary>A change that carries a request id or is otherwise safe to repeat.</summary>
    public static CallPolicy IdempotentWrite => new(true, true);

    /// <summary>A change that must not be repeated blindly.</summary>
    public static CallPolicy Write => new(true, false);

    /// <summary>A call made before signing in (login, register, codes, refresh); never repeated blindly.</summary>
    public static CallPolicy Anonymous => new(false, false);
}

/// <summary>
/// Runs every SDK call: deadline, authorization and accept-language headers, proactive and reactive token refresh,
/// bounded retries, and translation of <see cref="RpcException"/> into <see cref="B2BTradeException"/>.
/// </summary>
internal sealed class CallPipeline(B2BTradeClientOptions options, TokenManager tokens, RetryPolicy retry, TimeProvider time)
{
    public TokenManager Tokens => tokens;

    /// <summary>The retry policy, for calls that repeat parts of their work themselves (bulk items, watch reconnects).</summary>
    public RetryPolicy Retry => retry;

    /// <summary>The clock behind backoff waits.</summary>
    public TimeProvider Time => time;

    /// <summary>Runs <paramref name="attempt"/> until it succeeds or fails for good.</summary>
    /// <param name="attempt">One attempt of the call with the given options; the same request object is sent each time.</param>
    /// <param name="policy">Authentication and idempotency of the call.</param>
    /// <param name="deadline">Absolute caller deadline for all attempts, or null for <see cref="B2BTradeClientOptions.DefaultDeadline"/> per attempt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="canRepeat">Optional extra check before any repeat, e.g. "no bytes written yet" for downloads.</param>
    public async Task<T> RunAsync<T>(
        Func<CallOptions, Task<T>> attempt,
        CallPolicy policy,
        DateTime? deadline,
        CancellationToken cancellationToken,
        Func<bool>? canRepeat = null)
    {
        var absoluteDeadline = ToUtc(deadline);
        var retries = 0;
        var refreshed = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var accessToken = policy.Authenticated ? await tokens.GetAccessTokenAsync(cancellationToken) : null;
            var callOptions = BuildCallOptions(accessToken, absoluteDeadline, cancellationToken);
            try
            {
                return await attempt(callOptions);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                var repeatable = canRepeat?.Invoke() ?? true;

                // The server refused the token before doing anything, so one retry with a fresh token is always safe.
                if (ex.StatusCode == StatusCode.Unauthenticated && policy.Authenticated && accessToken is not null && !refreshed && repeatable)
                {
                    refreshed = true;
                    if (await tokens.RefreshAfterRejectionAsync(accessToken, cancellationToken) is not null)
                    {
                        continue;
                    }
                }

                if (repeatable && retry.ShouldRetry(ex, policy.Idempotent, retries))
                {
                    var delay = retry.GetDelay(retries);
                    if (absoluteDeadline is null || time.GetUtcNow().UtcDateTime + delay < absoluteDeadline)
                    {
                        retries++;
                        await Task.Delay(delay, time, cancellationToken);
                        continue;
                    }
                }

                throw B2BTradeException.FromRpcException(ex);
            }
        }
    }

    /// <summary>A caller's deadline in UTC: local times are converted, unspecified ones taken as UTC.</summary>
    public static DateTime? ToUtc(DateTime? deadline) =>
        deadline is { } d ? (d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null;

    /// <summary>Headers and deadline of one attempt; also used for calls outside the pipeline.</summary>
    public CallOptions BuildCallOptions(string? accessToken, DateTime? absoluteDeadline, CancellationToken cancellationToken)
    {
        var attemptDeadline = absoluteDeadline ?? time.GetUtcNow().UtcDateTime + options.DefaultDeadline;
        return new CallOptions(Headers(accessToken), attemptDeadline, cancellationToken);
    }

    /// <summary>Headers of a long-lived stream: no deadline, it lasts until the caller cancels.</summary>
    public CallOptions BuildStreamingCallOptions(string? accessToken, CancellationToken cancellationToken) =>
        new(Headers(accessToken), deadline: null, cancellationToken);

    private Metadata Headers(string? accessToken)
    {
        var headers = new Metadata { { "accept-language", options.Language } };
        if (!string.IsNullOrEmpty(accessToken))
        {
            headers.Add("authorization", "Bearer " + accessToken);
        }

        return headers;
    }
}
