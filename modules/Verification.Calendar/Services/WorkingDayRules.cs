using Verification.Calendar.Models;

namespace Verification.Calendar.Services;

/// <summary>
/// The working-day arithmetic of R-21 over a set of exceptions: a day works when it is an adjusted
/// working day, or a Monday–Friday that is not a day off. Pure, so it is tested without a database.
/// </summary>
public sealed class WorkingDayRules(IReadOnlyDictionary<DateOnly, CalendarDayKind> exceptions)
{
    /// <summary>Far enough for any deadline of the standards (at most 30 working days) even across long holidays.</summary>
    private const int MaxScanDays = 3660;

    public bool IsWorkingDay(DateOnly date) => exceptions.TryGetValue(date, out var kind)
        ? kind == CalendarDayKind.WorkDay
        : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public DateOnly AddWorkingDays(DateOnly start, int workingDays)
    {
        var step = workingDays >= 0 ? 1 : -1;
        var remaining = Math.Abs(workingDays);
        var date = start;
        for (var scanned = 0; remaining > 0; scanned++)
        {
            if (scanned > MaxScanDays)
            {
                throw new InvalidOperationException("No working days found within ten years; check the calendar.");
            }

            date = date.AddDays(step);
            if (IsWorkingDay(date))
            {
                remaining--;
            }
        }

        return date;
    }

    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return -WorkingDaysBetween(to, from);
        }

        var count = 0;
        for (var date = from.AddDays(1); date <= to; date = date.AddDays(1))
        {
            if (IsWorkingDay(date))
            {
                count++;
            }
        }

        return count;
    }
}
