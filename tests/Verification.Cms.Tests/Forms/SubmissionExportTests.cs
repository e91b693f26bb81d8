using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;
using Verification.Forms.Services;

namespace Verification.Cms.Tests.Forms;

public sealed class SubmissionExportTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    [Trait("Req", "R-18.2")]
    public async Task SubmissionsExportToExcelWithFormulasNeutralizedAndTheExportAudited()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await TestForms.PublishAsync(host, tenant);
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var data = FormValidationTests.Valid();
            data["applicantName"] = "=HYPERLINK(\"http://x\")";
            var (submission, result) = await sp.GetRequiredService<FormService>().SaveSubmissionAsync("declaration-test", null, data, submit: true, "cz.qiantai1", default);
            Assert.True(result.IsValid);
        });

        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        Assert.NotEqual(HttpStatusCode.OK, (await clerk.GetAsync("admin/forms/declaration-test/submissions/export")).StatusCode);

        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var response = await admin.GetAsync("admin/forms/declaration-test/submissions/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal("'=HYPERLINK(\"http://x\")", row["申请人姓名 (applicantName)"]);
        Assert.Equal(2000.5, Convert.ToDouble(row["家庭月收入合计 (totalIncome)"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("cz.qiantai1", row["填报人 By"]);

        var actions = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.Where(a => a.Category == "personal-data").Select(a => a.Action).ToListAsync());
        Assert.Contains("submissions.exported", actions);
    }
}
