using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Catalog;

/// <summary>Attribute schemas: checking definitions operators write and values sellers enter.</summary>
public static partial class CatalogRules
{
    public const int MaxEnumOptions = 200;
    public const int MaxTextLength = 500;
    private const decimal NumberBound = 1_000_000_000m;
    private static readonly string[] s_rangeSeparators = ["~", "～", "–", "—", "至", "-"];

    /// <summary>Checks one definition, adding each problem under <paramref name="field"/>.</summary>
    public static void ValidateDefinition(Validation v, AttributeDefinition? definition, string field)
    {
        if (definition is null)
        {
            v.Add(field, "REQUIRED", "The attribute definition is missing.", "缺少属性定义。");
            return;
        }

        if (!AttributeKeyPattern().IsMatch(definition.Key ?? ""))
        {
            v.Add(field + ".key", "INVALID_ATTRIBUTE_KEY", "An attribute key is 1 to 32 lowercase letters, digits or '_', starting with a letter.", "属性键须为 1 至 32 位小写字母、数字或下划线，并以字母开头。");
        }

        v.Required(field + ".label_zh", definition.LabelZh, "Chinese label", "中文名称").Length(field + ".label_zh", definition.LabelZh, 1, 20, "Chinese label", "中文名称");
        v.Required(field + ".label_en", definition.LabelEn, "English label", "英文名称").Length(field + ".label_en", definition.LabelEn, 1, 50, "English label", "英文名称");
        switch (definition.Kind)
        {
            case AttributeKind.Enum:
                var options = definition.Options ?? [];
                if (options.Count is 0 or > MaxEnumOptions)
                {
                    v.Add(field + ".options", "INVALID_OPTIONS", $"An enumeration needs 1 to {MaxEnumOptions} values.", $"枚举属性须有 1 至 {MaxEnumOptions} 个可选值。");
                }

                var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var labels = new HashSet<string>();
                for (var i = 0; i < options.Count; i++)
                {
                    var o = options[i];
                    if (o is null || string.IsNullOrWhiteSpace(o.Value) || o.Value.Trim().Length > 50 || string.IsNullOrWhiteSpace(o.LabelZh) || string.IsNullOrWhiteSpace(o.LabelEn))
                    {
                        v.Add($"{field}.options[{i}]", "INVALID_OPTION", "Each value needs a code (at most 50 characters) and labels in Chinese and English.", "每个可选值须有编码（最多 50 个字符）及中英文名称。");
                    }
                    else if (!codes.Add(o.Value.Trim()) || !labels.Add(o.LabelZh.Trim()))
                    {
                        v.Add($"{field}.options[{i}]", "DUPLICATE_OPTION", $"The value {o.Value} appears twice.", $"可选值 {o.LabelZh} 重复。");
                    }
                }

                break;
            case AttributeKind.Number or AttributeKind.Range:
                if (definition.Min is not { } min || definition.Max is not { } max || min >= max || min < -NumberBound || max > NumberBound)
                {
                    v.Add(field + ".min", "INVALID_BOUNDS", "A number attribute needs a minimum below its maximum.", "数值属性须设置最小值和最大值，且最小值小于最大值。");
                }

                if (definition.Decimals is < 0 or > 6)
                {
                    v.Add(field + ".decimals", "OUT_OF_RANGE", "Decimals must be 0 to 6.", "小数位数须为 0 至 6。");
                }

                if ((definition.Unit ?? "").Length > 10 || (definition.Prefix ?? "").Length > 3)
                {
                    v.Add(field + ".unit", "INVALID_LENGTH", "A unit has at most 10 characters and a prefix at most 3.", "单位最多 10 个字符，前缀最多 3 个字符。");
                }

                break;
            case AttributeKind.Text:
                if (definition.MaxLength is < 1 or > MaxTextLength)
                {
                    v.Add(field + ".max_length", "OUT_OF_RANGE", $"The maximum length must be 1 to {MaxTextLength}.", $"最大长度须为 1 至 {MaxTextLength}。");
                }

                break;
            default:
                v.Add(field + ".kind", "INVALID_KIND", "The kind must be enumeration, number, range or text.", "属性类型须为枚举、数值、范围或文本。");
                break;
        }
    }

    /// <summary>Trims a valid definition's texts and drops members that do not belong to its kind.</summary>
    public static AttributeDefinition NormaliseDefinition(AttributeDefinition d) => d with
    {
        Key = d.Key.Trim(),
        LabelZh = d.LabelZh.Trim(),
        LabelEn = d.LabelEn.Trim(),
        Options = d.Kind == AttributeKind.Enum ? [.. d.Options.Select(o => new AttributeOption(o.Value.Trim(), o.LabelZh.Trim(), o.LabelEn.Trim()))] : [],
        Unit = d.Kind is AttributeKind.Number or AttributeKind.Range ? (d.Unit ?? "").Trim() : "",
        Prefix = d.Kind is AttributeKind.Number or AttributeKind.Range ? (d.Prefix ?? "").Trim() : "",
        Min = d.Kind is AttributeKind.Number or AttributeKind.Range ? d.Min : null,
        Max = d.Kind is AttributeKind.Number or AttributeKind.Range ? d.Max : null,
    };

