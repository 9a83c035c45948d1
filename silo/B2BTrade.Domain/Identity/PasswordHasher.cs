using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace B2BTrade.Domain.Identity;

public enum PasswordCheck
{
    Failed,
    Succeeded,
    SucceededRehashNeeded,
}

/// <summary>
/// PBKDF2-HMAC-SHA512 with a 16-byte random salt. The stored form carries its parameters
/// ("pbkdf2-sha512$iterations$salt$hash"), so raising <see cref="Iterations"/> rehashes on the next login.
/// </summary>
public sealed class PasswordHasher(int iterations = PasswordHasher.DefaultIterations)
{
    public const int DefaultIterations = 210_000;
    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 64;

    // A fixed hash to verify against when an account does not exist, so both paths cost the same time.
    private static readonly Lazy<string> s_dummy = new(() => new PasswordHasher().Hash("dummy-password-for-timing!1"));

    public int Iterations { get; } = iterations >= DefaultIterations
        ? iterations
        : throw new ArgumentOutOfRangeException(nameof(iterations), "OWASP 2023 floor for PBKDF2-HMAC-SHA512 is 210,000 iterations.");

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public PasswordCheck Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var storedIterations))
        {
            return PasswordCheck.Failed;
        }

        // A damaged record must never verify (an empty digest would compare equal to an empty one) nor force unbounded work.
        var salt = new byte[SaltBytes];
        var expected = new byte[HashBytes];
        if (storedIterations < 1 || storedIterations > 10 * Iterations
            || !Convert.TryFromBase64String(parts[2], salt, out var saltLength) || saltLength != SaltBytes
            || !Convert.TryFromBase64String(parts[3], expected, out var hashLength) || hashLength != HashBytes)
        {
            return PasswordCheck.Failed;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, storedIterations, HashAlgorithmName.SHA512, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Failed;
        }

        return storedIterations < Iterations ? PasswordCheck.SucceededRehashNeeded : PasswordCheck.Succeeded;
    }

    /// <summary>Spends the time of one verification when there is no account, so timing does not reveal which addresses exist.</summary>
    public void VerifyAgainstDummy(string password) => _ = Verify(password, s_dummy.Value);
}
