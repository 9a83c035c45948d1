using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;

namespace B2BTrade.Domain.Tests.Identity;

public class ContactAddressTests
{
    [Theory]
    [InlineData("13812345678")]
    [InlineData("+86 138 1234 5678")]
    [InlineData("+86-13812345678")]
    [InlineData("008613812345678")]
    [InlineData("8613812345678")]
    [InlineData(" 138-1234-5678 ")]
    [InlineData("+8613812345678")]
    public void PhoneWrittenAnyCommonWayIsOneCanonicalAddress(string raw)
    {
        var phone = ContactAddress.ParsePhone(raw, "phone");

        Assert.Equal(ContactKind.Phone, phone.Kind);
        Assert.Equal("+8613812345678", phone.Value);
        Assert.Equal("13812345678", phone.NationalNumber);
        Assert.Equal("sms", phone.Channel);
    }

    [Theory]
    [InlineData("138123456789")]
    [InlineData("1381234567")]
    [InlineData("12812345678")]
    [InlineData("10012345678")]
    [InlineData("1381234567a")]
    [InlineData("phone")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("+1 415 555 0100")]
    [InlineData("+86 +86 13812345678")]
    public void RejectsInvalidPhoneNamingTheField(string? raw)
    {
        var error = Assert.Throws<DomainException>(() => ContactAddress.ParsePhone(raw, "request.phone"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_PHONE", error.Reason);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("request.phone", violation.Field);
        Assert.False(string.IsNullOrEmpty(violation.MessageZh));
    }

    [Theory]
    [InlineData("Alice@Example.COM", "alice@example.com")]
    [InlineData("  bob.smith+trade@mail.steel.cn ", "bob.smith+trade@mail.steel.cn")]
    public void EmailIsTrimmedAndLowercased(string raw, string expected)
    {
        var email = ContactAddress.ParseEmail(raw, "email");

        Assert.Equal(ContactKind.Email, email.Kind);
        Assert.Equal(expected, email.Value);
        Assert.Equal("email", email.Channel);
    }

    [Fact]
    public void EmailsDifferingOnlyInCaseAreTheSameAccountKey()
    {
        Assert.Equal(ContactAddress.ParseEmail("Buyer@Steel.cn", "email"), ContactAddress.ParseEmail("buyer@steel.CN", "email"));
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("a@example")]
    [InlineData("a b@example.com")]
    [InlineData("a@exa_mple.com")]
    [InlineData("")]
    [InlineData(null)]
    public void RejectsInvalidEmailNamingTheField(string? raw)
    {
        var error = Assert.Throws<DomainException>(() => ContactAddress.ParseEmail(raw, "invitee.email"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_EMAIL", error.Reason);
        Assert.Equal("invitee.email", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void RejectsEmailWithOverlongLocalPart()
    {
        var error = Assert.Throws<DomainException>(() => ContactAddress.ParseEmail(new string('a', 65) + "@example.com", "email"));

        Assert.Equal("INVALID_EMAIL", error.Reason);
    }

    [Fact]
    public void PhoneIsMaskedKeepingFirstThreeAndLastFourDigits()
    {
        Assert.Equal("138****5678", ContactAddress.ParsePhone("13812345678", "phone").Masked);
    }

    [Theory]
    [InlineData("alice@example.com", "a***@example.com")]
    [InlineData("x@example.com", "x***@example.com")]
    public void EmailIsMaskedKeepingFirstCharacterAndDomain(string raw, string masked)
    {
        Assert.Equal(masked, ContactAddress.ParseEmail(raw, "email").Masked);
    }

    [Fact]
    public void MaskedNumberKeepsOnlyFirstAndLastFour()
    {
        Assert.Equal("6222***********0123", Mask.Number("6222021234567890123"));
        Assert.Equal("********", Mask.Number("12345678"));
    }

    [Fact]
    public void KeyNamesTheKindAndRoundTrips()
    {
        var phone = ContactAddress.ParsePhone("138 1234 5678", "phone");
        var email = ContactAddress.ParseEmail("Alice@Example.com", "email");

        Assert.Equal("phone:+8613812345678", phone.Key);
        Assert.Equal("email:alice@example.com", email.Key);
        Assert.Equal(phone, ContactAddress.FromKey(phone.Key));
        Assert.Equal(email, ContactAddress.FromKey(email.Key));
    }
}
