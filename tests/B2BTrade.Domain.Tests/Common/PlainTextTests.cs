using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Tests.Common;

public class PlainTextTests
{
    [Theory]
    [InlineData("上海宝钢贸易有限公司")]
    [InlineData("HRB400E Φ25 螺纹钢 ≥500 吨 −30.00 🙂")]
    [InlineData("第一行\n第二行\r\n\t缩进")]
    [InlineData("عربي\u200F")] // a right-to-left mark is ordinary punctuation, not an override
    [InlineData("")]
    [InlineData(null)]
    public void OrdinaryTextIsPlain(string? text) => Assert.True(PlainText.IsPlain(text));

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("bell\u0007")]
    [InlineData("esc\u001B[31m")]
    [InlineData("del\u007F")]
    [InlineData("c1\u0085")]
    [InlineData("恶意\u202E司公")]
    [InlineData("\u202Aembedded")]
    [InlineData("isolate\u2066x\u2069")]
    public void ControlAndDirectionCharactersAreNot(string text) => Assert.False(PlainText.IsPlain(text));

    [Fact]
    public void TheRefusalNamesTheField()
    {
        var error = PlainText.Refused("profile.legal_name");
        Assert.Equal((ErrorKind.InvalidArgument, "CONTROL_CHARACTERS"), (error.Kind, error.Reason));
        Assert.Equal("profile.legal_name", Assert.Single(error.Violations).Field);
    }
}
