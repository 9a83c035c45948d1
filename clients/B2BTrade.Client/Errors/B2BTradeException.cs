using System.Globalization;
using Google.Rpc;
using Grpc.Core;

namespace B2BTrade.Client;

/// <summary>One invalid field of a request, from the server's <c>google.rpc.BadRequest</c> detail.</summary>
/// <param name="Field">Proto path of the field, e.g. <c>profile.unified_social_credit_code</c>.</param>
/// <param name="Description">Why the field is invalid, in the language asked for with <see cref="B2BTradeClientOptions.Language"/>.</param>
/// <param name="Reason">Stable UPPER_SNAKE reason, e.g. <c>REQUIRED</c> or <c>INVALID_CHECK_CHARACTER</c>; empty when the server gave none.</param>
public sealed record B2BTradeFieldViolation(string Field, string Description, string Reason);

/// <summary>
/// An error answered by the B2BTrade server (or a transport failure), with the structured details the server attached:
/// the UPPER_SNAKE <see cref="Reason"/>, its <see cref="Metadata"/>, a <see cref="LocalizedMessage"/> and any
/// <see cref="FieldViolations"/>. Switch on <see cref="Reason"/>, never on the message text.
/// </summary>
public class B2BTradeException : Exception
{
    /// <summary>The error domain the server uses for its own reasons.</summary>
    public const string B2BTradeDomain = "b2btrade";

    private static readonly IReadOnlyDictionary<string, string> s_noMetadata = new Dictionary<string, string>();

    /// <summary>Creates an exception from its parts; the SDK creates these from <see cref="RpcException"/>s.</summary>
    /// <param name="statusCode">The gRPC status code.</param>
    /// <param name="message">The message shown to people.</param>
    /// <param name="reason">The UPPER_SNAKE reason, or null when the server gave none.</param>
    /// <param name="domain">The reason's domain, or null.</param>
    /// <param name="metadata">The reason's metadata, or null for none.</param>
    /// <param name="localizedMessage">The localized message, or null.</param>
    /// <param name="fieldViolations">The invalid fields, or null for none.</param>
    /// <param name="innerException">The original exception.</param>
    public B2BTradeException(
        StatusCode statusCode,
        string message,
        string? reason = null,
        string? domain = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        string? localizedMessage = null,
        IReadOnlyList<B2BTradeFieldViolation>? fieldViolations = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Reason = reason;
        Domain = domain;
        Metadata = metadata ?? s_noMetadata;
        LocalizedMessage = localizedMessage;
        FieldViolations = fieldViolations ?? [];
    }

    /// <summary>The gRPC status code of the answer.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The UPPER_SNAKE reason from <c>google.rpc.ErrorInfo</c>, e.g. <c>CODE_INVALID</c>; null when the server gave none.</summary>
    public string? Reason { get; }

    /// <summary>The domain of <see cref="Reason"/>; <see cref="B2BTradeDomain"/> for the platform's own errors.</summary>
    public string? Domain { get; }

    /// <summary>Extra facts from <c>google.rpc.ErrorInfo</c>, e.g. <c>retry_after_seconds</c>. Never null.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The message from <c>google.rpc.LocalizedMessage</c>, in the language asked for; null when absent.</summary>
    public string? LocalizedMessage { get; }

    /// <summary>Every invalid field the server reported (all of them, so a form can mark them at once). Never null.</summary>
    public IReadOnlyList<B2BTradeFieldViolation> FieldViolations { get; }

    /// <summary>True for failures worth trying again later (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED).</summary>
    public bool IsTransient => StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;

    /// <summary>
    /// Translates a <see cref="RpcException"/> into the matching typed exception, reading the
    /// <c>grpc-status-details-bin</c> trailer (<c>google.rpc.Status</c> with ErrorInfo, BadRequest, LocalizedMessage).
    /// Useful when calling the generated clients directly.
    /// </summary>
    /// <param name="exception">The exception a gRPC call threw.</param>
    /// <returns>A <see cref="B2BTradeException"/> or one of its subclasses.</returns>
    public static B2BTradeException FromRpcException(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);

        Google.Rpc.Status? status = null;
        try
        {
            status = exception.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            // A garbled details trailer must not hide the status code; fall back to it.
        }

        string? reason = null, domain = null, localized = null;
        IReadOnlyDictionary<string, string>? metadata = null;
        var violations = new List<B2BTradeFieldViolation>();
        if (status is not null)
        {
            if (status.GetDetail<ErrorInfo>() is { } info)
            {
                reason = string.IsNullOrEmpty(info.Reason) ? null : info.Reason;
                domain = string.IsNullOrEmpty(info.Domain) ? null : info.Domain;
                metadata = new Dictionary<string, string>(info.Metadata);
            }

            if (status.GetDetail<Google.Rpc.LocalizedMessage>() is { } message && !string.IsNullOrEmpty(message.Message))
            {
                localized = message.Message;
            }

            foreach (var badRequest in status.Details.Where(d => d.Is(BadRequest.Descriptor)).Select(d => d.Unpack<BadRequest>()))
            {
                violations.AddRange(badRequest.FieldViolations.Select(v => new B2BTradeFieldViolation(
                    v.Field,
                    string.IsNullOrEmpty(v.LocalizedMessage?.Message) ? v.Description : v.LocalizedMessage.Message,
                    v.Reason)));
            }
        }

