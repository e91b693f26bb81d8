using System.Net;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Forms;

public sealed class FormPageTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    [Trait("Req", "R-21.1")]
    public async Task APageCarriesTheTenantsCalendarSoLiveWorkingDayRulesMatchTheServer()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await TestForms.PublishAsync(host, tenant);
        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        var page = WebUtility.HtmlDecode(await clerk.GetPageAsync("forms/declaration-test/new"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var springFestivalMonday = new DateOnly(2026, 2, 16);
        var adjustedSaturday = new DateOnly(2026, 2, 28);
        if (Math.Abs(springFestivalMonday.DayNumber - today.DayNumber) <= 366)
        {
            Assert.Contains("\"2026-02-16\"", page, StringComparison.Ordinal);
        }

        if (Math.Abs(adjustedSaturday.DayNumber - today.DayNumber) <= 366)
        {
            Assert.Contains("\"2026-02-28\"", page, StringComparison.Ordinal);
        }

        Assert.Contains("data-calendar=\"{\"dayOff\":[", page, StringComparison.Ordinal);
    }
}
