namespace B2BTrade.Client;

/// <summary>How the client talks to the server.</summary>
public enum B2BTradeTransport
{
    /// <summary>Native gRPC over HTTP/2 (cleartext <c>http://host:5081</c> uses HTTP/2 prior knowledge).</summary>
    NativeGrpc = 0,

    /// <summary>gRPC-Web over HTTP/1.1 (<c>http://host:5080</c>), for networks whose proxies do not pass HTTP/2.</summary>
    GrpcWeb = 1,
}

/// <summary>Settings of a <see cref="B2BTradeClient"/>.</summary>
public sealed class B2BTradeClientOptions
{
    /// <summary>Server address, e.g. <c>http://localhost:5081</c> for native gRPC or <c>http://localhost:5080</c> for gRPC-Web.</summary>
    public required Uri Address { get; init; }

    /// <summary>Native gRPC (default) or gRPC-Web.</summary>
    public B2BTradeTransport Transport { get; init; } = B2BTradeTransport.NativeGrpc;

    /// <summary>
    /// Deadline of each attempt of a call when the caller passes none (default 30 s). A deadline the caller passes
    /// is absolute and bounds every attempt and retry of that call.
    /// </summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Language of server error messages, sent as <c>accept-language</c>: <c>zh-CN</c> (default) or <c>en-US</c>.</summary>
    public string Language { get; init; } = "zh-CN";

    /// <summary>
    /// Optional HTTP handler for the channel, e.g. <c>WebApplicationFactory.Server.CreateHandler()</c> in tests or a
    /// handler with a proxy. The client never disposes it. When null the client creates and owns its own handler.
    /// </summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>
    /// How many times a call is retried after a transient failure (default 3; 0 disables retries). Only calls that are
    /// safe to repeat are retried: reads, calls carrying a request id, and any call that provably never reached the server.
    /// </summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Backoff before the first retry (default 200 ms); doubles on each further retry, with jitter.</summary>
    public TimeSpan InitialRetryBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of the backoff between two retries (default 5 s).</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long before the access token expires it is refreshed ahead of a call (default 60 s).
    /// </summary>
    public TimeSpan TokenRefreshMargin { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tokens to start with, e.g. persisted from an earlier <see cref="B2BTradeClient.TokensChanged"/> event.</summary>
    public B2BTradeTokens? InitialTokens { get; init; }
}
