using System.Text.Json;

namespace Verification.Forms.Models;

/// <summary>
/// Option sets shared by all forms (shipped reference data): "gbt4761" is GB/T 4761 family
/// relationships; "divisions" is GB/T 2260 divisions, which the division picker offers as a cascade.
/// </summary>
public static class OptionSets
{
    public const string Relationships = "gbt4761";
    public const string Divisions = "divisions";

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<FormOption>>> Sets = new(Load);

    public static IReadOnlyCollection<string> Names => Sets.Value.Keys.ToList();

    public static IReadOnlyList<FormOption>? Find(string name) => Sets.Value.TryGetValue(name, out var set) ? set : null;

    /// <summary>The field's options: inline (lookups get theirs resolved from content), or from its option set.</summary>
    public static IReadOnlyList<FormOption> For(FormField field) => field.Options ?? (field.OptionSet is { } set ? Find(set) ?? [] : []);

    /// <summary>The divisions directly under <paramref name="parent"/> (null: the provinces).</summary>
    public static IReadOnlyList<FormOption> DivisionsUnder(string? parent) =>
        Find(Divisions)!.Where(o => Parent(o.Value) == parent).ToList();

    /// <summary>A division's parent code: a county's city, a city's province, a province's none.</summary>
    public static string? Parent(string code) =>
        code.EndsWith("0000", StringComparison.Ordinal) ? null
        : code.EndsWith("00", StringComparison.Ordinal) ? code[..2] + "0000"
        : code[..4] + "00";

    public static string Level(string code) =>
        code.EndsWith("0000", StringComparison.Ordinal) ? "province" : code.EndsWith("00", StringComparison.Ordinal) ? "city" : "county";

    /// <summary>The full name of a division, from the province down ("湖北省 武汉市 江岸区").</summary>
    public static string DivisionName(string code)
    {
        var names = new List<string>();
        for (string? c = code; c is not null; c = Parent(c))
        {
            names.Insert(0, Find(Divisions)!.FirstOrDefault(o => o.Value == c)?.Label ?? c);
        }

        return string.Join(" ", names);
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<FormOption>> Load() => new Dictionary<string, IReadOnlyList<FormOption>>(StringComparer.Ordinal)
    {
        [Relationships] = Codes("relationships-gbt4761.json"),
        [Divisions] = Codes("divisions-cn.json"),
    };

    private static List<FormOption> Codes(string file)
    {
        using var stream = typeof(OptionSets).Assembly.GetManifestResourceStream("Verification.Forms.Data." + file)!;
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("codes").EnumerateObject().Select(p => new FormOption(p.Name, p.Value.GetString()!)).ToList();
    }
}
