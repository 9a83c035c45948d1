using B2BTrade.Domain.Enterprises;

namespace B2BTrade.Domain.Tests.Enterprises;

public class UnifiedSocialCreditCodeTests
{
    private const string Charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    // Codes of real companies, as printed on their business licences (check character per GB 32100-2015).
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("9144030071526726XG")]
    [InlineData("914403001922038216")]
    [InlineData("91330100799655058B")]
    [InlineData("91110000802100433B")]
    [InlineData("91310000MA1FL1MMXL")]
    [InlineData("91110108551385082Q")]
    public void AcceptsRealWorldCodes(string code)
    {
        Assert.True(UnifiedSocialCreditCode.IsValid(code));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void CodeCompletedWithItsCheckCharacterIsValid(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 200; n++)
        {
            var body = RandomBody(random);
            var code = body + UnifiedSocialCreditCode.CheckCharacter(body);

            Assert.True(UnifiedSocialCreditCode.IsValid(code), code);
        }
    }

    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("9144030071526726XG")]
    [InlineData("914403001922038216")]
    public void OnlyTheRightCheckCharacterIsAccepted(string valid)
    {
        foreach (var c in Charset + "IOZSV")
        {
            var candidate = valid[..17] + c;

            Assert.Equal(c == valid[17], UnifiedSocialCreditCode.IsValid(candidate));
        }
    }

    [Fact]
    public void RejectsCodeWithWrongCheckCharacterForEveryRandomBody()
    {
        var random = new Random(42);
        for (var n = 0; n < 100; n++)
        {
            var body = RandomBody(random);
            var right = UnifiedSocialCreditCode.CheckCharacter(body);
            var wrong = Charset[(Charset.IndexOf(right, StringComparison.Ordinal) + 1 + random.Next(30)) % 31];

            Assert.False(UnifiedSocialCreditCode.IsValid(body + wrong), body + wrong);
        }
    }

    [Fact]
    public void DetectsAnySingleCharacterTypoInTheBody()
    {
        const string valid = "91350100M000100Y43";
        for (var position = 0; position < 17; position++)
        {
            foreach (var c in Charset)
            {
                if (c == valid[position])
                {
                    continue;
                }

                var typo = valid[..position] + c + valid[(position + 1)..];
                Assert.False(UnifiedSocialCreditCode.IsValid(typo), typo);
            }
        }
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void RejectsForbiddenLetters(char letter)
    {
        // Put the letter in the organisation code part and recompute nothing: forbidden anywhere.
        var code = "91350100" + letter + "000100Y43";

        Assert.False(UnifiedSocialCreditCode.IsValid(code));
        Assert.False(UnifiedSocialCreditCode.IsValid("91350100M000100Y4" + letter));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100Y433")]
    [InlineData("91350100M000100Y43 0")]
    [InlineData("1234567890")]
    public void RejectsWrongLengths(string? code)
    {
        Assert.False(UnifiedSocialCreditCode.IsValid(code));
    }

    [Theory]
    [InlineData("91350100m000100y43")]
    [InlineData("  91350100M000100Y43  ")]
    [InlineData("9144030071526726xg")]
    public void AcceptsLowercaseAndSurroundingSpaceAfterNormalising(string code)
    {
        Assert.True(UnifiedSocialCreditCode.IsValid(code));
        Assert.Equal(code.Trim().ToUpperInvariant(), UnifiedSocialCreditCode.Normalize(code));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void RejectsLettersInTheAdministrativeDivision(int index)
    {
        // Even when the check character is recomputed so the checksum matches.
        var body = ("91350100M000100Y4"[..index] + "A" + "91350100M000100Y4"[(index + 1)..]).AsSpan();
        var code = body.ToString() + UnifiedSocialCreditCode.CheckCharacter(body);

        Assert.False(UnifiedSocialCreditCode.IsValid(code));
    }

    private static string RandomBody(Random random)
    {
        var chars = new char[17];
        for (var i = 0; i < 17; i++)
        {
            chars[i] = i is >= 2 and <= 7 ? (char)('0' + random.Next(10)) : Charset[random.Next(Charset.Length)];
        }

        return new string(chars);
    }
}
