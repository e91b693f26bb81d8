using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Cases;

/// <summary>
/// The Guangzhou flow end to end (G 8.1, R-7.1): a street clerk receives a household at the counter,
/// another street clerk confirms it and the providers are asked, the district compares and writes the
/// preliminary opinion, the city approves and issues the numbered report — each step refused to the
/// wrong post, level, unit or person.
/// </summary>
public abstract partial class PipelineFlowTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-7.1")]
    [Trait("Req", "R-2.3")]
    [Trait("Req", "R-3.2")]
    [Trait("Req", "R-6.1")]
    [Trait("Req", "R-7.2")]
    [Trait("Req", "R-7.3")]
    public async Task GuangzhouStreetIntakeDistrictComparisonAndCityApprovalIssueANumberedReport()
    {
        var tenant = await host.CreateTenantAsync("guangzhou");
        var t = tenant.Name;
        var ids = Enumerable.Range(1, 3).Select(i => TestSubjects.IdNumber(i, "440106")).ToArray();
        var household = new HouseholdDraft("陈伟强", ids[0], "广州市", "天河区", "五山街道",
            [new("陈伟强", ids[0], "01"), new("林美玲", ids[1], "10"), new("陈子轩", ids[2], "20")],
            new Dictionary<string, decimal> { ["property.vehicle"] = 0, ["property.deposit"] = 0, ["income.wage"] = 0 });
        var received = await PipelineDriver.ReceiveAtCounterAsync(host, t, "gz.jiedao1", "th-mzj", "aa", household);
        Assert.Equal((CaseState.IntakeReview, "440106001"), (received.State, received.OrgUnit));
        Assert.Matches(@"^\d{4}-\d{6}$", received.Number);
        var id = received.Id;

        // Nobody is accepted without every member's authorization (R-3.2).
        Assert.Equal("No authorization is recorded for: {0}.", await PipelineDriver.StepAsync(host, t, "gz.jiedao1", id, CaseTrigger.Accept));
        await PipelineDriver.AuthorizeAllAsync(host, t, id, "gz.jiedao1");
        Assert.Equal("Your post does not include this step.", await PipelineDriver.StepAsync(host, t, "gz.shenhe1", id, CaseTrigger.Accept));
        Assert.Null(await PipelineDriver.StepAsync(host, t, "gz.jiedao1", id, CaseTrigger.Accept));

        // The acceptor cannot confirm (R-2.3); in Guangzhou the district does not request the exchange (R-7.1).
        Assert.Equal("The person who accepted the case cannot also confirm it (R-2.3).", await PipelineDriver.StepAsync(host, t, "gz.jiedao1", id, CaseTrigger.Confirm));
        Assert.Equal("In this centre, {0} is done at the {1} level.", await PipelineDriver.StepAsync(host, t, "gz.hedui1", id, CaseTrigger.Confirm));
        Assert.Null(await PipelineDriver.StepAsync(host, t, "gz.jiedao2", id, CaseTrigger.Confirm));
        Assert.Equal(CaseState.Exchanging, (await PipelineDriver.CaseAsync(host, t, id)).State);

        await PipelineDriver.RunBackgroundAsync(host, t);
        Assert.Equal(CaseState.Comparing, (await PipelineDriver.CaseAsync(host, t, id)).State);

        // Another district's reviewer does not see the case (R-2.1); this district's does.
        Assert.Equal("This case belongs to another unit.", await PipelineDriver.StepAsync(host, t, "gz.hedui2", id, CaseTrigger.Review));
        Assert.Null(await PipelineDriver.StepAsync(host, t, "gz.hedui1", id, CaseTrigger.Review, "经比对，该户情况详见核对结果，提请市级审核。"));
        Assert.Equal("Your post does not include this step.", await PipelineDriver.StepAsync(host, t, "gz.hedui1", id, CaseTrigger.Approve));
        Assert.Null(await PipelineDriver.StepAsync(host, t, "gz.shenhe1", id, CaseTrigger.Approve, "同意。"));
        Assert.Null(await PipelineDriver.StepAsync(host, t, "gz.shenhe1", id, CaseTrigger.IssueReport));

        var (report, findings, timeline) = await host.InTenantAsync(t, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return (await db.Set<VerificationReport>().AsNoTracking().SingleAsync(r => r.CaseId == id),
                await db.Set<Finding>().AsNoTracking().Where(f => f.CaseId == id).ToListAsync(),
                await db.Set<CaseEvent>().AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Id).Select(e => e.Trigger).ToListAsync());
        });
        var today = DateTime.UtcNow.AddHours(8);
        Assert.Matches($"^第440100{today:yyyyMM}00001aaf1号$", report.Number);
        Assert.Equal([CaseTrigger.StartIntake, CaseTrigger.Accept, CaseTrigger.Confirm, CaseTrigger.StartExchange, CaseTrigger.ExchangeComplete, CaseTrigger.Review, CaseTrigger.Approve, CaseTrigger.IssueReport], timeline);

        // Findings (R-6.1): records from the providers in the report's groups, and an explicit line for every covered category that found nothing.
        Assert.Contains(findings, f => f.Kind == FindingKinds.Record && f.Group == "basic" && f.Department == "公安部门");
        Assert.Contains(findings, f => f.Kind == FindingKinds.Nothing);
        Assert.All(findings, f => Assert.Contains(f.Group, new[] { "basic", "income", "property", "expenditure", "other", "supplementary" }));
        Assert.DoesNotContain(findings, f => f.Kind == FindingKinds.Unanswered);

        // The report (R-7.3): number, parties, members, the six groups, the disclaimer, the check link with the content hash.
        Assert.Contains(report.Number, report.Html, StringComparison.Ordinal);
        Assert.Contains("天河区民政局", report.Html, StringComparison.Ordinal);
        Assert.Contains("林美玲", report.Html, StringComparison.Ordinal);
        Assert.Contains("不是唯一依据", report.Html, StringComparison.Ordinal);
        Assert.Contains("<svg", report.Html, StringComparison.Ordinal);
        Assert.Contains(report.ContentHash, report.Html, StringComparison.Ordinal);
        foreach (var group in new[] { "三、家庭基本情况", "四、家庭收入情况", "五、家庭财产情况", "六、家庭支出情况", "七、其他类信息", "八、补充调查信息" })
        {
            Assert.Contains(group, report.Html, StringComparison.Ordinal);
        }

        using var result = JsonDocument.Parse(report.ResultJson);
        Assert.Equal(report.Number, result.RootElement.GetProperty("number").GetString());
        Assert.Equal(3, result.RootElement.GetProperty("members").GetArrayLength());
        Assert.Equal(6, result.RootElement.GetProperty("groups").GetArrayLength());
        Assert.Equal(report.ContentHash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(report.ResultJson))));
    }

    [Fact]
    [Trait("Req", "R-6.4")]
    public async Task DifferencesAboveTheThresholdAreFlaggedAndSetAsideOnlyWithAReason()
    {
        var tenant = await host.CreateTenantAsync("guangzhou");
        var t = tenant.Name;
        // Find a household the simulators give a vehicle, declared with none.
        var ids = Enumerable.Range(40, 30).Select(i => TestSubjects.IdNumber(i, "440106")).ToArray();
        var household = new HouseholdDraft("周国平", ids[0], "广州市", "天河区", "五山街道", ids.Select((x, i) => new Verification.Cases.Services.NewMember("成员" + i, x, i == 0 ? "01" : "97")).ToList(),
            new Dictionary<string, decimal> { ["property.vehicle"] = 0, ["property.deposit"] = 0 });
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, t, "gz.jiedao1", "th-mzj", "aa", household);
        await PipelineDriver.AuthorizeAllAsync(host, t, c.Id, "gz.jiedao1");
        Assert.Null(await PipelineDriver.StepAsync(host, t, "gz.jiedao1", c.Id, CaseTrigger.Accept));
        Assert.Null(await PipelineDriver.StepAsync(host, t, "gz.jiedao2", c.Id, CaseTrigger.Confirm));
        await PipelineDriver.RunBackgroundAsync(host, t);

        var differences = await host.InTenantAsync(t, sp => sp.GetRequiredService<TenantDbContext>().Set<Finding>().AsNoTracking().Where(f => f.CaseId == c.Id && f.Kind == FindingKinds.Difference).ToListAsync());
        var records = await host.InTenantAsync(t, sp => sp.GetRequiredService<TenantDbContext>().Set<Finding>().AsNoTracking().Where(f => f.CaseId == c.Id && f.Kind == FindingKinds.Record).ToListAsync());
        var vehicles = records.Count(r => r.Category == "property.vehicle");
        var deposits = records.Where(r => r.Category == "property.deposit").Sum(r => r.Amount ?? 0);
        Assert.True(vehicles > 0 || deposits > 10000, "thirty members should include someone with a vehicle or deposits (one household in five is well-off)");
        Assert.Equal(vehicles > 0, differences.Any(d => d.Category == "property.vehicle"));
        Assert.Equal(deposits > 10000, differences.Any(d => d.Category == "property.deposit"));
        var difference = differences[0];
        Assert.Matches(DifferenceText(), difference.Result);

        await host.InTenantAsync(t, async sp =>
        {
            var comparison = sp.GetRequiredService<Verification.Cases.Comparison.ComparisonService>();
            var refused = await Assert.ThrowsAsync<Verification.Cases.Services.CaseTransitionException>(() => comparison.AnnotateAsync(c.Id, difference.Id, null, true, " ", "gz.hedui1", default));
            Assert.Equal("A difference may be set aside only with a reason.", refused.Message);
            await comparison.AnnotateAsync(c.Id, difference.Id, "车辆已于上月过户", true, "提供了过户登记证明", "gz.hedui1", default);
        });
        var (annotated, audited) = await host.InTenantAsync(t, async sp =>
            (await sp.GetRequiredService<TenantDbContext>().Set<Finding>().AsNoTracking().SingleAsync(f => f.Id == difference.Id),
             await sp.GetRequiredService<TenantDbContext>().Set<Verification.Cms.Audit.AuditEvent>().AsNoTracking().AnyAsync(e => e.Action == "finding.overridden" && e.Actor == "gz.hedui1")));
        Assert.True(annotated.Overridden);
        Assert.Equal("提供了过户登记证明", annotated.OverrideReason);
        Assert.True(audited);
    }

    [GeneratedRegex("^查得.+(项|元)")]
    private static partial Regex DifferenceText();
}

public sealed class PipelineFlowOnSqlite(SqliteHostFixture host) : PipelineFlowTests<SqliteHostFixture>(host);

public sealed class PipelineFlowOnPostgres(PostgresHostFixture host) : PipelineFlowTests<PostgresHostFixture>(host);
