using Verification.Cms.Liquid;
using Verification.PublicSite.Services;

namespace Verification.Cases.Reports;

/// <summary>
/// The report and notice templates: the tenant's own (edited on the public-site template page) or the
/// theme's default (themes/PublicTheme/Views/report.liquid, notice.liquid). A tenant template that no
/// longer parses falls back to the default, so a report can always be issued.
/// </summary>
public sealed class DocumentTemplates(PageTemplateService templates, LiquidRenderer renderer)
{
    public const string Report = "report";
    public const string Notice = "notice";

    public async Task<string> RenderAsync(string name, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken)
    {
        var (source, _, _) = await templates.GetAsync(name, cancellationToken);
        if (!renderer.TryParse(source, out var template, out _) && !renderer.TryParse(await templates.DefaultAsync(name, cancellationToken), out template, out var error))
        {
            throw new InvalidOperationException("The theme's " + name + " template does not parse: " + error);
        }

        return await renderer.RenderAsync(template!, model);
    }
}
