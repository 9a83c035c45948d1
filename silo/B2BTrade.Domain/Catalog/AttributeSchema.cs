using System.Collections.Immutable;

namespace B2BTrade.Domain.Catalog;

public enum AttributeKind
{
    /// <summary>One of a fixed list of values (材质 HRB400E, 钢厂 沙钢).</summary>
    Enum = 1,

    /// <summary>A single number with a unit, bounds and a number of decimals (规格 Φ12 mm).</summary>
    Number = 2,

    /// <summary>A number, or a from–to span, inside the bounds (长度 9–12 m, 粒度 0–50 mm).</summary>
    Range = 3,

    /// <summary>Free text up to a length (牌号 T30S).</summary>
    Text = 4,
}

/// <summary>How a listing's weight is measured (DESIGN §4 rule 2).</summary>
public enum WeightBasis
{
    /// <summary>理计: theoretical weight from dimensions (rebar 0.00617 × d² kg/m).</summary>
    Theoretical = 1,

    /// <summary>过磅: weighed on a weighbridge.</summary>
    Weighed = 2,
}

/// <summary>One allowed value of an enum attribute: a stable code plus labels in both UI languages.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.attribute-option")]
public sealed record AttributeOption(
    [property: Id(0)] string Value,
    [property: Id(1)] string LabelZh,
    [property: Id(2)] string LabelEn);

/// <summary>
/// One attribute of a category's schema. Kind-specific members: <see cref="Options"/> (Enum),
/// <see cref="Unit"/>/<see cref="Min"/>/<see cref="Max"/>/<see cref="Decimals"/>/<see cref="Prefix"/> (Number, Range),
/// <see cref="MaxLength"/> (Text). Checked by <see cref="CatalogRules.ValidateDefinition"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.attribute-definition")]
public sealed record AttributeDefinition
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required string LabelZh { get; init; }
    [Id(2)] public required string LabelEn { get; init; }
    [Id(3)] public required AttributeKind Kind { get; init; }
    [Id(4)] public ImmutableList<AttributeOption> Options { get; init; } = [];
    [Id(5)] public string Unit { get; init; } = "";
    [Id(6)] public decimal? Min { get; init; }
    [Id(7)] public decimal? Max { get; init; }
    [Id(8)] public int Decimals { get; init; }
    [Id(9)] public int MaxLength { get; init; } = 50;

    /// <summary>Shown before a number and accepted on input, e.g. "Φ" for diameters.</summary>
    [Id(10)] public string Prefix { get; init; } = "";
    [Id(11)] public bool Required { get; init; }
    [Id(12)] public bool Filterable { get; init; }
    [Id(13)] public bool ShownInList { get; init; }
    [Id(14)] public int SortOrder { get; init; }

    public AttributeOption? FindOption(string value) =>
        Options.FirstOrDefault(o => string.Equals(o.Value, value, StringComparison.OrdinalIgnoreCase)
            || o.LabelZh == value
            || string.Equals(o.LabelEn, value, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A normalised attribute value as a list row shows it: "材质 HRB400E", "规格 Φ12mm".</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.key-spec")]
public sealed record KeySpec(
    [property: Id(0)] string Key,
    [property: Id(1)] string LabelZh,
    [property: Id(2)] string LabelEn,
    [property: Id(3)] string Value,
    [property: Id(4)] string DisplayZh,
    [property: Id(5)] string DisplayEn);
