using System.Text.Json;
using System.Text.Json.Nodes;
using Verification.Cms.Tests.Expressions;
using Verification.Forms.Expressions;

namespace Verification.Cms.Tests.Browser;

/// <summary>The JavaScript engine, run inside Debian Chromium, gives the same results as the C# engine on the shared vectors.</summary>
[Trait("Req", "R-1.2")]
public sealed class BrowserExpressionTests
{
    private const string Harness = """
        const E = window.VerificationExpressions;
        const vectors = JSON.parse(arguments[0]);
        const expectations = JSON.parse(arguments[1]);
        function result(v) {
          if (v === null) return 'null';
          if (Array.isArray(v)) return '[' + v.map(result).join(',') + ']';
          if (typeof v === 'object' && v.scaled !== undefined) return v.toString();
          if (typeof v === 'string') return '"' + v + '"';
          return JSON.stringify(v);
        }
        const failures = [];
        for (let i = 0; i < vectors.length; i++) {
          const vector = vectors[i];
          let actual;
          try {
            actual = result(E.evaluate(vector.expr, vector.data || {}, { today: vector.today || '2026-11-24', calendar: vector.calendar }));
          } catch (e) {
            actual = e instanceof E.ExpressionError ? 'error:' + e.code : 'crash:' + e.message;
          }
          const expected = expectations[i];
          if (actual !== expected) failures.push((vector.expr.length > 80 ? vector.expr.slice(0, 80) + '…' : vector.expr) + ' → ' + actual + ', expected ' + expected);
        }
        return JSON.stringify({ count: vectors.length, failures: failures });
        """;

    [Fact]
    [Trait("Category", "Browser")]
    public void TheJavaScriptEngineInChromiumGivesEveryVectorsExpectedResult()
    {
        using var browser = new Infrastructure.Browser();
        browser.Driver.Navigate().GoToUrl("about:blank");
        browser.Driver.ExecuteScript(ExpressionScript.Text());
        var vectors = ExpressionVectors.Load();

        // Expected values go in canonical text computed once, so neither side reinterprets JSON numbers.
        var expectations = JsonSerializer.Serialize(vectors.OfType<JsonObject>().Select(ExpressionVectors.Expected).ToList());
        var outcome = JsonNode.Parse((string)browser.Driver.ExecuteScript(Harness, vectors.ToJsonString(), expectations)!)!;
        var failures = outcome["failures"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.True(outcome["count"]!.GetValue<int>() >= 150);
        Assert.True(failures.Count == 0, $"{failures.Count} vectors differ in Chromium:\n" + string.Join("\n", failures));
    }
}