    /// <summary>
    /// Checks a listing's attribute values against a schema and returns them normalised: enum values as their
    /// code (accepting the code or either label), numbers without unit, prefix or trailing zeros ("12"), ranges as
    /// "from-to" or a single number, text trimmed; blank optional values dropped. Throws INVALID_ARGUMENT naming every
    /// bad field as <c>attributes.&lt;key&gt;</c>.
    /// </summary>
    public static ImmutableDictionary<string, string> ValidateAttributes(IReadOnlyList<AttributeDefinition> schema, IReadOnlyDictionary<string, string>? values, string prefix = "attributes")
    {
        var v = new Validation();
        var result = Check(v, schema, values, prefix);
        v.ThrowIfInvalid();
        return result;
    }

    internal static ImmutableDictionary<string, string> Check(Validation v, IReadOnlyList<AttributeDefinition> schema, IReadOnlyDictionary<string, string>? values, string prefix)
    {
        values ??= ImmutableDictionary<string, string>.Empty;
        var byKey = schema.ToDictionary(a => a.Key);
        var result = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var key in values.Keys.Where(k => !byKey.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            v.Add($"{prefix}.{key}", "UNKNOWN_ATTRIBUTE", $"This category has no attribute {key}.", $"该分类没有属性 {key}。");
        }

        foreach (var definition in schema)
        {
            var field = $"{prefix}.{definition.Key}";
            var raw = values.GetValueOrDefault(definition.Key)?.Trim();
            if (string.IsNullOrEmpty(raw))
            {
                if (definition.Required)
                {
                    v.Add(field, "REQUIRED", $"{definition.LabelEn} is required.", $"请填写{definition.LabelZh}。");
                }

                continue;
            }

            var normalised = definition.Kind switch
            {
                AttributeKind.Enum => CheckEnum(v, definition, raw, field),
                AttributeKind.Number => CheckNumber(v, definition, raw, field),
                AttributeKind.Range => CheckRange(v, definition, raw, field),
                _ => CheckText(v, definition, raw, field),
            };
            if (normalised is not null)
            {
                result[definition.Key] = normalised;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The values marked shown-in-list, in schema order, with display text ("Φ12mm", "9-12m", "HRB400E").</summary>
    public static ImmutableList<KeySpec> KeySpecs(IReadOnlyList<AttributeDefinition> schema, IReadOnlyDictionary<string, string> values) =>
        [.. schema.Where(a => a.ShownInList && values.ContainsKey(a.Key)).OrderBy(a => a.SortOrder).Select(a => Display(a, values[a.Key]))];

    public static KeySpec Display(AttributeDefinition definition, string value)
    {
        if (definition.Kind == AttributeKind.Enum)
        {
            var option = definition.FindOption(value);
            return new KeySpec(definition.Key, definition.LabelZh, definition.LabelEn, value, option?.LabelZh ?? value, option?.LabelEn ?? value);
        }

        if (definition.Kind is AttributeKind.Number or AttributeKind.Range)
        {
            var parts = value.Split('-', 2);
            var text = string.Join("-", parts.Select(p => definition.Prefix + p)) + definition.Unit;
            return new KeySpec(definition.Key, definition.LabelZh, definition.LabelEn, value, text, text);
        }

        return new KeySpec(definition.Key, definition.LabelZh, definition.LabelEn, value, value, value);
    }

    /// <summary>Theoretical weight of ribbed bar (GB/T 1499.2): 0.00617 × d² kg per metre, to 3 decimals (Φ12 → 0.888).</summary>
    public static decimal RebarKgPerMetre(decimal diameterMm) => Math.Round(0.00617m * diameterMm * diameterMm, 3, MidpointRounding.AwayFromZero);

    /// <summary>Splits a tax-inclusive amount into net and VAT, both to the fen; net + VAT equals the amount.</summary>
    public static (decimal Net, decimal Vat) SplitTaxInclusive(decimal amountIncludingVat, decimal vatRate)
    {
        var net = Cny.Round(amountIncludingVat / (1 + vatRate));
        return (net, amountIncludingVat - net);
    }

    /// <summary>Normalised form of a decimal: no trailing zeros, invariant culture ("12", "12.5").</summary>
    public static string FormatNumber(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>Reads a normalised number or range back: "12" → (12, 12), "9-12" → (9, 12).</summary>
    public static (decimal From, decimal To)? ParseNormalisedRange(string value)
    {
        var parts = value.Split('-', 2);
        if (!decimal.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var from))
        {
            return null;
        }

        if (parts.Length == 1)
        {
            return (from, from);
        }

        return decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var to) ? (from, to) : null;
    }

    private static string? CheckEnum(Validation v, AttributeDefinition d, string raw, string field)
    {
        var option = d.FindOption(raw);
        if (option is null)
        {
            var allowed = string.Join("、", d.Options.Take(12).Select(o => o.LabelZh));
            v.Add(field, "NOT_ALLOWED_VALUE", $"{raw} is not one of the allowed values of {d.LabelEn}.", $"{d.LabelZh}不能为“{raw}”，可选：{allowed}{(d.Options.Count > 12 ? "等" : "")}。");
        }

        return option?.Value;
    }

    private static string? CheckText(Validation v, AttributeDefinition d, string raw, string field)
    {
        if (raw.Length > d.MaxLength)
        {
            v.Add(field, "TOO_LONG", $"{d.LabelEn} has at most {d.MaxLength} characters.", $"{d.LabelZh}最多 {d.MaxLength} 个字符。");
            return null;
        }

        if (raw.Any(char.IsControl))
        {
            v.Add(field, "INVALID_CHARACTERS", $"{d.LabelEn} cannot contain control characters.", $"{d.LabelZh}含有非法字符。");
            return null;
        }

        return raw;
    }

    private static string? CheckNumber(Validation v, AttributeDefinition d, string raw, string field)
    {
        var value = ParseNumber(v, d, raw, field);
        return value is { } n && InBounds(v, d, n, field) ? FormatNumber(n) : null;
    }

    private static string? CheckRange(Validation v, AttributeDefinition d, string raw, string field)
    {
        foreach (var separator in s_rangeSeparators)
        {
            var at = raw.IndexOf(separator, 1, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            var from = ParseNumber(v, d, raw[..at], field);
            var to = from is null ? null : ParseNumber(v, d, raw[(at + separator.Length)..], field);
            if (from is not { } a || to is not { } b || !InBounds(v, d, a, field) || !InBounds(v, d, b, field))
            {
                return null;
            }

            if (a > b)
            {
                v.Add(field, "INVALID_RANGE", $"{d.LabelEn}: the lower end must not exceed the upper end.", $"{d.LabelZh}的下限不能大于上限。");
                return null;
            }

            return a == b ? FormatNumber(a) : FormatNumber(a) + "-" + FormatNumber(b);
        }

        return CheckNumber(v, d, raw, field);
    }

    private static decimal? ParseNumber(Validation v, AttributeDefinition d, string raw, string field)
    {
        var text = raw.Trim();
        if (d.Prefix.Length > 0 && text.StartsWith(d.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[d.Prefix.Length..];
        }
        else if (text.Length > 0 && text[0] is 'Φ' or 'φ' or 'ϕ' && d.Prefix.Length > 0)
        {
            text = text[1..];
        }

        text = text.Trim();
        if (d.Unit.Length > 0 && text.EndsWith(d.Unit, StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^d.Unit.Length].Trim();
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            var numeric = NumberThenSuffix().Match(text);
            if (numeric.Success)
            {
                v.Add(field, "WRONG_UNIT", $"{d.LabelEn} is in {(d.Unit.Length > 0 ? d.Unit : "plain numbers")}, not {numeric.Groups[1].Value}.", $"{d.LabelZh}的单位是{(d.Unit.Length > 0 ? d.Unit : "纯数字")}，不是“{numeric.Groups[1].Value}”。");
            }
            else
            {
                v.Add(field, "NOT_A_NUMBER", $"{d.LabelEn} must be a number{(d.Unit.Length > 0 ? " in " + d.Unit : "")}.", $"{d.LabelZh}须为数字{(d.Unit.Length > 0 ? "（单位 " + d.Unit + "）" : "")}。");
            }

            return null;
        }

        if (value != Math.Round(value, d.Decimals))
        {
            v.Add(field, "TOO_PRECISE", $"{d.LabelEn} has at most {d.Decimals} decimal places.", d.Decimals == 0 ? $"{d.LabelZh}须为整数。" : $"{d.LabelZh}最多保留 {d.Decimals} 位小数。");
            return null;
        }

        return value;
    }

    private static bool InBounds(Validation v, AttributeDefinition d, decimal value, string field)
    {
        if ((d.Min is { } min && value < min) || (d.Max is { } max && value > max))
        {
            var bounds = $"{d.Prefix}{FormatNumber(d.Min ?? 0)}–{d.Prefix}{FormatNumber(d.Max ?? 0)}{d.Unit}";
            v.Add(field, "OUT_OF_RANGE", $"{d.LabelEn} must be within {bounds}.", $"{d.LabelZh}须在 {bounds} 之间。");
            return false;
        }

        return true;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial Regex AttributeKeyPattern();

    [GeneratedRegex("^-?[0-9]+(?:\\.[0-9]+)?\\s*([^0-9\\s.].*)$")]
    private static partial Regex NumberThenSuffix();
}
