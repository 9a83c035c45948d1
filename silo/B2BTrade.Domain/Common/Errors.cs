namespace B2BTrade.Domain.Common;

/// <summary>Factories for the domain errors used across aggregates, so reasons stay consistent.</summary>
public static class Errors
{
    public static DomainException InvalidField(string field, string reason, string message, string messageZh) =>
        new(ErrorKind.InvalidArgument, reason, message, messageZh, [new FieldViolation(field, reason, message, messageZh)]);

    public static DomainException NotFound(string what, string whatZh) =>
        new(ErrorKind.NotFound, "NOT_FOUND", $"{what} was not found.", $"{whatZh}不存在。");

    public static DomainException PermissionDenied(string message, string messageZh) =>
        new(ErrorKind.PermissionDenied, "PERMISSION_DENIED", message, messageZh);

    public static DomainException Precondition(string reason, string message, string messageZh) =>
        new(ErrorKind.FailedPrecondition, reason, message, messageZh);

    public static DomainException Exhausted(string reason, string message, string messageZh, TimeSpan? retryAfter = null) =>
        new(ErrorKind.ResourceExhausted, reason, message, messageZh, metadata: retryAfter is { } wait
            ? new Dictionary<string, string> { ["retry_after_seconds"] = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null);

    public static DomainException Unauthenticated(string reason, string message, string messageZh) =>
        new(ErrorKind.Unauthenticated, reason, message, messageZh);
}

/// <summary>Collects every bad field of a request before failing, so a form can show them all at once.</summary>
public sealed class Validation
{
    private readonly List<FieldViolation> _violations = [];

    public bool IsValid => _violations.Count == 0;

    public Validation Add(string field, string reason, string message, string messageZh)
    {
        _violations.Add(new FieldViolation(field, reason, message, messageZh));
        return this;
    }

    public Validation Required(string field, string? value, string label, string labelZh)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "REQUIRED", $"{label} is required.", $"请填写{labelZh}。");
        }

        return this;
    }

    public Validation Length(string field, string? value, int min, int max, string label, string labelZh)
    {
        var length = value?.Trim().Length ?? 0;
        if (value is not null && length > 0 && (length < min || length > max))
        {
            Add(field, "INVALID_LENGTH", $"{label} must be {min} to {max} characters.", $"{labelZh}长度须为{min}至{max}个字符。");
        }

        return this;
    }

    public Validation Merge(DomainException error)
    {
        foreach (var violation in error.Violations)
        {
            _violations.Add(violation);
        }

        return this;
    }

    public void ThrowIfInvalid()
    {
        if (_violations.Count == 0)
        {
            return;
        }

        var first = _violations[0];
        var message = _violations.Count == 1 ? first.Message : $"{_violations.Count} fields are invalid; see the marked fields.";
        var messageZh = _violations.Count == 1 ? first.MessageZh : $"有 {_violations.Count} 项填写有误，请检查标出的字段。";
        throw new DomainException(ErrorKind.InvalidArgument, _violations.Count == 1 ? first.Reason : "INVALID_FIELDS", message, messageZh, [.. _violations]);
    }
}
