using System.Globalization;
using B2BTrade.Protos.Common.V1;
using ProtoDecimal = B2BTrade.Protos.Common.V1.Decimal;

namespace B2BTrade.Client;

/// <summary>
/// Builds and reads the catalog's quantities (<c>Decimal</c> tonnes, 3 places) and prices (<c>Money</c>, CNY to the
/// fen) from C# <see cref="decimal"/>, always in the invariant culture and never through <see cref="double"/>.
/// A value with more places than the platform holds is refused instead of being rounded silently.
/// </summary>
public static class CatalogValues
{
    /// <summary>The currency of every catalog price.</summary>
    public const string CnyCurrencyCode = "CNY";

    /// <summary>Decimal places of a quantity in tonnes (to the kilogram).</summary>
    public const int TonnesDecimalPlaces = 3;

    /// <summary>Decimal places of a CNY amount (to the fen).</summary>
    public const int CnyDecimalPlaces = 2;

    /// <summary>A quantity in tonnes, e.g. <c>Tonnes(12.5m)</c> → <c>"12.500"</c>.</summary>
    /// <param name="tonnes">The quantity; at most 3 decimal places.</param>
    /// <returns>The proto decimal with 3 decimal places.</returns>
    /// <exception cref="ArgumentException"><paramref name="tonnes"/> has more than 3 decimal places.</exception>
    public static ProtoDecimal Tonnes(decimal tonnes) => new() { Value = Format(tonnes, TonnesDecimalPlaces, "0.000", nameof(tonnes)) };

    /// <summary>An amount in CNY, e.g. <c>Cny(3650m)</c> → <c>{ "CNY", "3650.00" }</c>.</summary>
    /// <param name="amount">The amount (negative for a discount extra); at most 2 decimal places.</param>
    /// <returns>The money with 2 decimal places.</returns>
    /// <exception cref="ArgumentException"><paramref name="amount"/> has more than 2 decimal places.</exception>
    public static Money Cny(decimal amount) => new() { CurrencyCode = CnyCurrencyCode, Amount = Format(amount, CnyDecimalPlaces, "0.00", nameof(amount)) };

    /// <summary>A plain number as given, e.g. for <c>NumberRange</c> search bounds: <c>Number(12m)</c> → <c>"12"</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The proto decimal in invariant notation.</returns>
    public static ProtoDecimal Number(decimal value) => new() { Value = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Reads a proto decimal, e.g. a listing's <c>stock_tonnes</c>.</summary>
    /// <param name="value">The proto decimal.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The text is not a plain decimal number.</exception>
    public static decimal ToDecimal(ProtoDecimal value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Parse(value.Value);
    }

    /// <summary>Reads the amount of a money value (whatever its currency).</summary>
    /// <param name="money">The money.</param>
    /// <returns>The amount.</returns>
    /// <exception cref="FormatException">The amount is not a plain decimal number.</exception>
    public static decimal ToDecimal(Money money)
    {
        ArgumentNullException.ThrowIfNull(money);
        return Parse(money.Amount);
    }

    private static string Format(decimal value, int places, string format, string parameterName)
    {
        if (decimal.Round(value, places) != value)
        {
            throw new ArgumentException($"{value.ToString(CultureInfo.InvariantCulture)} has more than {places} decimal places; round it as your business rules say first.", parameterName);
        }

        // 0m also folds a negative zero into "0.000".
        return (value == 0m ? 0m : value).ToString(format, CultureInfo.InvariantCulture);
    }

    private static decimal Parse(string text) =>
        decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
