using Verification.Forms.Models;

namespace Verification.Forms.Services;

/// <param name="Change">added, removed or changed.</param>
public sealed record FieldDifference(string Key, string Change, string? Before, string? After);

/// <summary>What differs between two versions of a form, field by field (group rows as "group.field").</summary>
public static class FormComparison
{
    public static IReadOnlyList<FieldDifference> Compare(FormDocument before, FormDocument after)
    {
        var a = Describe(before);
        var b = Describe(after);
        var result = new List<FieldDifference>();
        foreach (var (key, description) in a)
        {
            if (!b.TryGetValue(key, out var other))
            {
                result.Add(new(key, "removed", description, null));
            }
            else if (other != description)
            {
                result.Add(new(key, "changed", description, other));
            }
        }

        result.AddRange(b.Where(p => !a.ContainsKey(p.Key)).Select(p => new FieldDifference(p.Key, "added", null, p.Value)));
        return result;
    }

    private static Dictionary<string, string> Describe(FormDocument form)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, FormField f) => result[key] = System.Text.Json.JsonSerializer.Serialize(f with { Fields = null }, FormDocument.Json).ReplaceLineEndings(" ");
        foreach (var field in form.Fields)
        {
            Add(field.Key, field);
            foreach (var child in field.Fields ?? [])
            {
                Add(field.Key + "." + child.Key, child);
            }
        }

        return result;
    }
}
