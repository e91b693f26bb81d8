using Verification.Cms.Hosting;
using Verification.Cms.Localization;
using Verification.Cms.Settings;
using Verification.Cms.Tenants;

namespace Verification.Cms.Liquid;

/// <summary>Adds values to the model of the public pages (e.g. the latest notices on the home page).</summary>
public interface IPublicPageModelContributor
{
    Task ContributeAsync(IDictionary<string, object?> model, CancellationToken cancellationToken);
}

/// <summary>
/// What every public Liquid page sees: <c>site</c> (name, division code, level), <c>tenant</c>
/// (name, base path), <c>today</c>, <c>year</c>, and what enabled features contribute.
/// </summary>
public sealed class PublicPageModel(SiteSettingsService siteSettings, ITenantContext tenant, CmsPaths paths, IEnumerable<IPublicPageModelContributor> contributors)
{
    public async Task<Dictionary<string, object?>> BuildAsync(CancellationToken cancellationToken)
    {
        var site = await siteSettings.GetAsync(cancellationToken);
        var now = CmsTime.ToChina(DateTime.UtcNow);
        var model = new Dictionary<string, object?>
        {
            ["site"] = new Dictionary<string, object?>
            {
                ["name"] = site.DisplayName,
                ["division_code"] = site.DivisionCode,
                ["level"] = site.Level,
            },
            ["tenant"] = new Dictionary<string, object?> { ["name"] = tenant.Settings.Name, ["base"] = tenant.PathBase },
            ["today"] = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["year"] = now.Year,
        };
        foreach (var contributor in contributors)
        {
            await contributor.ContributeAsync(model, cancellationToken);
        }

        return model;
    }

    /// <summary>The PublicTheme's template of that name (themes/PublicTheme/Views/{name}.liquid).</summary>
    public async Task<string> ThemeTemplateAsync(string name, CancellationToken cancellationToken)
    {
        var file = Path.Combine(paths.PublicTheme, "Views", name + ".liquid");
        return File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : "<h1>{{ site.name }}</h1>{{ content | raw }}";
    }
}
