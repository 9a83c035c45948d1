using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Tests.Identity;

public class PasswordHasherTests
{
    private static readonly PasswordHasher s_hasher = new();

    [Fact]
    public void HashCarriesSchemeIterationsSaltAndHash()
    {
        var parts = s_hasher.Hash("Tr4de#Ok").Split('$');

        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha512", parts[0]);
        Assert.Equal("210000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(64, Convert.FromBase64String(parts[3]).Length);
    }

    [Fact]
    public void VerifiesTheRightPasswordOnly()
    {
        var stored = s_hasher.Hash("Tr4de#Ok");

        Assert.Equal(PasswordCheck.Succeeded, s_hasher.Verify("Tr4de#Ok", stored));
        Assert.Equal(PasswordCheck.Failed, s_hasher.Verify("Tr4de#OK", stored));
        Assert.Equal(PasswordCheck.Failed, s_hasher.Verify("", stored));
    }

    [Fact]
    public void SamePasswordHashesDifferentlyEachTime()
    {
        Assert.NotEqual(s_hasher.Hash("Tr4de#Ok"), s_hasher.Hash("Tr4de#Ok"));
    }

    [Fact]
    public void HashWithFewerIterationsThanConfiguredAsksForRehash()
    {
        var stored = s_hasher.Hash("Tr4de#Ok");
        var stronger = new PasswordHasher(300_000);

        Assert.Equal(PasswordCheck.SucceededRehashNeeded, stronger.Verify("Tr4de#Ok", stored));
        Assert.Equal(PasswordCheck.Failed, stronger.Verify("wrong#Pass1", stored));
        Assert.StartsWith("pbkdf2-sha512$300000$", stronger.Hash("Tr4de#Ok"), StringComparison.Ordinal);
    }

    [Fact]
    public void HashWithMoreIterationsThanConfiguredNeedsNoRehash()
    {
        var stored = new PasswordHasher(220_000).Hash("Tr4de#Ok");

        Assert.Equal(PasswordCheck.Succeeded, s_hasher.Verify("Tr4de#Ok", stored));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)]
    [InlineData(209_999)]
    public void RefusesFewerIterationsThanTheOwaspFloor(int iterations)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(iterations));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Tr4de#Ok")]
    [InlineData("bcrypt$210000$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha512$many$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha512$-5$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha512$210000$c2FsdA==")]
    [InlineData("pbkdf2-sha512$210000$c2FsdA==$aGFzaA==$extra")]
    public void MalformedStoredHashFails(string stored)
    {
        Assert.Equal(PasswordCheck.Failed, s_hasher.Verify("Tr4de#Ok", stored));
    }

    [Fact]
    public void StoredHashWithEmptyDigestAcceptsNoPassword()
    {
        Assert.Equal(PasswordCheck.Failed, s_hasher.Verify("any-guess", "pbkdf2-sha512$210000$c2FsdA==$"));
    }

    [Theory]
    [InlineData("pbkdf2-sha512$210000$not base64!$aGFzaA==")]
    [InlineData("pbkdf2-sha512$210000$c2FsdA==$***")]
    [InlineData("pbkdf2-sha512$0$c2FsdA==$aGFzaA==")]
    public void CorruptStoredHashFailsInsteadOfThrowing(string stored)
    {
        Assert.Equal(PasswordCheck.Failed, s_hasher.Verify("Tr4de#Ok", stored));
    }
}
