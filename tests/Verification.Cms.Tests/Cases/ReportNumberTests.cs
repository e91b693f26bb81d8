using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cases.Reports;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Cases;

/// <summary>Report numbers: unique and gap-free within a tenant and month, even when issued concurrently.</summary>
public abstract class ReportNumberTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-7.2")]
    public async Task FiftyReportsIssuedAtOnceGetFiftyDistinctConsecutiveSerials()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var ids = await PipelineDriver.ApprovedCasesAsync(host, tenant.Name, 50);
        var reports = await Task.WhenAll(ids.Select(id => Task.Run(() => host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ReportIssuer>().IssueAsync(id, "cz.qiantai1", default)))));
        Assert.Equal(Enumerable.Range(1, 50), reports.Select(r => r.Serial).Order());
        Assert.Equal(50, reports.Select(r => r.Number).Distinct().Count());
        var today = DateTime.UtcNow.AddHours(8);
        Assert.All(reports, r => Assert.Matches($"^第320400{today:yyyyMM}000[0-5][0-9]ahf1号$", r.Number));
        var states = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().Where(c => ids.Contains(c.Id)).Select(c => c.State).Distinct().ToListAsync());
        Assert.Equal([CaseState.ReportIssued], states);
        // Each issue is on the audit trail once, appended after its transaction committed.
        Assert.Equal(50, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<Verification.Cms.Audit.AuditEvent>().CountAsync(e => e.Action == "report.issued")));
    }
}

public sealed class ReportNumberOnSqlite(SqliteHostFixture host) : ReportNumberTests<SqliteHostFixture>(host);

public sealed class ReportNumberOnPostgres(PostgresHostFixture host) : ReportNumberTests<PostgresHostFixture>(host);

/// <summary>Numbers and deadlines on the Beijing calendar, with the clock under the test's control .</summary>
public sealed class PipelineCalendarTests(ClockHostFixture host) : IClassFixture<ClockHostFixture>
{
    private static DateTimeOffset Beijing(int year, int month, int day, int hour, int minute, int second = 0) => new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromHours(8));

    [Fact]
    [Trait("Req", "R-7.2")]
    [Trait("Req", "R-3.3")]
    public async Task SerialsRestartAtMidnightBeijingTimeOnTheFirstOfEachMonthAndYear()
    {
        host.Clock.Set(Beijing(2026, 12, 31, 12, 0));
        var tenant = await host.CreateTenantAsync("changzhou");
        var ids = await PipelineDriver.ApprovedCasesAsync(host, tenant.Name, 5, "aa");
        async Task<string> IssueAt(DateTimeOffset at, string id)
        {
            host.Clock.Set(at);
            return (await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ReportIssuer>().IssueAsync(id, "cz.qiantai1", default))).Number;
        }

        async Task<string> AuthorizeAt(DateTimeOffset at, string id)
        {
            host.Clock.Set(at);
            return await host.InTenantAsync(tenant.Name, async sp =>
            {
                var member = await sp.GetRequiredService<TenantDbContext>().Set<CaseMember>().Where(m => m.CaseId == id).Select(m => m.Id).FirstAsync();
                return (await sp.GetRequiredService<CaseService>().RecordAuthorizationAsync(id, member, "self", "paper", new DateOnly(2026, 12, 31), null, null, "cz.qiantai1", default)).Number;
            });
        }

        Assert.Equal("第32040020261200001aaf1号", await IssueAt(Beijing(2026, 12, 31, 23, 59, 30), ids[0]));
        Assert.Equal("居经授第320400202600000001号", await AuthorizeAt(Beijing(2026, 12, 31, 23, 59, 40), ids[1]));
        Assert.Equal("第32040020270100001aaf1号", await IssueAt(Beijing(2027, 1, 1, 0, 0, 5), ids[1]));
        Assert.Equal("居经授第320400202700000001号", await AuthorizeAt(Beijing(2027, 1, 1, 0, 0, 10), ids[2]));
        Assert.Equal("第32040020270100002aaf1号", await IssueAt(Beijing(2027, 1, 31, 23, 59, 59), ids[2]));
        Assert.Equal("第32040020270200001aaf1号", await IssueAt(Beijing(2027, 2, 1, 0, 0, 0), ids[3]));
    }

    [Fact]
    [Trait("Req", "R-8.1")]
    [Trait("Req", "R-8.2")]
    [Trait("Req", "R-21.1")]
    public async Task ASupplementDueAcrossTheSpringFestivalTerminatesTheCaseOnlyOnceOverdueWithANotice()
    {
        // Returned on Thursday 12 February 2026: ten working days count the adjusted working Saturdays 14 and 28
        // February and skip the Spring Festival days off (15–23 February).
        host.Clock.Set(Beijing(2026, 2, 12, 10, 0));
        var tenant = await host.CreateTenantAsync("changzhou");
        var household = PipelineDriver.ChangzhouHousehold("韩梅", 950);
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", household);
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.ReturnForSupplement, "缺少户口簿复印件"));
        var returned = await PipelineDriver.CaseAsync(host, tenant.Name, c.Id);
        Assert.Equal(new DateOnly(2026, 3, 4), returned.SupplementDueOn);

        // On the due day nothing happens; the next day the case is terminated with a notice.
        host.Clock.Set(Beijing(2026, 3, 4, 18, 0));
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name, 1);
        Assert.Equal(CaseState.ReturnedForSupplement, (await PipelineDriver.CaseAsync(host, tenant.Name, c.Id)).State);
        host.Clock.Set(Beijing(2026, 3, 5, 8, 0));
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name, 1);
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name, 1);
        var (state, notices) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return ((await db.Set<VerificationCase>().SingleAsync(x => x.Id == c.Id)).State, await db.Set<CaseNotice>().Where(n => n.CaseId == c.Id).OrderBy(n => n.Id).ToListAsync());
        });
        Assert.Equal(CaseState.Terminated, state);
        Assert.Equal([NoticeKinds.Supplement, NoticeKinds.Termination], notices.Select(n => n.Kind));
        Assert.Contains("补正资料通知书", notices[0].Html, StringComparison.Ordinal);
        Assert.Contains("2026年3月4日前补正资料", notices[0].Html, StringComparison.Ordinal);
        Assert.Contains("终止核对通知书", notices[1].Html, StringComparison.Ordinal);
        Assert.Contains("天宁区民政局", notices[1].Html, StringComparison.Ordinal);
    }
}
