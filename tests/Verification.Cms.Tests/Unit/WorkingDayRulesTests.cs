using Verification.Calendar.Models;
using Verification.Calendar.Services;

namespace Verification.Cms.Tests.Unit;

/// <summary>Working days across the 2026 Spring Festival (days off 15–23 February, working Saturdays 14 and 28 February).</summary>
[Trait("Req", "R-21.1")]
[Trait("Req", "R-21.2")]
public sealed class WorkingDayRulesTests
{
    private static readonly WorkingDayRules Official = new(
        OfficialHolidays.For(2025).Concat(OfficialHolidays.For(2026)).ToDictionary(d => d.Date, d => d.Kind));

    [Theory]
    [InlineData("2026-02-13", true)]
    [InlineData("2026-02-14", true)]
    [InlineData("2026-02-15", false)]
    [InlineData("2026-02-16", false)]
    [InlineData("2026-02-23", false)]
    [InlineData("2026-02-24", true)]
    [InlineData("2026-02-28", true)]
    [InlineData("2026-03-01", false)]
    [InlineData("2026-10-08", true)]
    [InlineData("2026-10-07", false)]
    [InlineData("2026-10-10", true)]
    public void TheOfficialCalendarDecidesWhichDaysWork(string date, bool works) =>
        Assert.Equal(works, Official.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void FifteenWorkingDaysFromAnEntrustmentBeforeTheSpringFestivalEndOnTheEleventhOfMarch()
    {
        // 13 Feb, Sat 14 Feb (adjusted), 24–27 Feb, Sat 28 Feb (adjusted), 2–6 Mar, 9–11 Mar.
        Assert.Equal(new DateOnly(2026, 3, 11), Official.AddWorkingDays(new DateOnly(2026, 2, 12), 15));
    }

    [Fact]
    public void WithoutTheHolidayCalendarTheSameDeadlineWouldFallInsideTheHoliday()
    {
        var weekendsOnly = new WorkingDayRules(new Dictionary<DateOnly, CalendarDayKind>());
        Assert.Equal(new DateOnly(2026, 3, 5), weekendsOnly.AddWorkingDays(new DateOnly(2026, 2, 12), 15));
    }

    [Fact]
    public void ASuspensionNoticeIsDueThreeWorkingDaysLaterEvenAcrossTheHoliday() =>
        Assert.Equal(new DateOnly(2026, 2, 25), Official.AddWorkingDays(new DateOnly(2026, 2, 13), 3));

    [Fact]
    public void CountingBackwardsIsTheInverse()
    {
        var start = new DateOnly(2026, 3, 11);
        Assert.Equal(new DateOnly(2026, 2, 12), Official.AddWorkingDays(start, -15));
    }

    [Fact]
    public void WorkingDaysBetweenCountsTheEndButNotTheStart()
    {
        Assert.Equal(15, Official.WorkingDaysBetween(new DateOnly(2026, 2, 12), new DateOnly(2026, 3, 11)));
        Assert.Equal(-15, Official.WorkingDaysBetween(new DateOnly(2026, 3, 11), new DateOnly(2026, 2, 12)));
        Assert.Equal(0, Official.WorkingDaysBetween(new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 23)));
    }

    [Fact]
    public void ThirtyWorkingDaysForARecheckRequestSpanTheNationalDayHoliday()
    {
        // Report issued Friday 18 September 2026; 20 Sep is an adjusted working Sunday; 1–7 Oct are off; 10 Oct is an adjusted Saturday.
        var due = Official.AddWorkingDays(new DateOnly(2026, 9, 18), 30);
        Assert.Equal(30, Official.WorkingDaysBetween(new DateOnly(2026, 9, 18), due));
        Assert.Equal(new DateOnly(2026, 11, 5), due);
    }

    [Fact]
    public void TheShippedCalendarCoversTheYearsOfTheReferenceFile() =>
        Assert.Equal([2025, 2026], OfficialHolidays.AvailableYears);
}
