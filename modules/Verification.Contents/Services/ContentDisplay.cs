using System.Globalization;
using System.Text.Json.Nodes;
using Verification.Cms.Liquid;
using Verification.Cms.Localization;
using Verification.Contents.Models;
using Verification.Forms.Models;
using Verification.Forms.Services;

namespace Verification.Contents.Services;

/// <summary>
/// Shows an item with its type's Liquid display template (the tenant's, or the default below).
/// Every value is HTML-encoded on output except rich text, which was sanitized when saved and is
/// output with <c>| raw</c> by the template.
/// </summary>
public sealed class ContentDisplay(LiquidRenderer liquid)
{
    public const string DefaultTemplate = """
        <article class="content-item">
          <h1>{{ item.title }}</h1>
          <p class="meta">{% if item.fields.documentNumber %}{{ item.fields.documentNumber }} · {% endif %}{% if item.fields.issuer %}{{ item.fields.issuer }} · {% endif %}{% if item.fields.issuedOn %}{{ item.fields.issuedOn }}{% else %}{{ item.published_on }}{% endif %}</p>
          {% for field in item.list %}{% if field.html == false and field.key != "title" and field.key != "documentNumber" and field.key != "issuer" and field.key != "issuedOn" %}<p><strong>{{ field.label }}：</strong>{{ field.text }}</p>{% endif %}{% endfor %}
          <div class="body">{{ item.body | raw }}</div>
          {% if item.attachments.size > 0 %}<h2>附件</h2><ul>{% for a in item.attachments %}<li><a href="{{ a.url }}">{{ a.name }}</a>{% if a.description %}（{{ a.description }}）{% endif %}</li>{% endfor %}</ul>{% endif %}
        </article>
        """;

    /// <param name="attachmentUrl">The URL of the n-th attachment of this item version.</param>
    public async Task<string> RenderAsync(ContentTypeDefinition type, FormDocument editor, ContentItemRecord item, JsonObject data, Func<int, string> attachmentUrl, IReadOnlyDictionary<string, object?> site, CancellationToken cancellationToken)
    {
        // A broken tenant template (it was checked when saved) falls back to the default rather than failing the page.
        var model = new Dictionary<string, object?>(site) { ["item"] = Model(type, editor, item, data, attachmentUrl) };
        var html = await liquid.RenderWithFallbackAsync("content:" + type.Name, type.DisplayTemplate ?? DefaultTemplate, _ => Task.FromResult(DefaultTemplate), model, cancellationToken);
        return TemplateHtml.Sanitize(html);
    }

    public static Dictionary<string, object?> Model(ContentTypeDefinition type, FormDocument editor, ContentItemRecord item, JsonObject data, Func<int, string> attachmentUrl)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        var list = new List<Dictionary<string, object?>>();
        foreach (var field in editor.Fields.Where(f => !FieldTypes.IsStatic(f.Type) && f.Type != FieldTypes.Group && !FieldTypes.IsUpload(f.Type)))
        {
            var text = Text(field, data[field.Key]);
            fields[field.Key] = text;
            if (text is not null && field.Key != "body")
            {
                list.Add(new() { ["key"] = field.Key, ["label"] = field.Label, ["text"] = text, ["html"] = field.Type == FieldTypes.RichText });
            }
        }

        var attachments = (data["attachments"] as JsonArray ?? []).OfType<JsonObject>().Select((row, i) => new Dictionary<string, object?>
        {
            ["name"] = row["file"]?["name"]?.GetValue<string>(),
            ["description"] = row["description"]?.GetValue<string>(),
            ["url"] = attachmentUrl(i),
        }).Where(a => a["name"] is not null).ToList();

        return new Dictionary<string, object?>
        {
            ["id"] = item.Id,
            ["type"] = type.Name,
            ["type_name"] = type.DisplayName,
            ["title"] = item.DisplayText,
            ["body"] = data["body"]?.GetValue<string>() ?? string.Empty,
            ["published_on"] = item.PublishedUtc is { } p ? CmsTime.ToChina(p).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            ["fields"] = fields,
            ["list"] = list,
            ["attachments"] = attachments,
        };
    }

    /// <summary>A value as people read it: option labels, 元 amounts with 2 decimals, yes/no in words.</summary>
    private static string? Text(FormField field, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        return field.Type switch
        {
            FieldTypes.Choice or FieldTypes.Lookup => OptionSets.For(field).FirstOrDefault(o => o.Value == value.ToString())?.Label ?? value.ToString(),
            FieldTypes.MultiChoice => string.Join("、", (value as JsonArray ?? []).Select(v => OptionSets.For(field).FirstOrDefault(o => o.Value == v?.ToString())?.Label ?? v?.ToString())),
            FieldTypes.Division => OptionSets.DivisionName(value.ToString()),
            FieldTypes.YesNo => value.GetValue<bool>() ? "是" : "否",
            FieldTypes.Money => decimal.Parse(value.ToJsonString(), CultureInfo.InvariantCulture).ToString("N2", CultureInfo.InvariantCulture) + " 元",
            _ => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString(),
        };
    }
}
