using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Contract.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Inbox.V1;
using B2BTrade.Protos.Negotiation.V1;
using B2BTrade.Protos.Operations.V1;
using B2BTrade.Protos.Order.V1;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace B2BTrade.Client;

/// <summary>
/// Typed client of the B2BTrade platform. One instance holds one channel and one signed-in session; share it across
/// threads and keep it for the life of the application. Every call gets a deadline, the bearer token (refreshed ahead
/// of expiry and once after an UNAUTHENTICATED answer), the <c>accept-language</c> header, safe retries, and typed
/// <see cref="B2BTradeException"/>s instead of <see cref="Grpc.Core.RpcException"/>.
/// </summary>
public sealed class B2BTradeClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly TokenManager _tokens;

    /// <summary>Creates a client; no connection is opened until the first call.</summary>
    /// <param name="options">Address, transport, deadline, language and retry settings.</param>
    public B2BTradeClient(B2BTradeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Address);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.DefaultDeadline, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);

        _channel = GrpcChannel.ForAddress(options.Address, CreateChannelOptions(options));
        var time = TimeProvider.System;
        var identityService = new IdentityService.IdentityServiceClient(_channel);
        CallPipeline? pipeline = null;
        _tokens = new TokenManager(
            (refreshToken, ct) => RefreshAsync(identityService, pipeline!, refreshToken, ct),
            time,
            options.TokenRefreshMargin,
            options.InitialTokens);
        pipeline = new CallPipeline(options, _tokens, new RetryPolicy(options.MaxRetries, options.InitialRetryBackoff, options.MaxRetryBackoff), time);

        Options = options;
        Identity = new IdentityClient(identityService, pipeline);
        Enterprises = new EnterprisesClient(new EnterpriseService.EnterpriseServiceClient(_channel), pipeline);
        Files = new FilesClient(new FileService.FileServiceClient(_channel), pipeline);
        Operations = new OperationsClient(new OperatorService.OperatorServiceClient(_channel), pipeline);
        Catalog = new CatalogClient(new CatalogService.CatalogServiceClient(_channel), pipeline);
        Negotiations = new NegotiationsClient(new NegotiationService.NegotiationServiceClient(_channel), Files, pipeline);
        Inbox = new InboxClient(new InboxService.InboxServiceClient(_channel), pipeline);
        Orders = new OrdersClient(new OrderService.OrderServiceClient(_channel), pipeline);
        Cart = new CartClient(new CartService.CartServiceClient(_channel), pipeline);
        Contracts = new ContractsClient(new ContractService.ContractServiceClient(_channel), pipeline);
        _tokens.TokensChanged += (_, e) => TokensChanged?.Invoke(this, e);
    }

    /// <summary>
    /// Raised whenever the session's tokens change: after login, register, password change, every refresh (the refresh
    /// token rotates, so persist the new one), and with null tokens when the session ends. Raised on the thread of the
    /// call that caused it, before that call continues; handlers should be quick and must not throw.
    /// </summary>
    public event EventHandler<B2BTradeTokensChangedEventArgs>? TokensChanged;

    /// <summary>The settings this client was created with.</summary>
    public B2BTradeClientOptions Options { get; }

    /// <summary>Registration, login, sessions and WeChat/QQ identities.</summary>
    public IdentityClient Identity { get; }

    /// <summary>Enterprises, verification, invitations and members.</summary>
    public EnterprisesClient Enterprises { get; }

    /// <summary>File upload and download.</summary>
    public FilesClient Files { get; }

    /// <summary>Platform operator work (operator accounts only).</summary>
    public OperationsClient Operations { get; }

    /// <summary>Categories, search, listings, ERP inventory sync and live listing updates.</summary>
    public CatalogClient Catalog { get; }

    /// <summary>Inquiries, RFQs, quotes, counter-offers and the chat of every negotiation thread, with live updates.</summary>
    public NegotiationsClient Negotiations { get; }

    /// <summary>The message center: notifications, unread counts and live push.</summary>
    public InboxClient Inbox { get; }

    /// <summary>Orders from negotiations or listing lines: price preview, placing with request ids, approval, seller answers, freight rules.</summary>
    public OrdersClient Orders { get; }

    /// <summary>The signed-in user's shopping cart.</summary>
    public CartClient Cart { get; }

    /// <summary>Electronic contracts of confirmed orders: download, signing keys, signatures and verification.</summary>
    public ContractsClient Contracts { get; }

    /// <summary>The current tokens, or null when signed out.</summary>
    public B2BTradeTokens? Tokens => _tokens.Current;

    /// <summary>
    /// The underlying channel, for calling generated clients of services this SDK does not wrap yet. Such calls get
    /// none of the SDK's headers, deadlines or retries.
    /// </summary>
    public GrpcChannel Channel => _channel;

    /// <summary>
    /// Replaces the session's tokens, e.g. with tokens persisted earlier, or with
    /// <see cref="B2BTradeTokens.FromRefreshToken"/> to refresh lazily before the next call. Null signs out locally.
    /// Raises <see cref="TokensChanged"/>.
    /// </summary>
    /// <param name="tokens">The tokens, or null.</param>
    public void SetTokens(B2BTradeTokens? tokens) => _tokens.Set(tokens);

    /// <summary>Closes the channel. Calls in flight are cancelled.</summary>
    public void Dispose()
    {
        _channel.Dispose();
        _tokens.Dispose();
    }

    private static async Task<B2BTradeTokens> RefreshAsync(IdentityService.IdentityServiceClient client, CallPipeline pipeline, string refreshToken, CancellationToken cancellationToken)
    {
        var request = new RefreshTokenRequest { RefreshToken = refreshToken };
        var response = await pipeline.RunAsync(o => client.RefreshTokenAsync(request, o).ResponseAsync, CallPolicy.Anonymous, null, cancellationToken);
        return B2BTradeTokens.FromProto(response.Tokens);
    }

    private static GrpcChannelOptions CreateChannelOptions(B2BTradeClientOptions options)
    {
        var channelOptions = new GrpcChannelOptions
        {
            // Left false on purpose: when true, an exceeded deadline also surfaces as OperationCanceledException and
            // could not be told apart from the caller's cancellation (the pipeline maps CANCELLED itself).
            ThrowOperationCanceledOnCancellation = false,
        };
        var inner = options.HttpMessageHandler;
        if (options.Transport == B2BTradeTransport.GrpcWeb)
        {
            // gRPC-Web (HTTP/1.1): the client owns the wrapper; the wrapper never disposes a caller's handler.
            channelOptions.HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, inner is null ? new HttpClientHandler() : new NonDisposingHandler(inner));
            channelOptions.HttpVersion = System.Net.HttpVersion.Version11;
            channelOptions.HttpVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            channelOptions.DisposeHttpClient = true;
        }
        else if (inner is not null)
        {
            channelOptions.HttpHandler = inner;
            channelOptions.DisposeHttpClient = false;
        }

        return channelOptions;
    }

    /// <summary>Lets the client dispose its gRPC-Web wrapper without disposing a handler the caller owns.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);
    }
}
