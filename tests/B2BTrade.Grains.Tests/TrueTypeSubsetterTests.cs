using System.Buffers.Binary;
using System.Text;
using B2BTrade.Silo.Contracts;
using SkiaSharp;

namespace B2BTrade.Grains.Tests;

/// <summary>
/// The TrueType subsetter against the contract font (WenQuanYi Micro Hei, a .ttc whose CJK glyphs are mostly composites):
/// the subset must load in SkiaSharp, map exactly the requested characters, draw them with the original outlines and
/// advances, and be a well-formed font file (sorted, aligned, check-summed tables).
/// </summary>
public sealed class TrueTypeSubsetterTests : IDisposable
{
    private const string ContractText = "工业品买卖合同 上海宝建建设工程有限公司 江苏沙钢物资贸易有限公司 合同总金额（大写）：人民币贰拾壹万陆仟零叁拾叁元柒角伍分 ¥216,033.75 第 1 页 共 3 页 HRB400E Φ12";

    private static readonly string s_fontPath = ContractRenderer.FindFont(null);
    private static readonly byte[] s_font = File.ReadAllBytes(s_fontPath);

    private readonly SKTypeface _full = SKTypeface.FromFile(s_fontPath, 0);

    public void Dispose() => _full.Dispose();

    private static int[] CodePoints(string text) => [.. text.EnumerateRunes().Select(r => r.Value).Distinct()];

    private static SKTypeface Load(byte[] font)
    {
        using var data = SKData.CreateCopy(font);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp rejected the subset font");
    }

