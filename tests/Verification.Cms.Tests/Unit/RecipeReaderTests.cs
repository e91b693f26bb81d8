using Verification.Cms.Recipes;

namespace Verification.Cms.Tests.Unit;

public sealed class RecipeReaderTests
{
    [Fact]
    [Trait("Req", "R-1.1")]
    public void VariablesAreSubstitutedAndCanBeOverridden()
    {
        const string json = """
            { "name": "x", "variables": { "code": "440100", "label": "中心" },
              "steps": [ { "name": "settings", "displayName": "广州{{ label }}", "divisionCode": "{{code}}" } ] }
            """;
        var recipe = RecipeReader.Parse(json, new RecipeRunOptions { Variables = new Dictionary<string, string> { ["code"] = "440106" } });
        Assert.Equal("广州中心", StepJson.Text(recipe.Steps[0], "displayName"));
        Assert.Equal("440106", StepJson.Text(recipe.Steps[0], "divisionCode"));
    }

    [Fact]
    public void AnUnknownVariableIsReportedWithItsStepAndField()
    {
        const string json = """{ "name": "x", "steps": [ { "name": "feature", "enable": [] }, { "name": "settings", "displayName": "{{nope}}" } ] }""";
        var error = Assert.Single(Assert.Throws<RecipeValidationException>(() => RecipeReader.Parse(json)).Errors);
        Assert.Equal(("settings", 1, "displayName"), (error.Step, error.StepIndex, error.Field));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "$")]
    [InlineData("[1,2]", "$")]
    [InlineData("""{ "name": "x" }""", "steps")]
    [InlineData("""{ "steps": [] }""", "name")]
    public void MalformedRecipesAreRefusedNamingTheField(string json, string field)
    {
        var errors = Assert.Throws<RecipeValidationException>(() => RecipeReader.Parse(json)).Errors;
        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void AStepWithoutANameIsRefused()
    {
        var error = Assert.Single(Assert.Throws<RecipeValidationException>(() => RecipeReader.Parse("""{ "name": "x", "steps": [ { "enable": [] } ] }""")).Errors);
        Assert.Equal((0, "name"), (error.StepIndex, error.Field));
    }

    [Fact]
    public void TheFeaturesAllFeatureStepsEnableAreCollected()
    {
        var recipe = RecipeReader.Parse("""
            { "name": "x", "steps": [ { "name": "feature", "enable": ["A", "B"] }, { "name": "roles", "roles": [] }, { "name": "feature", "enable": ["B", "C"] } ] }
            """);
        Assert.Equal(["A", "B", "C"], recipe.EnabledFeatures());
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public void EveryShippedRecipeParses()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "recipes");
        var names = Directory.GetFiles(folder, "*.recipe.json").Select(f => RecipeReader.Parse(File.ReadAllText(f)).Name).Order().ToList();
        Assert.Equal(["changzhou", "default", "guangzhou", "hubei", "wuhan-jiangan"], names);
    }
}
