using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Identity;
using ProtoContact = B2BTrade.Protos.Common.V1.ContactAddress;
using ProtoMoney = B2BTrade.Protos.Common.V1.Money;

namespace B2BTrade.GrpcApi.Mapping;

/// <summary>Turns untrusted request fields into domain values, failing with INVALID_ARGUMENT naming the field.</summary>
public static class RequestParsing
{
    public const int MaxPageSize = 100;

    public static ContactAddress Address(ProtoContact? address, string field) => address?.KindCase switch
    {
        ProtoContact.KindOneofCase.Phone => ContactAddress.ParsePhone(address.Phone, field + ".phone"),
        ProtoContact.KindOneofCase.Email => ContactAddress.ParseEmail(address.Email, field + ".email"),
        _ => throw Errors.InvalidField(field, "REQUIRED", "Give a phone number or an email address.", "请填写手机号或邮箱。"),
    };

    /// <summary>A free-form recipient (operator filter): phone or email, normalised.</summary>
    public static string Recipient(string text, string field) =>
        text.Contains('@', StringComparison.Ordinal) ? ContactAddress.ParseEmail(text, field).Value : ContactAddress.ParsePhone(text, field).Value;

    public static TEnum Enum<TEnum>(int value, string field)
        where TEnum : struct, System.Enum =>
        value != 0 && System.Enum.IsDefined(typeof(TEnum), value)
            ? (TEnum)System.Enum.ToObject(typeof(TEnum), value)
            : throw Errors.InvalidField(field, "INVALID_ENUM", $"Choose a valid value for {field}.", $"请为 {field} 选择有效的值。");

    public static MemberRole[] Roles(IEnumerable<Protos.Enterprise.V1.MemberRole> roles, string field) =>
        [.. roles.Select((r, i) => Enum<MemberRole>((int)r, $"{field}[{i}]")).Distinct()];

    public static decimal? OptionalCny(ProtoMoney? money, string field) =>
        money is null || (string.IsNullOrEmpty(money.Amount) && string.IsNullOrEmpty(money.CurrencyCode)) ? null : Cny.Parse(money.CurrencyCode, money.Amount, field);

    /// <summary>A plain decimal ("12.5", "-3"); null when absent or empty.</summary>
    public static decimal? OptionalDecimal(Protos.Common.V1.Decimal? value, string field) =>
        value is null || value.Value.Length == 0 ? null
        : decimal.TryParse(value.Value, System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
        : throw Errors.InvalidField(field, "INVALID_DECIMAL", "Give a decimal number.", "请填写数字。");

    public static string Id(string? id, string prefix, string field) =>
        Ids.IsWellFormed(id, prefix)
            ? id!
            : throw Errors.InvalidField(field, string.IsNullOrEmpty(id) ? "REQUIRED" : "INVALID_ID", $"Give a valid {field}.", $"请提供有效的 {field}。");

    /// <summary>AIP-158: 0 means the default, larger than the maximum is coerced down, negative is an error.</summary>
    public static int PageSize(int requested, int fallback = 20) => requested switch
    {
        < 0 => throw Errors.InvalidField("page_size", "INVALID_PAGE_SIZE", "page_size must not be negative.", "page_size 不能为负数。"),
        0 => fallback,
        > MaxPageSize => MaxPageSize,
        _ => requested,
    };

    public static string Required(string? value, string field, string label, string labelZh) =>
        string.IsNullOrWhiteSpace(value) ? throw Errors.InvalidField(field, "REQUIRED", $"{label} is required.", $"请填写{labelZh}。") : value;
}
