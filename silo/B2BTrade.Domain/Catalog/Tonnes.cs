using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Catalog;

/// <summary>
/// A quantity of goods in tonnes to 3 decimal places (the kilogram), never negative, never floating point
/// (DESIGN §4 rule 1). 0.1 t + 0.2 t is exactly 0.3 t.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.tonnes")]
[JsonConverter(typeof(TonnesJsonConverter))]
public readonly record struct Tonnes : IComparable<Tonnes>
{
    public const int Decimals = 3;
    public const decimal MaxValue = 10_000_000m;

    public static readonly Tonnes Zero;

    private Tonnes(decimal value) => Value = value;

    [Id(0)]
    public decimal Value { get; }

    /// <summary>Parses what a client sent: a plain decimal such as "25.500". Rejects negatives, fractions of a kilogram and absurd sizes.</summary>
    public static Tonnes Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith('+')
            || !decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Errors.InvalidField(field, "INVALID_DECIMAL", "The quantity must be a number of tonnes such as 25.500.", "数量须为吨数，如 25.500。");
        }

        return Of(value, field);
    }

    /// <summary>Checks an already-decimal quantity with the same rules as <see cref="Parse"/>.</summary>
    public static Tonnes Of(decimal value, string field)
    {
        if (value < 0)
        {
            throw Errors.InvalidField(field, "NEGATIVE_QUANTITY", "The quantity cannot be negative.", "数量不能为负数。");
        }

        if (value > MaxValue)
        {
            throw Errors.InvalidField(field, "OUT_OF_RANGE", "The quantity cannot exceed 10,000,000 tonnes.", "数量不能超过 1000 万吨。");
        }

        if (value != Math.Round(value, Decimals))
        {
            throw Errors.InvalidField(field, "TOO_PRECISE", "Quantities have at most 3 decimal places (kilograms).", "数量最多保留三位小数（千克）。");
        }

        return new Tonnes(value);
    }

    public static Tonnes FromKilograms(long kilograms) => Of(kilograms / 1000m, "quantity");

    public bool IsZero => Value == 0;

    public static Tonnes operator +(Tonnes a, Tonnes b) => new(Checked(a.Value + b.Value));

    /// <summary>Subtracts; callers check first, so going below zero is a bug, not a user error.</summary>
    public static Tonnes operator -(Tonnes a, Tonnes b) =>
        a.Value >= b.Value ? new Tonnes(a.Value - b.Value) : throw new InvalidOperationException($"{a} t - {b} t would be negative.");

    public static bool operator <(Tonnes a, Tonnes b) => a.Value < b.Value;

    public static bool operator >(Tonnes a, Tonnes b) => a.Value > b.Value;

    public static bool operator <=(Tonnes a, Tonnes b) => a.Value <= b.Value;

    public static bool operator >=(Tonnes a, Tonnes b) => a.Value >= b.Value;

    public static Tonnes Min(Tonnes a, Tonnes b) => a <= b ? a : b;

    public int CompareTo(Tonnes other) => Value.CompareTo(other.Value);

    /// <summary>The CNY amount for this quantity at a price per tonne, rounded half-up to the fen.</summary>
    public decimal AmountAt(decimal pricePerTonne) => Cny.Round(Value * pricePerTonne);

    /// <summary>Always three decimals, e.g. "25.500", so kilograms are visible.</summary>
    public override string ToString() => Value.ToString("0.000", CultureInfo.InvariantCulture);

    private static decimal Checked(decimal value) =>
        value <= MaxValue ? value : throw Errors.InvalidField("quantity", "OUT_OF_RANGE", "The quantity cannot exceed 10,000,000 tonnes.", "数量不能超过 1000 万吨。");
}

/// <summary>Tonnes in JSON (read model, audit) as exact decimal text such as "25.500", never a float.</summary>
public sealed class TonnesJsonConverter : JsonConverter<Tonnes>
{
    public override Tonnes Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? Tonnes.Parse(reader.GetString(), "tonnes")
            : throw new JsonException("Tonnes are written as decimal text.");

    public override void Write(Utf8JsonWriter writer, Tonnes value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
