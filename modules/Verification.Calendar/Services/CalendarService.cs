using Microsoft.EntityFrameworkCore;
using Verification.Calendar.Models;
using Verification.Cms.Audit;
using Verification.Cms.Calendar;
using Verification.Cms.Data;

namespace Verification.Calendar.Services;

/// <summary>The tenant's calendar, kept in memory per tenant and refreshed after every edit.</summary>
public sealed class CalendarCache
{
    private volatile CalendarSnapshot? _snapshot;

    public CalendarSnapshot? Current => _snapshot;

    public void Set(CalendarSnapshot snapshot) => _snapshot = snapshot;

    public void Invalidate() => _snapshot = null;
}

public sealed record CalendarSnapshot(WorkingDayRules Rules, IReadOnlySet<int> Years);

/// <summary>Reads and edits the tenant's working-day calendar and answers deadline questions .</summary>
public sealed class CalendarService(TenantDbContext db, CalendarCache cache, IAuditTrail audit) : IWorkingDayCalendar
{
    public async Task<bool> IsWorkingDayAsync(DateOnly date, CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).Rules.IsWorkingDay(date);

    public async Task<DateOnly> AddWorkingDaysAsync(DateOnly start, int workingDays, CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).Rules.AddWorkingDays(start, workingDays);

    public async Task<int> WorkingDaysBetweenAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).Rules.WorkingDaysBetween(from, to);

    public async Task<bool> HasYearAsync(int year, CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).Years.Contains(year);

    public Task<List<CalendarDay>> DaysOfYearAsync(int year, CancellationToken cancellationToken)
    {
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        return db.Set<CalendarDay>().AsNoTracking().Where(d => d.Date >= from && d.Date <= to).OrderBy(d => d.Date).ToListAsync(cancellationToken);
    }

    public Task<List<CalendarYear>> YearsAsync(CancellationToken cancellationToken) =>
        db.Set<CalendarYear>().AsNoTracking().OrderBy(y => y.Year).ToListAsync(cancellationToken);

    /// <summary>Loads the State Council's calendar of a year shipped with the platform; re-loading changes nothing.</summary>
    public async Task<int> LoadOfficialYearAsync(int year, CancellationToken cancellationToken)
    {
        var official = OfficialHolidays.For(year);
        if (official.Count == 0)
        {
            return 0;
        }

        var existing = (await DaysOfYearAsync(year, cancellationToken)).ToDictionary(d => d.Date);
        var changed = 0;
        foreach (var day in official)
        {
            if (existing.TryGetValue(day.Date, out var row) && row.Kind == day.Kind && row.Name == day.Name)
            {
                continue;
            }

            await UpsertAsync(day.Date, day.Kind, day.Name, "official", cancellationToken);
            changed++;
        }

        await MarkYearAsync(year, "official", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        if (changed > 0)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "calendar.year.loaded", "calendar", year.ToString(System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, string?> { ["days"] = changed.ToString(System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
        }

        return changed;
    }

    /// <summary>Sets one day as a day off or an adjusted working day (staff enter later years by hand).</summary>
    public async Task SetDayAsync(DateOnly date, CalendarDayKind kind, string name, CancellationToken cancellationToken)
    {
        await UpsertAsync(date, kind, name, "manual", cancellationToken);
        await MarkYearAsync(date.Year, "manual", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "calendar.day.set", "calendar", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, string?> { ["kind"] = kind.ToString(), ["name"] = name }), cancellationToken);
    }

    /// <summary>Returns the day to the Monday–Friday rule.</summary>
    public async Task<bool> RemoveDayAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var removed = await db.Set<CalendarDay>().Where(d => d.Date == date).ExecuteDeleteAsync(cancellationToken) > 0;
        cache.Invalidate();
        if (removed)
        {
            await audit.RecordAsync(new AuditEntry(AuditCategories.Settings, "calendar.day.removed", "calendar", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        }

        return removed;
    }

    private async Task UpsertAsync(DateOnly date, CalendarDayKind kind, string name, string source, CancellationToken cancellationToken)
    {
        var row = await db.Set<CalendarDay>().FirstOrDefaultAsync(d => d.Date == date, cancellationToken);
        if (row is null)
        {
            db.Add(new CalendarDay { Date = date, Kind = kind, Name = name, Source = source });
            return;
        }

        row.Kind = kind;
        row.Name = name;
        row.Source = source;
        row.UpdatedUtc = DateTime.UtcNow;
    }

    private async Task MarkYearAsync(int year, string source, CancellationToken cancellationToken)
    {
        var row = await db.Set<CalendarYear>().FirstOrDefaultAsync(y => y.Year == year, cancellationToken);
        if (row is null)
        {
            db.Add(new CalendarYear { Year = year, Source = source });
        }
        else if (source == "official")
        {
            row.Source = source;
            row.UpdatedUtc = DateTime.UtcNow;
        }
    }

    private async Task<CalendarSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (cache.Current is { } current)
        {
            return current;
        }

        var days = await db.Set<CalendarDay>().AsNoTracking().Select(d => new { d.Date, d.Kind }).ToListAsync(cancellationToken);
        var years = await db.Set<CalendarYear>().AsNoTracking().Select(y => y.Year).ToListAsync(cancellationToken);
        var snapshot = new CalendarSnapshot(new WorkingDayRules(days.ToDictionary(d => d.Date, d => d.Kind)), years.ToHashSet());
        cache.Set(snapshot);
        return snapshot;
    }
}
