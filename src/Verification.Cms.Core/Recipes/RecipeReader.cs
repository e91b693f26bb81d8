using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Verification.Cms.Recipes;

/// <summary>Parses recipe JSON and substitutes {{variable}} references in string values.</summary>
public static partial class RecipeReader
{
    /// <summary>
    /// Properties whose text is Liquid evaluated later ("{{ today }}" in a workflow's notification), where recipe
    /// variables are not substituted: the graphs of the workflows step.
    /// </summary>
    private static readonly Dictionary<string, string> LiquidProperties = new(StringComparer.Ordinal) { ["workflows"] = "graph" };

    public static Recipe Parse(string json, RecipeRunOptions? options = null)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw Invalid("recipe", -1, "$", "The recipe must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw Invalid("recipe", -1, "$", $"Not valid JSON: {ex.Message}");
        }

        var errors = new List<RecipeError>();
        var name = root["name"] is JsonValue n && n.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
        if (name is null)
        {
            errors.Add(new RecipeError("recipe", -1, "name", "The recipe needs a name."));
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root["variables"] is JsonObject declared)
        {
            foreach (var (key, value) in declared)
            {
                variables[key] = value?.ToString() ?? string.Empty;
            }
        }

        foreach (var (key, value) in options?.Variables ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        if (root["steps"] is not JsonArray stepArray)
        {
            errors.Add(new RecipeError("recipe", -1, "steps", "The recipe needs a steps array."));
            throw new RecipeValidationException(errors);
        }

        var steps = new List<JsonObject>();
        for (var i = 0; i < stepArray.Count; i++)
        {
            if (stepArray[i] is not JsonObject step)
            {
                errors.Add(new RecipeError("?", i, "$", "Each step must be a JSON object."));
                continue;
            }

            var stepName = Recipe.StepName(step);
            if (string.IsNullOrEmpty(stepName))
            {
                errors.Add(new RecipeError("?", i, "name", "The step has no name."));
                continue;
            }

            var copy = (JsonObject)step.DeepClone();
            Substitute(copy, variables, stepName, i, "", errors);
            steps.Add(copy);
        }

        if (errors.Count > 0)
        {
            throw new RecipeValidationException(errors);
        }

        return new Recipe
        {
            Name = name!,
            DisplayName = root["displayName"]?.ToString() ?? name!,
            Description = root["description"]?.ToString() ?? string.Empty,
            Version = root["version"]?.ToString() ?? "1.0",
            Variables = variables,
            Steps = steps,
        };
    }

    private static void Substitute(JsonNode node, Dictionary<string, string> variables, string step, int index, string path, List<RecipeError> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (LiquidProperties.TryGetValue(step, out var raw) && key == raw)
                    {
                        continue;
                    }

                    var child = obj[key];
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (child is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        obj[key] = Replace(text, variables, step, index, childPath, errors);
                    }
                    else if (child is not null)
                    {
                        Substitute(child, variables, step, index, childPath, errors);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var childPath = $"{path}[{i}]";
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        array[i] = Replace(text, variables, step, index, childPath, errors);
                    }
                    else if (array[i] is { } child)
                    {
                        Substitute(child, variables, step, index, childPath, errors);
                    }
                }

                break;
        }
    }

    private static string Replace(string text, Dictionary<string, string> variables, string step, int index, string path, List<RecipeError> errors) =>
        VariablePattern().Replace(text, m =>
        {
            var key = m.Groups[1].Value;
            if (variables.TryGetValue(key, out var value))
            {
                return value;
            }

            errors.Add(new RecipeError(step, index, path, $"Unknown variable '{key}'."));
            return m.Value;
        });

    private static RecipeValidationException Invalid(string step, int index, string field, string message) =>
        new([new RecipeError(step, index, field, message)]);

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex VariablePattern();
}
