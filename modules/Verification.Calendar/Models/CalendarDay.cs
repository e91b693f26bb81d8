using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;

namespace Verification.Calendar.Models;

public enum CalendarDayKind
{
    /// <summary>A statutory day off (法定节假日), including weekdays.</summary>
    DayOff,

    /// <summary>An adjusted working day on a weekend (调休上班).</summary>
    WorkDay,
}

/// <summary>An exception to the Monday–Friday rule. Ordinary weekdays and weekends are not stored.</summary>
public sealed class CalendarDay
{
    public DateOnly Date { get; set; }

    public CalendarDayKind Kind { get; set; }

    /// <summary>The holiday it belongs to (春节, 国庆节 …).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>"official" when loaded from the State Council notice, "manual" when staff entered it.</summary>
    public string Source { get; set; } = "manual";

    public DateTime UpdatedUtc { get; set; } = DateTime.UtcNow;
}

/// <summary>A year whose official calendar has been entered (so deadlines in it are exact).</summary>
public sealed class CalendarYear
{
    public int Year { get; set; }

    public string Source { get; set; } = "manual";

    public DateTime UpdatedUtc { get; set; } = DateTime.UtcNow;
}

public sealed class CalendarModel : IEntityModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseDialect dialect)
    {
        modelBuilder.Entity<CalendarDay>(e =>
        {
            e.ToTable("CalendarDays");
            e.HasKey(d => d.Date);
            e.Property(d => d.Kind).HasConversion<string>();
        });
        modelBuilder.Entity<CalendarYear>(e =>
        {
            e.ToTable("CalendarYears");
            e.HasKey(y => y.Year);
            e.Property(y => y.Year).ValueGeneratedNever();
        });
    }
}

public sealed class CalendarMigration : IDataMigration
{
    public string Module => "Verification.Calendar";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m =>
        {
            m.CreateTable("CalendarDays", c => new
            {
                Date = c.Column<DateOnly>(nullable: false),
                Kind = c.Column<string>(nullable: false),
                Name = c.Column<string>(nullable: false),
                Source = c.Column<string>(nullable: false),
                UpdatedUtc = c.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_CalendarDays", x => x.Date));
            m.CreateTable("CalendarYears", c => new
            {
                Year = c.Column<int>(nullable: false),
                Source = c.Column<string>(nullable: false),
                UpdatedUtc = c.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("PK_CalendarYears", x => x.Year));
        },
    ];
}
