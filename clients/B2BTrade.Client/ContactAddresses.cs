using B2BTrade.Protos.Common.V1;

namespace B2BTrade.Client;

/// <summary>Builds <see cref="ContactAddress"/> messages from what a person types.</summary>
public static class ContactAddresses
{
    /// <summary>An email address when <paramref name="phoneOrEmail"/> contains '@', otherwise a mainland China mobile number.</summary>
    /// <param name="phoneOrEmail">E.g. <c>13812345678</c>, <c>+8613812345678</c> or <c>buyer@example.com</c>.</param>
    /// <returns>The contact address message.</returns>
    public static ContactAddress Parse(string phoneOrEmail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneOrEmail);
        var text = phoneOrEmail.Trim();
        return text.Contains('@', StringComparison.Ordinal) ? new ContactAddress { Email = text } : new ContactAddress { Phone = text };
    }
}
