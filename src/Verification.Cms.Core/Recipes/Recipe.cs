using System.Text.Json.Nodes;

namespace Verification.Cms.Recipes;

/// <summary>A parsed recipe: named steps, each handled by the feature that owns the step.</summary>
public sealed class Recipe
{
    public required string Name { get; init; }

    public string DisplayName { get; init; } = string.Empty;

    public string Description { get; init; } = string.Empty;

    public string Version { get; init; } = "1.0";

    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public required IReadOnlyList<JsonObject> Steps { get; init; }

    public static string StepName(JsonObject step) => step["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    /// <summary>Every feature the recipe's feature steps enable.</summary>
    public IReadOnlyList<string> EnabledFeatures() => Steps
        .Where(s => StepName(s) == FeatureStepHandler.Name)
        .SelectMany(s => s["enable"] as JsonArray ?? [])
        .Select(n => n is JsonValue v && v.TryGetValue<string>(out var id) ? id : null)
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .ToList();
}

public sealed class RecipeRunOptions
{
    /// <summary>Steps to leave out (tests set up the host without its demo tenants).</summary>
    public ISet<string> SkipSteps { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Values for the recipe's variables, overriding its defaults.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public string? Actor { get; init; }
}

/// <summary>A recipe that cannot run; lists every error, each naming its step and field.</summary>
public sealed class RecipeValidationException(IReadOnlyList<RecipeError> errors)
    : Exception("Recipe is invalid: " + string.Join("; ", errors))
{
    public IReadOnlyList<RecipeError> Errors { get; } = errors;
}
