using System.Security.Cryptography;
using System.Text;

namespace B2BTrade.Domain.Common;

/// <summary>Resource ids: random for new things, derived from (caller, request id) where a retry must land on the same resource.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private static readonly System.Buffers.SearchValues<char> s_alphabet = System.Buffers.SearchValues.Create(Alphabet);

    public static string NewId(string prefix) => prefix + "_" + Encode(RandomNumberGenerator.GetBytes(13));

    /// <summary>The same (scope, request id) always yields the same id, so a retried create finds its first result.</summary>
    public static string Derived(string prefix, string scope, string requestId) =>
        prefix + "_" + Encode(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + requestId)).AsSpan(0, 13));

    /// <summary>Checks a client request id: 8 to 64 characters of letters, digits, '-' and '_' (a UUID fits).</summary>
    public static string ValidateRequestId(string? requestId, string field = "request_id")
    {
        if (string.IsNullOrWhiteSpace(requestId))
        {
            throw Errors.InvalidField(field, "REQUIRED", "A request id (for example a UUID) is required so a retry has its effect once.", "请提供请求编号（如 UUID），以保证重试只生效一次。");
        }

        if (requestId.Length is < 8 or > 64 || !requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw Errors.InvalidField(field, "INVALID_FORMAT", "The request id must be 8 to 64 letters, digits, '-' or '_'.", "请求编号须为 8 至 64 位字母、数字、“-”或“_”。");
        }

        return requestId;
    }

    /// <summary>True when the id has the given prefix and only id characters, so it is safe to use as a grain key.</summary>
    public static bool IsWellFormed(string? id, string prefix) =>
        id is not null
        && id.Length is > 3 and <= 64
        && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(s_alphabet) < 0;

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 8 / 5 + 1);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }
}
