using Ganss.Xss;

namespace Verification.Forms.Services;

/// <summary>
/// Rich text typed into forms keeps formatting (paragraphs, emphasis, lists, tables, links) and
/// loses everything that could run: scripts, event handlers, javascript: links, styles, frames.
/// Sanitized when saved, so what is stored is already safe to show.
/// </summary>
public static class RichText
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Clear();
        foreach (var tag in new[] { "p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a", "h3", "h4", "blockquote" })
        {
            sanitizer.AllowedTags.Add(tag);
        }

        sanitizer.AllowedAttributes.Clear();
        sanitizer.AllowedAttributes.Add("href");
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedCssProperties.Clear();
        return sanitizer;
    }
}
