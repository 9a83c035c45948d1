using System.Buffers.Binary;
using System.Text;

namespace B2BTrade.Silo.Contracts;

/// <summary>
/// Cuts a TrueType (glyf-outline) face down to the glyphs one document uses, so a contract PDF embeds tens of kilobytes
/// of font instead of a whole CJK face: SkiaSharp's native build does not subset (mono/SkiaSharp#2180) and embeds the
/// font file it was given as-is.
/// </summary>
/// <remarks>
/// The subset keeps .notdef, the glyphs of the requested code points and every glyph their composites reference, renumbered
/// in their original order (so equal input gives equal bytes). cmap, glyf, loca, hmtx, hhea, maxp, head and post are
/// rebuilt; name, OS/2 and the hinting tables cvt/fpgm/prep/gasp are copied (they do not name glyphs); every other table
/// (GSUB/GPOS/GDEF/kern/vhea/vmtx/hdmx/LTSH/VDMX/bitmaps…) is dropped, because it would reference removed glyph ids and
/// contract text needs no shaping. Table layout per the OpenType spec: "otff" (table directory, checksums), "cmap"
/// (formats 4 and 12), "glyf"/"loca", "hmtx"/"hhea", "maxp", "head", "post".
/// </remarks>
public static class TrueTypeSubsetter
{
    private const uint TrueTypeVersion = 0x00010000;
    private const uint AppleTrueTypeVersion = 0x74727565; // 'true'
    private const uint CffVersion = 0x4F54544F; // 'OTTO'
    private const uint CollectionTag = 0x74746366; // 'ttcf'
    private const uint ChecksumMagic = 0xB1B0AFBA;

    // Composite glyph component flags ("glyf": composite glyph description).
    private const ushort ArgsAreWords = 0x0001;
    private const ushort WeHaveAScale = 0x0008;
    private const ushort MoreComponents = 0x0020;
    private const ushort WeHaveAnXAndYScale = 0x0040;
    private const ushort WeHaveATwoByTwo = 0x0080;

    /// <summary>Copied unchanged: they carry no glyph ids.</summary>
    private static readonly string[] s_copiedTables = ["OS/2", "cvt ", "fpgm", "gasp", "name", "prep"];

    /// <summary>Builds a standalone TrueType font with only the glyphs needed to draw <paramref name="codePoints"/>.</summary>
    /// <param name="font">A .ttf, or a .ttc collection of which face <paramref name="faceIndex"/> is taken.</param>
    /// <param name="codePoints">Unicode scalar values; those the face has no glyph for are left out (they draw .notdef either way).</param>
    /// <param name="faceIndex">The face within a .ttc; must be 0 for a .ttf.</param>
    /// <exception cref="ArgumentOutOfRangeException">The collection has no face <paramref name="faceIndex"/>.</exception>
    /// <exception cref="NotSupportedException">The face has CFF (PostScript) outlines or no Unicode cmap subtable this reads (formats 4 and 12).</exception>
    /// <exception cref="InvalidDataException">The file is not a font, or is truncated or inconsistent.</exception>
    public static byte[] Subset(byte[] font, IEnumerable<int> codePoints, int faceIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(font);
        ArgumentNullException.ThrowIfNull(codePoints);
        var faceOffset = FaceOffset(font, faceIndex);
        try
        {
            return new Face(font, faceOffset).Subset(codePoints);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            // A slice past the end of the file: an offset or length in the font is wrong.
            throw new InvalidDataException("The font is truncated or has an offset past its end.", e);
        }
    }

    private static int FaceOffset(byte[] font, int faceIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(faceIndex);
        if (font.Length < 12)
        {
            throw new InvalidDataException("The data is too short to be a font.");
        }

        var tag = BinaryPrimitives.ReadUInt32BigEndian(font);
        if (tag != CollectionTag)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(faceIndex, 0);
            return 0;
        }