    private static Dictionary<string, (int Offset, int Length, uint Checksum)> Tables(byte[] font)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4));
        return Enumerable.Range(0, count).ToDictionary(
            i => Encoding.ASCII.GetString(font, 12 + (16 * i), 4),
            i => ((int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(20 + (16 * i))), (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(24 + (16 * i))), BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(16 + (16 * i)))));
    }

    private static ReadOnlySpan<byte> Table(byte[] font, string tag)
    {
        var (offset, length, _) = Tables(font)[tag];
        return font.AsSpan(offset, length);
    }

    private static short IndexToLocFormat(byte[] font) => BinaryPrimitives.ReadInt16BigEndian(Table(font, "head")[50..]);

    /// <summary>Outline (SVG path) and advance of each character's glyph.</summary>
    private static List<(string Outline, float Advance)> Glyphs(SKTypeface typeface, string text)
    {
        using var font = new SKFont(typeface, 1000f);
        var glyphs = font.GetGlyphs(text);
        var widths = font.GetGlyphWidths(glyphs);
        return [.. glyphs.Select((g, i) => (font.GetGlyphPath(g)?.ToSvgPathData() ?? "", widths[i]))];
    }

    [Fact]
    public void SubsetOfAContractMapsExactlyTheRequestedCharactersAndIsTiny()
    {
        var subset = TrueTypeSubsetter.Subset(s_font, CodePoints(ContractText));

        using var typeface = Load(subset);
        using var font = new SKFont(typeface);
        Assert.Equal("WenQuanYi Micro Hei", typeface.FamilyName);
        Assert.All(CodePoints(ContractText), cp => Assert.True(font.GetGlyph(cp) != 0, $"U+{cp:X4} has no glyph in the subset"));
        Assert.All(CodePoints("铁材A8。"), cp => Assert.Equal(0, font.GetGlyph(cp)));
        // 60-odd characters plus .notdef and the radicals/strokes their composite glyphs are built from.
        Assert.InRange(typeface.GlyphCount, CodePoints(ContractText).Length + 1, 400);
        Assert.True(subset.Length < 60_000, $"subset is {subset.Length} bytes");
        Assert.True(s_font.Length > 4_000_000);
    }

    [Fact]
    public void SubsetDrawsEveryCharacterWithTheOriginalOutlineAndAdvance()
    {
        // CJK glyphs here are composites of components; é/Ä/Ç are accent composites; the rest are simple glyphs.
        const string Text = "合同买卖钢筋螺纹贰拾壹万陆仟零叁元柒角伍分（）：；，。éÄÇ¥%0123456789ABCxyz-/.";

        using var typeface = Load(TrueTypeSubsetter.Subset(s_font, CodePoints(Text)));

        var expected = Glyphs(_full, Text);
        var actual = Glyphs(typeface, Text);
        Assert.All(expected, g => Assert.NotEqual("", g.Outline));
        Assert.Equal(expected, actual);
        Assert.Equal(_full.UnitsPerEm, typeface.UnitsPerEm);
        using SKFont fullFont = new(_full, 10.5f), subsetFont = new(typeface, 10.5f);
        Assert.Equal(fullFont.Metrics.Ascent, subsetFont.Metrics.Ascent);
        Assert.Equal(fullFont.Metrics.Descent, subsetFont.Metrics.Descent);
        Assert.Equal(fullFont.MeasureText(Text), subsetFont.MeasureText(Text));
    }

    [Fact]
    public void CompositeGlyphsBringTheGlyphsTheyAreBuiltFrom()
    {
        // In this face 钢 is built from two components (金 radical + 冈), é from e and an acute accent; 合 is a simple glyph.
        using var steel = Load(TrueTypeSubsetter.Subset(s_font, CodePoints("钢")));
        using var accented = Load(TrueTypeSubsetter.Subset(s_font, CodePoints("é")));
        using var simple = Load(TrueTypeSubsetter.Subset(s_font, CodePoints("合")));

        Assert.Equal(4, steel.GlyphCount); // .notdef, 钢 and its two components
        Assert.Equal(4, accented.GlyphCount);
        Assert.Equal(2, simple.GlyphCount);
        Assert.Equal(Glyphs(_full, "钢é合"), Glyphs(steel, "钢").Concat(Glyphs(accented, "é")).Concat(Glyphs(simple, "合")).ToList());
    }

    [Fact]
    public void TheFileIsAWellFormedTrueTypeFont()
    {
        var subset = TrueTypeSubsetter.Subset(s_font, CodePoints(ContractText));
        var tables = Tables(subset);

        Assert.Equal(0x00010000u, BinaryPrimitives.ReadUInt32BigEndian(subset));
        Assert.Equal(
            new[] { "OS/2", "cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep" },
            tables.Keys.ToArray());
        // searchRange/entrySelector/rangeShift for 14 tables.
        Assert.Equal(new[] { 8 * 16, 3, (14 * 16) - (8 * 16) }, new[] { 6, 8, 10 }.Select(at => (int)BinaryPrimitives.ReadUInt16BigEndian(subset.AsSpan(at))));
        foreach (var (tag, (offset, length, checksum)) in tables)
        {
            Assert.True(offset % 4 == 0, $"{tag} is not 4-byte aligned");
            var padded = new byte[(length + 3) & ~3];
            subset.AsSpan(offset, length).CopyTo(padded);
            var sum = Enumerable.Range(0, padded.Length / 4).Aggregate(0u, (s, i) => unchecked(s + BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(4 * i))));
            if (tag == "head")
            {
                // The head checksum is taken with checkSumAdjustment zeroed.
                sum = unchecked(sum - BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(8)));
            }

            Assert.True(checksum == sum, $"{tag} checksum {checksum:X8} != {sum:X8}");
        }

        Assert.Equal(0xB1B0AFBAu, TrueTypeSubsetter.Checksum(subset));
        Assert.Equal(subset.Length, tables.Values.Max(t => t.Offset + ((t.Length + 3) & ~3)));

        using var typeface = Load(subset);
        Assert.Equal(typeface.GlyphCount, BinaryPrimitives.ReadUInt16BigEndian(Table(subset, "maxp")[4..]));
        Assert.Equal(0x00030000u, BinaryPrimitives.ReadUInt32BigEndian(Table(subset, "post")));
        Assert.Equal(32, Table(subset, "post").Length);
        Assert.Equal(0, IndexToLocFormat(subset));
        Assert.Equal((typeface.GlyphCount + 1) * 2, Table(subset, "loca").Length);
        var numberOfHMetrics = BinaryPrimitives.ReadUInt16BigEndian(Table(subset, "hhea")[34..]);
        Assert.InRange(numberOfHMetrics, 1, typeface.GlyphCount);
        Assert.Equal((4 * numberOfHMetrics) + (2 * (typeface.GlyphCount - numberOfHMetrics)), Table(subset, "hmtx").Length);
        // Only a (3,1) format 4 subtable: every code point is in the BMP.
        var cmap = Table(subset, "cmap").ToArray();
        Assert.Equal(new[] { 0, 1, 3, 1, 12, 4 }, new[] { 0, 2, 4, 6, 10, 12 }.Select(at => (int)BinaryPrimitives.ReadUInt16BigEndian(cmap.AsSpan(at))));
    }

    [Fact]
    public void ALargeSubsetSwitchesLocaToLongOffsets()
    {
        var codePoints = Enumerable.Range(0x4E00, 0x1200).ToArray();

        var subset = TrueTypeSubsetter.Subset(s_font, codePoints);

        Assert.True(Table(subset, "glyf").Length > 0x20000, $"glyf is {Table(subset, "glyf").Length} bytes");
        Assert.Equal(1, IndexToLocFormat(subset));
        using var typeface = Load(subset);
        Assert.Equal((typeface.GlyphCount + 1) * 4, Table(subset, "loca").Length);
        const string Sample = "一丁七万丈三上下不与专且世丘丙业丛东丝丢两严丧个中丰串临丸丹为主举久么义之乌乎乏乐乔乖乘乙九也习乡书买乱乳乾了予争事二于亏云互五井亚些亡交亥亦产亨享京亭亮亲人亿什仁仅仆仇今介仍从仓仔他仗付仙代令以仪们仰件价任份仿企伊伍伏伐休众优伙会伞伟传伤伦伪伯估伴伸似但位低住体何余佛作你佣佩佳使例供依侠侣侦侧侨侮侯侵便促俄俊俗保信俩修俯俱倍倒候借值倾假偏做停健偶偷偿傅傍储催傲傻像僚僧儒儿允元兄充兆先光克免兑兔党兜兢入全八公六兰共关兴兵其具典养兼冀";
        Assert.Equal(Glyphs(_full, Sample), Glyphs(typeface, Sample));
    }

    [Fact]
    public void ACodePointAboveTheBmpGetsAFormat12Subtable()
    {
        const int LongI = 0x10400; // 𐐀 DESERET CAPITAL LETTER LONG I, one of the few supplementary characters of this face
        const int LongE = 0x10428;
        using (var fullFont = new SKFont(_full))
        {
            Assert.NotEqual(0, fullFont.GetGlyph(LongI));
            Assert.NotEqual(0, fullFont.GetGlyph(LongE));
        }

        var subset = TrueTypeSubsetter.Subset(s_font, [LongI, '合', '同']);

        using var typeface = Load(subset);
        using var font = new SKFont(typeface);
        Assert.All(new[] { LongI, '合', '同' }, cp => Assert.NotEqual(0, font.GetGlyph(cp)));
        Assert.Equal(0, font.GetGlyph(LongE));
        var cmap = Table(subset, "cmap").ToArray();
        // (3,1) format 4 for the BMP, (3,10) format 12 for everything.
        Assert.Equal(new[] { 2, 3, 1, 3, 10 }, new[] { 2, 4, 6, 12, 14 }.Select(at => (int)BinaryPrimitives.ReadUInt16BigEndian(cmap.AsSpan(at))));
        var format12 = (int)BinaryPrimitives.ReadUInt32BigEndian(cmap.AsSpan(16));
        Assert.Equal(12, BinaryPrimitives.ReadUInt16BigEndian(cmap.AsSpan(format12)));
        Assert.Equal(Glyphs(_full, "\U00010400合"), Glyphs(typeface, "\U00010400合"));
    }

    [Fact]
    public void SameCharactersInAnyOrderGiveTheSameBytes()
    {
        var codePoints = CodePoints(ContractText);

        var first = TrueTypeSubsetter.Subset(s_font, codePoints);
        var second = TrueTypeSubsetter.Subset(s_font, [.. Enumerable.Reverse(codePoints), .. codePoints]);
        var other = TrueTypeSubsetter.Subset(s_font, [.. codePoints, '铁']);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void CharactersTheFontLacksAndInvalidCodePointsAreLeftOut()
    {
        var plain = TrueTypeSubsetter.Subset(s_font, CodePoints("合同"));
        var noisy = TrueTypeSubsetter.Subset(s_font, [.. CodePoints("合同"), 0xE000, 0x10FFFF, -1, 0x110000, 0x1F600]);

        Assert.Equal(plain, noisy);
        using var typeface = Load(TrueTypeSubsetter.Subset(s_font, []));
        Assert.Equal(1, typeface.GlyphCount); // .notdef alone
    }

    [Fact]
    public void APlainTtfSubsetsToo()
    {
        var intermediate = TrueTypeSubsetter.Subset(s_font, CodePoints(ContractText));

        var subset = TrueTypeSubsetter.Subset(intermediate, CodePoints("合同金额"));

        using var typeface = Load(subset);
        using var font = new SKFont(typeface);
        Assert.All(CodePoints("合同金额"), cp => Assert.NotEqual(0, font.GetGlyph(cp)));
        Assert.Equal(0, font.GetGlyph('上'));
        Assert.Equal(Glyphs(_full, "合同金额"), Glyphs(typeface, "合同金额"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TrueTypeSubsetter.Subset(intermediate, [], faceIndex: 1));
        Assert.Equal("faceIndex", error.ParamName);
    }

    [Fact]
    public void BadInputIsRejectedWithTheReason()
    {
        var missingFace = Assert.Throws<ArgumentOutOfRangeException>(() => TrueTypeSubsetter.Subset(s_font, [], faceIndex: 2));
        Assert.Equal("faceIndex", missingFace.ParamName);
        Assert.Equal("faceIndex", Assert.Throws<ArgumentOutOfRangeException>(() => TrueTypeSubsetter.Subset(s_font, [], faceIndex: -1)).ParamName);

        Assert.Contains("not a TrueType font", Assert.Throws<InvalidDataException>(() => TrueTypeSubsetter.Subset(Encoding.ASCII.GetBytes("%PDF-1.4 not a font at all"), [])).Message);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => TrueTypeSubsetter.Subset([0, 1, 0, 0], [])).Message);

        // An OpenType face with CFF outlines: 'OTTO' and no glyf table.
        var cff = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(cff, 0x4F54544F);
        Assert.Contains("CFF", Assert.Throws<NotSupportedException>(() => TrueTypeSubsetter.Subset(cff, [])).Message);

        // The collection cut off inside face 0's glyph data.
        Assert.Throws<InvalidDataException>(() => TrueTypeSubsetter.Subset(s_font[..100_000], CodePoints("合")));
    }
}
