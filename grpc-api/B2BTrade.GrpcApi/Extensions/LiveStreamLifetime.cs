using B2BTrade.Domain.Common;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Extensions;

/// <summary>
/// How long a server stream lives: until the client leaves, its access token expires, or this node shuts down.
/// The stream then ends with the status that tells a client what to do: reopen after a token refresh
/// (UNAUTHENTICATED ACCESS_TOKEN_EXPIRED) or reconnect, possibly to another node (UNAVAILABLE SERVER_STOPPING).
/// </summary>
public sealed class LiveStreamLifetime : IDisposable
{
    private readonly ServerCallContext _context;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenSource _source;

    public LiveStreamLifetime(ServerCallContext context, TimeProvider time, IHostApplicationLifetime host)
    {
        _context = context;
        _stopping = host.ApplicationStopping;
        _source = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping);
        var left = context.AccessTokenExpiry() - time.GetUtcNow();
        _source.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True when the client itself went away: nothing more may be written.</summary>
    public bool ClientGone => _context.CancellationToken.IsCancellationRequested;

    /// <summary>Ends the stream once <see cref="Token"/> fired: silently if the client left, otherwise with the reason.</summary>
    public void End()
    {
        if (ClientGone)
        {
            return;
        }

        throw _stopping.IsCancellationRequested
            ? new DomainException(ErrorKind.Unavailable, "SERVER_STOPPING", "This server is shutting down; reconnect.", "服务器正在重启，请重新连接。")
            : Errors.Unauthenticated("ACCESS_TOKEN_EXPIRED", "The access token expired; refresh it and watch again.", "登录凭证已过期，请刷新后重新订阅。");
    }

    public void Dispose() => _source.Dispose();
}
