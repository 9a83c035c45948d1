using System.Collections.Frozen;
using System.Collections.Immutable;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;

namespace B2BTrade.Domain.Orders;

/// <summary>
/// How a seller charges freight to one destination province: a zone price per tonne (<see cref="PerTonne"/>), or a
/// price per tonne-km (<see cref="PerTonneKmRate"/>) over <see cref="DistanceKm"/>; optional loading per tonne on top.
/// <see cref="DestinationProvince"/> "*" covers every province without a rule of its own; empty
/// <see cref="TransportModes"/> covers every mode.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.freight-rule")]
public sealed record FreightRule(
    [property: Id(0)] string DestinationProvince,
    [property: Id(1)] decimal? PerTonne,
    [property: Id(2)] decimal? PerTonneKmRate,
    [property: Id(3)] int? DistanceKm,
    [property: Id(4)] decimal? LoadingPerTonne,
    [property: Id(5)] ImmutableList<TransportMode> TransportModes);

/// <summary>Validation and lookup of a seller's freight rules.</summary>
public static class FreightRules
{
    public const int MaxRules = 100;
    public const string EveryOtherProvince = "*";
    public const decimal MaxPerTonne = 100_000m;
    public const decimal MaxPerTonneKmRate = 100m;
    public const int MaxDistanceKm = 5000;

    /// <summary>The 34 province-level divisions of China by their full names (GB/T 2260 order, then 香港, 澳门, 台湾).</summary>
    public static IReadOnlyList<string> Provinces { get; } =
    [
        "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省", "浙江省",
        "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市",
        "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
        "香港特别行政区", "澳门特别行政区", "台湾省",
    ];

    private static readonly FrozenSet<string> s_provinces = Provinces.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Checks a seller's rules and reports every bad field at once ("rules[i].…"). Each rule names a known province
    /// (full name, e.g. 江苏省) or "*"; has exactly one charge — a per-tonne price (0 to 100,000, 2 decimals) or a
    /// per-tonne-km rate (above 0, at most 100, 4 decimals) with a distance of 1 to 5000 km; an optional loading price
    /// per tonne like the per-tonne price; transport modes without 买方自提 (a pickup has no freight). Two rules for the
    /// same province may not cover the same mode (two rules without modes overlap; a rule naming modes may sit beside
    /// one without, and wins for its modes). Returns the rules in the given order with names trimmed and modes
    /// de-duplicated and sorted.
    /// </summary>
    public static ImmutableList<FreightRule> Validate(IReadOnlyList<FreightRule> rules)
    {
        var v = new Validation();
        if (rules.Count > MaxRules)
        {
            v.Add("rules", "TOO_MANY", $"At most {MaxRules} freight rules.", $"运费规则最多 {MaxRules} 条。");
            v.ThrowIfInvalid();
        }

        var normalised = new List<FreightRule>(rules.Count);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var f = $"rules[{i}]";
            var province = (rule.DestinationProvince ?? "").Trim();
            if (province != EveryOtherProvince && !s_provinces.Contains(province))
            {
                v.Add(f + ".destination_province", "UNKNOWN_PROVINCE", "Choose a province-level division by its full name (e.g. 江苏省), or * for every other province.", "请选择省级行政区全称（如“江苏省”），或以 * 表示其他所有省份。");
            }

            var perTonneKm = rule.PerTonneKmRate is not null || rule.DistanceKm is not null;
            if (rule.PerTonne is not null == perTonneKm)
            {
                v.Add(f, "CHARGE_REQUIRED", "Give exactly one way of charging: a price per tonne or a price per tonne-km with a distance.", "请在按吨计价与按吨公里计价（含里程）中选择且只选择一种。");
            }

            if (rule.PerTonne is { } perTonne)
            {
                CheckPerTonne(v, f + ".per_tonne.amount", perTonne, "freight price per tonne", "每吨运费");
            }

            if (perTonneKm)
            {
                CheckTonneKm(v, f, rule.PerTonneKmRate, rule.DistanceKm);
            }

            if (rule.LoadingPerTonne is { } loading)
            {
                CheckPerTonne(v, f + ".loading_per_tonne.amount", loading, "loading price per tonne", "每吨装卸费");
            }

            var modes = rule.TransportModes ?? [];
            if (modes.Any(m => m == TransportMode.BuyerPickup || !Enum.IsDefined(m)))
            {
                v.Add(f + ".transport_modes", "INVALID", "Freight applies to road, rail, waterway or multimodal transport, not to buyer pickup.", "运费仅适用于汽运、铁运、水运或多式联运，买方自提不计运费。");
            }

            normalised.Add(rule with { DestinationProvince = province, TransportModes = [.. modes.Distinct().Order()] });
        }

