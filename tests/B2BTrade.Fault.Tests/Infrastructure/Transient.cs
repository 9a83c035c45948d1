using Grpc.Core;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Retries a call on the status codes a client must expect while a silo dies and the cluster heals.</summary>
internal static class Transient
{
    /// <summary>Deadline of one attempt.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private static readonly StatusCode[] s_retryable = [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.Aborted];

    public static bool IsRetryable(RpcException e) => s_retryable.Contains(e.StatusCode);

    /// <summary>
    /// Calls <paramref name="call"/> (given the attempt's deadline) until it succeeds, fails with a
    /// non-retryable status, or <paramref name="budget"/> has passed. <paramref name="onRetry"/> sees each retried failure.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<DateTime, Task<T>> call, TimeSpan budget, Action<RpcException>? onRetry = null)
    {
        var stop = DateTime.UtcNow + budget;
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await call(DateTime.UtcNow + AttemptTimeout);
            }
            catch (RpcException e) when (IsRetryable(e) && DateTime.UtcNow + pause < stop)
            {
                onRetry?.Invoke(e);
                await Task.Delay(pause);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 2000));
            }
        }
    }
}
