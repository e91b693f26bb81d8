using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Verification.Calendar.Models;
using Verification.Calendar.Services;
using Verification.Cms.Data;
using Verification.Cms.Recipes;

namespace Verification.Calendar.Recipes;

/// <summary>
/// Step "calendar": { "official": [2025, 2026], "days": [ { "date": "2027-01-01", "kind": "dayOff" | "workDay", "name": "元旦" } ] }.
/// "official" loads the State Council's calendar shipped with the platform; "days" adds or overrides single days.
/// </summary>
public sealed class CalendarStepHandler(CalendarService calendar, TenantDbContext db) : IRecipeStepHandler, IRecipeExportContributor
{
    public const string Name = "calendar";

    public string StepName => Name;

    public int Order => 25;

    public void Validate(RecipeStepValidationContext context)
    {
        if (context.Step["official"] is { } official)
        {
            if (official is not JsonArray years)
            {
                context.Error("official", "must be an array of years.");
            }
            else
            {
                for (var i = 0; i < years.Count; i++)
                {
                    if (years[i] is not JsonValue v || !v.TryGetValue<int>(out var year))
                    {
                        context.Error($"official[{i}]", "must be a year such as 2026.");
                    }
                    else if (!OfficialHolidays.AvailableYears.Contains(year))
                    {
                        context.Error($"official[{i}]", $"No official calendar for {year} ships with the platform (available: {string.Join(", ", OfficialHolidays.AvailableYears)}); enter its days under \"days\".");
                    }
                }
            }
        }

        var days = StepJson.Array(context, context.Step, "days", "days", required: false);
        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < (days?.Count ?? 0); i++)
        {
            var path = $"days[{i}]";
            var date = StepJson.RequireString(context, days![i], "date", path + ".date");
            var kind = StepJson.RequireString(context, days[i], "kind", path + ".kind");
            StepJson.OptionalString(context, days[i], "name", path + ".name");
            if (date is not null)
            {
                if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    context.Error(path + ".date", "must be a date written yyyy-MM-dd.");
                }
                else if (!seen.Add(parsed))
                {
                    context.Error(path + ".date", $"Duplicate day {date}.");
                }
            }

            if (kind is not null && ParseKind(kind) is null)
            {
                context.Error(path + ".kind", "must be dayOff or workDay.");
            }
        }
    }

    public async Task ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        foreach (var year in (context.Step["official"] as JsonArray ?? []).Select(n => n!.GetValue<int>()))
        {
            await calendar.LoadOfficialYearAsync(year, cancellationToken);
        }

        var existing = await db.Set<CalendarDay>().AsNoTracking().ToDictionaryAsync(d => d.Date, cancellationToken);
        foreach (var day in (context.Step["days"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var date = DateOnly.ParseExact(StepJson.Text(day, "date")!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var kind = ParseKind(StepJson.Text(day, "kind")!)!.Value;
            var name = StepJson.Text(day, "name") ?? string.Empty;
            if (!existing.TryGetValue(date, out var row) || row.Kind != kind || row.Name != name)
            {
                await calendar.SetDayAsync(date, kind, name, cancellationToken);
            }
        }
    }

    public async Task<JsonObject?> ExportAsync(CancellationToken cancellationToken)
    {
        var years = await calendar.YearsAsync(cancellationToken);
        var manual = await db.Set<CalendarDay>().AsNoTracking().Where(d => d.Source == "manual").OrderBy(d => d.Date).ToListAsync(cancellationToken);
        return new JsonObject
        {
            ["name"] = Name,
            ["official"] = new JsonArray(years.Where(y => y.Source == "official").Select(y => (JsonNode)y.Year).ToArray()),
            ["days"] = new JsonArray(manual.Select(d => (JsonNode)new JsonObject
            {
                ["date"] = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["kind"] = d.Kind == CalendarDayKind.DayOff ? "dayOff" : "workDay",
                ["name"] = d.Name,
            }).ToArray()),
        };
    }

    private static CalendarDayKind? ParseKind(string kind) => kind switch
    {
        "dayOff" => CalendarDayKind.DayOff,
        "workDay" => CalendarDayKind.WorkDay,
        _ => null,
    };
}