        for (var i = 0; i < normalised.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (normalised[j].DestinationProvince == normalised[i].DestinationProvince && Overlap(normalised[j], normalised[i]))
                {
                    v.Add($"rules[{i}]", "DUPLICATE_RULE", $"Rule {j + 1} already covers this province and transport mode.", $"第 {j + 1} 条规则已覆盖该省份及运输方式。");
                    break;
                }
            }
        }

        v.ThrowIfInvalid();
        return [.. normalised];
    }

    /// <summary>
    /// The rule that prices freight to <paramref name="province"/> by <paramref name="mode"/>: a rule for that exact
    /// province beats "*"; among rules for the same province, one naming the mode beats one without modes. Null when
    /// none applies (the seller does not deliver there by that mode).
    /// </summary>
    public static FreightRule? Find(IReadOnlyList<FreightRule> rules, string province, TransportMode mode)
    {
        var name = (province ?? "").Trim();
        return Best(rules, name) ?? Best(rules, EveryOtherProvince);

        FreightRule? Best(IReadOnlyList<FreightRule> all, string target) =>
            all.FirstOrDefault(r => r.DestinationProvince.Trim() == target && r.TransportModes.Contains(mode))
            ?? all.FirstOrDefault(r => r.DestinationProvince.Trim() == target && r.TransportModes.IsEmpty);
    }

    private static bool Overlap(FreightRule a, FreightRule b) =>
        (a.TransportModes.IsEmpty && b.TransportModes.IsEmpty) || a.TransportModes.Intersect(b.TransportModes).Any();

    private static void CheckPerTonne(Validation v, string field, decimal amount, string label, string labelZh)
    {
        if (amount < 0)
        {
            v.Add(field, "MUST_NOT_BE_NEGATIVE", $"The {label} cannot be negative.", $"{labelZh}不能为负数。");
        }
        else if (amount != Math.Round(amount, 2))
        {
            v.Add(field, "TOO_PRECISE", $"The {label} has at most 2 decimal places (fen).", $"{labelZh}最多保留两位小数（分）。");
        }
        else if (amount > MaxPerTonne)
        {
            v.Add(field, "OUT_OF_RANGE", $"The {label} is at most 100,000.", $"{labelZh}不能超过 100000 元。");
        }
    }

    private static void CheckTonneKm(Validation v, string f, decimal? rate, int? distance)
    {
        var rateField = f + ".per_tonne_km.rate.amount";
        if (rate is not { } r)
        {
            v.Add(rateField, "REQUIRED", "Give the price per tonne-km.", "请填写每吨公里运价。");
        }
        else if (r <= 0)
        {
            v.Add(rateField, "MUST_BE_POSITIVE", "The price per tonne-km must be greater than zero.", "每吨公里运价须大于 0。");
        }
        else if (r != Math.Round(r, 4))
        {
            v.Add(rateField, "TOO_PRECISE", "The price per tonne-km has at most 4 decimal places.", "每吨公里运价最多保留四位小数。");
        }
        else if (r > MaxPerTonneKmRate)
        {
            v.Add(rateField, "OUT_OF_RANGE", "The price per tonne-km is at most 100.", "每吨公里运价不能超过 100 元。");
        }

        if (distance is not (>= 1 and <= MaxDistanceKm))
        {
            v.Add(f + ".per_tonne_km.distance_km", "OUT_OF_RANGE", "The distance is 1 to 5000 km.", "运输里程须为 1 至 5000 公里。");
        }
    }
}