        var faces = BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(8));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)faceIndex, faces, nameof(faceIndex));
        var entry = 12 + (4 * faceIndex);
        if (entry + 4 > font.Length)
        {
            throw new InvalidDataException("The font collection header is truncated.");
        }

        var offset = BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(entry));
        return offset <= (uint)font.Length - 12
            ? (int)offset
            : throw new InvalidDataException("The font collection points past its end.");
    }

    private static ushort U16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

    private static short S16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadInt16BigEndian(data[at..]);

    private static uint U32(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt32BigEndian(data[at..]);

    private static void Put16(Span<byte> data, int at, int value) => BinaryPrimitives.WriteUInt16BigEndian(data[at..], unchecked((ushort)value));

    private static void Put32(Span<byte> data, int at, uint value) => BinaryPrimitives.WriteUInt32BigEndian(data[at..], value);

    /// <summary>The sum of a table's big-endian uint32 words, the last one zero-padded ("otff": calculating checksums).</summary>
    internal static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var whole = data.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }

        if (whole < data.Length)
        {
            Span<byte> tail = stackalloc byte[4];
            tail.Clear();
            data[whole..].CopyTo(tail);
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(tail));
        }

        return sum;
    }

    private static int Align4(int length) => (length + 3) & ~3;

    /// <summary>One face of the source file: its table directory and the few header values the subset needs.</summary>
    private sealed class Face
    {
        private readonly byte[] _font;
        private readonly Dictionary<string, (int Offset, int Length)> _tables = new(StringComparer.Ordinal);
        private readonly int _numGlyphs;
        private readonly bool _longLoca;
        private readonly int _numberOfHMetrics;

        public Face(byte[] font, int offset)
        {
            _font = font;
            var version = U32(font, offset);
            if (version == CffVersion)
            {
                throw new NotSupportedException("The font has CFF (PostScript) outlines; only TrueType glyf outlines can be subset.");
            }

            if (version is not (TrueTypeVersion or AppleTrueTypeVersion))
            {
                throw new InvalidDataException("The data is not a TrueType font (unknown sfnt version).");
            }

            var count = U16(font, offset + 4);
            for (var i = 0; i < count; i++)
            {
                var record = offset + 12 + (16 * i);
                var tag = Encoding.Latin1.GetString(font, record, 4);
                var at = U32(font, record + 8);
                var length = U32(font, record + 12);
                if (at > (uint)font.Length || length > (uint)font.Length - at)
                {
                    throw new InvalidDataException($"The font's '{tag}' table lies outside the file.");
                }

                _tables.TryAdd(tag, ((int)at, (int)length));
            }

            if (!_tables.ContainsKey("glyf") && _tables.ContainsKey("CFF "))
            {
                throw new NotSupportedException("The font has CFF (PostScript) outlines; only TrueType glyf outlines can be subset.");
            }

            foreach (var required in (string[])["cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "post"])
            {
                if (!_tables.ContainsKey(required))
                {
                    throw new InvalidDataException($"The font has no '{required}' table.");
                }
            }

            _numGlyphs = U16(Table("maxp", 6), 4);
            _longLoca = S16(Table("head", 54), 50) switch
            {
                0 => false,
                1 => true,
                _ => throw new InvalidDataException("The font's head.indexToLocFormat is neither 0 nor 1."),
            };
            _numberOfHMetrics = U16(Table("hhea", 36), 34);
            if (_numGlyphs == 0 || _numberOfHMetrics == 0 || _numberOfHMetrics > _numGlyphs)
            {
                throw new InvalidDataException("The font's maxp.numGlyphs or hhea.numberOfHMetrics is inconsistent.");
            }

            if (Table("loca").Length < (_numGlyphs + 1) * (_longLoca ? 4 : 2)
                || Table("hmtx").Length < (4 * _numberOfHMetrics) + (2 * (_numGlyphs - _numberOfHMetrics)))
            {
                throw new InvalidDataException("The font's loca or hmtx table is shorter than numGlyphs needs.");
            }
        }

        /// <summary>A table's bytes; <paramref name="minLength"/> guards the fixed-size headers read from it.</summary>
        private ReadOnlySpan<byte> Table(string tag, int minLength = 0)
        {
            if (!_tables.TryGetValue(tag, out var table))
            {
                throw new InvalidDataException($"The font has no '{tag}' table.");
            }

            return table.Length >= minLength
                ? _font.AsSpan(table.Offset, table.Length)
                : throw new InvalidDataException($"The font's '{tag}' table is truncated.");
        }

        public byte[] Subset(IEnumerable<int> codePoints)
        {
            var lookup = CharacterMap();
            var mapped = new SortedDictionary<int, int>(); // code point → source glyph id
            foreach (var codePoint in codePoints)
            {
                if (codePoint is < 0 or > 0x10FFFF || mapped.ContainsKey(codePoint))
                {
                    continue;
                }

                var glyph = lookup(codePoint);
                if (glyph > 0 && glyph < _numGlyphs)
                {
                    mapped.Add(codePoint, glyph);
                }
            }

            // .notdef, the mapped glyphs, and (recursively) every glyph a composite is built from.
            var keep = new SortedSet<int>();
            var pending = new Stack<int>(mapped.Values.Prepend(0));
            while (pending.TryPop(out var glyph))
            {
                if (!keep.Add(glyph))
                {
                    continue;
                }

                foreach (var (component, _) in Components(GlyphData(glyph)))
                {
                    if (component >= _numGlyphs)
                    {
                        throw new InvalidDataException("A composite glyph references a glyph id past numGlyphs.");
                    }

                    if (!keep.Contains(component))
                    {
                        pending.Push(component);
                    }
                }
            }

            var order = keep.ToArray();
            var newId = new Dictionary<int, int>(order.Length);
            for (var i = 0; i < order.Length; i++)
            {
                newId.Add(order[i], i);
            }

            var (glyf, loca, longLoca, bounds) = BuildGlyf(order, newId);
            var metrics = order.Select(Metric).ToArray();
            var (hmtx, numberOfHMetrics) = BuildHmtx(metrics);
            var cmap = BuildCmap([.. mapped.Select(m => (m.Key, newId[m.Value]))]);

            var tables = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["cmap"] = cmap,
                ["glyf"] = glyf,
                ["loca"] = loca,
                ["hmtx"] = hmtx,
                ["hhea"] = BuildHhea(order, metrics, bounds, numberOfHMetrics),
                ["maxp"] = BuildMaxp(order.Length),
                ["head"] = BuildHead(bounds, longLoca),
                ["post"] = BuildPost(),
            };
            foreach (var tag in s_copiedTables)
            {
                if (_tables.ContainsKey(tag))
                {
                    tables[tag] = Table(tag).ToArray();
                }
            }

            if (tables.TryGetValue("OS/2", out var os2) && os2.Length >= 68 && mapped.Count > 0)
            {
                Put16(os2, 64, Math.Min(mapped.Keys.First(), 0xFFFF));
                Put16(os2, 66, Math.Min(mapped.Keys.Last(), 0xFFFF));
            }

            return Assemble(tables);
        }

        // ---- cmap (read) ---------------------------------------------------------------------------------------

        /// <summary>The face's Unicode mapping: a full-repertoire format 12 subtable if there is one, else a BMP format 4.</summary>
        private Func<int, int> CharacterMap()
        {
            var cmap = Table("cmap", 4);
            var count = U16(cmap, 2);
            if (cmap.Length < 4 + (8 * count))
            {
                throw new InvalidDataException("The font's cmap table is truncated.");
            }

            int? format12 = null, format4 = null;
            for (var i = 0; i < count; i++)
            {
                var platform = U16(cmap, 4 + (8 * i));
                var encoding = U16(cmap, 6 + (8 * i));
                var offset = U32(cmap, 8 + (8 * i));
                var unicode = platform == 0 || (platform == 3 && encoding is 1 or 10);
                if (!unicode || offset > (uint)cmap.Length - 2)
                {
                    continue;
                }

                switch (U16(cmap, (int)offset))
                {
                    case 12:
                        format12 ??= (int)offset;
                        break;
                    case 4:
                        format4 ??= (int)offset;
                        break;
                }
            }

            var (start, length) = _tables["cmap"];
            if (format12 is { } at12)
            {
                var table = _font.AsMemory(start + at12, length - at12);
                return codePoint => LookupFormat12(table.Span, codePoint);
            }

            if (format4 is { } at4)
            {
                var table = _font.AsMemory(start + at4, length - at4);
                return codePoint => codePoint > 0xFFFF ? 0 : LookupFormat4(table.Span, codePoint);
            }

            throw new NotSupportedException("The font has no Unicode cmap subtable in format 4 or 12.");
        }

        private static int LookupFormat4(ReadOnlySpan<byte> table, int codePoint)
        {
            var segX2 = U16(table, 6);
            var ends = 14;
            var starts = ends + segX2 + 2;
            var deltas = starts + segX2;
            var rangeOffsets = deltas + segX2;
            for (var i = 0; i < segX2; i += 2)
            {
                if (codePoint > U16(table, ends + i))
                {
                    continue;
                }

                var first = U16(table, starts + i);
                if (codePoint < first)
                {
                    return 0;
                }

                var delta = U16(table, deltas + i);
                var rangeOffset = U16(table, rangeOffsets + i);
                if (rangeOffset == 0)
                {
                    return (codePoint + delta) & 0xFFFF;
                }

                // idRangeOffset counts bytes from its own position into glyphIdArray.
                var glyph = U16(table, rangeOffsets + i + rangeOffset + (2 * (codePoint - first)));
                return glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
            }

            return 0;
        }

        private static int LookupFormat12(ReadOnlySpan<byte> table, int codePoint)
        {
            var groups = U32(table, 12);
            if (groups > (uint)(table.Length - 16) / 12)
            {
                throw new InvalidDataException("The font's cmap format 12 subtable is truncated.");
            }

            int low = 0, high = (int)groups - 1;
            while (low <= high)
            {
                var mid = (low + high) >>> 1;
                var group = 16 + (12 * mid);
                if ((uint)codePoint < U32(table, group))
                {
                    high = mid - 1;
                }
                else if ((uint)codePoint > U32(table, group + 4))
                {
                    low = mid + 1;
                }
                else
                {
                    var glyph = U32(table, group + 8) + (uint)codePoint - U32(table, group);
                    return glyph <= int.MaxValue ? (int)glyph : 0;
                }
            }

            return 0;
        }

        // ---- glyf / loca ---------------------------------------------------------------------------------------

        private ReadOnlySpan<byte> GlyphData(int glyph)
        {
            var loca = Table("loca");
            var (start, end) = _longLoca
                ? (U32(loca, 4 * glyph), U32(loca, 4 * (glyph + 1)))
                : (U16(loca, 2 * glyph) * 2u, U16(loca, 2 * (glyph + 1)) * 2u);
            var glyf = Table("glyf");
            if (start > end || end > (uint)glyf.Length)
            {
                throw new InvalidDataException("The font's loca table points outside its glyf table.");
            }

            var data = glyf[(int)start..(int)end];
            return data.Length is 0 or >= 10 ? data : throw new InvalidDataException("A glyph is shorter than its header.");
        }

        /// <summary>The glyph ids a composite glyph is built from, with the offset of each id within the glyph data.</summary>
        private static List<(int Glyph, int At)> Components(ReadOnlySpan<byte> glyph)
        {
            var components = new List<(int, int)>();
            if (glyph.Length == 0 || S16(glyph, 0) >= 0)
            {
                return components;
            }

            var at = 10;
            ushort flags;
            do
            {
                flags = U16(glyph, at);
                components.Add((U16(glyph, at + 2), at + 2));
                at += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
                at += (flags & WeHaveAScale) != 0 ? 2
                    : (flags & WeHaveAnXAndYScale) != 0 ? 4
                    : (flags & WeHaveATwoByTwo) != 0 ? 8
                    : 0;
            }
            while ((flags & MoreComponents) != 0);

            return at <= glyph.Length ? components : throw new InvalidDataException("A composite glyph is truncated.");
        }

        private (byte[] Glyf, byte[] Loca, bool LongLoca, Bounds? Bounds) BuildGlyf(int[] order, Dictionary<int, int> newId)
        {
            var offsets = new int[order.Length + 1];
            var total = 0;
            for (var i = 0; i < order.Length; i++)
            {
                offsets[i] = total;
                total += Align4(GlyphData(order[i]).Length);
            }

            offsets[^1] = total;
            var glyf = new byte[total];
            Bounds? bounds = null;
            for (var i = 0; i < order.Length; i++)
            {
                var source = GlyphData(order[i]);
                if (source.Length == 0)
                {
                    continue;
                }

                var target = glyf.AsSpan(offsets[i], source.Length);
                source.CopyTo(target);
                foreach (var (component, at) in Components(source))
                {
                    Put16(target, at, newId[component]);
                }

                var box = new Bounds(S16(source, 2), S16(source, 4), S16(source, 6), S16(source, 8));
                bounds = bounds is { } b ? b.Union(box) : box;
            }

            // Short offsets store offset/2 in a uint16; every offset here is even (4-byte aligned glyphs).
            var longLoca = total / 2 > ushort.MaxValue;
            var loca = new byte[offsets.Length * (longLoca ? 4 : 2)];
            for (var i = 0; i < offsets.Length; i++)
            {
                if (longLoca)
                {
                    Put32(loca, 4 * i, (uint)offsets[i]);
                }
                else
                {
                    Put16(loca, 2 * i, offsets[i] / 2);
                }
            }

            return (glyf, loca, longLoca, bounds);
        }

        // ---- metrics -------------------------------------------------------------------------------------------

        /// <summary>Advance and left side bearing: glyphs past numberOfHMetrics share the last advance ("hmtx").</summary>
        private (int Advance, int Lsb) Metric(int glyph)
        {
            var hmtx = Table("hmtx");
            return glyph < _numberOfHMetrics
                ? (U16(hmtx, 4 * glyph), S16(hmtx, (4 * glyph) + 2))
                : (U16(hmtx, 4 * (_numberOfHMetrics - 1)), S16(hmtx, (4 * _numberOfHMetrics) + (2 * (glyph - _numberOfHMetrics))));
        }

        private static (byte[] Hmtx, int NumberOfHMetrics) BuildHmtx((int Advance, int Lsb)[] metrics)
        {
            // Trailing glyphs with the last advance need only their lsb (CJK faces: nearly all one width).
            var numberOfHMetrics = metrics.Length;
            while (numberOfHMetrics > 1 && metrics[numberOfHMetrics - 1].Advance == metrics[numberOfHMetrics - 2].Advance)
            {
                numberOfHMetrics--;
            }

            var hmtx = new byte[(4 * numberOfHMetrics) + (2 * (metrics.Length - numberOfHMetrics))];
            for (var i = 0; i < metrics.Length; i++)
            {
                if (i < numberOfHMetrics)
                {
                    Put16(hmtx, 4 * i, metrics[i].Advance);
                    Put16(hmtx, (4 * i) + 2, metrics[i].Lsb);
                }
                else
                {
                    Put16(hmtx, (4 * numberOfHMetrics) + (2 * (i - numberOfHMetrics)), metrics[i].Lsb);
                }
            }

            return (hmtx, numberOfHMetrics);
        }

        private byte[] BuildHhea(int[] order, (int Advance, int Lsb)[] metrics, Bounds? bounds, int numberOfHMetrics)
        {
            var hhea = Table("hhea", 36)[..36].ToArray();
            Put16(hhea, 10, metrics.Max(m => m.Advance)); // advanceWidthMax
            if (bounds is not null)
            {
                // minLeftSideBearing, minRightSideBearing and xMaxExtent count only glyphs with contours.
                int minLsb = int.MaxValue, minRsb = int.MaxValue, maxExtent = int.MinValue;
                for (var i = 0; i < order.Length; i++)
                {
                    var data = GlyphData(order[i]);
                    if (data.Length == 0)
                    {
                        continue;
                    }

                    var width = S16(data, 6) - S16(data, 2);
                    minLsb = Math.Min(minLsb, metrics[i].Lsb);
                    minRsb = Math.Min(minRsb, metrics[i].Advance - metrics[i].Lsb - width);
                    maxExtent = Math.Max(maxExtent, metrics[i].Lsb + width);
                }

                Put16(hhea, 12, minLsb);
                Put16(hhea, 14, minRsb);
                Put16(hhea, 16, maxExtent);
            }

            Put16(hhea, 34, numberOfHMetrics);
            return hhea;
        }

        // ---- head / maxp / post --------------------------------------------------------------------------------

        private byte[] BuildHead(Bounds? bounds, bool longLoca)
        {
            var head = Table("head", 54)[..54].ToArray();
            Put32(head, 8, 0); // checkSumAdjustment: set once the whole font is laid out
            if (bounds is { } b)
            {
                Put16(head, 36, b.XMin);
                Put16(head, 38, b.YMin);
                Put16(head, 40, b.XMax);
                Put16(head, 42, b.YMax);
            }

            Put16(head, 50, longLoca ? 1 : 0);
            return head;
        }

        private byte[] BuildMaxp(int numGlyphs)
        {
            // The version 1.0 maxima (points, contours, zones, stack…) of the full face still bound the subset.
            var maxp = Table("maxp", 6).ToArray();
            Put16(maxp, 4, numGlyphs);
            return maxp;
        }

        private byte[] BuildPost()
        {
            // Version 3.0: the fixed header only, no glyph names (they would index the removed glyphs).
            var post = Table("post", 32)[..32].ToArray();
            Put32(post, 0, 0x00030000);
            return post;
        }

        // ---- cmap (write) --------------------------------------------------------------------------------------

        /// <summary>
        /// A (3,1) format 4 subtable for the BMP code points and, when any code point lies above U+FFFF, a (3,10) format
        /// 12 subtable for all of them.
        /// </summary>
        private static byte[] BuildCmap((int CodePoint, int Glyph)[] map)
        {
            var format4 = BuildFormat4([.. map.Where(m => m.CodePoint < 0xFFFF)]);
            var format12 = map.Any(m => m.CodePoint > 0xFFFF) ? BuildFormat12(map) : null;
            var records = format12 is null ? 1 : 2;
            var header = 4 + (8 * records);
            var cmap = new byte[header + format4.Length + (format12?.Length ?? 0)];
            Put16(cmap, 0, 0);
            Put16(cmap, 2, records);
            Put16(cmap, 4, 3);
            Put16(cmap, 6, 1);
            Put32(cmap, 8, (uint)header);
            format4.CopyTo(cmap, header);
            if (format12 is not null)
            {
                Put16(cmap, 12, 3);
                Put16(cmap, 14, 10);
                Put32(cmap, 16, (uint)(header + format4.Length));
                format12.CopyTo(cmap, header + format4.Length);
            }

            return cmap;
        }

        /// <summary>
        /// One segment per run of consecutive code points: a run whose glyph ids are consecutive too is a bare idDelta,
        /// any other run lists its glyph ids in glyphIdArray. The last segment is the required 0xFFFF one.
        /// </summary>
        private static byte[] BuildFormat4((int CodePoint, int Glyph)[] map)
        {
            var segments = new List<(int Start, int End, bool Delta)>();
            for (var i = 0; i < map.Length;)
            {
                var end = i;
                var delta = true;
                while (end + 1 < map.Length && map[end + 1].CodePoint == map[end].CodePoint + 1)
                {
                    delta &= map[end + 1].Glyph == map[end].Glyph + 1;
                    end++;
                }

                segments.Add((i, end, delta));
                i = end + 1;
            }

            var segCount = segments.Count + 1;
            var arrayLength = segments.Where(s => !s.Delta).Sum(s => s.End - s.Start + 1);
            var length = 16 + (8 * segCount) + (2 * arrayLength);
            if (length > ushort.MaxValue)
            {
                throw new InvalidOperationException("Too many scattered code points for a cmap format 4 subtable.");
            }

            var table = new byte[length];
            var pow2 = 1;
            var log2 = 0;
            while (pow2 * 2 <= segCount)
            {
                pow2 *= 2;
                log2++;
            }

            Put16(table, 0, 4);
            Put16(table, 2, length);
            Put16(table, 4, 0); // language
            Put16(table, 6, 2 * segCount);
            Put16(table, 8, 2 * pow2); // searchRange
            Put16(table, 10, log2); // entrySelector
            Put16(table, 12, (2 * segCount) - (2 * pow2)); // rangeShift
            var ends = 14;
            var starts = ends + (2 * segCount) + 2; // after reservedPad
            var deltas = starts + (2 * segCount);
            var rangeOffsets = deltas + (2 * segCount);
            var glyphIds = rangeOffsets + (2 * segCount);
            var arrayIndex = 0;
            for (var s = 0; s < segments.Count; s++)
            {
                var (first, last, isDelta) = segments[s];
                Put16(table, ends + (2 * s), map[last].CodePoint);
                Put16(table, starts + (2 * s), map[first].CodePoint);
                if (isDelta)
                {
                    Put16(table, deltas + (2 * s), map[first].Glyph - map[first].CodePoint);
                    continue;
                }

                // Bytes from this idRangeOffset entry to its first glyph id.
                Put16(table, rangeOffsets + (2 * s), glyphIds + (2 * arrayIndex) - (rangeOffsets + (2 * s)));
                for (var k = first; k <= last; k++)
                {
                    Put16(table, glyphIds + (2 * arrayIndex++), map[k].Glyph);
                }
            }

            var final = segments.Count;
            Put16(table, ends + (2 * final), 0xFFFF);
            Put16(table, starts + (2 * final), 0xFFFF);
            Put16(table, deltas + (2 * final), 1); // 0xFFFF + 1 wraps to .notdef
            return table;
        }

        private static byte[] BuildFormat12((int CodePoint, int Glyph)[] map)
        {
            var groups = new List<(int Start, int End, int Glyph)>();
            foreach (var (codePoint, glyph) in map)
            {
                if (groups.Count > 0 && groups[^1].End + 1 == codePoint && groups[^1].Glyph + (codePoint - groups[^1].Start) == glyph)
                {
                    groups[^1] = groups[^1] with { End = codePoint };
                }
                else
                {
                    groups.Add((codePoint, codePoint, glyph));
                }
            }

            var table = new byte[16 + (12 * groups.Count)];
            Put16(table, 0, 12);
            Put32(table, 4, (uint)table.Length);
            Put32(table, 8, 0); // language
            Put32(table, 12, (uint)groups.Count);
            for (var i = 0; i < groups.Count; i++)
            {
                Put32(table, 16 + (12 * i), (uint)groups[i].Start);
                Put32(table, 20 + (12 * i), (uint)groups[i].End);
                Put32(table, 24 + (12 * i), (uint)groups[i].Glyph);
            }

            return table;
        }

        // ---- the font file -------------------------------------------------------------------------------------

        /// <summary>Table directory sorted by tag, each table 4-byte aligned and zero-padded, then head.checkSumAdjustment.</summary>
        private static byte[] Assemble(SortedDictionary<string, byte[]> tables)
        {
            var count = tables.Count;
            var pow2 = 1;
            var log2 = 0;
            while (pow2 * 2 <= count)
            {
                pow2 *= 2;
                log2++;
            }

            var directory = 12 + (16 * count);
            var font = new byte[directory + tables.Values.Sum(t => Align4(t.Length))];
            Put32(font, 0, TrueTypeVersion);
            Put16(font, 4, count);
            Put16(font, 6, 16 * pow2); // searchRange
            Put16(font, 8, log2); // entrySelector
            Put16(font, 10, (16 * count) - (16 * pow2)); // rangeShift

            var record = 12;
            var offset = directory;
            var headOffset = -1;
            foreach (var (tag, data) in tables)
            {
                Encoding.Latin1.GetBytes(tag, font.AsSpan(record, 4));
                Put32(font, record + 4, Checksum(data));
                Put32(font, record + 8, (uint)offset);
                Put32(font, record + 12, (uint)data.Length);
                data.CopyTo(font, offset);
                if (tag == "head")
                {
                    headOffset = offset;
                }

                record += 16;
                offset += Align4(data.Length);
            }

            Put32(font, headOffset + 8, unchecked(ChecksumMagic - Checksum(font)));
            return font;
        }
    }

    private readonly record struct Bounds(short XMin, short YMin, short XMax, short YMax)
    {
        public Bounds Union(Bounds other) => new(
            Math.Min(XMin, other.XMin), Math.Min(YMin, other.YMin), Math.Max(XMax, other.XMax), Math.Max(YMax, other.YMax));
    }
}
