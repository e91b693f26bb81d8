using System.Globalization;
using System.Text.Json;
using Verification.Calendar.Models;

namespace Verification.Calendar.Services;

public sealed record OfficialDay(DateOnly Date, CalendarDayKind Kind, string Name);

/// <summary>
/// The State Council's holiday notices shipped with the module (Data/holidays-cn.json, a copy of the
/// project's reference file): days off and adjusted working days per year.
/// </summary>
public static class OfficialHolidays
{
    private static readonly Lazy<IReadOnlyDictionary<int, IReadOnlyList<OfficialDay>>> Years = new(Load);

    public static IReadOnlyCollection<int> AvailableYears => Years.Value.Keys.Order().ToList();

    public static IReadOnlyList<OfficialDay> For(int year) => Years.Value.TryGetValue(year, out var days) ? days : [];

    private static IReadOnlyDictionary<int, IReadOnlyList<OfficialDay>> Load()
    {
        using var stream = typeof(OfficialHolidays).Assembly.GetManifestResourceStream("Verification.Calendar.Data.holidays-cn.json")
            ?? throw new InvalidOperationException("The official holiday calendar is missing from the module.");
        using var document = JsonDocument.Parse(stream);
        var result = new Dictionary<int, IReadOnlyList<OfficialDay>>();
        foreach (var year in document.RootElement.GetProperty("years").EnumerateObject())
        {
            var days = new List<OfficialDay>();
            foreach (var holiday in year.Value.GetProperty("holidays").EnumerateArray())
            {
                var name = holiday.GetProperty("name").GetString() ?? string.Empty;
                days.AddRange(holiday.GetProperty("off").EnumerateArray().Select(d => new OfficialDay(Parse(d), CalendarDayKind.DayOff, name)));
                days.AddRange(holiday.GetProperty("work").EnumerateArray().Select(d => new OfficialDay(Parse(d), CalendarDayKind.WorkDay, name)));
            }

            result[int.Parse(year.Name, CultureInfo.InvariantCulture)] = days.OrderBy(d => d.Date).ToList();
        }

        return result;
    }

    private static DateOnly Parse(JsonElement e) => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
