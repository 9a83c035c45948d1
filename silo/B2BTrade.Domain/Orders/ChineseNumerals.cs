using System.Text;

namespace B2BTrade.Domain.Orders;

/// <summary>
/// CNY amounts in financial capital numerals (大写金额) as contracts, invoices and bills show them, following the
/// PBOC 《支付结算办法》 附件《正确填写票据和结算凭证的基本规定》.
/// </summary>
public static class ChineseNumerals
{
    /// <summary>The largest amount written: 玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分.</summary>
    public const decimal MaxAmount = 9_999_999_999_999.99m;

    private const string Digits = "零壹贰叁肆伍陆柒捌玖";
    private const string Units = "仟佰拾";

    /// <summary>
    /// Writes <paramref name="amount"/> (0 to <see cref="MaxAmount"/>, at most 2 decimals) in capital numerals:
    /// digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟, sections 万 / 亿 / 万亿, then 元 角 分.
    /// <list type="bullet">
    /// <item>Ten is 壹拾, never a bare 拾 (壹拾元整, 壹拾万元整).</item>
    /// <item>A run of zeros between non-zero digits is one 零, also across an all-zero section (壹亿零壹万元整,
    /// 壹佰万零壹元整); zeros at the end of the integer part are not written.</item>
    /// <item>整 follows 元 when there are no 角 and 分, and 角 when there is no 分; never 分.</item>
    /// <item>When 角 is zero and 分 is not, 零 is written after 元 (壹元零伍分), as the PBOC rules require.</item>
    /// <item>When the integer part ends in zeros and 角 is not zero, the PBOC rules allow a 零 after 元
    /// (贰万元零叁角整); we do not write it (贰万元叁角整): both forms are valid and the shorter one is what banks print.</item>
    /// <item>Below one yuan there is no 元 and no leading 零: 伍角整, 伍分, 壹角伍分. Zero is 零元整.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, above <see cref="MaxAmount"/> or finer than the fen.</exception>
    public static string ToCapitalAmount(decimal amount)
    {
        if (amount < 0 || amount > MaxAmount || amount != Math.Round(amount, 2))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A CNY amount from 0 to 9,999,999,999,999.99, to the fen.");
        }

        var fen = (long)(amount * 100);
        var yuan = fen / 100;
        var jiao = (int)(fen / 10 % 10);
        var cents = (int)(fen % 10);
        if (fen == 0)
        {
            return "零元整";
        }

        var text = new StringBuilder();
        if (yuan > 0)
        {
            Integer(yuan, text);
            text.Append('元');
        }

        if (jiao == 0 && cents == 0)
        {
            return text.Append('整').ToString();
        }

        if (jiao > 0)
        {
            text.Append(Digits[jiao]).Append('角');
        }
        else if (yuan > 0)
        {
            text.Append('零');
        }

        return cents == 0 ? text.Append('整').ToString() : text.Append(Digits[cents]).Append('分').ToString();
    }

    /// <summary>"人民币" followed by <see cref="ToCapitalAmount"/>, as on a contract: 人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分.</summary>
    public static string ToCapitalAmountWithCurrency(decimal amount) => "人民币" + ToCapitalAmount(amount);

    /// <summary>A positive integer: the part above 亿 (itself up to 万) + 亿 + the rest, then 万, then the last four digits.</summary>
    private static void Integer(long value, StringBuilder text)
    {
        if (value >= 100_000_000)
        {
            Integer(value / 100_000_000, text);
            text.Append('亿');
            Rest(value % 100_000_000, 10_000_000, text);
        }
        else if (value >= 10_000)
        {
            Section((int)(value / 10_000), text);
            text.Append('万');
            Rest(value % 10_000, 1_000, text);
        }
        else
        {
            Section((int)value, text);
        }
    }

    /// <summary>The lower part after 亿 or 万: one 零 when it starts with zeros (below <paramref name="fullWidth"/>), nothing when it is zero.</summary>
    private static void Rest(long value, long fullWidth, StringBuilder text)
    {
        if (value == 0)
        {
            return;
        }

        if (value < fullWidth)
        {
            text.Append('零');
        }

        Integer(value, text);
    }

    /// <summary>1 to 9999 without leading or trailing 零; inner zero runs become one 零.</summary>
    private static void Section(int value, StringBuilder text)
    {
        var pendingZero = false;
        var started = false;
        for (int divisor = 1000, unit = 0; divisor >= 1; divisor /= 10, unit++)
        {
            var digit = value / divisor % 10;
            if (digit == 0)
            {
                pendingZero = started;
                continue;
            }

            if (pendingZero)
            {
                text.Append('零');
                pendingZero = false;
            }

            text.Append(Digits[digit]);
            if (unit < Units.Length)
            {
                text.Append(Units[unit]);
            }

            started = true;
        }
    }
}
