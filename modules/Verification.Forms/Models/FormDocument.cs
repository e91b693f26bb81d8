using System.Text.Json;
using System.Text.Json.Serialization;

namespace Verification.Forms.Models;

/// <summary>
/// A form definition as data: pages of fields with types, rules and expressions. Stored as
/// JSON; a published version is immutable and every submission records the version it used.
/// </summary>
public sealed record FormDocument
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    public IReadOnlyList<FormPage> Pages { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static FormDocument Parse(string json) =>
        JsonSerializer.Deserialize<FormDocument>(json, Json) ?? throw new JsonException("The form definition is empty.");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>All fields in document order, groups included (their row fields are inside them).</summary>
    public IEnumerable<FormField> Fields => Pages.SelectMany(p => p.Fields);
}

public sealed record FormPage
{
    public string Title { get; init; } = string.Empty;

    public IReadOnlyList<FormField> Fields { get; init; } = [];
}

/// <summary>One field. Expressions use the language of docs/expressions.md.</summary>
public sealed record FormField
{
    public required string Key { get; init; }

    /// <summary>One of <see cref="FieldTypes"/>.</summary>
    public required string Type { get; init; }

    public string Label { get; init; } = string.Empty;

    public string? Help { get; init; }

    public bool Required { get; init; }

    public string? VisibleIf { get; init; }

    public string? RequiredIf { get; init; }

    public string? ReadOnlyIf { get; init; }

    /// <summary>For calculated fields: the value, computed on the server whatever the browser sent.</summary>
    public string? Calculate { get; init; }

    public IReadOnlyList<FormRule>? Validations { get; init; }

    public IReadOnlyList<FormOption>? Options { get; init; }

    /// <summary>A tenant-shared option set instead of inline options (e.g. "gbt4761" family relationships).</summary>
    public string? OptionSet { get; init; }

    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Repeating groups: the fields of each row and the row limits.</summary>
    public IReadOnlyList<FormField>? Fields { get; init; }

    public int? MinRows { get; init; }

    public int? MaxRows { get; init; }

    /// <summary>Files, photos and signatures: the size limit in KB (default 10 MB).</summary>
    public int? MaxSizeKb { get; init; }

    /// <summary>Files: the kinds accepted ("image", "document"); photos and signatures are images.</summary>
    public IReadOnlyList<string>? Accept { get; init; }

    /// <summary>Photos: the smallest resolution accepted, in pixels.</summary>
    public int? MinWidth { get; init; }

    public int? MinHeight { get; init; }

    /// <summary>Lookups: the content type whose published items are the choices.</summary>
    public string? Lookup { get; init; }

    /// <summary>Division pickers: the level that must be reached ("province", "city" or "county", the default).</summary>
    public string? DivisionLevel { get; init; }
}

/// <param name="Rule">An expression that must be true.</param>
/// <param name="Message">The message by culture ("zh-CN", "en").</param>
public sealed record FormRule(string Rule, IReadOnlyDictionary<string, string> Message);

public sealed record FormOption(string Value, string Label);

public static class FieldTypes
{
    public const string Text = "text";
    public const string LongText = "textarea";
    public const string RichText = "richtext";
    public const string Number = "number";
    public const string Money = "money";
    public const string Date = "date";
    public const string DateTime = "datetime";
    public const string YesNo = "boolean";
    public const string Choice = "choice";
    public const string MultiChoice = "multichoice";
    public const string Phone = "phone";
    public const string IdNumber = "idNumber";
    public const string File = "file";
    public const string Photo = "photo";
    public const string Signature = "signature";
    public const string Lookup = "lookup";
    public const string Division = "division";
    public const string Group = "group";
    public const string Calculated = "calculated";
    public const string Note = "note";
    public const string Section = "section";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Text, LongText, RichText, Number, Money, Date, DateTime, YesNo, Choice, MultiChoice, Phone, IdNumber, File, Photo, Signature, Lookup, Division, Group, Calculated, Note, Section,
    };

    /// <summary>Types whose value is an uploaded file (a <c>MediaReference</c>), set only by the server from an upload.</summary>
    public static bool IsUpload(string type) => type is File or Photo or Signature;

    /// <summary>Types that hold no value.</summary>
    public static bool IsStatic(string type) => type is Note or Section;
}
