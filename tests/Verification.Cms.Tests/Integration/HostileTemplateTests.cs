using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;
using Verification.PublicSite.Models;
using Verification.Workflows.Models;
using Verification.Workflows.Services;
using static Verification.Cms.Tests.Workflows.WorkflowDriver;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// A tenant administrator's templates are hostile input: saving, previewing or running
/// them never takes the process down, and a page whose template fails shows the theme's instead of a 500.
/// </summary>
public abstract partial class HostileTemplateTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    private static readonly string NestedIfs = string.Concat(Enumerable.Repeat("{% if true %}", 10_000)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", 10_000));

    [Fact]
    [Trait("Req", "R-1.5")]
    public async Task SavingOrPreviewingATemplateThatWouldOverflowTheParserIsRefusedAndTheProcessGoesOn()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        foreach (var preview in new[] { true, false })
        {
            var fields = new List<KeyValuePair<string, string>> { new("name", "home"), new("source", NestedIfs), new("stamp", string.Empty) };
            if (preview)
            {
                fields.Add(new("preview", "1"));
            }

            var response = await admin.PostFormAsync("admin/public-site", "admin/public-site", fields);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("模板中的标签块嵌套超过 40 层", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        Assert.Null(await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<LiquidTemplate>().AsNoTracking().FirstOrDefaultAsync()));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(string.Empty)).StatusCode);
    }

    [Theory]
    [Trait("Req", "R-19.1")]
    [InlineData("<h1>{{ 1 | divided_by: 0 }}</h1>")]
    [InlineData("{% for i in (1..10000000) %}{{ i }}{% endfor %}")]
    [InlineData("{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}")]
    public async Task APublicPageWhoseTemplateFailsShowsTheThemesTemplateNotAnError(string source)
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var saved = await admin.PostFormAsync("admin/public-site", "admin/public-site", [new("name", "home"), new("source", source), new("stamp", string.Empty)]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var visitor = host.ClientFor(tenant);
        var home = await visitor.GetAsync(string.Empty);
        var html = await home.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("先授权、后核对", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task AWorkflowTextThatWouldOverflowTheParserIsRefusedWhenSavedAndIsAnIncidentWhenItRuns()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        const string Graph = """
        { "activities": [ { "id": "start", "type": "ManualStart" }, { "id": "tell", "type": "Notify", "props": { "toUser": "cz.admin", "title": "TITLE" } } ],
          "transitions": [ { "from": "start", "outcome": "Done", "to": "tell" } ] }
        """;
        var hostile = Graph.Replace("TITLE", NestedIfs.Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal);
        var (version, errors) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var definitions = sp.GetRequiredService<WorkflowDefinitions>();
            await definitions.SaveDraftAsync("hostile", "恶意模板", null, WorkflowGraph.Parse(hostile), null, "cz.admin", default);
            return await definitions.PublishAsync("hostile", null, "cz.admin", default);
        });
        Assert.Null(version);
        Assert.Contains(errors, e => e.Contains("属性「title」的 Liquid 模板有误", StringComparison.Ordinal));

        // A version stored before this check existed: running it is an incident, and the host goes on.
        await PublishAsync(host, tenant.Name, "old", Graph.Replace("TITLE", "提醒", StringComparison.Ordinal));
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var stored = await db.Set<WorkflowVersion>().SingleAsync(v => v.DefinitionName == "old");
            stored.GraphJson = stored.GraphJson.Replace("提醒", new StringBuilder(NestedIfs).Replace("\"", "\\\"").ToString(), StringComparison.Ordinal);
            await db.SaveChangesAsync();
        });
        var id = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("old", null, "cz.admin", default));
        var incident = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowIncident>().AsNoTracking().SingleAsync(i => i.InstanceId == id));
        Assert.Contains("Liquid 模板有误", incident.Message, StringComparison.Ordinal);
        Assert.Empty(await NotificationsAsync(host, tenant.Name));
    }
}

public sealed class HostileTemplatesOnSqlite(SqliteHostFixture host) : HostileTemplateTests<SqliteHostFixture>(host);

public sealed class HostileTemplatesOnPostgres(PostgresHostFixture host) : HostileTemplateTests<PostgresHostFixture>(host);
