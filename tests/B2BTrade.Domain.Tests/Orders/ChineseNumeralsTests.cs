using B2BTrade.Domain.Orders;

namespace B2BTrade.Domain.Tests.Orders;

public class ChineseNumeralsTests
{
    public static TheoryData<string, string> BriefExamples => new()
    {
        { "0", "零元整" },
        { "10", "壹拾元整" },
        { "100", "壹佰元整" },
        { "1001", "壹仟零壹元整" },
        { "10010", "壹万零壹拾元整" },
        { "100000", "壹拾万元整" },
        { "1010000", "壹佰零壹万元整" },
        { "1000001", "壹佰万零壹元整" },
        { "100010000", "壹亿零壹万元整" },
        { "100000000", "壹亿元整" },
        { "1000000000000", "壹万亿元整" },
        { "123456.78", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分" },
        { "1.05", "壹元零伍分" },
        { "10.05", "壹拾元零伍分" },
        { "1.50", "壹元伍角整" },
        { "0.50", "伍角整" },
        { "0.05", "伍分" },
        { "0.15", "壹角伍分" },
        { "1.55", "壹元伍角伍分" },
        { "20000.30", "贰万元叁角整" },
        { "1680.32", "壹仟陆佰捌拾元叁角贰分" },
    };

    public static TheoryData<string, string> ZeroRunsAndLargeUnits => new()
    {
        { "0.01", "壹分" },
        { "0.10", "壹角整" },
        { "1", "壹元整" },
        { "11", "壹拾壹元整" },
        { "101", "壹佰零壹元整" },
        { "110", "壹佰壹拾元整" },
        { "1100", "壹仟壹佰元整" },
        { "3005.07", "叁仟零伍元零柒分" },
        { "10001", "壹万零壹元整" },
        { "10100", "壹万零壹佰元整" },
        { "11000", "壹万壹仟元整" },
        { "10000.10", "壹万元壹角整" },
        { "100100", "壹拾万零壹佰元整" },
        { "100.10", "壹佰元壹角整" },
        { "1000000", "壹佰万元整" },
        { "1000100", "壹佰万零壹佰元整" },
        { "10000000", "壹仟万元整" },
        { "10001000", "壹仟万壹仟元整" },
        { "10000100", "壹仟万零壹佰元整" },
        { "100000001", "壹亿零壹元整" },
        { "100000000.01", "壹亿元零壹分" },
        { "100001000", "壹亿零壹仟元整" },
        { "101000000", "壹亿零壹佰万元整" },
        { "110000000", "壹亿壹仟万元整" },
        { "120030004", "壹亿贰仟零叁万零肆元整" },
        { "1000000000", "壹拾亿元整" },
        { "1000000001", "壹拾亿零壹元整" },
        { "1001001001", "壹拾亿零壹佰万壹仟零壹元整" },
        { "500000000000", "伍仟亿元整" },
        { "1000000000001", "壹万亿零壹元整" },
        { "1000100000000", "壹万零壹亿元整" },
        { "1010000000000", "壹万零壹佰亿元整" },
        { "1200000000000", "壹万贰仟亿元整" },
        { "9999999999999.99", "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分" },
    };

    [Theory]
    [MemberData(nameof(BriefExamples))]
    public void WritesTheBriefsExamplesExactly(string amount, string expected) =>
        Assert.Equal(expected, ChineseNumerals.ToCapitalAmount(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [MemberData(nameof(ZeroRunsAndLargeUnits))]
    public void WritesOneZeroPerRunInsideAndAcrossSectionsUpToWanYi(string amount, string expected) =>
        Assert.Equal(expected, ChineseNumerals.ToCapitalAmount(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void OnePointFivePlusFiveFenIsWrittenWithJiaoAndFen() =>
        Assert.Equal("壹元伍角伍分", ChineseNumerals.ToCapitalAmount(1.5m + 0.05m));

    [Fact]
    public void TrailingZerosOfTheDecimalDoNotMatter() =>
        Assert.Equal(ChineseNumerals.ToCapitalAmount(1.5m), ChineseNumerals.ToCapitalAmount(1.500m));

    [Fact]
    public void WithCurrencyPrefixesRenminbi()
    {
        Assert.Equal("人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分", ChineseNumerals.ToCapitalAmountWithCurrency(123456.78m));
        Assert.Equal("人民币零元整", ChineseNumerals.ToCapitalAmountWithCurrency(0m));
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("10000000000000")]
    [InlineData("9999999999999.991")]
    [InlineData("1.005")]
    [InlineData("0.001")]
    public void RejectsNegativeTooLargeOrFinerThanTheFen(string amount) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ChineseNumerals.ToCapitalAmount(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void TwoThousandRandomAmountsParseBackToThemselves()
    {
        var random = new Random(20261206);
        for (var n = 0; n < 2000; n++)
        {
            var amount = RandomAmount(random);
            var words = ChineseNumerals.ToCapitalAmount(amount);

            Assert.True(amount == Parse(words), $"{amount} → {words} → {Parse(words)}");
            AssertWellFormed(amount, words);
        }
    }

    [Fact]
    public void TestParserReadsKnownForms()
    {
        // The parser is the property test's oracle: check it on hand-written text first.
        Assert.Equal(123456.78m, Parse("壹拾贰万叁仟肆佰伍拾陆元柒角捌分"));
        Assert.Equal(1_000_100_000_000m, Parse("壹万零壹亿元整"));
        Assert.Equal(100_010_000m, Parse("壹亿零壹万元整"));
        Assert.Equal(1.05m, Parse("壹元零伍分"));
        Assert.Equal(0.5m, Parse("伍角整"));
        Assert.Equal(0m, Parse("零元整"));
    }

    /// <summary>Digit counts spread evenly over 0–13 and half the digits zero, so zero runs and empty sections are common.</summary>
    private static decimal RandomAmount(Random random)
    {
        long yuan = 0;
        var digits = random.Next(0, 14);
        for (var i = 0; i < digits; i++)
        {
            var digit = random.Next(2) == 0 ? 0 : random.Next(1, 10);
            yuan = yuan * 10 + (i == 0 && digit == 0 ? random.Next(1, 10) : digit);
        }

        var jiao = random.Next(2) == 0 ? 0 : random.Next(10);
        var fen = random.Next(2) == 0 ? 0 : random.Next(10);
        return yuan + jiao / 10m + fen / 100m;
    }

    private static void AssertWellFormed(decimal amount, string words)
    {
        Assert.DoesNotContain("零零", words);
        foreach (var unit in new[] { "零元", "零万", "零亿", "零角", "零分", "零整" })
        {
            Assert.True(words == "零元整" || !words.Contains(unit, StringComparison.Ordinal), $"{words} contains {unit}");
        }

        // Every 拾/佰/仟 follows a non-zero digit: 壹拾, never a bare 拾.
        for (var i = 0; i < words.Length; i++)
        {
            if ("拾佰仟".Contains(words[i], StringComparison.Ordinal))
            {
                Assert.True(i > 0 && "壹贰叁肆伍陆柒捌玖".Contains(words[i - 1], StringComparison.Ordinal), words);
            }
        }

        var hasFen = amount * 100 % 10 != 0;
        Assert.Equal(!hasFen, words.EndsWith('整'));
        Assert.Equal(hasFen, words.EndsWith('分'));
        Assert.Equal(amount >= 1 || amount == 0, words.Contains('元', StringComparison.Ordinal));
    }

    /// <summary>Reads capital numerals back: [integer 元][零][n角][n分][整].</summary>
    private static decimal Parse(string words)
    {
        const string digits = "零壹贰叁肆伍陆柒捌玖";
        var text = words.TrimEnd('整');
        decimal result = 0;
        var yuanAt = text.IndexOf('元', StringComparison.Ordinal);
        if (yuanAt >= 0)
        {
            long total = 0, section = 0, number = 0;
            foreach (var c in text[..yuanAt])
            {
                var digit = digits.IndexOf(c, StringComparison.Ordinal);
                switch (c)
                {
                    case '拾': section += number * 10; number = 0; break;
                    case '佰': section += number * 100; number = 0; break;
                    case '仟': section += number * 1000; number = 0; break;
                    case '万': section = (section + number) * 10_000; number = 0; break;
                    case '亿': total = (total + section + number) * 100_000_000; section = 0; number = 0; break;
                    default:
                        Assert.True(digit >= 0, $"unexpected {c} in {words}");
                        number = digit;
                        break;
                }
            }

            result = total + section + number;
            text = text[(yuanAt + 1)..];
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '零')
            {
                continue;
            }

            var digit = digits.IndexOf(text[i], StringComparison.Ordinal);
            Assert.True(digit > 0 && i + 1 < text.Length, $"bad fraction in {words}");
            result += text[++i] switch
            {
                '角' => digit / 10m,
                '分' => digit / 100m,
                _ => throw new InvalidOperationException($"bad unit in {words}"),
            };
        }

        return result;
    }
}
