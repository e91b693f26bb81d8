namespace Verification.Cms.Calendar;

/// <summary>
/// The tenant's working days: Monday to Friday, less official days off, plus adjusted
/// working weekend days (调休上班). Deadlines in the standards count working days.
/// </summary>
public interface IWorkingDayCalendar
{
    Task<bool> IsWorkingDayAsync(DateOnly date, CancellationToken cancellationToken = default);

    /// <summary>The date that is <paramref name="workingDays"/> working days after <paramref name="start"/> (the start day is not counted; negative counts go back).</summary>
    Task<DateOnly> AddWorkingDaysAsync(DateOnly start, int workingDays, CancellationToken cancellationToken = default);

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/> (negative when <paramref name="to"/> is earlier).</summary>
    Task<int> WorkingDaysBetweenAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Whether the official calendar of <paramref name="year"/> has been entered; without it only weekends are known.</summary>
    Task<bool> HasYearAsync(int year, CancellationToken cancellationToken = default);
}
