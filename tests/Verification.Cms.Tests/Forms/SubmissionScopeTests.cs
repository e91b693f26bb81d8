using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Verification.Cms.Tests.Infrastructure;
using Verification.Forms.Services;
using Verification.Users.Services;

namespace Verification.Cms.Tests.Forms;

/// <summary>
/// Household declarations (ID numbers, income, deposits) are read by org unit, not by permission alone
/// another district's administrator neither lists, exports nor opens them.
/// </summary>
public abstract class SubmissionScopeTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-2.1")]
    [Trait("Req", "R-18.2")]
    public async Task AnotherDistrictsAdministratorNeitherListsNorExportsNorOpensADeclaration()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await TestForms.PublishAsync(host, tenant);
        var (id, password) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var data = FormValidationTests.Valid();
            data["applicantName"] = "天宁申请人";
            var (submission, _) = await sp.GetRequiredService<FormService>().SaveSubmissionAsync("declaration-test", null, data, submit: true, "cz.qiantai1", default);
            // An administrator of 钟楼区 (320412) with the right to read submissions.
            await sp.GetRequiredService<RoleService>().UpsertAsync("区级管理员", "test", ["AccessAdmin", "ViewSubmissions", "SubmitForms"], default);
            var password = await sp.GetRequiredService<UserAccountService>().CreateAsync(new("cz.zhonglou", "钟楼管理员", null, "320412", ["区级管理员"]), isDemo: false, default);
            return (submission!.Id, password);
        });

        using var other = host.ClientFor(tenant);
        await other.SignInOrFailAsync("cz.zhonglou", password);
        Assert.DoesNotContain(id, await other.GetPageAsync("admin/forms/declaration-test/submissions"), StringComparison.Ordinal);
        using (var stream = new MemoryStream(await (await other.GetAsync("admin/forms/declaration-test/submissions/export")).Content.ReadAsByteArrayAsync()))
        {
            Assert.Empty(stream.Query(useHeaderRow: true));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"forms/declaration-test/s/{id}")).StatusCode);

        // The city centre, above both districts, reads it.
        using var city = host.ClientFor(tenant);
        await city.SignInOrFailAsync("cz.admin");
        Assert.Contains(id, await city.GetPageAsync("admin/forms/declaration-test/submissions"), StringComparison.Ordinal);
        Assert.Contains("天宁申请人", await city.GetPageAsync($"forms/declaration-test/s/{id}"), StringComparison.Ordinal);
    }
}

public sealed class SubmissionScopeOnSqlite(SqliteHostFixture host) : SubmissionScopeTests<SqliteHostFixture>(host);

public sealed class SubmissionScopeOnPostgres(PostgresHostFixture host) : SubmissionScopeTests<PostgresHostFixture>(host);
