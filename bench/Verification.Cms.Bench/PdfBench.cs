using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verification.Cms.Rendering;

namespace Verification.Cms.Bench;

/// <summary>Warm PDF printing in headless Chromium for pages of growing size and two fonts, to see where the time goes. Prints figures.</summary>
public static class PdfBench
{
    public static async Task RunAsync()
    {
        Console.WriteLine($"Verification.Cms PDF benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        await using var pdf = new ChromiumPdf(new ConfigurationBuilder().Build(), NullLogger<ChromiumPdf>.Instance);
        await pdf.PrintAsync(Page(1, "serif"), default);
        foreach (var font in new[] { "\"Noto Serif CJK SC\", serif", "\"Noto Sans CJK SC\", sans-serif", "\"WenQuanYi Micro Hei\", sans-serif", "monospace" })
        {
            foreach (var rows in new[] { 1, 40, 150 })
            {
                var html = Page(rows, font);
                var times = new List<double>();
                var size = 0;
                for (var i = 0; i < 8; i++)
                {
                    var watch = Stopwatch.StartNew();
                    size = (await pdf.PrintAsync(html, default)).Length;
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                Console.WriteLine($"font {font,-34} {rows,4} rows: median {times[times.Count / 2],6:F0} ms, {size / 1024,5} KiB");
            }
        }

        // The same page without any CJK character: what printing costs without a CJK font to subset.
        var latin = System.Text.RegularExpressions.Regex.Replace(Page(40, "\"DejaVu Sans\", sans-serif"), "[^\\x00-\\x7f]", "x");
        var latinTimes = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            var watch = Stopwatch.StartNew();
            await pdf.PrintAsync(latin, default);
            latinTimes.Add(watch.Elapsed.TotalMilliseconds);
        }

        latinTimes.Sort();
        Console.WriteLine($"no CJK text (DejaVu Sans)                  40 rows: median {latinTimes[latinTimes.Count / 2],6:F0} ms");
    }

    private static string Page(int rows, string font)
    {
        var html = new StringBuilder($"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><style>@page {{ size: A4; margin: 16mm; }} body {{ font-family: {font}; font-size: 10.5pt; }} td {{ border: .6pt solid #000; padding: 3pt; }} table {{ border-collapse: collapse; width: 100%; }}</style></head><body><h1>居民家庭经济状况核对报告</h1><table>");
        for (var i = 0; i < rows; i++)
        {
            html.Append("<tr><td>公安部门</td><td>机动车登记信息（陈伟强）</td><td>号牌号码：粤A12345；品牌型号：大众朗逸；使用性质：非营运；初次登记日期：2019-03-02；状态：正常</td></tr>");
        }

        return html.Append("</table></body></html>").ToString();
    }
}
