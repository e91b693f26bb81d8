using System.Text.Json.Nodes;

namespace Verification.Cms.Recipes;

/// <summary>Typed reads of recipe step fields that report the field at fault.</summary>
public static class StepJson
{
    public static string? Text(JsonNode? node, string field) =>
        node?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Reads a required non-empty string; records an error naming <paramref name="path"/> when it is missing or not a string.</summary>
    public static string? RequireString(RecipeStepValidationContext context, JsonNode? node, string field, string path)
    {
        var value = node?[field];
        if (value is null)
        {
            context.Error(path, "is required.");
            return null;
        }

        if (value is not JsonValue v || !v.TryGetValue<string>(out var s))
        {
            context.Error(path, "must be a string.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(s))
        {
            context.Error(path, "must not be empty.");
            return null;
        }

        return s;
    }

    /// <summary>Reads an optional string; records an error when present but not a string.</summary>
    public static string? OptionalString(RecipeStepValidationContext context, JsonNode? node, string field, string path)
    {
        var value = node?[field];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        context.Error(path, "must be a string.");
        return null;
    }

    /// <summary>Reads an array (required or not); records an error when present but not an array.</summary>
    public static JsonArray? Array(RecipeStepValidationContext context, JsonNode? node, string field, string path, bool required)
    {
        var value = node?[field];
        if (value is null)
        {
            if (required)
            {
                context.Error(path, "is required.");
            }

            return null;
        }

        if (value is JsonArray array)
        {
            return array;
        }

        context.Error(path, "must be an array.");
        return null;
    }

    /// <summary>Strings of an array field; non-strings are reported.</summary>
    public static List<string> Strings(RecipeStepValidationContext context, JsonNode? node, string field, string path, bool required = false)
    {
        var result = new List<string>();
        var array = Array(context, node, field, path, required);
        if (array is null)
        {
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
            {
                result.Add(s);
            }
            else
            {
                context.Error($"{path}[{i}]", "must be a string.");
            }
        }

        return result;
    }

    public static IEnumerable<string> StringsUnchecked(JsonNode? node, string field) =>
        (node?[field] as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>();
}
