using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Verification.Cms.Localization;
using Verification.Cms.Modules;
using Verification.Forms.Expressions;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Cms.Bench;

/// <summary>
/// Forms benchmark (issue: a 200-field form with 50 expressions — server-side validation ≤ 20 ms,
/// browser recalculation on a keystroke ≤ 16 ms). The browser figure comes from Debian's headless
/// Chromium running the real expressions.js over the same form. Prints figures; asserts nothing.
/// </summary>
public static class FormsBench
{
    public static async Task RunAsync()
    {
        var (form, data) = BuildForm();
        var validator = new FormSubmissionValidator(new JsonStringLocalizer(new LocalizationCatalog(ModuleCatalog.FromApplicationDirectory())));
        var context = new ExpressionContext(new DateOnly(2026, 11, 24));
        for (var i = 0; i < 20; i++)
        {
            validator.Validate(form, data, context, draft: false);
        }

        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = validator.Validate(form, data, context, draft: false);
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (!result.IsValid)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors));
            }
        }

        times.Sort();
        Console.WriteLine($"server validation of a 200-field form with 50 expressions: median {times[100]:F2} ms, p95 {times[190]:F2} ms over 200 runs");
        Console.WriteLine("browser recalculation of the same 50 expressions per keystroke (headless Chromium): " + await BrowserAsync(form, data));
    }

    private static (FormDocument Form, JsonObject Data) BuildForm()
    {
        var fields = new List<FormField>();
        var data = new JsonObject();
        for (var i = 0; i < 150; i++)
        {
            var key = $"n{i}";
            fields.Add(new FormField { Key = key, Type = i % 3 == 0 ? FieldTypes.Money : FieldTypes.Number, Label = $"数值{i}", Min = 0 });
            data[key] = 100 + i;
        }

        for (var i = 0; i < 50; i++)
        {
            var key = $"c{i}";
            var expression = (i % 5) switch
            {
                0 => $"n{i} + n{i + 1} * 2",
                1 => $"round(n{i} / 3, 2)",
                2 => $"n{i} > 120 ? n{i} - 20 : n{i}",
                3 => $"max(n{i}, n{i + 2}, n{i + 4})",
                _ => $"abs(n{i} - n{i + 10}) + 0.5",
            };
            fields.Add(new FormField { Key = key, Type = FieldTypes.Calculated, Label = $"计算{i}", Calculate = expression });
        }

        var form = new FormDocument { Name = "bench", Title = "基准", Pages = [new FormPage { Title = "一", Fields = fields }] };
        return (form, data);
    }

    private static async Task<string> BrowserAsync(FormDocument form, JsonObject data)
    {
        if (!File.Exists("/usr/bin/chromium"))
        {
            return "skipped: Debian chromium is not installed (apt-get install chromium)";
        }

        var expressions = new JsonArray(form.Fields.Where(f => f.Calculate is not null).Select(f => (JsonNode)f.Calculate!).ToArray());
        var html = $$"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><script>{{ExpressionScript.Text()}}</script></head><body><script>
            const E = window.VerificationExpressions;
            const data = {{data.ToJsonString()}};
            const expressions = {{expressions.ToJsonString()}};
            const parsed = expressions.map(e => E.parse(e));
            const times = [];
            for (let run = 0; run < 220; run++) {
              data.n7 = 100 + run;
              const start = performance.now();
              for (const p of parsed) { E.evaluate(p, data, { today: '2026-11-24' }); }
              times.push(performance.now() - start);
            }
            const measured = times.slice(20).sort((a, b) => a - b);
            document.body.textContent = 'RESULT ' + measured[100].toFixed(3) + ' ' + measured[190].toFixed(3);
            </script></body></html>
            """;
        var file = Path.Combine(Path.GetTempPath(), "vcms-forms-bench.html");
        await File.WriteAllTextAsync(file, html);
        var start = new ProcessStartInfo("/usr/bin/chromium", ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + Path.Combine(Path.GetTempPath(), "vcms-bench-chrome"), "--dump-dom", "file://" + file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var marker = output.IndexOf("RESULT ", StringComparison.Ordinal);
        if (marker < 0)
        {
            return "no result from Chromium";
        }

        var parts = output[(marker + 7)..].Split([' ', '<'], StringSplitOptions.RemoveEmptyEntries);
        return string.Create(CultureInfo.InvariantCulture, $"median {double.Parse(parts[0], CultureInfo.InvariantCulture):F3} ms, p95 {double.Parse(parts[1], CultureInfo.InvariantCulture):F3} ms over 200 keystrokes");
    }
}
