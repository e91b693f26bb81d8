using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verification.Cms.Audit;
using Verification.Cms.Settings;
using Verification.Cms.Tenants;

namespace Verification.Cms.Recipes;

/// <summary>Writes the tenant's configuration as a recipe that sets up an equivalent tenant.</summary>
public sealed class RecipeExporter(IEnumerable<IRecipeExportContributor> contributors, ITenantContext tenant, SiteSettingsService settings, IAuditTrail audit)
{
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<JsonObject> ExportAsync(CancellationToken cancellationToken)
    {
        var site = await settings.GetAsync(cancellationToken);
        var steps = new JsonArray();
        foreach (var contributor in contributors.OrderBy(c => c.Order))
        {
            if (await contributor.ExportAsync(cancellationToken) is { } step)
            {
                steps.Add(step);
            }
        }

        await audit.RecordAsync(new AuditEntry(AuditCategories.Recipes, "recipe.exported", "tenant", tenant.Settings.Name), cancellationToken);
        return new JsonObject
        {
            ["name"] = tenant.Settings.Name + "-export",
            ["displayName"] = site.DisplayName,
            ["description"] = $"Exported from tenant {tenant.Settings.Name} at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC",
            ["version"] = "1.0",
            ["steps"] = steps,
        };
    }
}
