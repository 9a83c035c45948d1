using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Tests.Identity;

public class PasswordPolicyTests
{
    private static readonly ContactAddress[] s_owner =
    [
        ContactAddress.ParsePhone("13812345678", "phone"),
        ContactAddress.ParseEmail("zhangwei@example.com", "email"),
    ];

    [Theory]
    [InlineData("Tr4de#Ok")]
    [InlineData("Gang-Cai-2024!")]
    [InlineData("螺纹钢Hrb400#25")]
    public void AcceptsStrongPassword(string password)
    {
        PasswordPolicy.Validate(password, s_owner);
    }

    [Fact]
    public void AcceptsLengthBounds()
    {
        PasswordPolicy.Validate("Ab1!cdef", s_owner);
        PasswordPolicy.Validate("Ab1!" + new string('q', 124), s_owner);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(129)]
    public void RejectsPasswordOutsideLengthBounds(int length)
    {
        var password = "Ab1!" + new string('q', length - 4);

        AssertRejected(password, "PASSWORD_LENGTH");
    }

    [Theory]
    [InlineData("12345678!")]
    [InlineData("Abcdefgh!")]
    [InlineData("Abcdefgh1")]
    [InlineData("Abcdef 12")]
    public void RejectsPasswordMissingLettersDigitsOrSymbols(string password)
    {
        AssertRejected(password, "PASSWORD_TOO_WEAK");
    }

    [Theory]
    [InlineData("Pw#13812345678")]
    [InlineData("Zhangwei#2024")]
    [InlineData("x1!ZHANGWEI@EXAMPLE.COM")]
    public void RejectsPasswordContainingTheOwnersPhoneOrEmail(string password)
    {
        AssertRejected(password, "PASSWORD_CONTAINS_IDENTITY");
    }

    [Theory]
    [InlineData("P@ssw0rd")]
    [InlineData("Admin@123")]
    [InlineData("1qaz@WSX")]
    public void RejectsCommonPassword(string password)
    {
        AssertRejected(password, "PASSWORD_TOO_COMMON");
    }

    [Theory]
    [InlineData("Abcdef1!\n")]
    [InlineData("Abc\tdef1!")]
    [InlineData("Abcdef1!\0")]
    public void RejectsControlCharacters(string password)
    {
        AssertRejected(password, "PASSWORD_CHARACTERS");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void RequiresAPassword(string? password)
    {
        AssertRejected(password, "REQUIRED");
    }

    [Fact]
    public void NamesTheGivenField()
    {
        var error = Assert.Throws<DomainException>(() => PasswordPolicy.Validate("short", s_owner, "new_password"));

        Assert.Equal("new_password", Assert.Single(error.Violations).Field);
    }

    private static void AssertRejected(string? password, string reason)
    {
        var error = Assert.Throws<DomainException>(() => PasswordPolicy.Validate(password, s_owner));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(reason, error.Reason);
        Assert.Equal("password", Assert.Single(error.Violations).Field);
    }
}
