using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Contracts;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Silo.Contracts;
using Microsoft.Extensions.Logging;
using SkiaSharp;
using Xunit.Abstractions;

namespace B2BTrade.Grains.Tests;

/// <summary>
/// The contract document: a real PDF with an embedded CJK font (its text read back with poppler's pdftotext, which
/// tests/run-all.sh installs), and the HTML rendering. No cluster needed.
/// </summary>
public sealed class ContractRendererTests(ITestOutputHelper output) : IDisposable
{
    private const string Script = "<script>alert(1)</script>";

    private readonly ContractRenderer _renderer = new();

    public void Dispose() => _renderer.Dispose();

    private static ContractFacts Facts(int goodsLines = 2, string remarks = "") => new()
    {
        ContractNumber = "B2B-20261120-000123",
        OrderId = "ord_01JDZ8K3M4N5P6Q7R8S9T0",
        Buyer = new ContractParty(
            "ent_buyer", "上海宝建建设工程有限公司", "91310113MA1GL1234X", "王建国", "上海市宝山区蕴川路 1888 号宝建大厦 12 楼",
            "李明", "13800138000", "中国工商银行股份有限公司上海宝山支行", "上海宝建建设工程有限公司", "1001234567890123456"),
        Seller = new ContractParty(
            "ent_seller", "江苏沙钢物资贸易有限公司", "91320582MA1MX5678Y", "张钢", "江苏省张家港市锦丰镇沙钢大厦",
            "赵强", "13912345678", "中国银行股份有限公司张家港分行", "江苏沙钢物资贸易有限公司", "465870123456"),
        Goods =
        [
            .. Enumerable.Range(1, goodsLines).Select(i => new ContractGoodsLine(
                i, "热轧带肋钢筋（螺纹钢）", $"材质: HRB400E; 规格: Φ{10 + (2 * i)}; 长度: 12m; 钢厂: 沙钢", Tonnes.Of(25.5m + i, "q"), 3850m, Math.Round((25.5m + i) * 3850m, 2), 13m)),
        ],
        Fees = [new ContractFee("货款", 213252.5m), new ContractFee("运费", 3893.75m), new ContractFee("优惠", -1112.5m)],
        TotalAmount = 216033.75m,
        TotalInWords = "贰拾壹万陆仟零叁拾叁元柒角伍分",
        TaxAmount = 24853.88m,
        Payment = new PaymentTerms(20m, BalanceTiming.AfterDelivery, 15),
        DepositAmount = 43206.75m,
        DeliveryDate = new DateOnly(2026, 12, 6),
        DeliveryPlace = "上海市上海市宝山区蕴川路1号宝建工地（收货人 张三 13800138000）",
        Transport = TransportMode.Road,
        SellerBearsFreight = true,
        QualityStandard = "GB/T 1499.2-2024《钢筋混凝土用钢 第2部分：热轧带肋钢筋》",
        WeightBasis = WeightBasis.Weighed,
        InvoiceTitle = "上海宝建建设工程有限公司",
        InvoiceTaxNumber = "91310113MA1GL1234X",
        InvoiceBank = "中国工商银行股份有限公司上海宝山支行",
        InvoiceBankAccount = "1001234567890123456",
        InvoiceAddressPhone = "上海市宝山区蕴川路 1888 号 021-56781234",
        ContractDate = new DateOnly(2026, 11, 20),
        Remarks = remarks,
    };

    private static readonly string s_longRemarks = string.Join("\n", Enumerable.Range(1, 12).Select(i =>
        $"{i}. 卖方应在每车货物发运前通过平台上传装车照片、过磅单及钢厂质量证明书（材质书）扫描件，并注明车牌号、炉批号和捆数；"
        + "买方收货时核对标牌信息与质量证明书一致后签收，如发现混规格、混炉批或标牌缺失，有权拒收该车货物并要求卖方在 48 小时内补发。"
        + Script));

