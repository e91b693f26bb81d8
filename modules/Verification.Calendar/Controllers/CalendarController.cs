using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Verification.Calendar.Models;
using Verification.Calendar.Services;
using Verification.Cms.Localization;
using Verification.Cms.Security;

namespace Verification.Calendar.Controllers;

[Route("admin/calendar")]
public sealed class CalendarController(CalendarService calendar, IStringLocalizer T) : Controller
{
    [HttpGet("")]
    [RequirePermission("AccessAdmin")]
    public async Task<IActionResult> Index(int? year, DateOnly? start, int? days, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var today = CmsTime.Today();
        var shown = year is >= 2000 and <= 2100 ? year.Value : today.Year;
        var exceptions = await calendar.DaysOfYearAsync(shown, cancellationToken);
        var rules = new WorkingDayRules(exceptions.ToDictionary(d => d.Date, d => d.Kind));
        var result = new CalculatorResult(start ?? today, days ?? 15, null, from ?? today, to ?? today.AddDays(30), null);
        if (start is not null && days is not null && Math.Abs(days.Value) <= 1000)
        {
            result = result with { Deadline = await calendar.AddWorkingDaysAsync(start.Value, days.Value, cancellationToken) };
        }

        if (from is not null && to is not null && Math.Abs(to.Value.DayNumber - from.Value.DayNumber) <= 3660)
        {
            result = result with { Between = await calendar.WorkingDaysBetweenAsync(from.Value, to.Value, cancellationToken) };
        }

        return View(new CalendarViewModel(shown, today, exceptions, rules, await calendar.YearsAsync(cancellationToken), OfficialHolidays.AvailableYears, result));
    }

    [HttpPost("days")]
    [RequirePermission("ManageCalendar")]
    public async Task<IActionResult> SetDay(DateOnly? date, CalendarDayKind kind, string? name, CancellationToken cancellationToken)
    {
        if (date is null)
        {
            TempData["Error"] = T["Enter a date."].Value;
            return Redirect(Url.Content("~/admin/calendar"));
        }

        await calendar.SetDayAsync(date.Value, kind, (name ?? string.Empty).Trim(), cancellationToken);
        TempData["Message"] = T["Saved."].Value;
        return Redirect(Url.Content($"~/admin/calendar?year={date.Value.Year}"));
    }

    [HttpPost("days/{date}/remove")]
    [RequirePermission("ManageCalendar")]
    public async Task<IActionResult> RemoveDay(string date, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return NotFound();
        }

        await calendar.RemoveDayAsync(day, cancellationToken);
        TempData["Message"] = T["Saved."].Value;
        return Redirect(Url.Content($"~/admin/calendar?year={day.Year}"));
    }

    [HttpPost("official/{year:int}")]
    [RequirePermission("ManageCalendar")]
    public async Task<IActionResult> LoadOfficial(int year, CancellationToken cancellationToken)
    {
        var changed = await calendar.LoadOfficialYearAsync(year, cancellationToken);
        TempData["Message"] = T["Official calendar of {0} loaded: {1} days changed.", year, changed].Value;
        return Redirect(Url.Content($"~/admin/calendar?year={year}"));
    }
}

public sealed record CalculatorResult(DateOnly Start, int Days, DateOnly? Deadline, DateOnly From, DateOnly To, int? Between);

public sealed record CalendarViewModel(
    int Year,
    DateOnly Today,
    IReadOnlyList<CalendarDay> Exceptions,
    WorkingDayRules Rules,
    IReadOnlyList<CalendarYear> Years,
    IReadOnlyCollection<int> OfficialYears,
    CalculatorResult Calculator);
