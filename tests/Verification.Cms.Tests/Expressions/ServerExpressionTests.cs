using System.Text.Json.Nodes;
using Verification.Forms.Expressions;

namespace Verification.Cms.Tests.Expressions;

[Trait("Req", "R-1.2")]
public sealed class ServerExpressionTests
{
    [Fact]
    public void TheCSharpEngineGivesEveryVectorsExpectedResult()
    {
        var vectors = ExpressionVectors.Load();
        Assert.True(vectors.Count >= 150, $"only {vectors.Count} vectors");
        var failures = vectors.OfType<JsonObject>().Select(ExpressionVectors.Check).OfType<string>().ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {vectors.Count} vectors differ:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void DesignTimeCheckingNamesSyntaxErrorsUnknownFieldsFunctionsAndArity()
    {
        string[] fields = ["income", "members", "members.income", "members.idNumber", "申报人"];
        Assert.Empty(ExpressionChecker.Check("sum(members.income) > income * 2 && isIdNumber(members.idNumber)", fields.Where(f => f != "申报人").ToList()));

        var syntax = Assert.Single(ExpressionChecker.Check("income >", fields));
        Assert.Equal((ExpressionException.Syntax, 8), (syntax.Code, syntax.Position));

        var problems = ExpressionChecker.Check("incme + sum(members.incom) + foo(1) + round()", fields);
        Assert.Equal(
            [(ExpressionChecker.UnknownField, "incme"), (ExpressionChecker.UnknownField, "members.incom"), (ExpressionException.UnknownFunction, "foo"), (ExpressionException.Arity, "round")],
            problems.Select(p => (p.Code, p.Message.Split('\'').ElementAtOrDefault(1) ?? p.Message.Split(' ')[0])).ToList());
    }

    [Theory]
    [InlineData(200_001)]
    [InlineData(150_000)]
    public void LongListsStopAtTheStepLimit(int items)
    {
        var data = new JsonObject { ["members"] = new JsonArray(Enumerable.Range(0, items).Select(i => (JsonNode)new JsonObject { ["income"] = i }).ToArray()) };
        var error = Assert.Throws<ExpressionException>(() => ExpressionEvaluator.Evaluate("sum(members.income)", data, new ExpressionContext(new DateOnly(2026, 11, 24))));
        Assert.Equal(ExpressionException.Limit, error.Code);
    }

    [Fact]
    public void ASixtyFourLevelNestingIsAllowedAndOneMoreIsNot()
    {
        var context = new ExpressionContext(new DateOnly(2026, 11, 24));
        Assert.Equal("1", ExpressionEvaluator.Evaluate(new string('(', 64) + "1" + new string(')', 64), [], context)!.ToString());
        Assert.Equal(ExpressionException.Limit, Assert.Throws<ExpressionException>(() => ExpressionEvaluator.Evaluate(new string('(', 65) + "1" + new string(')', 65), [], context)).Code);
    }

    [Theory]
    [InlineData("constructor")]
    [InlineData("__proto__")]
    [InlineData("members.constructor")]
    [InlineData("toString")]
    public void ObjectInternalsAreJustAbsentFields(string expression)
    {
        var data = new JsonObject { ["members"] = new JsonArray(new JsonObject { ["name"] = "张三" }) };
        var value = ExpressionEvaluator.Evaluate(expression, data, new ExpressionContext(new DateOnly(2026, 11, 24)));
        Assert.True(value is null || value is IReadOnlyList<object?> { Count: 1 } list && list[0] is null);
    }
}
