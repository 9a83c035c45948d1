using System.Runtime.CompilerServices;
using Grpc.Core;

namespace B2BTrade.Client;

/// <summary>
/// Keeps a server-streaming watch open until the caller cancels: reopens it after the server ends it, after UNAVAILABLE
/// (with backoff) and after the access token expired (refreshing first). Any other error ends the watch with the typed
/// exception. The stream has no deadline.
/// </summary>
internal static class LiveStream
{
    private const string AccessTokenExpired = "ACCESS_TOKEN_EXPIRED";

    /// <summary>Follows a stream, opening it again as needed.</summary>
    /// <param name="pipeline">Tokens, backoff and clock.</param>
    /// <param name="open">
    /// Opens one connection with the given call options. Called again for every reopening, after the caller has handled
    /// every message received so far, so it can build its request from what the caller saw (e.g. a resume position).
    /// </param>
    /// <param name="cancellationToken">Ends the watch.</param>
    public static async IAsyncEnumerable<T> FollowAsync<T>(CallPipeline pipeline, Func<CallOptions, AsyncServerStreamingCall<T>> open, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var quietEnds = 0; // streams ended in a row without delivering a message
        var refusals = 0; // tokens refused in a row when opening (as opposed to expiring during a stream)
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var accessToken = await pipeline.Tokens.GetAccessTokenAsync(cancellationToken);
            using var call = open(pipeline.BuildStreamingCallOptions(accessToken, cancellationToken));
            RpcException? error = null;
            while (true)
            {
                bool received;
                try
                {
                    received = await call.ResponseStream.MoveNext(cancellationToken);
                }
                catch (RpcException ex)
                {
                    error = ex;
                    break;
                }

                if (!received)
                {
                    break;
                }

                (quietEnds, refusals) = (0, 0);
                yield return call.ResponseStream.Current;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The watch was cancelled.", error, cancellationToken);
            }

            quietEnds++;
            if (error is { StatusCode: StatusCode.Unauthenticated })
            {
                var translated = B2BTradeException.FromRpcException(error);
                var expired = translated.Reason == AccessTokenExpired;
                if (accessToken is null || (!expired && ++refusals > 1) || await RefreshAsync(pipeline, accessToken, cancellationToken) is null)
                {
                    throw translated;
                }

                // An expiry after messages reopens at once; repeated quiet ends back off like failures.
                if (quietEnds > 1)
                {
                    await Task.Delay(pipeline.Retry.GetDelay(quietEnds - 2), pipeline.Time, cancellationToken);
                }

                continue;
            }

            // A stream the server ended or lost (restart, network) is reopened; any other error is the caller's to see.
            if (error is not null && error.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled))
            {
                throw B2BTradeException.FromRpcException(error);
            }

            await Task.Delay(pipeline.Retry.GetDelay(quietEnds - 1), pipeline.Time, cancellationToken);
        }
    }

    /// <summary>Refreshes a watch's token; a transient failure of the refresh itself is waited out, not thrown.</summary>
    private static async Task<string?> RefreshAsync(CallPipeline pipeline, string staleAccessToken, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await pipeline.Tokens.RefreshAfterRejectionAsync(staleAccessToken, cancellationToken);
            }
            catch (B2BTradeException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                await Task.Delay(pipeline.Retry.GetDelay(attempt), pipeline.Time, cancellationToken);
            }
        }
    }
}