        var code = exception.StatusCode;
        var text = localized
            ?? (string.IsNullOrEmpty(status?.Message) ? null : status.Message)
            ?? (string.IsNullOrEmpty(exception.Status.Detail) ? $"The B2BTrade server answered {code}." : exception.Status.Detail);

        return code switch
        {
            StatusCode.InvalidArgument => new B2BTradeValidationException(text, reason, domain, metadata, localized, violations, exception),
            StatusCode.NotFound => new B2BTradeNotFoundException(text, reason, domain, metadata, localized, violations, exception),
            StatusCode.PermissionDenied => new B2BTradePermissionDeniedException(text, reason, domain, metadata, localized, violations, exception),
            StatusCode.Unauthenticated => new B2BTradeUnauthenticatedException(text, reason, domain, metadata, localized, violations, exception),
            StatusCode.AlreadyExists or StatusCode.Aborted => new B2BTradeConflictException(code, text, reason, domain, metadata, localized, violations, exception),
            StatusCode.FailedPrecondition => new B2BTradePreconditionException(text, reason, domain, metadata, localized, violations, exception),
            StatusCode.ResourceExhausted => new B2BTradeRateLimitedException(text, reason, domain, metadata, localized, violations, exception),
            StatusCode.Unavailable => new B2BTradeUnavailableException(text, reason, domain, metadata, localized, violations, exception),
            _ => new B2BTradeException(code, text, reason, domain, metadata, localized, violations, exception),
        };
    }
}

/// <summary>The request was invalid (INVALID_ARGUMENT); <see cref="B2BTradeException.FieldViolations"/> lists every bad field.</summary>
public sealed class B2BTradeValidationException : B2BTradeException
{
    internal B2BTradeValidationException(string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(StatusCode.InvalidArgument, message, reason, domain, metadata, localized, violations, inner)
    {
    }
}

/// <summary>The resource does not exist, or the caller may not know it exists (NOT_FOUND).</summary>
public sealed class B2BTradeNotFoundException : B2BTradeException
{
    internal B2BTradeNotFoundException(string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(StatusCode.NotFound, message, reason, domain, metadata, localized, violations, inner)
    {
    }
}

/// <summary>The caller is signed in but lacks the role or membership needed (PERMISSION_DENIED).</summary>
public sealed class B2BTradePermissionDeniedException : B2BTradeException
{
    internal B2BTradePermissionDeniedException(string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(StatusCode.PermissionDenied, message, reason, domain, metadata, localized, violations, inner)
    {
    }
}

/// <summary>
/// The caller is not signed in, the credentials were wrong, or the session ended and could not be refreshed
/// (UNAUTHENTICATED). Sign in again.
/// </summary>
public sealed class B2BTradeUnauthenticatedException : B2BTradeException
{
    internal B2BTradeUnauthenticatedException(string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(StatusCode.Unauthenticated, message, reason, domain, metadata, localized, violations, inner)
    {
    }
}

/// <summary>
/// The request conflicts with the current state: a duplicate create (ALREADY_EXISTS) or a concurrent change such as
/// a stale etag (ABORTED). Re-read, then decide again.
/// </summary>
public sealed class B2BTradeConflictException : B2BTradeException
{
    internal B2BTradeConflictException(StatusCode code, string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(code, message, reason, domain, metadata, localized, violations, inner)
    {
    }
}

/// <summary>A business rule forbids the request in the current state (FAILED_PRECONDITION), e.g. <c>QUOTE_EXPIRED</c>.</summary>
public sealed class B2BTradePreconditionException : B2BTradeException
{
    internal B2BTradePreconditionException(string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(StatusCode.FailedPrecondition, message, reason, domain, metadata, localized, violations, inner)
    {
    }
}

/// <summary>A limit was reached (RESOURCE_EXHAUSTED), e.g. verification codes sent too often. Wait <see cref="RetryAfter"/>.</summary>
public sealed class B2BTradeRateLimitedException : B2BTradeException
{
    internal B2BTradeRateLimitedException(string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(StatusCode.ResourceExhausted, message, reason, domain, metadata, localized, violations, inner)
    {
        if (Metadata.TryGetValue("retry_after_seconds", out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0)
        {
            RetryAfter = TimeSpan.FromSeconds(seconds);
        }
    }

    /// <summary>How long to wait before trying again, from ErrorInfo metadata <c>retry_after_seconds</c>; null when not given.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// The server could not be reached or is overloaded (UNAVAILABLE), after the SDK's own retries where those were safe.
/// </summary>
public sealed class B2BTradeUnavailableException : B2BTradeException
{
    internal B2BTradeUnavailableException(string message, string? reason, string? domain, IReadOnlyDictionary<string, string>? metadata, string? localized, IReadOnlyList<B2BTradeFieldViolation> violations, Exception inner)
        : base(StatusCode.Unavailable, message, reason, domain, metadata, localized, violations, inner)
    {
    }
}