    private static string Flat(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string PdfText(byte[] pdf) => WithFile(pdf, path => Run("pdftotext", "-enc", "UTF-8", path, "-"));

    private static T WithFile<T>(byte[] pdf, Func<string, T> read)
    {
        var path = Path.Combine(Path.GetTempPath(), $"b2btrade-contract-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            return read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The first page as a 40 dpi greyscale bitmap (poppler's pdftoppm).</summary>
    private static byte[] Raster(byte[] pdf) => WithFile(pdf, path =>
    {
        Run("pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-singlefile", "-gray", path, path);
        var image = path + ".pgm";
        try
        {
            return File.ReadAllBytes(image);
        }
        finally
        {
            File.Delete(image);
        }
    });

    private sealed class ListLogger : ILogger<ContractRenderer>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} failed: {process.StandardError.ReadToEnd()}");
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"{tool} is missing: apt-get install -y poppler-utils (tests/run-all.sh installs it).");
            throw;
        }
    }

    [Fact]
    public void PdfCarriesTheContractInAnEmbeddedChineseFontOverSeveralPages()
    {
        var content = ContractTemplate.Compose(Facts(remarks: s_longRemarks));

        var pdf = _renderer.RenderPdf(content);

        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        var text = PdfText(pdf);
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.True(pages >= 3, $"expected the long remarks to push the contract over 3 pages, got {pages}");
        // Wrapped lines and pdftotext's spacing vary; compare with all whitespace removed.
        var flat = Flat(text);
        Assert.Contains("工业品买卖合同", flat);
        Assert.Contains("上海宝建建设工程有限公司", flat);
        Assert.Contains("江苏沙钢物资贸易有限公司", flat);
        Assert.Contains("91320582MA1MX5678Y", flat);
        Assert.Contains("合同总金额（大写）：人民币贰拾壹万陆仟零叁拾叁元柒角伍分", flat);
        Assert.Contains("¥216,033.75", flat);
        Assert.Contains("第一条标的、数量及价款", flat);
        Assert.Contains("第十三条其他约定", flat);
        Assert.Contains("<script>alert(1)</script>", flat);
        Assert.Contains("电子签名，签署信息及验证见平台合同验证", flat);
        Assert.Contains($"第1页共{pages}页", flat);
        Assert.Contains($"第2页共{pages}页", flat);
        Assert.Contains($"第{pages}页共{pages}页", flat);

        var fonts = WithFile(pdf, path => Run("pdffonts", path));
        Assert.Contains(_renderer.FontFamily.Replace(" ", "", StringComparison.Ordinal), fonts.Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains("yes", fonts.Split('\n').Last(l => l.Contains("CID", StringComparison.Ordinal)));
    }

    [Fact]
    public void PdfEmbedsOnlyTheGlyphsItUsesAndReadsBackTheSameAsWithTheWholeFont()
    {
        var content = ContractTemplate.Compose(Facts(goodsLines: 6, remarks: s_longRemarks));
        using var whole = new ContractRenderer(_renderer.FontPath) { SubsetFont = false };

        var pdf = _renderer.RenderPdf(content);
        var full = whole.RenderPdf(content);

        output.WriteLine($"contract PDF: {full.Length:N0} bytes with the whole font, {pdf.Length:N0} bytes with the subset");
        Assert.True(pdf.Length < 400_000, $"subset PDF is {pdf.Length:N0} bytes");
        Assert.True(full.Length > 10 * pdf.Length, $"whole-font PDF {full.Length:N0} vs subset {pdf.Length:N0}");
        Assert.Equal(pdf, _renderer.RenderPdf(content));

        // The glyphs map back to text (ToUnicode from the subset's cmap): same words as with the whole font.
        var text = PdfText(pdf);
        var flat = Flat(text);
        Assert.Equal(Flat(PdfText(full)), flat);
        Assert.Contains("上海宝建建设工程有限公司", flat);
        Assert.Contains("江苏沙钢物资贸易有限公司", flat);
        Assert.Contains("合同总金额（大写）：人民币贰拾壹万陆仟零叁拾叁元柒角伍分", flat);
        Assert.All(content.Clauses, c => Assert.Contains(Flat(c.Number + c.Heading), flat));
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Contains($"第{pages}页共{pages}页", flat);

        // pdffonts columns: name type encoding emb sub uni object-id.
        var fontLine = WithFile(pdf, path => Run("pdffonts", path)).Split('\n').Single(l => l.Contains("CID TrueType", StringComparison.Ordinal));
        Assert.Contains("WenQuanYiMicroHei", fontLine.Replace(" ", "", StringComparison.Ordinal));
        Assert.Matches(@"Identity-H\s+yes\s+\w+\s+yes", fontLine);

        // Drawn identically: the first page rasterizes to the same pixels either way.
        Assert.Equal(Raster(full), Raster(pdf));
    }

    [Fact]
    public void AFontThatCannotBeSubsetIsEmbeddedWholeAndTheContractStillRenders()
    {
        // A copy of the face whose 'post' table is renamed: FreeType draws without it, the subsetter refuses it.
        var font = File.ReadAllBytes(_renderer.FontPath);
        var face = Encoding.ASCII.GetString(font, 0, 4) == "ttcf" ? (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12)) : 0;
        var record = Enumerable.Range(0, BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(face + 4)))
            .Select(i => face + 12 + (16 * i))
            .Single(at => Encoding.ASCII.GetString(font, at, 4) == "post");
        Encoding.ASCII.GetBytes("xost").CopyTo(font, record);
        var path = Path.Combine(Path.GetTempPath(), $"b2btrade-font-{Guid.NewGuid():N}.ttc");
        File.WriteAllBytes(path, font);
        try
        {
            var logger = new ListLogger();
            using var renderer = new ContractRenderer(path, logger);
            var content = ContractTemplate.Compose(Facts());

            var pdf = renderer.RenderPdf(content);

            Assert.True(pdf.Length > 1_000_000, $"expected the whole face embedded, got {pdf.Length:N0} bytes");
            Assert.Contains("上海宝建建设工程有限公司", Flat(PdfText(pdf)));
            var entry = Assert.Single(logger.Entries);
            Assert.Equal(LogLevel.Warning, entry.Level);
            Assert.Contains(path, entry.Message);
            Assert.IsType<InvalidDataException>(entry.Exception);
            Assert.DoesNotContain("上海宝建", entry.Message + entry.Exception, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TableRowsAreNeverCutByAPageBreakAndTheHeaderRepeats()
    {
        var pdf = _renderer.RenderPdf(ContractTemplate.Compose(Facts(goodsLines: 45)));
        var pages = PdfText(pdf).Split('\f');

        Assert.True(pages.Count(p => p.Contains("含税单价(元/吨)", StringComparison.Ordinal)) >= 2, "the goods table spans pages and repeats its header row");
        for (var i = 1; i <= 45; i++)
        {
            var spec = $"Φ{10 + (2 * i)};";
            var amount = Math.Round((25.5m + i) * 3850m, 2).ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);
            var page = Assert.Single(pages, p => Flat(p).Contains(spec, StringComparison.Ordinal));
            Assert.Contains(amount, page);
        }
    }

    [Fact]
    public void SameContentGivesTheSameBytesAndAnyChangeGivesOthers()
    {
        var content = ContractTemplate.Compose(Facts(remarks: s_longRemarks));
        using var other = new ContractRenderer(_renderer.FontPath);

        var first = _renderer.RenderPdf(content);
        var second = other.RenderPdf(content);
        var changed = _renderer.RenderPdf(ContractTemplate.Compose(Facts(remarks: s_longRemarks + "。")));

        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
        Assert.NotEqual(SHA256.HashData(first), SHA256.HashData(changed));
        Assert.Contains("/Title (B2B-20261120-000123)", Encoding.Latin1.GetString(first));
        // Skia writes the host's UTC offset; the renderer pins both dates to the contract date in China time.
        Assert.Contains("/CreationDate (D:20261120000000+08'00')", Encoding.Latin1.GetString(first));
        Assert.Contains("/ModDate (D:20261120000000+08'00')", Encoding.Latin1.GetString(first));
    }

    [Fact]
    public void HtmlIsASelfContainedChinesePageWithEveryTextEncoded()
    {
        var content = ContractTemplate.Compose(Facts(remarks: "到货前一天电话通知 " + Script) with
        {
            Buyer = Facts().Buyer with { LegalName = "A&B \"建材\" <有限公司>" },
        });

        var html = _renderer.RenderHtml(content);

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("A&amp;B &quot;建材&quot; &lt;有限公司&gt;", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<有限公司>", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("url(", html);
        Assert.Contains("江苏沙钢物资贸易有限公司", html);
        Assert.Contains("人民币贰拾壹万陆仟零叁拾叁元柒角伍分", html);
        Assert.Contains("<td class=\"num\">26.500</td>", html);
        Assert.All(content.Clauses, c => Assert.Contains($"<h3>{c.Number} {c.Heading}</h3>", html));
        Assert.Contains("买方（签章）：A&amp;B", html);
    }

    [Fact]
    public void ChineseLinesBreakBetweenCharactersButKeepNumbersAndLatinWordsWhole()
    {
        using var font = new SKFont(SKTypeface.FromFile(_renderer.FontPath), 10.5f);
        const string Text = "货物执行GB/T 1499.2-2024标准，材质HRB400E，合同总金额人民币¥1,234,567.80元，买方应在货物到达交货地点之日起7日内完成质量检验（以签收为准）。";

        var lines = ContractRenderer.Wrap(Text, font, 120f);

        Assert.True(lines.Count >= 4, string.Join(" | ", lines));
        Assert.All(lines, line => Assert.True(font.MeasureText(line) <= 120f, $"'{line}' is wider than the line"));
        Assert.Equal(Text.Replace(" ", "", StringComparison.Ordinal), string.Concat(lines).Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("¥1,234,567.80", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("HRB400E", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("1499.2-2024", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith('，') || l.StartsWith('。') || l.StartsWith('）') || l.EndsWith('（'));
    }

    [Fact]
    public void AMissingFontIsReportedWithThePackageToInstall()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ContractRenderer("/nonexistent/fonts/cjk.ttc"));

        Assert.Contains("/nonexistent/fonts/cjk.ttc", error.Message);
        Assert.Contains("fonts-wqy-microhei", error.Message);
    }
}
