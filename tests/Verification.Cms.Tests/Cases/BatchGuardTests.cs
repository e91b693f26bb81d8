using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Batches;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Cases;

/// <summary>
/// A batch never issues a report for a household most of whose sources did not answer or refused (R-5.3,
/// such a case waits for a person, unless the step is started with a reason, which the audit keeps.
/// Once 2,000 reports went out whose every line read "拒绝查询".
/// </summary>
public abstract class BatchGuardTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-5.3")]
    [Trait("Req", "R-7.1")]
    public async Task ABatchHoldsCasesWhoseSourcesMostlySaidNothingUnlessToldWhy()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var ids = await PipelineDriver.ApprovedCasesAsync(host, tenant.Name, 4);
        var entrustment = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            // 27 sources each: two households heard from at least half of them, two from fewer.
            var coverage = new[] { (27, 0), (27, 13), (27, 14), (27, 27) };
            for (var i = 0; i < ids.Count; i++)
            {
                var (asked, unanswered) = coverage[i];
                var id = ids[i];
                await db.Set<VerificationCase>().Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.SourcesAsked, asked).SetProperty(c => c.SourcesUnanswered, unanswered));
            }

            return await db.Set<VerificationCase>().Where(c => c.Id == ids[0]).Select(c => c.EntrustmentId).SingleAsync();
        });

        var job = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var batches = sp.GetRequiredService<BatchService>();
            var started = await batches.StartAsync(entrustment, CaseTrigger.IssueReport, "cz.qiantai1", default);
            await batches.RunAsync(1000, default);
            return await sp.GetRequiredService<TenantDbContext>().Set<BatchJob>().AsNoTracking().SingleAsync(j => j.Id == started.Id);
        });
        Assert.Equal([CaseState.ReportIssued, CaseState.ReportIssued, CaseState.Approved, CaseState.Approved], await StatesAsync(tenant.Name, ids));
        Assert.Equal((BatchStates.Done, 2, 2), (job.State, job.Done, job.Failed));
        Assert.StartsWith("Most of this case's sources did not answer or refused", job.LastError, StringComparison.Ordinal);

        // Started again with a reason: the held cases go too, and the reason is in the audit trail.
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var batches = sp.GetRequiredService<BatchService>();
            await batches.StartAsync(entrustment, CaseTrigger.IssueReport, "cz.qiantai1", default, "省厅数据中心停机，经主任同意按现有结果出具");
            return await batches.RunAsync(1000, default);
        });
        Assert.All(await StatesAsync(tenant.Name, ids), s => Assert.Equal(CaseState.ReportIssued, s));
        var started = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.AsNoTracking().Where(a => a.Action == "batch.started").OrderBy(a => a.Sequence).Select(a => a.Details).ToListAsync());
        Assert.Contains("省厅数据中心停机", started[^1], StringComparison.Ordinal);
    }

    private Task<List<CaseState>> StatesAsync(string tenant, List<string> ids) =>
        host.InTenantAsync(tenant, async sp =>
        {
            var states = await sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.State);
            return ids.Select(id => states[id]).ToList();
        });
}

public sealed class BatchGuardOnSqlite(SqliteHostFixture host) : BatchGuardTests<SqliteHostFixture>(host);

public sealed class BatchGuardOnPostgres(PostgresHostFixture host) : BatchGuardTests<PostgresHostFixture>(host);
