using System.Globalization;

namespace B2BTrade.Domain.Common;

/// <summary>CNY amounts: decimal, to the fen (2 places), rounded half-up (away from zero), never floating point.</summary>
public static class Cny
{
    public const string CurrencyCode = "CNY";
    public const decimal MaxAmount = 1_000_000_000_000m;

    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>Parses an amount a client sent. Rejects non-CNY currencies, more than 2 decimals, negatives and absurd sizes.</summary>
    public static decimal Parse(string? currencyCode, string? amount, string field)
    {
        if (!string.IsNullOrEmpty(currencyCode) && currencyCode != CurrencyCode)
        {
            throw Errors.InvalidField(field + ".currency_code", "UNSUPPORTED_CURRENCY", "Only CNY is supported.", "仅支持人民币（CNY）。");
        }

        // common.v1.Decimal: an optional minus sign, digits, an optional point and digits; no '+', no exponent.
        if (string.IsNullOrWhiteSpace(amount) || amount.StartsWith('+')
            || !decimal.TryParse(amount, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Errors.InvalidField(field + ".amount", "INVALID_DECIMAL", "The amount must be a decimal number such as 1234.56.", "金额须为数字，如 1234.56。");
        }

        if (value < 0 || value > MaxAmount)
        {
            throw Errors.InvalidField(field + ".amount", "OUT_OF_RANGE", "The amount must be between 0 and 1,000,000,000,000.", "金额须在 0 至 1 万亿元之间。");
        }

        if (value != Round(value))
        {
            throw Errors.InvalidField(field + ".amount", "TOO_PRECISE", "CNY amounts have at most 2 decimal places (fen).", "人民币金额最多保留两位小数（分）。");
        }

        return value;
    }

    public static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
