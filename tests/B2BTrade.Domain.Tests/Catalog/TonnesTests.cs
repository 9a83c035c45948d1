using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Tests.Catalog;

public class TonnesTests
{
    [Fact]
    public void AddingTenthsOfATonneHasNoFloatingPointDrift()
    {
        var sum = Tonnes.Parse("0.1", "q") + Tonnes.Parse("0.2", "q");

        Assert.Equal(Tonnes.Parse("0.3", "q"), sum);
        Assert.Equal("0.300", sum.ToString());
    }

    [Fact]
    public void ThousandSmallLotsAddUpExactly()
    {
        var total = Tonnes.Zero;
        for (var i = 0; i < 1000; i++)
        {
            total += Tonnes.Parse("0.001", "q");
        }

        Assert.Equal(Tonnes.Parse("1", "q"), total);
    }

    [Theory]
    [InlineData("25.5", "25.500")]
    [InlineData("0", "0.000")]
    [InlineData(" 1234.567 ", "1234.567")]
    [InlineData("10000000", "10000000.000")]
    public void ParsesQuantitiesToTheKilogram(string text, string shown)
    {
        Assert.Equal(shown, Tonnes.Parse(text, "quantity").ToString());
    }

    [Theory]
    [InlineData("1.2345", "TOO_PRECISE")]
    [InlineData("-0.001", "NEGATIVE_QUANTITY")]
    [InlineData("10000000.001", "OUT_OF_RANGE")]
    [InlineData("1e3", "INVALID_DECIMAL")]
    [InlineData("+25", "INVALID_DECIMAL")]
    [InlineData("twelve", "INVALID_DECIMAL")]
    [InlineData("", "INVALID_DECIMAL")]
    [InlineData("1,000", "INVALID_DECIMAL")]
    public void RejectsQuantitiesThatAreNotWholeKilogramsOfARealisticSize(string text, string reason)
    {
        var error = Assert.Throws<DomainException>(() => Tonnes.Parse(text, "stock"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(reason, error.Reason);
        Assert.Equal("stock", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void AmountForAQuantityIsRoundedHalfUpToTheFen()
    {
        // 1.005 t × 3,650.50 元/吨 = 3,668.7525 → 3,668.75; 0.001 t × 5 元/吨 = 0.005 → 0.01
        Assert.Equal(3668.75m, Tonnes.Parse("1.005", "q").AmountAt(3650.50m));
        Assert.Equal(0.01m, Tonnes.Parse("0.001", "q").AmountAt(5m));
    }

    [Fact]
    public void SubtractingMoreThanThereIsIsABugNotANegativeQuantity()
    {
        Assert.Throws<InvalidOperationException>(() => Tonnes.Parse("1", "q") - Tonnes.Parse("1.001", "q"));
    }
}
