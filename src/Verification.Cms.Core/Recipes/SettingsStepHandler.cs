using System.Text.Json.Nodes;
using Verification.Cms.Divisions;
using Verification.Cms.Localization;
using Verification.Cms.Settings;

namespace Verification.Cms.Recipes;

/// <summary>Step "settings": the tenant's display name, division code and level, time zone, locale .</summary>
public sealed class SettingsStepHandler(SiteSettingsService settings) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "settings";

    public string StepName => Name;

    public int Order => 10;

    public void Validate(RecipeStepValidationContext context)
    {
        StepJson.RequireString(context, context.Step, "displayName", "displayName");
        var level = StepJson.OptionalString(context, context.Step, "level", "level") ?? "city";
        var division = StepJson.OptionalString(context, context.Step, "divisionCode", "divisionCode");
        if (level == "host")
        {
            if (!context.Scope.IsHost)
            {
                context.Error("level", "Only the host tenant has level 'host'.");
            }
        }
        else if (DivisionCodes.Check(division, level) is { } problem)
        {
            context.Error(DivisionCodes.Levels.Contains(level) ? "divisionCode" : "level", problem);
        }

        var timeZone = StepJson.OptionalString(context, context.Step, "timeZone", "timeZone");
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            context.Error("timeZone", $"Unknown time zone '{timeZone}'.");
        }

        var locale = StepJson.OptionalString(context, context.Step, "defaultLocale", "defaultLocale");
        if (locale is not null && LocalizationCatalog.SupportedCultures.All(c => c.Name != locale))
        {
            context.Error("defaultLocale", "Supported locales are zh-CN and en.");
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var step = context.Step;
        var current = await settings.GetAsync(cancellationToken);
        current.DisplayName = StepJson.Text(step, "displayName") ?? current.DisplayName;
        current.DivisionCode = StepJson.Text(step, "divisionCode") ?? current.DivisionCode;
        current.Level = StepJson.Text(step, "level") ?? current.Level;
        current.TimeZone = StepJson.Text(step, "timeZone") ?? current.TimeZone;
        current.DefaultLocale = StepJson.Text(step, "defaultLocale") ?? current.DefaultLocale;
        await settings.SaveAsync(current, expectedStamp: null, cancellationToken);
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var s = await settings.GetAsync(cancellationToken);
        var step = new JsonObject
        {
            ["name"] = Name,
            ["displayName"] = s.DisplayName,
            ["level"] = s.Level,
            ["timeZone"] = s.TimeZone,
            ["defaultLocale"] = s.DefaultLocale,
        };
        if (s.DivisionCode is not null)
        {
            step["divisionCode"] = s.DivisionCode;
        }

        return step;
    }
}
