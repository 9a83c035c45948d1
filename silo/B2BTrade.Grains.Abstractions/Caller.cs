namespace B2BTrade.Grains;

/// <summary>Who is calling a grain: an authenticated user, resolved by the API from a live session. Never taken from a request body.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.caller")]
public sealed record Caller([property: Id(0)] string UserId, [property: Id(1)] bool IsOperator, [property: Id(2)] string DisplayName = "")
{
    /// <summary>The platform itself (reminders, bootstrap), for audit entries.</summary>
    public static Caller System { get; } = new("system", true, "system");
}
