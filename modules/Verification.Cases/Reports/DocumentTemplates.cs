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
    // Parsed once per scope: a batch renders hundreds of reports with the same template.
    private readonly Dictionary<string, Fluid.IFluidTemplate> _parsed = new(StringComparer.Ordinal);

    public const string Report = "report";
    public const string Notice = "notice";

    public async Task<string> RenderAsync(string name, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken) =>
        await renderer.RenderAsync(await TemplateAsync(name, cancellationToken), model);

    /// <summary>The parsed template; rendering it is safe from several threads at once.</summary>
    public async Task<Fluid.IFluidTemplate> TemplateAsync(string name, CancellationToken cancellationToken)
    {
        if (_parsed.TryGetValue(name, out var parsed))
        {
            return parsed;
        }

        var (source, _, _) = await templates.GetAsync(name, cancellationToken);
        if (!renderer.TryParse(source, out var template, out _) && !renderer.TryParse(await templates.DefaultAsync(name, cancellationToken), out template, out var error))
        {
            throw new InvalidOperationException("The theme's " + name + " template does not parse: " + error);
        }

        _parsed[name] = template!;
        return template!;
    }
}
