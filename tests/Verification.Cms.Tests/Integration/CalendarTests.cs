using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Calendar;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>Each tenant's working-day calendar is seeded by its recipe and maintained by staff .</summary>
public abstract class CalendarTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-21.1")]
    [Trait("Req", "R-21.2")]
    public async Task TheRecipeSeedsTheOfficialCalendarAndStaffAddTheNextYear()
    {
        var tenant = await host.CreateTenantAsync("guangzhou");
        var (has2026, has2027, deadline) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var calendar = sp.GetRequiredService<IWorkingDayCalendar>();
            return (await calendar.HasYearAsync(2026), await calendar.HasYearAsync(2027), await calendar.AddWorkingDaysAsync(new DateOnly(2026, 2, 12), 15));
        });
        Assert.True(has2026);
        Assert.False(has2027);
        Assert.Equal(new DateOnly(2026, 3, 11), deadline);

        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("gz.hedui1");
        var refused = await clerk.PostFormAsync("admin/calendar", "admin/calendar/days", [new("date", "2027-01-01"), new("kind", "DayOff"), new("name", "元旦")]);
        Assert.Contains("access-denied", refused.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("gz.admin");
        var saved = await admin.PostFormAsync("admin/calendar?year=2027", "admin/calendar/days", [new("date", "2027-01-01"), new("kind", "DayOff"), new("name", "元旦")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await admin.GetPageAsync("admin/calendar?year=2027");
        Assert.Matches("<td class=\"day off[^\"]*\" title=\"元旦\" data-date=\"2027-01-01\"", page);
        var calculator = await admin.GetPageAsync("admin/calendar?start=2026-02-12&days=15");
        Assert.Contains("<output id=\"deadline\"><strong>2026-03-11</strong>", calculator, StringComparison.Ordinal);

        var works = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<IWorkingDayCalendar>().IsWorkingDayAsync(new DateOnly(2027, 1, 1)));
        Assert.False(works);

        var exported = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<RecipeExporter>().ExportAsync(default));
        var step = exported["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "calendar")!;
        Assert.Equal("[2025,2026]", step["official"]!.ToJsonString());
        Assert.Contains("2027-01-01", step["days"]!.ToJsonString(), StringComparison.Ordinal);

        var actions = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.Where(a => a.SubjectType == "calendar").Select(a => a.Action).ToListAsync());
        Assert.Equal(["calendar.year.loaded", "calendar.year.loaded", "calendar.day.set"], actions);

        // Re-running the recipe loads nothing again.
        await host.Setup.RunRecipeAsync(tenant.Name, host.Services.GetRequiredService<RecipeCatalog>().Get("guangzhou"));
        var after = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.CountAsync(a => a.SubjectType == "calendar"));
        Assert.Equal(3, after);
    }

    [Fact]
    [Trait("Req", "R-21.1")]
    public async Task ACalendarStepForAYearWithoutAnOfficialCalendarIsRefused()
    {
        const string recipe = """{ "name": "c", "steps": [ { "name": "feature", "enable": ["Verification.Calendar"] }, { "name": "calendar", "official": [2031], "days": [ { "date": "2031-02-30", "kind": "dayOff" }, { "date": "2031-03-01", "kind": "holiday" } ] } ] }""";
        var name = "k" + Guid.NewGuid().ToString("N")[..10];
        await host.Setup.RegisterAsync(new Tenants.NewTenant(name, null, name, null, "changzhou"));
        var errors = (await Assert.ThrowsAsync<RecipeValidationException>(() => host.Setup.SetupAsync(name, RecipeReader.Parse(recipe), "c", new RecipeRunOptions()))).Errors;
        Assert.Contains(errors, e => e is { Step: "calendar", Field: "official[0]" });
        Assert.Contains(errors, e => e is { Step: "calendar", Field: "days[0].date" });
        Assert.Contains(errors, e => e is { Step: "calendar", Field: "days[1].kind" });
    }
}

public sealed class CalendarOnSqlite(SqliteHostFixture host) : CalendarTests<SqliteHostFixture>(host);

public sealed class CalendarOnPostgres(PostgresHostFixture host) : CalendarTests<PostgresHostFixture>(host);
