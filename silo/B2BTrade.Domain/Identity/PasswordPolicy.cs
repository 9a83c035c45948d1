using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Identity;

/// <summary>Password rules: 8–128 characters, letters + digits + symbols, not the phone/email, not a common password.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    // Common passwords that satisfy the character-class rules, so the class check alone would let them through.
    private static readonly HashSet<string> s_common = new(StringComparer.OrdinalIgnoreCase)
    {
        "p@ssw0rd", "p@ssword1", "p@ssword123", "password1!", "password123!", "passw0rd!", "p@55w0rd", "p@ssw0rd1",
        "p@ssw0rd123", "qwerty123!", "qwer1234!", "1qaz@wsx", "1qaz!qaz", "1qaz@wsx3edc", "zaq1@wsx", "abc@1234",
        "abc@123456", "abc123!@#", "a123456!", "a123456.", "aa123456!", "aa123456.", "admin@123", "admin123!",
        "admin@1234", "root@123", "test@123", "welcome1!", "iloveyou1!", "1q2w3e4r!", "1q2w3e4r5t!", "q1w2e3r4!",
        "woaini1314!", "woaini520!", "123456a!", "123456aa!", "12345678a!", "a1234567!", "asd123!@#", "qwe123!@#",
        "123qwe!@#", "abcd1234!", "abcd@1234", "china@123", "changeme1!", "letmein1!", "monkey123!", "dragon123!",
        "sunshine1!", "football1!", "baseball1!", "master123!", "hello123!", "huawei@123", "huawei123!", "sa@123456",
        "p@$$w0rd", "p@$$word1", "pa$$w0rd", "pa$$word1", "123@abc", "1234@abcd", "abc.1234", "a1b2c3d4!",
    };

    /// <summary>Throws INVALID_ARGUMENT naming <paramref name="field"/> when the password breaks a rule.</summary>
    public static void Validate(string? password, IEnumerable<ContactAddress> owner, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
        {
            throw Errors.InvalidField(field, "REQUIRED", "A password is required.", "请设置密码。");
        }

        if (password.Length is < MinLength or > MaxLength)
        {
            throw Errors.InvalidField(field, "PASSWORD_LENGTH", $"The password must be {MinLength} to {MaxLength} characters.", $"密码长度须为 {MinLength} 至 {MaxLength} 位。");
        }

        if (password.Any(char.IsControl))
        {
            throw Errors.InvalidField(field, "PASSWORD_CHARACTERS", "The password contains control characters.", "密码包含不可见的控制字符。");
        }

        var hasLetter = password.Any(char.IsLetter);
        var hasDigit = password.Any(char.IsDigit);
        var hasSymbol = password.Any(c => !char.IsLetterOrDigit(c) && !char.IsWhiteSpace(c));
        if (!hasLetter || !hasDigit || !hasSymbol)
        {
            throw Errors.InvalidField(field, "PASSWORD_TOO_WEAK", "The password must contain letters, digits and symbols.", "密码须同时包含字母、数字和符号。");
        }

        foreach (var address in owner)
        {
            var parts = address.Kind == ContactKind.Phone
                ? new[] { address.NationalNumber }
                : new[] { address.Value, address.Value[..address.Value.IndexOf('@', StringComparison.Ordinal)] };
            if (parts.Any(part => part.Length >= 4 && password.Contains(part, StringComparison.OrdinalIgnoreCase)))
            {
                throw Errors.InvalidField(field, "PASSWORD_CONTAINS_IDENTITY", "The password must not contain your phone number or email.", "密码不能包含手机号或邮箱。");
            }
        }

        if (s_common.Contains(password))
        {
            throw Errors.InvalidField(field, "PASSWORD_TOO_COMMON", "This password is too common; choose another.", "该密码过于常见，请换一个。");
        }
    }
}
