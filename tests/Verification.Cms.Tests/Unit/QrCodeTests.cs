using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Verification.Cms.Rendering;

namespace Verification.Cms.Tests.Unit;

/// <summary>
/// The report's QR code (R-7.3): our encoder's codes, from the smallest version to the largest, read back by
/// zbarimg (Debian's ZBar, an independent decoder) from an image of the modules; the SVG draws exactly the modules.
/// </summary>
public sealed partial class QrCodeTests
{
    public static TheoryData<int, int> Lengths => new()
    {
        // Bytes → version at level M: each version's capacity and one byte more.
        { 1, 1 }, { 14, 1 }, { 15, 2 }, { 84, 5 }, { 106, 6 }, { 107, 7 }, { 152, 8 }, { 153, 9 }, { 213, 10 }, { 214, 11 }, { 331, 13 }, { 332, 14 }, { 1000, 26 }, { 2331, 40 },
    };

    [Theory]
    [Trait("Req", "R-7.3")]
    [MemberData(nameof(Lengths))]
    public void EveryVersionIsReadBackByAnIndependentDecoder(int length, int version)
    {
        var random = new Random(length);
        var text = new string(Enumerable.Range(0, length).Select(_ => (char)random.Next(33, 127)).ToArray());
        var qr = QrCode.Encode(text);
        Assert.Equal(version, qr.Version);
        Assert.Equal(version * 4 + 17, qr.Size);
        Assert.Equal(text, Decode(qr));
    }

    [Fact]
    [Trait("Req", "R-7.3")]
    public void AReportCheckAddressIsReadBack()
    {
        var url = "https://hd.mzj.example.cn/changzhou/report-check/" + Uri.EscapeDataString("第32040020261100011aaf1号") + "?h=" + new string('e', 64);
        Assert.Equal(url, Decode(QrCode.Encode(url)));
    }

    [Fact]
    [Trait("Req", "R-7.3")]
    public void TextBeyondTheLargestVersionIsRefused() =>
        Assert.Throws<ArgumentException>(() => QrCode.Encode(new string('x', 2332)));

    [Fact]
    [Trait("Req", "R-7.3")]
    public void TheSvgPathDrawsExactlyTheDarkModules()
    {
        const string Text = "http://127.0.0.1:5000/guangzhou/report-check/x?h=0123456789abcdef";
        var qr = QrCode.Encode(Text);
        var svg = QrCode.Svg(Text);
        var drawn = new HashSet<(int, int)>();
        double x = 0, y = 0;
        foreach (Match command in PathCommand().Matches(Regex.Match(svg, " d=\"([^\"]*)\"").Groups[1].Value))
        {
            var a = double.Parse(command.Groups[2].Value, CultureInfo.InvariantCulture);
            switch (command.Groups[1].Value)
            {
                case "M":
                    (x, y) = (a, double.Parse(command.Groups[3].Value, CultureInfo.InvariantCulture));
                    break;
                case "m":
                    (x, y) = (x + a, y + double.Parse(command.Groups[3].Value, CultureInfo.InvariantCulture));
                    break;
                case "h":
                    for (var i = 0; i < a; i++)
                    {
                        Assert.True(drawn.Add(((int)x + i - 4, (int)y - 4)), "a module drawn twice");
                    }

                    x += a;
                    break;
            }
        }

        var dark = Enumerable.Range(0, qr.Size).SelectMany(row => Enumerable.Range(0, qr.Size).Where(column => qr.IsDark(column, row)).Select(column => (column, row))).ToHashSet();
        Assert.True(dark.SetEquals(drawn));
        Assert.Contains($"viewBox=\"0 0 {qr.Size + 8} {qr.Size + 8}\"", svg, StringComparison.Ordinal);
    }

    /// <summary>The modules as a greyscale image (4 px a module, quiet zone of 4), decoded by zbarimg.</summary>
    private static string Decode(QrCode qr)
    {
        const int Scale = 4, Quiet = 4;
        var side = (qr.Size + 2 * Quiet) * Scale;
        var file = Path.Combine(Path.GetTempPath(), $"vcms-qr-{Guid.NewGuid():N}.pgm");
        using (var image = File.Create(file))
        {
            image.Write(Encoding.ASCII.GetBytes($"P5\n{side} {side}\n255\n"));
            var row = new byte[side];
            for (var py = 0; py < side; py++)
            {
                for (var px = 0; px < side; px++)
                {
                    int mx = px / Scale - Quiet, my = py / Scale - Quiet;
                    row[px] = mx >= 0 && my >= 0 && mx < qr.Size && my < qr.Size && qr.IsDark(mx, my) ? (byte)0 : (byte)255;
                }

                image.Write(row);
            }
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo("zbarimg", ["--quiet", "--raw", file]) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 })!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "zbarimg read no code: " + error);
            return output.TrimEnd('\n');
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"([Mmh])(-?[0-9.]+)(?: (-?[0-9.]+))?")]
    private static partial Regex PathCommand();
}
