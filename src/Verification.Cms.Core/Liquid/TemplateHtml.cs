using AngleSharp.Css.Dom;
using Ganss.Xss;

namespace Verification.Cms.Liquid;

/// <summary>
/// The output of a tenant's public template (home page, content pages) loses everything that could run:
/// scripts, event handlers, frames, objects, javascript: and data: links, base and refresh tags — a
/// second wall behind the pages' Content-Security-Policy. Layout survives: styles (elements and
/// attributes, @media and @page), SVG drawings, forms.
/// </summary>
public static class TemplateHtml
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>A whole document (<c>&lt;html&gt;</c> or a doctype) keeps its head and body; otherwise a fragment.</summary>
    public static string Sanitize(string html)
    {
        var start = html.AsSpan().TrimStart();
        return start.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            ? "<!DOCTYPE html>\n" + Sanitizer.SanitizeDocument(html)
            : Sanitizer.Sanitize(html);
    }

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer();
        foreach (var tag in new[]
        {
            "html", "head", "body", "title", "meta", "style", "main", "header", "footer", "section", "article", "nav", "aside", "figure", "figcaption",
            "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "desc",
            "form", "input", "button", "select", "option", "label", "textarea", "fieldset", "legend",
        })
        {
            sanitizer.AllowedTags.Add(tag);
        }

        foreach (var attribute in new[]
        {
            "class", "id", "style", "lang", "charset", "name", "content", "role", "hidden", "title",
            "viewbox", "d", "fill", "stroke", "stroke-width", "width", "height", "xmlns", "transform", "x", "y", "x1", "y1", "x2", "y2",
            "cx", "cy", "r", "rx", "ry", "points", "shape-rendering", "text-anchor", "font-size", "opacity",
            "method", "action", "type", "value", "placeholder", "for", "min", "max", "maxlength", "required", "checked", "selected",
            "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
        })
        {
            sanitizer.AllowedAttributes.Add(attribute);
        }

        sanitizer.AllowDataAttributes = true;
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto", "tel" })
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }

        sanitizer.UriAttributes.Add("action");
        // Keep every CSS property (the allow-list would drop layout), except what loads or runs something.
        sanitizer.RemovingStyle += (_, e) => e.Cancel = !e.Style.Value.Contains("url(", StringComparison.OrdinalIgnoreCase)
            && !e.Style.Value.Contains("expression", StringComparison.OrdinalIgnoreCase);
        // <meta http-equiv> loses the attribute (not allowed), so no refresh or weaker policy survives.
        sanitizer.RemovingAtRule += (_, e) => e.Cancel = e.Rule.Type is CssRuleType.Media or CssRuleType.Page;
        return sanitizer;
    }
}
