using System.Globalization;
using System.Text.Json.Nodes;
using Verification.Cms.Localization;
using Verification.Cms.Modules;
using Verification.Forms.Expressions;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Forms;

/// <summary>The server re-validates everything a form sends (issue: forms runtime; ).</summary>
public sealed class FormValidationTests
{
    private static readonly FormSubmissionValidator Validator = new(new JsonStringLocalizer(new LocalizationCatalog(ModuleCatalog.FromApplicationDirectory())));
    private static readonly ExpressionContext Today = new(new DateOnly(2026, 11, 24));

    [Fact]
    public void TheShippedTestDefinitionHasNoProblems() => Assert.Empty(FormDefinitionChecker.Check(TestForms.Declaration));

    [Fact]
    public void DefinitionProblemsNameTheirPlace()
    {
        var broken = TestForms.Declaration with
        {
            Pages =
            [
                new FormPage
                {
                    Title = "x",
                    Fields =
                    [
                        new FormField { Key = "a", Type = "text", VisibleIf = "b == 1" },
                        new FormField { Key = "a", Type = "text" },
                        new FormField { Key = "c", Type = "choice" },
                        new FormField { Key = "d", Type = "signature-pad" },
                        new FormField { Key = "e", Type = "calculated", Calculate = "sum(" },
                    ],
                },
            ],
        };
        var problems = FormDefinitionChecker.Check(broken).Select(p => p.Path).ToList();
        Assert.Equal(["pages[0].fields[0].visibleIf", "pages[0].fields[1].key", "pages[0].fields[2].options", "pages[0].fields[3].type", "pages[0].fields[4].calculate"], problems);
    }

    [Fact]
    public void TamperedHiddenAndUnknownValuesAreDroppedAndCalculationsRedone()
    {
        var input = Valid();
        input["spouseName"] = "不应保存";
        input["isAdmin"] = true;
        input["totalIncome"] = 999999;
        ((JsonObject)input["members"]![0]!)["age"] = 3;
        ((JsonObject)input["members"]![0]!)["password"] = "x";

        var result = Validator.Validate(TestForms.Declaration, input, Today, draft: false);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.False(result.Data.ContainsKey("spouseName"));
        Assert.False(result.Data.ContainsKey("isAdmin"));
        Assert.Equal(2000.5m, result.Data["totalIncome"]!.GetValue<decimal>());
        var member = (JsonObject)result.Data["members"]![0]!;
        Assert.Equal(76m, member["age"]!.GetValue<decimal>());
        Assert.False(member.ContainsKey("password"));
    }

    [Fact]
    [Trait("Req", "R-4.2")]
    public void ErrorsAreChineseSentencesNamingTheField()
    {
        using var _ = new CultureScope("zh-CN");
        var input = Valid();
        input.Remove("applicantName");
        input["applicantId"] = "11010519491231002Y";
        input["monthlyIncome"] = "1200.555";
        input["maritalStatus"] = "married";
        ((JsonObject)input["members"]![1]!)["idNumber"] = "440524188001010015";

        var errors = Validator.Validate(TestForms.Declaration, input, Today, draft: false).Errors.ToDictionary(e => e.Path, e => e.Message);

        Assert.Equal("申请人姓名为必填项。", errors["applicantName"]);
        Assert.Contains("公民身份号码", errors["applicantId"], StringComparison.Ordinal);
        Assert.Contains("GB 11643", errors["applicantId"], StringComparison.Ordinal);
        Assert.Contains("2", errors["monthlyIncome"], StringComparison.Ordinal);
        Assert.Equal("配偶姓名为必填项。", errors["spouseName"]);
        Assert.Contains("身份证号", errors["members[1].idNumber"], StringComparison.Ordinal);
    }

    [Fact]
    public void RulesSpeakTheUsersLanguage()
    {
        var input = Valid();
        input["applicantId"] = "440106201203150014"; // born 2012: a minor
        using (new CultureScope("zh-CN"))
        {
            Assert.Equal("申请人须年满18周岁", Assert.Single(Validator.Validate(TestForms.Declaration, input, Today, draft: false).Errors).Message);
        }

        using (new CultureScope("en"))
        {
            Assert.Equal("The applicant must be at least 18", Assert.Single(Validator.Validate(TestForms.Declaration, input, Today, draft: false).Errors).Message);
        }
    }

    [Fact]
    public void ADraftKeepsWhatConvertsAndDoesNotDemandTheRest()
    {
        var result = Validator.Validate(TestForms.Declaration, new JsonObject { ["applicantName"] = "王芳", ["monthlyIncome"] = "abc" }, Today, draft: true);
        Assert.Equal("王芳", result.Data["applicantName"]!.GetValue<string>());
        Assert.Equal("monthlyIncome", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void RowLimitsAndChoicesAreEnforced()
    {
        var input = Valid();
        input["members"] = new JsonArray();
        input["maritalStatus"] = "divorced-twice";
        var paths = Validator.Validate(TestForms.Declaration, input, Today, draft: false).Errors.Select(e => e.Path).ToList();
        Assert.Contains("members", paths);
        Assert.Contains("maritalStatus", paths);
    }

    [Theory]
    [InlineData("<p>家庭<b>困难</b></p><script>alert(1)</script>", "<p>家庭<b>困难</b></p>")]
    [InlineData("<img src=x onerror=alert(1)><p onclick=\"x()\">说明</p>", "<p>说明</p>")]
    [InlineData("<a href=\"javascript:alert(1)\">链接</a><a href=\"https://gov.cn\">政策</a>", "<a>链接</a><a href=\"https://gov.cn\">政策</a>")]
    [InlineData("<iframe src=\"https://x\"></iframe><p style=\"position:fixed\">样式</p>", "<p>样式</p>")]
    [Trait("Req", "R-18.5")]
    public void RichTextKeepsFormattingAndLosesAnythingThatRuns(string typed, string kept)
    {
        var form = new FormDocument
        {
            Name = "rich",
            Title = "富文本",
            Pages = [new FormPage { Fields = [new FormField { Key = "situation", Type = FieldTypes.RichText, Label = "家庭情况" }] }],
        };
        var result = Validator.Validate(form, new JsonObject { ["situation"] = typed }, Today, draft: false);
        Assert.Equal(kept, result.Data["situation"]!.GetValue<string>());
    }

    internal static JsonObject Valid() => new()
    {
        ["applicantName"] = "张伟",
        ["applicantId"] = "440524188001010014",
        ["maritalStatus"] = "single",
        ["monthlyIncome"] = 1500,
        ["members"] = new JsonArray(
            new JsonObject { ["name"] = "张伟", ["idNumber"] = "11010519491231002X", ["relation"] = "01", ["income"] = 1200.5 },
            new JsonObject { ["name"] = "李娜", ["idNumber"] = "440524188001010014", ["relation"] = "12", ["income"] = 800 }),
    };

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

        public CultureScope(string name) => CultureInfo.CurrentUICulture = new CultureInfo(name);

        public void Dispose() => CultureInfo.CurrentUICulture = _previous;
    }
}
