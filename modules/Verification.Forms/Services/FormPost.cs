using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using Verification.Forms.Models;

namespace Verification.Forms.Services;

/// <summary>
/// Turns the posted HTML fields of one page ("name", "members[0].income", repeated values for
/// multiple choices) into JSON and merges them over the submission's other pages. Only keys of the
/// page's own fields are read; anything else in the post is ignored.
/// </summary>
public static partial class FormPost
{
    public static JsonObject Merge(JsonObject existing, FormPage page, IEnumerable<KeyValuePair<string, StringValues>> posted)
    {
        var values = posted.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var data = (JsonObject)existing.DeepClone();
        foreach (var field in page.Fields.Where(f => !FieldTypes.IsStatic(f.Type) && f.Type != FieldTypes.Calculated))
        {
            if (field.Type == FieldTypes.Group)
            {
                var count = values.TryGetValue(field.Key + ".rows", out var rows) && int.TryParse(rows, out var n) ? Math.Clamp(n, 0, 1000) : 0;
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    var row = new JsonObject();
                    var before = (existing[field.Key] as JsonArray)?.ElementAtOrDefault(i) as JsonObject;
                    foreach (var child in field.Fields!.Where(f => !FieldTypes.IsStatic(f.Type) && f.Type != FieldTypes.Calculated))
                    {
                        row[child.Key] = FieldTypes.IsUpload(child.Type) ? before?[child.Key]?.DeepClone() : Read(child, values, $"{field.Key}[{i}].{child.Key}");
                    }

                    array.Add(row);
                }

                data[field.Key] = array;
            }
            else if (!FieldTypes.IsUpload(field.Type))
            {
                // Files are never taken from posted text: the controller stores uploads and sets their references.
                data[field.Key] = Read(field, values, field.Key);
            }
        }

        return data;
    }

    /// <summary>Applies "add-row:members" and "remove-row:members:2" buttons to the data.</summary>
    public static void ApplyRowAction(JsonObject data, FormPage page, string? action)
    {
        var match = RowAction().Match(action ?? string.Empty);
        if (!match.Success || page.Fields.FirstOrDefault(f => f.Key == match.Groups["key"].Value && f.Type == FieldTypes.Group) is not { } group)
        {
            return;
        }

        var rows = data[group.Key] as JsonArray ?? [];
        data[group.Key] = rows;
        if (match.Groups["verb"].Value == "add")
        {
            if (rows.Count < (group.MaxRows ?? 1000))
            {
                rows.Add(new JsonObject());
            }
        }
        else if (int.TryParse(match.Groups["index"].Value, out var index) && index >= 0 && index < rows.Count)
        {
            rows.RemoveAt(index);
        }
    }

    private static JsonNode? Read(FormField field, Dictionary<string, StringValues> values, string name)
    {
        if (field.Type == FieldTypes.YesNo)
        {
            return values.TryGetValue(name, out var v) && v.Contains("true");
        }

        if (!values.TryGetValue(name, out var raw))
        {
            return null;
        }

        if (field.Type == FieldTypes.Division)
        {
            // The picker posts one value per level (province, city, county); keep the deepest that
            // continues the chain, so a city left over from a previously chosen province is ignored.
            string? chosen = null;
            foreach (var code in raw.Where(c => !string.IsNullOrEmpty(c)))
            {
                if (OptionSets.Parent(code!) == chosen)
                {
                    chosen = code;
                }
            }

            return chosen;
        }

        return field.Type == FieldTypes.MultiChoice
            ? new JsonArray(raw.Where(s => !string.IsNullOrEmpty(s)).Select(s => (JsonNode)s!).ToArray())
            : raw.ToString();
    }

    [GeneratedRegex("^(?<verb>add|remove)-row:(?<key>[A-Za-z][A-Za-z0-9_]*)(:(?<index>[0-9]+))?$")]
    private static partial Regex RowAction();
}
