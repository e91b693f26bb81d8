using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Forms;

/// <summary>The standards' forms ship as definitions every demo tenant publishes (declaration, authorization, entrustment with roster, home visit, confidentiality commitment).</summary>
public sealed class ShippedFormsTests
{
    private static IEnumerable<string> Names => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "recipes", "forms"), "*.form.json").Select(f => Path.GetFileName(f));

    public static TheoryData<string> Files => new(Names);

    [Theory]
    [MemberData(nameof(Files))]
    [Trait("Req", "R-3.1")]
    public void EachShippedFormDefinitionHasNoProblems(string file)
    {
        var form = FormDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "recipes", "forms", file)));
        Assert.Empty(FormDefinitionChecker.Check(form));
        Assert.NotEmpty(form.Pages);
    }

    [Fact]
    public void AllFiveStandardFormsShip() =>
        Assert.Equal(
            ["authorization.form.json", "confidentiality.form.json", "declaration.form.json", "entrustment.form.json", "home-visit.form.json"],
            Names.Order());
}
