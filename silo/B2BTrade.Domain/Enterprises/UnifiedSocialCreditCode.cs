namespace B2BTrade.Domain.Enterprises;

/// <summary>
/// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set (no I, O, Z, S, V):
/// registration authority, entity category, 6-digit administrative division, 9-character organisation
/// code, and a check character computed modulo 31 with weights 3^(i) mod 31.
/// </summary>
public static class UnifiedSocialCreditCode
{
    private const string Charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] s_weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static string Normalize(string? code) => (code ?? "").Trim().ToUpperInvariant();

    public static bool IsValid(string? code)
    {
        var value = Normalize(code);
        if (value.Length != 18 || value.Any(c => Charset.IndexOf(c, StringComparison.Ordinal) < 0))
        {
            return false;
        }

        // Characters 3–8 are the administrative division code: digits only.
        if (!value.AsSpan(2, 6).ToString().All(char.IsAsciiDigit))
        {
            return false;
        }

        return value[17] == CheckCharacter(value.AsSpan(0, 17));
    }

    /// <summary>The 18th character for the first 17.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Charset.IndexOf(first17[i], StringComparison.Ordinal) * s_weights[i];
        }

        var check = 31 - (sum % 31);
        return Charset[check == 31 ? 0 : check];
    }
}
