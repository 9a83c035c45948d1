using B2BTrade.Domain.Common;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Runtime;
using Status = Google.Rpc.Status;

namespace B2BTrade.GrpcApi.Interceptors;

/// <summary>
/// The one place errors become gRPC statuses (AIP-193): domain errors carry ErrorInfo{reason, domain}, BadRequest
/// field violations and a LocalizedMessage in the caller's language; unknown failures become INTERNAL without details.
/// Every request's text is checked here first (<see cref="Mapping.RequestText"/>).
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public const string ErrorDomain = "b2btrade";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            CheckText(request);
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            CheckText(request);
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    private static void CheckText<TRequest>(TRequest request)
    {
        if (request is Google.Protobuf.IMessage message)
        {
            Mapping.RequestText.Check(message);
        }
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case DomainException domain:
                return ToRpcException(domain, context.Locale());
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled."));
            case InvalidOperationException when context.CancellationToken.IsCancellationRequested:
                // A live stream wrote just as its client went away ("the request is complete"): nobody is listening.
                return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "The client went away."));
            case var transient when IsTransient(transient):
                LogUnavailable(exception.GetType().Name, context.Method);
                return ToRpcException(Unavailable, context.Locale());
            default:
                LogUnexpected(exception, context.Method);
                return new RpcException(new Grpc.Core.Status(StatusCode.Internal, "An internal error occurred."));
        }
    }

    /// <summary>The answer while the cluster cannot reach a grain (a silo died, membership is settling): retry.</summary>
    public static DomainException Unavailable { get; } =
        new(ErrorKind.Unavailable, "SERVICE_UNAVAILABLE", "The service is briefly unavailable; retry.", "服务暂时不可用，请重试。");

    /// <summary>
    /// Failures of the cluster, not of the request: the same call may succeed when retried. An API node that is a
    /// client of the cluster gets <see cref="Orleans.Runtime.Messaging.ConnectionFailedException"/> while it still
    /// tries the gateway of a silo that just died.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or ClientNotAvailableException
            or Orleans.Runtime.Messaging.ConnectionFailedException;

    public static StatusCode CodeOf(ErrorKind kind) =>
        kind switch
        {
            ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
            ErrorKind.NotFound => StatusCode.NotFound,
            ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
            ErrorKind.Aborted => StatusCode.Aborted,
            ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
            ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
            ErrorKind.PermissionDenied => StatusCode.PermissionDenied,
            ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
            ErrorKind.Unavailable => StatusCode.Unavailable,
            _ => StatusCode.Internal,
        };

    /// <summary>
    /// An error goes back in the trailers, which clients and proxies cap (64 KiB in .NET, less in some browsers): a
    /// request with hundreds of bad fields got UNAVAILABLE instead of its INVALID_ARGUMENT. The first violations are
    /// sent, with the count left out in ErrorInfo metadata, and long messages are cut.
    /// </summary>
    public const int MaxViolationsSent = 20;

    private const int MaxMessageLength = 2000;

    public static RpcException ToRpcException(DomainException error, string locale)
    {
        var code = CodeOf(error.Kind);
        var chinese = locale == "zh-CN";
        var info = new ErrorInfo { Reason = error.Reason, Domain = ErrorDomain };
        info.Metadata.Add(error.Metadata);
        if (error.Violations.Length > MaxViolationsSent)
        {
            info.Metadata["violations_omitted"] = (error.Violations.Length - MaxViolationsSent).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var status = new Status { Code = (int)code, Message = Cut(error.Message) };
        status.Details.Add(Any.Pack(info));
        if (error.Violations.Length > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(error.Violations.Take(MaxViolationsSent).Select(v => new BadRequest.Types.FieldViolation
            {
                Field = v.Field,
                Description = chinese ? v.MessageZh : v.Message,
                Reason = v.Reason,
                LocalizedMessage = new LocalizedMessage { Locale = locale, Message = chinese ? v.MessageZh : v.Message },
            }));
            status.Details.Add(Any.Pack(badRequest));
        }

        status.Details.Add(Any.Pack(new LocalizedMessage { Locale = locale, Message = Cut(chinese ? error.MessageZh : error.Message) }));
        return status.ToRpcException();
    }

    private static string Cut(string message) => message.Length <= MaxMessageLength ? message : message[..(MaxMessageLength - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unavailable ({Kind}) during {Method}")]
    private partial void LogUnavailable(string kind, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method}")]
    private partial void LogUnexpected(Exception exception, string method);
}
