using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Tests.Common;

public class ValidationTests
{
    [Fact]
    public void CollectsEveryViolationIntoOneError()
    {
        var validation = new Validation()
            .Required("name", " ", "Name", "名称")
            .Length("code", "ab", 3, 10, "Code", "编码")
            .Merge(Errors.InvalidField("phone", "INVALID_PHONE", "bad phone", "手机号有误"))
            .Add("qty", "OUT_OF_RANGE", "bad qty", "数量有误");

        var error = Assert.Throws<DomainException>(validation.ThrowIfInvalid);

        Assert.False(validation.IsValid);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_FIELDS", error.Reason);
        Assert.Equal(new[] { "name", "code", "phone", "qty" }, error.Violations.Select(v => v.Field));
        Assert.Equal(new[] { "REQUIRED", "INVALID_LENGTH", "INVALID_PHONE", "OUT_OF_RANGE" }, error.Violations.Select(v => v.Reason));
        Assert.Contains("4", error.Message, StringComparison.Ordinal);
        Assert.Contains("4", error.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleViolationKeepsItsOwnReasonAndMessage()
    {
        var error = Assert.Throws<DomainException>(new Validation().Required("name", null, "Name", "名称").ThrowIfInvalid);

        Assert.Equal("REQUIRED", error.Reason);
        Assert.Equal("Name is required.", error.Message);
        Assert.Equal("请填写名称。", error.MessageZh);
    }

    [Fact]
    public void ValidInputDoesNotThrow()
    {
        var validation = new Validation()
            .Required("name", "Steel Co", "Name", "名称")
            .Length("name", "Steel Co", 2, 100, "Name", "名称")
            .Length("optional", "", 2, 100, "Optional", "可选");

        Assert.True(validation.IsValid);
        validation.ThrowIfInvalid();
    }

    [Theory]
    [InlineData("a", false)]
    [InlineData("ab", true)]
    [InlineData("  ab  ", true)]
    [InlineData("abcde", true)]
    [InlineData("abcdef", false)]
    public void LengthCountsTrimmedCharacters(string value, bool valid)
    {
        Assert.Equal(valid, new Validation().Length("f", value, 2, 5, "F", "F").IsValid);
    }
}
