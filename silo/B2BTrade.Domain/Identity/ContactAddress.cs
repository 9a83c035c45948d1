using System.Text.RegularExpressions;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Identity;

public enum ContactKind
{
    Phone = 1,
    Email = 2,
}

/// <summary>
/// A phone (+86 mobile) or email address in canonical form: "+8613812345678" or a lowercase email.
/// The canonical form is the identity key, so "138 1234 5678" and "+86-13812345678" are one account.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.contact-address")]
public sealed partial record ContactAddress([property: Id(0)] ContactKind Kind, [property: Id(1)] string Value)
{
    /// <summary>Stable key for indexes and grain ids: "phone:+8613812345678" or "email:a@b.com".</summary>
    public string Key => (Kind == ContactKind.Phone ? "phone:" : "email:") + Value;

    /// <summary>The 11-digit national number of a phone, e.g. "13812345678".</summary>
    public string NationalNumber => Kind == ContactKind.Phone ? Value[3..] : Value;

    /// <summary>Shown wherever the whole value is not needed: "138****5678", "a***@example.com".</summary>
    public string Masked => Kind == ContactKind.Phone ? Mask.Phone(Value) : Mask.Email(Value);

    public string Channel => Kind == ContactKind.Phone ? "sms" : "email";

    public static ContactAddress ParsePhone(string? raw, string field)
    {
        var digits = (raw ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (digits.StartsWith("+86", StringComparison.Ordinal))
        {
            digits = digits[3..];
        }
        else if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }

        if (!MobilePattern().IsMatch(digits))
        {
            throw Errors.InvalidField(field, "INVALID_PHONE", "Enter a mainland China mobile number (11 digits starting with 13–19).", "请输入正确的中国大陆手机号（以 13–19 开头的 11 位数字）。");
        }

        return new ContactAddress(ContactKind.Phone, "+86" + digits);
    }

    public static ContactAddress ParseEmail(string? raw, string field)
    {
        var email = (raw ?? "").Trim().ToLowerInvariant();
        var at = email.LastIndexOf('@');
        if (email.Length > 254 || at is < 1 or > 64 || !EmailPattern().IsMatch(email))
        {
            throw Errors.InvalidField(field, "INVALID_EMAIL", "Enter a valid email address.", "请输入正确的邮箱地址。");
        }

        return new ContactAddress(ContactKind.Email, email);
    }

    /// <summary>Parses a stored key back ("phone:+86…" / "email:…").</summary>
    public static ContactAddress FromKey(string key) =>
        key.StartsWith("phone:", StringComparison.Ordinal)
            ? new ContactAddress(ContactKind.Phone, key[6..])
            : new ContactAddress(ContactKind.Email, key[6..]);

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex EmailPattern();
}

/// <summary>Masking of personal data (phones, emails, ID numbers) for responses and logs.</summary>
public static class Mask
{
    public static string Phone(string phone)
    {
        var national = phone.StartsWith("+86", StringComparison.Ordinal) ? phone[3..] : phone;
        return national.Length >= 7 ? national[..3] + "****" + national[^4..] : "****";
    }

    public static string Email(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : email[..1] + "***" + email[at..];
    }

    /// <summary>Keeps the first 4 and last 4 characters of an account or ID number.</summary>
    public static string Number(string value) =>
        value.Length <= 8 ? new string('*', value.Length) : value[..4] + new string('*', value.Length - 8) + value[^4..];
}
