namespace B2BTrade.Domain.Common;

/// <summary>How a domain error maps onto a gRPC status code.</summary>
public enum ErrorKind
{
    InvalidArgument,
    NotFound,
    FailedPrecondition,
    Aborted,
    AlreadyExists,
    ResourceExhausted,
    PermissionDenied,
    Unauthenticated,

    /// <summary>The platform could not serve the call right now (a node left the cluster); the same call may succeed when retried.</summary>
    Unavailable,
}

/// <summary>One bad field of a request: the field path, an UPPER_SNAKE reason and messages in both UI languages.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.field-violation")]
public sealed record FieldViolation(
    [property: Id(0)] string Field,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Message,
    [property: Id(3)] string MessageZh);

/// <summary>
/// A business rule refused a command. Carries a machine-readable reason (AIP-193) and messages in
/// en-US and zh-CN; the API maps it to a google.rpc.Status. Nothing was changed when it is thrown.
/// </summary>
[GenerateSerializer, Alias("b2btrade.domain-exception")]
public sealed class DomainException : Exception
{
    public DomainException(
        ErrorKind kind,
        string reason,
        string message,
        string messageZh,
        FieldViolation[]? violations = null,
        Dictionary<string, string>? metadata = null)
        : base(message)
    {
        Kind = kind;
        Reason = reason;
        MessageZh = messageZh;
        Violations = violations ?? [];
        Metadata = metadata ?? [];
    }

    [Id(0)]
    public ErrorKind Kind { get; private set; }

    [Id(1)]
    public string Reason { get; private set; }

    [Id(2)]
    public string MessageZh { get; private set; }

    [Id(3)]
    public FieldViolation[] Violations { get; private set; }

    [Id(4)]
    public Dictionary<string, string> Metadata { get; private set; }
}
