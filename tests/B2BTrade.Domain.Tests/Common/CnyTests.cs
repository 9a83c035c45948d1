using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Tests.Common;

public class CnyTests
{
    [Theory]
    [InlineData("CNY", "1234.56", "1234.56")]
    [InlineData("", "0", "0")]
    [InlineData(null, "0.01", "0.01")]
    [InlineData("CNY", "1000000000000", "1000000000000")]
    [InlineData("CNY", "1.50", "1.5")]
    public void ParsesCnyAmountsToTheFen(string? currency, string amount, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Cny.Parse(currency, amount, "price"));
    }

    [Theory]
    [InlineData("USD")]
    [InlineData("cny")]
    [InlineData("RMB")]
    public void RejectsOtherCurrencies(string currency)
    {
        AssertRejected(currency, "10.00", "price.currency_code", "UNSUPPORTED_CURRENCY");
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("-100")]
    [InlineData("1000000000000.01")]
    [InlineData("99999999999999")]
    public void RejectsNegativeAndAbsurdAmounts(string amount)
    {
        AssertRejected("CNY", amount, "price.amount", "OUT_OF_RANGE");
    }

    [Theory]
    [InlineData("1.234")]
    [InlineData("0.001")]
    public void RejectsFractionsOfAFen(string amount)
    {
        AssertRejected("CNY", amount, "price.amount", "TOO_PRECISE");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1,234.56")]
    [InlineData("1e3")]
    [InlineData("+3650")]
    [InlineData("NaN")]
    [InlineData("¥12")]
    public void RejectsNonNumbers(string? amount)
    {
        AssertRejected("CNY", amount, "price.amount", "INVALID_DECIMAL");
    }

    [Theory]
    [InlineData("2.345", "2.35")]
    [InlineData("2.344", "2.34")]
    [InlineData("2.005", "2.01")]
    [InlineData("-2.345", "-2.35")]
    [InlineData("0.125", "0.13")]
    public void RoundsHalfUpToTheFen(string amount, string expected)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(decimal.Parse(expected, inv), Cny.Round(decimal.Parse(amount, inv)));
    }

    [Theory]
    [InlineData("1234.5", "1234.50")]
    [InlineData("0", "0.00")]
    [InlineData("1000000", "1000000.00")]
    [InlineData("0.07", "0.07")]
    public void FormatsWithTwoDecimalsAndNoGrouping(string amount, string expected)
    {
        Assert.Equal(expected, Cny.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static void AssertRejected(string? currency, string? amount, string field, string reason)
    {
        var error = Assert.Throws<DomainException>(() => Cny.Parse(currency, amount, "price"));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(field, Assert.Single(error.Violations).Field);
    }
}
