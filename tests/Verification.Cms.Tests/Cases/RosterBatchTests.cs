using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Verification.Cases.Batches;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Numbering;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Cases;

/// <summary>
/// The Jiangsu flow for a roster (R-3.1, R-12.1): the front desk imports an Excel roster in the columns of
/// H annex B; every step then runs for all households in the background (front desk → back office →
/// supervisor → front desk issues), surviving a restart midway; the Excel summary lists the reports.
/// A bad roster imports nothing and says why per row, in Chinese.
/// </summary>
public sealed class RosterBatchTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    public static byte[] Roster(int households, int membersEach, string division = "320402", int first = 500, bool withAuthorizations = true)
    {
        var rows = new List<Dictionary<string, object?>>();
        var serial = 1;
        for (var h = 0; h < households; h++)
        {
            var head = TestSubjects.IdNumber(first + h * membersEach, division);
            for (var m = 0; m < membersEach; m++)
            {
                var row = new Dictionary<string, object?>
                {
                    ["序号"] = rows.Count + 1, ["市（州）"] = "常州市", ["县（市、区）"] = "天宁区", ["乡镇（街道）"] = "雕庄街道",
                    ["户主姓名"] = "户主" + h, ["户主身份证号"] = head, ["成员姓名"] = m == 0 ? "户主" + h : $"成员{h}-{m}",
                    ["成员身份证号"] = TestSubjects.IdNumber(first + h * membersEach + m, division), ["与户主关系"] = m == 0 ? "01" : "97",
                };
                if (withAuthorizations)
                {
                    // Paper authorizations numbered by the district centre (320402): the city centre (320400) records them as given (R-3.3).
                    row["授权书编号"] = DocumentNumbers.Authorization("320402", 2026, 90_000_000 + first + serial++);
                }

                rows.Add(row);
            }
        }

        using var stream = new MemoryStream();
        stream.SaveAs(rows);
        return stream.ToArray();
    }

    private static KeyValuePair<string, string>[] Fields(string department = "tn-mzj") => [new("department", department), new("serviceItem", "aa"), new("purpose", "年度集中核对")];

    [Fact]
    [Trait("Req", "R-3.1")]
    [Trait("Req", "R-12.1")]
    [Trait("Req", "R-7.1")]
    public async Task ARosterRunsThroughEveryStepInTheBackgroundAcrossARestartAndExportsItsSummary()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var front = host.ClientFor(tenant);
        await front.SignInOrFailAsync("cz.qiantai1");
        using var upload = await front.PostMultipartAsync("entrustments/upload", "entrustments/upload", Fields(), ("roster", "花名册.xlsx", Roster(6, 3)));
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var entrustmentPath = upload.Headers.Location!.OriginalString;
        var entrustmentId = entrustmentPath[(entrustmentPath.LastIndexOf('/') + 1)..];
        Assert.Equal(6, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().CountAsync(c => c.EntrustmentId == entrustmentId && c.State == CaseState.IntakeReview && c.OrgUnit == "320402")));

        async Task BatchAsync(string user, CaseTrigger trigger)
        {
            using var client = host.ClientFor(tenant);
            await client.SignInOrFailAsync(user);
            using var started = await client.PostFormAsync($"entrustments/{entrustmentId}", $"entrustments/{entrustmentId}/batch", [new("trigger", trigger.ToString())]);
            Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        }

        await BatchAsync("cz.qiantai1", CaseTrigger.Accept);
        // Part of the batch, then the tenant's shell is released (as a restart would) and the rest runs.
        Assert.Equal(2, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<BatchService>().RunAsync(2, default)));
        await host.ShellHost.ReleaseShellAsync(tenant.Name);
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name);
        var accepts = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<CaseEvent>().Where(e => e.Trigger == CaseTrigger.Accept).GroupBy(e => e.CaseId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(Enumerable.Repeat(1, 6), accepts);

        // The acceptor may not confirm, even in a batch: the cases wait for someone else (R-2.3).
        using (await front.PostFormAsync($"entrustments/{entrustmentId}", $"entrustments/{entrustmentId}/batch", [new("trigger", nameof(CaseTrigger.Confirm))]))
        {
        }

        var forbidden = await front.GetPageAsync($"entrustments/{entrustmentId}");
        Assert.Contains("您的岗位不能办理此环节", forbidden, StringComparison.Ordinal);
        await BatchAsync("cz.houtai1", CaseTrigger.Confirm);
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name);
        await BatchAsync("cz.houtai1", CaseTrigger.Review);
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name);
        await BatchAsync("cz.ducha1", CaseTrigger.Approve);
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name);
        await BatchAsync("cz.qiantai1", CaseTrigger.IssueReport);
        await PipelineDriver.RunBackgroundAsync(host, tenant.Name);

        var (states, jobs, numbers) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return (await db.Set<VerificationCase>().Where(c => c.EntrustmentId == entrustmentId).Select(c => c.State).ToListAsync(),
                await db.Set<BatchJob>().Where(j => j.EntrustmentId == entrustmentId).OrderBy(j => j.CreatedUtc).ToListAsync(),
                await db.Set<VerificationReport>().Select(r => r.Serial).OrderBy(s => s).ToListAsync());
        });
        Assert.All(states, s => Assert.Equal(CaseState.ReportIssued, s));
        Assert.Equal([1, 2, 3, 4, 5, 6], numbers);
        Assert.Equal(5, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((BatchStates.Done, 6), (j.State, j.Done)));

        // The pages a clerk uses render the entrustment, its chart and the cases.
        var page = await front.GetPageAsync($"entrustments/{entrustmentId}");
        Assert.Contains("已出具报告", page, StringComparison.Ordinal);
        var list = await front.GetPageAsync("cases?state=ReportIssued");
        Assert.Contains("户主3", list, StringComparison.Ordinal);

        // Excel summary: one row per household with its report number; hostile-looking text is neutralized.
        using var summary = await front.GetAsync($"entrustments/{entrustmentId}/summary.xlsx");
        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        var rows = (await summary.Content.ReadAsStreamAsync()).Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Matches(@"^第320400\d{6}0000[1-6]aaf1号$", (string)r["核对报告编号"]!));
    }

    [Fact]
    [Trait("Req", "R-4.2")]
    [Trait("Req", "R-4.3")]
    public async Task ABadRosterImportsNothingAndListsEveryRowsProblemInChinese()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var front = host.ClientFor(tenant);
        await front.SignInOrFailAsync("cz.qiantai1");
        var rows = new List<Dictionary<string, object?>>
        {
            new() { ["户主姓名"] = "甲", ["户主身份证号"] = TestSubjects.IdNumber(700, "320402"), ["成员姓名"] = "甲", ["成员身份证号"] = TestSubjects.IdNumber(700, "320402") },
            new() { ["户主姓名"] = "甲", ["户主身份证号"] = TestSubjects.IdNumber(700, "320402"), ["成员姓名"] = "乙", ["成员身份证号"] = TestSubjects.IdNumber(701, "320402")[..17] + "Y" },
            new() { ["户主姓名"] = "=HYPERLINK(\"http://x\")", ["户主身份证号"] = TestSubjects.IdNumber(702, "320402"), ["成员姓名"] = "丙", ["成员身份证号"] = TestSubjects.IdNumber(702, "320402") },
        };
        using var stream = new MemoryStream();
        stream.SaveAs(rows);
        using var response = await front.PostMultipartAsync("entrustments/upload", "entrustments/upload", Fields(), ("roster", "花名册.xlsx", stream.ToArray()));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("花名册未导入", html, StringComparison.Ordinal);
        Assert.Contains("乙 的身份证号", html, StringComparison.Ordinal);
        Assert.Contains("单元格以 =、+、- 或 @ 开头", html, StringComparison.Ordinal);

        using var garbage = await front.PostMultipartAsync("entrustments/upload", "entrustments/upload", Fields(), ("roster", "花名册.xlsx", System.Security.Cryptography.RandomNumberGenerator.GetBytes(10 * 1024 * 1024)));
        Assert.Contains("文件不是 Excel 工作簿", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<Entrustment>().CountAsync()));
    }
}
