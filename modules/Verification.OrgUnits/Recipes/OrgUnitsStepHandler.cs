using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Cms.Data;
using Verification.Cms.Divisions;
using Verification.Cms.Recipes;
using Verification.OrgUnits.Models;
using Verification.OrgUnits.Services;

namespace Verification.OrgUnits.Recipes;

/// <summary>Step "org-units": { "units": [ { code, name, level, divisionCode, parent } ] }, parents before children.</summary>
public sealed class OrgUnitsStepHandler(OrgUnitService units, TenantDbContext db) : IRecipeStepHandler, IRecipeExportContributor, IRecipeScopeSeeder
{
    public const string Name = "org-units";

    public string StepName => Name;

    public int Order => 20;

    public void Validate(RecipeStepValidationContext context)
    {
        var array = StepJson.Array(context, context.Step, "units", "units", required: true);
        if (array is null)
        {
            return;
        }

        var divisions = new Dictionary<string, string?>(StringComparer.Ordinal);
        var seenInStep = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"units[{i}]";
            if (array[i] is not JsonObject unit)
            {
                context.Error(path, "must be an object.");
                continue;
            }

            var code = StepJson.RequireString(context, unit, "code", path + ".code");
            StepJson.RequireString(context, unit, "name", path + ".name");
            var level = StepJson.RequireString(context, unit, "level", path + ".level");
            var division = StepJson.OptionalString(context, unit, "divisionCode", path + ".divisionCode");
            var parent = StepJson.OptionalString(context, unit, "parent", path + ".parent");
            if (code is null)
            {
                continue;
            }

            if (code.Length > 20 || code.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            {
                context.Error(path + ".code", "may contain only letters, digits and hyphens (at most 20).");
            }

            if (!seenInStep.Add(code))
            {
                context.Error(path + ".code", $"Duplicate org unit code '{code}'.");
            }

            if (level is not null && DivisionCodes.Check(division, level) is { } problem)
            {
                context.Error(path + (DivisionCodes.Levels.Contains(level) ? ".divisionCode" : ".level"), problem);
            }

            if (parent is not null)
            {
                if (!context.Scope.OrgUnits.Contains(parent))
                {
                    context.Error(path + ".parent", $"Parent '{parent}' is not defined before this unit.");
                }
                else if (division is not null && divisions.TryGetValue(parent, out var parentDivision) && parentDivision is not null && !DivisionCodes.IsWithin(division, parentDivision))
                {
                    context.Error(path + ".divisionCode", $"Division {division} does not lie within its parent's division {parentDivision}.");
                }
            }

            context.Scope.OrgUnits.Add(code);
            divisions[code] = division;
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        var order = 0;
        foreach (var unit in (context.Step["units"] as JsonArray ?? []).OfType<JsonObject>())
        {
            await units.UpsertAsync(
                StepJson.Text(unit, "code")!,
                StepJson.Text(unit, "name")!,
                StepJson.Text(unit, "parent"),
                StepJson.Text(unit, "level"),
                StepJson.Text(unit, "divisionCode"),
                order++,
                cancellationToken);
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var all = await db.Set<OrgUnit>().AsNoTracking().OrderBy(u => u.Path).ThenBy(u => u.SortOrder).ToListAsync(cancellationToken);
        if (all.Count == 0)
        {
            return null;
        }

        // Parents before children: order by depth, then by the recipe order.
        var ordered = all.OrderBy(u => u.Path.Count(c => c == '/')).ThenBy(u => u.SortOrder).ToList();
        var array = new JsonArray();
        foreach (var u in ordered)
        {
            var node = new JsonObject { ["code"] = u.Code, ["name"] = u.Name, ["level"] = u.Level };
            if (u.DivisionCode is not null)
            {
                node["divisionCode"] = u.DivisionCode;
            }

            if (u.ParentCode is not null)
            {
                node["parent"] = u.ParentCode;
            }

            array.Add(node);
        }

        return new JsonObject { ["name"] = Name, ["units"] = array };
    }

    public async Task SeedAsync(RecipeValidationScope scope, CancellationToken cancellationToken)
    {
        foreach (var code in await db.Set<OrgUnit>().Select(u => u.Code).ToListAsync(cancellationToken))
        {
            scope.OrgUnits.Add(code);
        }
    }
}
