using System.Text;
using B2BTrade.Domain.Contracts;
using B2BTrade.Grains.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;
using static B2BTrade.Domain.Contracts.ContractTemplate;

namespace B2BTrade.Silo.Contracts;

/// <summary>
/// Renders a composed contract to an A4 PDF (SkiaSharp's PDF backend, an embedded CJK font) and to a self-contained HTML
/// page. The PDF is the canonical document that is hashed and signed, so equal content gives equal bytes: fixed
/// metadata dates (the contract date) and no PDF/A (whose XMP id Skia derives from the clock). The PDF embeds a subset of
/// the font with only the glyphs the contract draws (<see cref="TrueTypeSubsetter"/>): SkiaSharp itself embeds the whole
/// face, megabytes for a CJK font.
/// </summary>
public sealed partial class ContractRenderer : IContractRenderer, IDisposable
{
    /// <summary>Where Debian (fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk) and other systems keep a CJK font.</summary>
    public static readonly IReadOnlyList<string> WellKnownFontPaths =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        @"C:\Windows\Fonts\msyh.ttc",
        @"C:\Windows\Fonts\simsun.ttc",
    ];

    private const float PageWidth = 595.28f;
    private const float PageHeight = 841.89f;
    private const float MarginX = 56f;
    private const float MarginTop = 56f;
    private const float MarginBottom = 64f;
    private const float ContentWidth = PageWidth - (2 * MarginX);
    private const float CellPadding = 4f;
    private const float BodySize = 10.5f;
    private const float SmallSize = 9f;
    private const string SignatureNote = "电子签名，签署信息及验证见平台合同验证";

    private static readonly SKColor s_ruleColor = new(0x66, 0x66, 0x66);
    private static readonly SKColor s_headerFill = new(0xEE, 0xEE, 0xEE);

    private readonly SKTypeface _typeface;
    private readonly int _faceIndex;
    private readonly byte[] _fontData;
    private readonly ILogger _logger;

    /// <summary>Set once the font turns out not to be subsettable (CFF outlines): every contract then embeds the whole face.</summary>
    private volatile bool _subsetUnsupported;

    /// <param name="fontPath">A configured CJK font file (.ttf/.ttc/.otf); when empty, the first of <see cref="WellKnownFontPaths"/> that exists.</param>
    /// <param name="logger">Told when a contract falls back to embedding the whole font.</param>
    public ContractRenderer(string? fontPath = null, ILogger<ContractRenderer>? logger = null)
    {
        FontPath = FindFont(fontPath);
        (_typeface, _faceIndex) = LoadTypeface(FontPath);
        _fontData = File.ReadAllBytes(FontPath);
        _logger = logger ?? NullLogger<ContractRenderer>.Instance;
    }

    /// <summary>The font file in use.</summary>
    public string FontPath { get; }

    /// <summary>The family name of the face in use, e.g. "WenQuanYi Micro Hei".</summary>
    public string FontFamily => _typeface.FamilyName;

    /// <summary>Whether PDFs embed only the glyphs they use (the default); false embeds the whole face, for comparison in tests.</summary>
    internal bool SubsetFont { get; init; } = true;

    public byte[] RenderPdf(ContractContent content)
    {
        // Laid out with the full face; the subset has the same metrics (hmtx/hhea/OS/2 are carried over), so it draws
        // every line exactly where the layout put it.
        var pages = new PdfLayout(_typeface).Compose(content);
        for (var i = 0; i < pages.Count; i++)
        {
            // Second pass: the page count is known only now.
            var footerY = PageHeight - 32f;
            pages[i].Add(new TextOp($"第 {i + 1} 页 共 {pages.Count} 页", PageWidth / 2, footerY, Style.Small, SKTextAlign.Center));
            pages[i].Add(new TextOp("合同编号：" + content.Facts.ContractNumber, MarginX, footerY, Style.Small, SKTextAlign.Left));
        }

        using var subset = SubsetFont ? SubsetTypeface(pages) : null;
        var date = content.Facts.ContractDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = content.Facts.ContractNumber,
            Subject = "工业品买卖合同",
            Creator = "B2BTrade",
            Producer = "B2BTrade",
            Creation = date,
            Modified = date,
        };

        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var fonts = new Fonts(subset ?? _typeface);
            foreach (var page in pages)
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                foreach (var op in page)
                {
                    Draw(canvas, op, fonts, paint);
                }

                document.EndPage();
            }

            document.Close();
        }

        var pdf = stream.ToArray();
        PinDates(pdf, content.Facts.ContractDate);
        return pdf;
    }

    public string RenderHtml(ContractContent content)
    {
        var f = content.Facts;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>工业品买卖合同 ").Append(Encode(f.ContractNumber)).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main class=\"contract\">\n")
            .Append("<h1>工业品买卖合同</h1>\n<p class=\"subtitle\">（购销合同）</p>\n")
            .Append("<p class=\"meta\"><span>合同编号：").Append(Encode(f.ContractNumber)).Append("</span><span>签订日期：")
            .Append(Encode(FormatDate(f.ContractDate))).Append("</span></p>\n")
            .Append("<p class=\"meta\"><span>订单编号：").Append(Encode(f.OrderId)).Append("</span><span>签订方式：平台电子签约</span></p>\n");

        html.Append("<table class=\"parties\">\n<thead><tr><th></th><th>买方</th><th>卖方</th></tr></thead>\n<tbody>\n");
        foreach (var (label, buyer, seller) in PartyRows(f))
        {
            html.Append("<tr><th>").Append(Encode(label)).Append("</th><td>").Append(Encode(buyer)).Append("</td><td>").Append(Encode(seller)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n<p class=\"preamble\">").Append(Encode(Preamble)).Append("</p>\n<h2>货物明细表</h2>\n<table class=\"goods\">\n<thead><tr>");
        foreach (var column in s_goodsColumns)
        {
            html.Append("<th>").Append(Encode(column.Title)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in GoodsRows(f))
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append(s_goodsColumns[i].Align == SKTextAlign.Right ? "<td class=\"num\">" : "<td>").Append(Encode(row[i])).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n<table class=\"fees\">\n<tbody>\n");
        foreach (var row in FeeRows(f))
        {
            html.Append("<tr><th>").Append(Encode(row[0])).Append("</th><td class=\"num\">").Append(Encode(row[1])).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        foreach (var line in TotalLines(f))
        {
            html.Append("<p class=\"total\">").Append(Encode(line)).Append("</p>\n");
        }

        foreach (var clause in content.Clauses)
        {
            html.Append("<section class=\"clause\">\n<h3>").Append(Encode(clause.Number)).Append(' ').Append(Encode(clause.Heading)).Append("</h3>\n");
            foreach (var paragraph in clause.Text.Split('\n'))
            {
                html.Append("<p>").Append(Encode(paragraph)).Append("</p>\n");
            }

            html.Append("</section>\n");
        }

        html.Append("<table class=\"signatures\">\n<tbody>\n");
        foreach (var row in SignatureRows(f))
        {
            html.Append("<tr><td>").Append(Encode(row[0])).Append("</td><td>").Append(Encode(row[1])).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    public void Dispose() => _typeface.Dispose();

    /// <summary>
    /// A face with only the glyphs the pages draw, or null to embed the whole face: a contract is never refused because
    /// subsetting failed. The subset is checked against the full face (every code point the face can draw must still map
    /// to a glyph) before it is used.
    /// </summary>
    private SKTypeface? SubsetTypeface(List<List<Op>> pages)
    {
        if (_subsetUnsupported)
        {
            return null;
        }

        SKTypeface? subset = null;
        try
        {
            var codePoints = new SortedSet<int>();
            foreach (var text in pages.SelectMany(page => page).OfType<TextOp>())
            {
                foreach (var rune in text.Text.EnumerateRunes())
                {
                    codePoints.Add(rune.Value);
                }
            }

            var font = TrueTypeSubsetter.Subset(_fontData, codePoints, _faceIndex);
            using (var data = SKData.CreateCopy(font))
            {
                subset = SKTypeface.FromData(data) ?? throw new InvalidDataException("SkiaSharp cannot load the subset font.");
            }

            using var full = new SKFont(_typeface);
            using var cut = new SKFont(subset);
            foreach (var codePoint in codePoints)
            {
                if ((full.GetGlyph(codePoint) == 0) != (cut.GetGlyph(codePoint) == 0))
                {
                    throw new InvalidDataException("The subset font maps the document's characters differently from the full face.");
                }
            }

            return subset;
        }
        catch (NotSupportedException e)
        {
            subset?.Dispose();
            _subsetUnsupported = true;
            LogFontNotSubsettable(_logger, FontPath, e.Message);
            return null;
        }
        catch (Exception e)
        {
            subset?.Dispose();
            // The exception never carries contract text: the subsetter's messages name only font structures.
            LogSubsetFailed(_logger, FontPath, e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Contract font {FontPath} cannot be subset ({Reason}); contract PDFs embed the whole face")]
    private static partial void LogFontNotSubsettable(ILogger logger, string fontPath, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subsetting contract font {FontPath} failed; this contract PDF embeds the whole face")]
    private static partial void LogSubsetFailed(ILogger logger, string fontPath, Exception exception);

    /// <summary>
    /// Skia prints the metadata dates with the machine's UTC offset ("D:20261120000000+08'00'" here, "+00'00'" on a UTC
    /// host), so one contract would hash differently on two silos. The dates are rewritten in place to the contract
    /// date at 00:00 China time; the text keeps its length, so the cross-reference offsets stay valid.
    /// </summary>
    internal static void PinDates(byte[] pdf, DateOnly contractDate)
    {
        var canonical = Encoding.ASCII.GetBytes(contractDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "000000+08'00')");
        foreach (var key in (string[])["/CreationDate (D:", "/ModDate (D:"])
        {
            var marker = Encoding.ASCII.GetBytes(key);
            var at = pdf.AsSpan().LastIndexOf(marker);
            if (at < 0 || at + marker.Length + canonical.Length > pdf.Length)
            {
                continue;
            }

            var value = pdf.AsSpan(at + marker.Length, canonical.Length);
            if (IsPdfDate(value))
            {
                canonical.CopyTo(value);
            }
        }
    }

    /// <summary>"yyyyMMddHHmmss±HH'mm')", the only shape Skia writes.</summary>
    private static bool IsPdfDate(ReadOnlySpan<byte> value) =>
        !value[..14].ContainsAnyExceptInRange((byte)'0', (byte)'9')
        && value[14] is (byte)'+' or (byte)'-'
        && !value[15..17].ContainsAnyExceptInRange((byte)'0', (byte)'9')
        && value[17] == (byte)'\''
        && !value[18..20].ContainsAnyExceptInRange((byte)'0', (byte)'9')
        && value[20] == (byte)'\''
        && value[21] == (byte)')';

    internal static string FindFont(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"The configured contract font '{configured}' does not exist. Point it to a CJK font file, or install one: apt-get install -y fonts-wqy-microhei (or fonts-noto-cjk).");
        }

        return WellKnownFontPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "No CJK font found for contract PDFs (looked in " + string.Join(", ", WellKnownFontPaths) + "). Install one: apt-get install -y fonts-wqy-microhei (or fonts-noto-cjk), or configure the font path.");
    }

    private static (SKTypeface Typeface, int FaceIndex) LoadTypeface(string path)
    {
        // A .ttc holds several faces; Noto CJK's Simplified Chinese face is not the first one.
        SKTypeface? chosen = null;
        var chosenIndex = 0;
        for (var index = 0; index < 16; index++)
        {
            var face = SKTypeface.FromFile(path, index);
            if (face is null)
            {
                break;
            }

            if (chosen is null || (face.FamilyName.Contains(" SC", StringComparison.Ordinal) && !chosen.FamilyName.Contains(" SC", StringComparison.Ordinal)))
            {
                chosen?.Dispose();
                chosen = face;
                chosenIndex = index;
            }
            else
            {
                face.Dispose();
            }
        }

        if (chosen is null)
        {
            throw new InvalidOperationException($"'{path}' is not a font file SkiaSharp can read. Install fonts-wqy-microhei (or fonts-noto-cjk).");
        }

        using var probe = new SKFont(chosen);
        if (!probe.ContainsGlyphs("合同买卖方"))
        {
            chosen.Dispose();
            throw new InvalidOperationException($"'{path}' has no Chinese glyphs. Install fonts-wqy-microhei (or fonts-noto-cjk), or configure a CJK font.");
        }

        return (chosen, chosenIndex);
    }

    private static void Draw(SKCanvas canvas, Op op, Fonts fonts, SKPaint paint)
    {
        switch (op)
        {
            case TextOp text:
                canvas.DrawText(text.Text, text.X, text.Y, text.Align, fonts[text.Style], paint);
                break;
            case LineOp line:
                using (var stroke = new SKPaint { Color = s_ruleColor, StrokeWidth = 0.6f, Style = SKPaintStyle.Stroke, IsAntialias = true })
                {
                    canvas.DrawLine(line.X0, line.Y0, line.X1, line.Y1, stroke);
                }

                break;
            case FillOp fill:
                using (var brush = new SKPaint { Color = s_headerFill, Style = SKPaintStyle.Fill })
                {
                    canvas.DrawRect(fill.Rect, brush);
                }

                break;
        }
    }

    private static readonly Column[] s_goodsColumns =
    [
        new("序号", 30, SKTextAlign.Center),
        new("品名", 76, SKTextAlign.Left),
        new("规格", 113, SKTextAlign.Left),
        new("数量(吨)", 58, SKTextAlign.Right),
        new("含税单价(元/吨)", 84, SKTextAlign.Right),
        new("金额(元)", 80, SKTextAlign.Right),
        new("税率", ContentWidth - 441, SKTextAlign.Right),
    ];

    private static readonly Column[] s_partyColumns =
    [
        new("", 96, SKTextAlign.Left),
        new("买方", (ContentWidth - 96) / 2, SKTextAlign.Left),
        new("卖方", (ContentWidth - 96) / 2, SKTextAlign.Left),
    ];

    private static readonly Column[] s_feeColumns =
    [
        new("费用项目", ContentWidth - 130, SKTextAlign.Left),
        new("金额(元)", 130, SKTextAlign.Right),
    ];

    private static readonly Column[] s_signatureColumns =
    [
        new("", ContentWidth / 2, SKTextAlign.Left),
        new("", ContentWidth / 2, SKTextAlign.Left),
    ];

    private static IEnumerable<(string Label, string Buyer, string Seller)> PartyRows(ContractFacts f)
    {
        var (b, s) = (f.Buyer, f.Seller);
        yield return ("名称", b.LegalName, s.LegalName);
        yield return ("统一社会信用代码", b.CreditCode, s.CreditCode);
        yield return ("法定代表人", b.LegalRepresentative, s.LegalRepresentative);
        yield return ("住所", b.Address, s.Address);
        yield return ("联系人/电话", $"{b.ContactName} {b.ContactPhone}", $"{s.ContactName} {s.ContactPhone}");
        yield return ("开户行", b.BankName, s.BankName);
        yield return ("户名/账号", $"{b.BankAccountName} {b.BankAccountNumber}", $"{s.BankAccountName} {s.BankAccountNumber}");
    }

    private static IEnumerable<string[]> GoodsRows(ContractFacts f) =>
        f.Goods.Select(g => new[]
        {
            g.LineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            g.ProductName,
            g.Specification,
            FormatTonnes(g.Quantity),
            FormatAmount(g.UnitPrice),
            FormatAmount(g.Amount),
            FormatPercent(g.VatRatePercent) + "%",
        });

    private static IEnumerable<string[]> FeeRows(ContractFacts f) =>
        f.Fees.Select(fee => new[] { fee.Label, FormatAmount(fee.Amount) })
            .Append(["合计（含税）", FormatAmount(f.TotalAmount)])
            .Append(["其中：增值税", FormatAmount(f.TaxAmount)]);

    private static IEnumerable<string> TotalLines(ContractFacts f) =>
        [$"合同总金额（含税）：人民币 {FormatMoney(f.TotalAmount)}", $"合同总金额（大写）：人民币{f.TotalInWords}"];

    private static IEnumerable<string[]> SignatureRows(ContractFacts f)
    {
        yield return ["买方（签章）：" + f.Buyer.LegalName, "卖方（签章）：" + f.Seller.LegalName];
        yield return ["法定代表人或授权代表：", "法定代表人或授权代表："];
        yield return [SignatureNote, SignatureNote];
    }

    private static string Encode(string text)
    {
        var encoded = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return encoded.ToString();
    }

    private const string Css =
        """
        @page { size: A4; margin: 20mm 20mm 22mm; }
        body { margin: 0; background: #f4f4f4; color: #111; font: 14px/1.7 "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; }
        .contract { max-width: 800px; margin: 24px auto; padding: 40px 48px; background: #fff; }
        h1 { margin: 0; text-align: center; font-size: 26px; letter-spacing: 4px; }
        .subtitle { margin: 0 0 16px; text-align: center; }
        .meta { display: flex; justify-content: space-between; margin: 2px 0; }
        h2 { font-size: 15px; margin: 20px 0 6px; }
        h3 { font-size: 15px; margin: 18px 0 4px; }
        table { width: 100%; border-collapse: collapse; margin: 8px 0; }
        th, td { border: 1px solid #666; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        thead th, .parties tbody th, .fees th { background: #eee; font-weight: 600; }
        tr { break-inside: avoid; }
        .num { text-align: right; white-space: nowrap; }
        .total { font-weight: 600; }
        .clause p { margin: 2px 0; }
        .signatures td { border: none; padding: 8px 0; width: 50%; }
        .signatures { margin-top: 28px; break-inside: avoid; }
        @media print { body { background: #fff; } .contract { margin: 0; padding: 0; max-width: none; } }

        """;

    private enum Style
    {
        Body,
        Bold,
        Small,
        Title,
    }

    private abstract record Op;

    private sealed record TextOp(string Text, float X, float Y, Style Style, SKTextAlign Align) : Op;

    private sealed record LineOp(float X0, float Y0, float X1, float Y1) : Op;

    private sealed record FillOp(SKRect Rect) : Op;

    private sealed record Column(string Title, float Width, SKTextAlign Align);

    private sealed class Fonts : IDisposable
    {
        private readonly SKFont[] _fonts;

        public Fonts(SKTypeface typeface)
        {
            _fonts =
            [
                new SKFont(typeface, BodySize),
                // Not Embolden: Skia's PDF backend then draws every glyph as a Type 3 path, bloating the file.
                new SKFont(typeface, BodySize + 1f),
                new SKFont(typeface, SmallSize),
                new SKFont(typeface, 20f),
            ];
        }

        public SKFont this[Style style] => _fonts[(int)style];

        public void Dispose()
        {
            foreach (var font in _fonts)
            {
                font.Dispose();
            }
        }
    }

    /// <summary>
    /// First pass: lays the contract out into pages of drawing operations (the footer, which needs the page count, is
    /// drawn in the second pass). Table rows are never split across pages; a table's header row repeats on a new page.
    /// </summary>
    private sealed class PdfLayout(SKTypeface typeface)
    {
        private const float Bottom = PageHeight - MarginBottom;
        private readonly List<List<Op>> _pages = [];
        private List<Op> _page = [];
        private float _y;

        public List<List<Op>> Compose(ContractContent content)
        {
            using var fonts = new Fonts(typeface);
            var f = content.Facts;
            NewPage();

            var title = fonts[Style.Title];
            _y += -title.Metrics.Ascent;
            _page.Add(new TextOp("工业品买卖合同", PageWidth / 2, _y, Style.Title, SKTextAlign.Center));
            _y += title.Metrics.Descent + 8;
            Line(fonts, "（购销合同）", Style.Body, SKTextAlign.Center, PageWidth / 2);
            _y += 6;
            Pair(fonts, "合同编号：" + f.ContractNumber, "签订日期：" + FormatDate(f.ContractDate));
            Pair(fonts, "订单编号：" + f.OrderId, "签订方式：平台电子签约");
            _y += 4;

            Table(fonts, s_partyColumns, header: true, PartyRows(f).Select(r => new[] { r.Label, r.Buyer, r.Seller }), bordered: true);
            _y += 6;
            Paragraphs(fonts, Preamble, Style.Body);
            _y += 6;
            Heading(fonts, "货物明细表", keepWith: RowHeight(fonts, 2));
            Table(fonts, s_goodsColumns, header: true, GoodsRows(f), bordered: true);
            Table(fonts, s_feeColumns, header: false, FeeRows(f), bordered: true);
            _y += 2;
            foreach (var line in TotalLines(f))
            {
                Line(fonts, line, Style.Bold, SKTextAlign.Left, MarginX);
            }

            foreach (var clause in content.Clauses)
            {
                _y += 6;
                Heading(fonts, clause.Number + " " + clause.Heading, keepWith: LineHeight(fonts[Style.Body]) * 2);
                Paragraphs(fonts, clause.Text, Style.Body);
            }

            _y += 18;
            var signatureRows = SignatureRows(f).ToList();
            var signatureHeight = signatureRows.Sum(r => RowHeight(fonts, Wrap(r[0], fonts[Style.Body], s_signatureColumns[0].Width - (2 * CellPadding)).Count) + 8);
            EnsureSpace(signatureHeight);
            Table(fonts, s_signatureColumns, header: false, signatureRows, bordered: false, rowGap: 8);
            return _pages;
        }

        private void NewPage()
        {
            _page = [];
            _pages.Add(_page);
            _y = MarginTop;
        }

        private void EnsureSpace(float height)
        {
            if (_y + height > Bottom && _y > MarginTop)
            {
                NewPage();
            }
        }

        private static float LineHeight(SKFont font) => font.Size * 1.55f;

        private static float RowHeight(Fonts fonts, int lines) => (lines * LineHeight(fonts[Style.Body])) + (2 * CellPadding);

        private void Line(Fonts fonts, string text, Style style, SKTextAlign align, float x)
        {
            var font = fonts[style];
            var height = LineHeight(font);
            EnsureSpace(height);
            _page.Add(new TextOp(text, x, Baseline(font, _y, height), style, align));
            _y += height;
        }

        private void Pair(Fonts fonts, string left, string right)
        {
            var font = fonts[Style.Body];
            var height = LineHeight(font);
            EnsureSpace(height);
            var baseline = Baseline(font, _y, height);
            _page.Add(new TextOp(left, MarginX, baseline, Style.Body, SKTextAlign.Left));
            _page.Add(new TextOp(right, PageWidth - MarginX, baseline, Style.Body, SKTextAlign.Right));
            _y += height;
        }

        private void Heading(Fonts fonts, string text, float keepWith)
        {
            EnsureSpace(LineHeight(fonts[Style.Bold]) + keepWith);
            Line(fonts, text, Style.Bold, SKTextAlign.Left, MarginX);
        }

        /// <summary>Clause text: numbered items ("1. ...") get a hanging indent, plain paragraphs a two-character first-line indent.</summary>
        private void Paragraphs(Fonts fonts, string text, Style style)
        {
            var font = fonts[style];
            foreach (var paragraph in text.Split('\n'))
            {
                var marker = NumberMarker(paragraph);
                var hanging = marker.Length > 0 ? font.MeasureText(marker) : 0f;
                var firstIndent = marker.Length > 0 ? 0f : font.Size * 2;
                var lines = Wrap(paragraph, font, ContentWidth, firstIndent, hanging);
                for (var i = 0; i < lines.Count; i++)
                {
                    var height = LineHeight(font);
                    EnsureSpace(height);
                    var indent = i == 0 ? firstIndent : hanging;
                    _page.Add(new TextOp(lines[i], MarginX + indent, Baseline(font, _y, height), style, SKTextAlign.Left));
                    _y += height;
                }
            }
        }

        private void Table(Fonts fonts, Column[] columns, bool header, IEnumerable<string[]> rows, bool bordered, float rowGap = 0)
        {
            if (header)
            {
                Row(fonts, columns, [.. columns.Select(c => c.Title)], isHeader: true, bordered, rowGap);
            }

            foreach (var row in rows)
            {
                var height = MeasureRow(fonts, columns, row) + rowGap;
                if (_y + height > Bottom && _y > MarginTop)
                {
                    NewPage();
                    if (header)
                    {
                        Row(fonts, columns, [.. columns.Select(c => c.Title)], isHeader: true, bordered, rowGap);
                    }
                }

                Row(fonts, columns, row, isHeader: false, bordered, rowGap);
            }
        }

        private static float MeasureRow(Fonts fonts, Column[] columns, string[] cells) =>
            RowHeight(fonts, columns.Select((c, i) => Wrap(cells[i], fonts[Style.Body], c.Width - (2 * CellPadding)).Count).Max());

        private void Row(Fonts fonts, Column[] columns, string[] cells, bool isHeader, bool bordered, float rowGap)
        {
            var wrapped = columns.Select((c, i) => Wrap(cells[i], fonts[Style.Body], c.Width - (2 * CellPadding))).ToList();
            var height = RowHeight(fonts, wrapped.Max(w => w.Count));
            EnsureSpace(height + rowGap);
            var top = _y;
            var x = MarginX;
            if (isHeader && bordered)
            {
                _page.Add(new FillOp(new SKRect(MarginX, top, MarginX + ContentWidth, top + height)));
            }

            for (var i = 0; i < columns.Length; i++)
            {
                var column = columns[i];
                var style = Style.Body;
                var font = fonts[style];
                var align = isHeader ? SKTextAlign.Center : column.Align;
                var textX = align switch
                {
                    SKTextAlign.Center => x + (column.Width / 2),
                    SKTextAlign.Right => x + column.Width - CellPadding,
                    _ => x + CellPadding,
                };
                var lineTop = top + CellPadding;
                foreach (var line in wrapped[i])
                {
                    var lineHeight = LineHeight(fonts[Style.Body]);
                    _page.Add(new TextOp(line, textX, Baseline(font, lineTop, lineHeight), style, align));
                    lineTop += lineHeight;
                }

                if (bordered)
                {
                    _page.Add(new LineOp(x, top, x, top + height));
                }

                x += column.Width;
            }

            if (bordered)
            {
                _page.Add(new LineOp(x, top, x, top + height));
                _page.Add(new LineOp(MarginX, top, x, top));
                _page.Add(new LineOp(MarginX, top + height, x, top + height));
            }

            _y = top + height + rowGap;
        }

        private static float Baseline(SKFont font, float top, float lineHeight)
        {
            var metrics = font.Metrics;
            var glyphHeight = metrics.Descent - metrics.Ascent;
            return top + ((lineHeight - glyphHeight) / 2) - metrics.Ascent;
        }

        private static string NumberMarker(string paragraph)
        {
            var dot = paragraph.IndexOf(". ", StringComparison.Ordinal);
            return dot is > 0 and <= 3 && paragraph[..dot].All(char.IsAsciiDigit) ? paragraph[..(dot + 2)] : "";
        }
    }

    // ---- line breaking for Chinese text -------------------------------------------------------------------------

    /// <summary>Lines may not start with these (标点禁则).</summary>
    private const string NoLineStart = "，。、；：？！）》」』”’〕】…%．,.;:!?)]}²³";

    /// <summary>Lines may not end with these.</summary>
    private const string NoLineEnd = "（《「『“‘〔【([";

    /// <summary>
    /// Wraps text to a width: a break may fall between any two CJK characters; Latin words, numbers and figures such
    /// as "1,234.50" or "HRB400E" stay together unless one alone is wider than the line; punctuation keeps to its word.
    /// </summary>
    internal static List<string> Wrap(string text, SKFont font, float width, float firstIndent = 0, float nextIndent = 0)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var current = new StringBuilder();
            var start = lines.Count;
            float Avail() => width - (lines.Count == start ? firstIndent : nextIndent);

            foreach (var token in Tokens(paragraph))
            {
                if (token == " ")
                {
                    if (current.Length > 0)
                    {
                        current.Append(' ');
                    }

                    continue;
                }

                if (font.MeasureText(current + token) <= Avail())
                {
                    current.Append(token);
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current.ToString().TrimEnd());
                    current.Clear();
                }

                if (font.MeasureText(token) <= Avail())
                {
                    current.Append(token);
                    continue;
                }

                // A single token wider than a line (a long account number in a narrow cell): break it by character.
                foreach (var element in TextElements(token))
                {
                    if (current.Length > 0 && font.MeasureText(current + element) > Avail())
                    {
                        lines.Add(current.ToString());
                        current.Clear();
                    }

                    current.Append(element);
                }
            }

            lines.Add(current.ToString().TrimEnd());
        }

        return lines;
    }

    private static IEnumerable<string> TextElements(string text)
    {
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            yield return elements.GetTextElement();
        }
    }

    private static List<string> Tokens(string text)
    {
        var raw = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                raw.Add(" ");
                continue;
            }

            if (IsWordChar(c))
            {
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i += char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
            }

            raw.Add(text[start..i]);
        }

        var tokens = new List<string>(raw.Count);
        var glue = false;
        foreach (var token in raw)
        {
            if (tokens.Count > 0 && tokens[^1] != " " && token != " " && (glue || NoLineStart.Contains(token[0], StringComparison.Ordinal)))
            {
                tokens[^1] += token;
            }
            else
            {
                tokens.Add(token);
            }

            glue = token.Length == 1 && NoLineEnd.Contains(token[0], StringComparison.Ordinal);
        }

        return tokens;
    }

    /// <summary>Latin letters, digits and symbols below the CJK blocks form words; CJK characters and full-width punctuation stand alone.</summary>
    private static bool IsWordChar(char c) =>
        c < '\u2E80' && !char.IsWhiteSpace(c) && c is not ('“' or '”' or '‘' or '’' or '…' or '—');
}
