using System.Security.Cryptography;
using B2BTrade.Protos.Enterprise.V1;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Valid registration data: passwords, addresses, enterprise profiles with real check characters.</summary>
internal static class TestData
{
    /// <summary>A password that meets the password policy (letters, digits, symbols, not common).</summary>
    public const string Password = "Steel#2026pass";

    /// <summary>A valid unified social credit code (GB 32100-2015).</summary>
    public const string KnownCreditCode = "91350100M000100Y43";

    private const string CreditCodeCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] s_creditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>A fresh lowercase email address no earlier run used.</summary>
    public static string NewEmail(string tag) => $"{tag}-{Guid.NewGuid():N}@b2btrade.test";

    /// <summary>A random valid credit code: 9 (enterprise) 1 (company), division 350100 (Fuzhou), random organisation code.</summary>
    public static string NewCreditCode()
    {
        var first17 = "91350100" + new string(Enumerable.Range(0, 9).Select(_ => CreditCodeCharset[RandomNumberGenerator.GetInt32(CreditCodeCharset.Length)]).ToArray());
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += CreditCodeCharset.IndexOf(first17[i], StringComparison.Ordinal) * s_creditCodeWeights[i];
        }

        var check = 31 - (sum % 31);
        return first17 + CreditCodeCharset[check == 31 ? 0 : check];
    }

    /// <summary>A complete buyer profile.</summary>
    public static EnterpriseProfile Profile(string legalName, string creditCode) => new()
    {
        LegalName = legalName,
        UnifiedSocialCreditCode = creditCode,
        LegalRepresentative = "张伟",
        RegisteredAddress = "福建省福州市鼓楼区五四路100号",
        ContactName = "李娜",
        ContactPhone = "13812345678",
        IsBuyer = true,
    };
}
