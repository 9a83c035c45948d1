using Grpc.Core;

namespace B2BTrade.Client;

/// <summary>
/// Decides whether a failed attempt may be repeated and how long to wait. Only UNAVAILABLE and DEADLINE_EXCEEDED are
/// transient, and only calls that are safe to repeat (reads, calls carrying a request id, offset-addressed chunks) are
/// retried; a call that provably never left this process (connection refused) is safe to repeat whatever it is.
/// </summary>
internal sealed class RetryPolicy(int maxRetries, TimeSpan initialBackoff, TimeSpan maxBackoff, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    public int MaxRetries { get; } = Math.Max(0, maxRetries);

    /// <summary>True when the attempt that failed with <paramref name="error"/> may be repeated after <paramref name="retriesSoFar"/> retries.</summary>
    public bool ShouldRetry(RpcException error, bool idempotent, int retriesSoFar)
    {
        if (retriesSoFar >= MaxRetries)
        {
            return false;
        }

        return error.StatusCode switch
        {
            StatusCode.Unavailable => idempotent || NeverReachedServer(error),
            StatusCode.DeadlineExceeded => idempotent,
            _ => false,
        };
    }

    /// <summary>Exponential backoff with jitter: a random wait between half and all of min(max, initial × 2^retries).</summary>
    public TimeSpan GetDelay(int retriesSoFar)
    {
        var exponential = initialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(retriesSoFar, 30));
        var capped = Math.Min(exponential, maxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (0.5 * _random())));
    }

    /// <summary>True when the connection could not be opened, so the server cannot have seen the request.</summary>
    internal static bool NeverReachedServer(RpcException error)
    {
        for (Exception? e = error.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }

        return false;
    }
}
