namespace B2BTrade.Domain.Common;

/// <summary>
/// Characters no text from outside may carry: C0 controls other than tab, line feed and carriage return, DEL and the C1
/// controls, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). NUL breaks
/// PostgreSQL text columns; the bidi controls make a name display as something other than what an operator verified
/// (a right-to-left override inside an enterprise's legal name on a contract).
/// </summary>
public static class PlainText
{
    public static bool IsPlain(string? text) => text is null || !text.AsSpan().ContainsAny(s_forbidden);

    private const string RefusedReason = "CONTROL_CHARACTERS";
    private const string RefusedMessage = "The text contains control or text-direction characters; remove them.";
    private const string RefusedMessageZh = "文本中含有控制字符或文字方向控制符，请删除后重试。";

    /// <summary>The error for a field holding a forbidden character.</summary>
    public static DomainException Refused(string field) => Errors.InvalidField(field, RefusedReason, RefusedMessage, RefusedMessageZh);

    /// <summary>The error for several fields holding forbidden characters, each named.</summary>
    public static DomainException Refused(IEnumerable<string> fields) =>
        new(ErrorKind.InvalidArgument, RefusedReason, RefusedMessage, RefusedMessageZh,
            [.. fields.Select(field => new FieldViolation(field, RefusedReason, RefusedMessage, RefusedMessageZh))]);

    private static readonly System.Buffers.SearchValues<char> s_forbidden = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not (9 or 10 or 13)).Select(c => (char)c),
         .. Enumerable.Range(0x7F, 0x9F - 0x7F + 1).Select(c => (char)c),
         .. Enumerable.Range(0x202A, 5).Select(c => (char)c),
         .. Enumerable.Range(0x2066, 4).Select(c => (char)c)]);
}
