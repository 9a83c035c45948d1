namespace B2BTrade.Domain.Common;

/// <summary>
/// What a create request asked for, kept with the aggregate it created. The first request under a request id fixes what
/// the id means: a retry (same fingerprint) gets the first answer; other content under the same id is refused on
/// request_id instead of answered with something the caller did not ask for.
/// </summary>
public static class RequestFingerprint
{
    /// <summary>SHA-256 (hex) of a canonical text of the request.</summary>
    public static string Of(string canonicalRequest) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonicalRequest)));

    /// <summary>SHA-256 (hex) of the request's JSON (records, ordered collections: the same request gives the same bytes).</summary>
    public static string OfJson(object request) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request)));

    /// <summary>
    /// Refuses a reused request id (REQUEST_ID_REUSED on request_id). States stored before a fingerprint was kept have
    /// none (<paramref name="recorded"/> null) and accept any retry.
    /// </summary>
    public static void RequireSame(string? recorded, string? presented, string whatEn, string whatZh)
    {
        if (recorded is not null && recorded != presented)
        {
            throw Errors.InvalidField("request_id", "REQUEST_ID_REUSED", $"This request id was already used for a different {whatEn}.", $"该请求编号已用于另一{whatZh}。");
        }
    }
}
