using System.Text.Json;
using Verification.Forms.Models;

namespace Verification.Contents.Models;

/// <summary>
/// A content type as data: which parts it is made of, the extra fields staff added, its settings
/// and its Liquid display template. Every change makes a new type version; each content item
/// version records the type version it was made with and is always shown with it.
/// </summary>
public sealed record ContentTypeDefinition
{
    public required string Name { get; init; }

    public required string DisplayName { get; init; }

    public ContentTypeSettings Settings { get; init; } = new();

    /// <summary>Part names (built-in or registered by modules), in display order.</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];

    /// <summary>The type's own fields, from the forms palette.</summary>
    public IReadOnlyList<FormField> Fields { get; init; } = [];

    /// <summary>The tenant's Liquid template for one item; null uses the default.</summary>
    public string? DisplayTemplate { get; init; }

    public static ContentTypeDefinition Parse(string json) =>
        JsonSerializer.Deserialize<ContentTypeDefinition>(json, FormDocument.Json) ?? throw new JsonException("The content type is empty.");

    public string ToJson() => JsonSerializer.Serialize(this, FormDocument.Json);

    /// <summary>
    /// The editor of this type's items, as a form: a section per part with its fields, then the
    /// type's own fields. Content is validated by the same validator as form submissions.
    /// </summary>
    public FormDocument EditorForm(ContentPartCatalog parts)
    {
        var fields = new List<FormField>();
        foreach (var part in Parts.Select(parts.Find).OfType<ContentPartDefinition>())
        {
            if (part.ShowSection)
            {
                fields.Add(new FormField { Key = "section" + part.Name, Type = FieldTypes.Section, Label = part.DisplayName });
            }

            fields.AddRange(part.Fields);
        }

        if (Fields.Count > 0)
        {
            fields.Add(new FormField { Key = "sectionFields", Type = FieldTypes.Section, Label = "其他信息" });
            fields.AddRange(Fields);
        }

        return new FormDocument { Name = "content-" + Name.ToLowerInvariant(), Title = DisplayName, Pages = [new FormPage { Title = DisplayName, Fields = fields }] };
    }
}

/// <param name="Creatable">Staff may create items in the admin (otherwise only recipes do).</param>
/// <param name="Listable">Shown in the content list and its type filter.</param>
/// <param name="Draftable">Saving keeps a draft until published; otherwise every save publishes.</param>
/// <param name="Versionable">Each edit after publishing makes a new version; otherwise the item is edited in place.</param>
/// <param name="Public">Published items are shown on the centre's public site.</param>
public sealed record ContentTypeSettings(bool Creatable = true, bool Listable = true, bool Draftable = true, bool Versionable = true, bool Public = false);
