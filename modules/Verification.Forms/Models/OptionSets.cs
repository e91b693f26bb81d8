using System.Text.Json;

namespace Verification.Forms.Models;

/// <summary>Option sets shared by all forms; "gbt4761" is GB/T 4761 family relationships (shipped reference data).</summary>
public static class OptionSets
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<FormOption>>> Sets = new(Load);

    public static IReadOnlyCollection<string> Names => Sets.Value.Keys.ToList();

    public static IReadOnlyList<FormOption>? Find(string name) => Sets.Value.TryGetValue(name, out var set) ? set : null;

    /// <summary>The field's options: inline, or from its option set.</summary>
    public static IReadOnlyList<FormOption> For(FormField field) => field.Options ?? (field.OptionSet is { } set ? Find(set) ?? [] : []);

    private static IReadOnlyDictionary<string, IReadOnlyList<FormOption>> Load()
    {
        using var stream = typeof(OptionSets).Assembly.GetManifestResourceStream("Verification.Forms.Data.relationships-gbt4761.json")!;
        using var document = JsonDocument.Parse(stream);
        var relationships = document.RootElement.GetProperty("codes").EnumerateObject().Select(p => new FormOption(p.Name, p.Value.GetString()!)).ToList();
        return new Dictionary<string, IReadOnlyList<FormOption>>(StringComparer.Ordinal) { ["gbt4761"] = relationships };
    }
}
