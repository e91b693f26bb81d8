using System.Collections.Concurrent;
using Fluid;
using Microsoft.Extensions.Logging;
using Verification.Cms.Liquid;
using Verification.PublicSite.Services;

namespace Verification.Cases.Reports;

/// <summary>
/// The report and notice templates: the tenant's own (edited on the public-site template page) or the
/// theme's default (themes/PublicTheme/Views/report.liquid, notice.liquid). A tenant template that does
/// not parse, or fails or breaks a bound while rendering, is logged and the default is rendered instead,
/// so a report or notice can always be issued.
/// </summary>
public sealed class DocumentTemplates(PageTemplateService templates, LiquidRenderer renderer, ILogger<DocumentTemplates> logger)
{
    // Parsed once per scope: a batch renders hundreds of reports with the same template, on several threads.
    private readonly ConcurrentDictionary<string, Parsed> _parsed = new(StringComparer.Ordinal);

    public const string Report = "report";
    public const string Notice = "notice";

    /// <summary>Renders with the tenant's template or, where that fails, the theme's. Safe from several threads once <see cref="PrepareAsync"/> ran.</summary>
    public async Task<string> RenderAsync(string name, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken)
    {
        var parsed = await PrepareAsync(name, cancellationToken);
        if (parsed.Tenant is { } tenantTemplate)
        {
            try
            {
                return await renderer.RenderAsync(tenantTemplate, model, cancellationToken);
            }
            catch (LiquidRenderException ex)
            {
                logger.LogWarning("The tenant's {Template} template failed while rendering; the theme's default was used: {Error}", name, ex.Message);
            }
        }

        return await renderer.RenderAsync(parsed.Default, model, cancellationToken);
    }

    /// <summary>Reads and parses the tenant's template and the theme's default once.</summary>
    public async Task<Parsed> PrepareAsync(string name, CancellationToken cancellationToken)
    {
        if (_parsed.TryGetValue(name, out var parsed))
        {
            return parsed;
        }

        var defaultSource = await templates.DefaultAsync(name, cancellationToken);
        if (!renderer.TryParse(defaultSource, out var defaultTemplate, out var defaultError))
        {
            throw new InvalidOperationException("The theme's " + name + " template does not parse: " + defaultError);
        }

        var (source, _, isCustom) = await templates.GetAsync(name, cancellationToken);
        IFluidTemplate? tenantTemplate = null;
        if (isCustom && !renderer.TryParse(source, out tenantTemplate, out var error))
        {
            logger.LogWarning("The tenant's {Template} template does not parse; the theme's default is used: {Error}", name, error);
        }

        return _parsed.GetOrAdd(name, new Parsed(isCustom ? tenantTemplate : null, defaultTemplate));
    }

    public sealed record Parsed(IFluidTemplate? Tenant, IFluidTemplate Default);
}
