using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Infrastructure;
using Verification.Contents.Models;

namespace Verification.Cms.Tests.Integration;

/// <summary>Content types as data and content items with drafts, publishing and history .</summary>
public abstract partial class ContentTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-1.2")]
    [Trait("Req", "R-19.1")]
    public async Task TheRecipeShipsPublicNoticesAndStandardsAndKeepsTrainingMaterialInternal()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var visitor = host.ClientFor(tenant);
        var home = await visitor.GetPageAsync("");
        Assert.Contains("最新公告", home, StringComparison.Ordinal);
        Assert.Contains("关于开展2026年度居民家庭经济状况集中核对工作的通知", home, StringComparison.Ordinal);

        var list = await visitor.GetPageAsync("content/PolicyNotice");
        Assert.Contains("关于规范使用居民经济状况信息核对授权书的提示", list, StringComparison.Ordinal);
        Assert.Contains("content/StandardDocument\">标准规范</a>", list, StringComparison.Ordinal);
        var notice = await visitor.GetPageAsync("content/PolicyNotice/notice-2026-annual-check");
        Assert.Contains("常民核〔2026〕1号 · 常州市居民家庭经济状况核对中心 · 2026-03-02", notice, StringComparison.Ordinal);
        Assert.Contains("<strong>涉及救助事项：</strong>最低生活保障、特困人员救助供养", notice, StringComparison.Ordinal);
        var standard = await visitor.GetPageAsync("content/StandardDocument/std-db32-3319");
        Assert.Contains("DB32/T 3319—2017 申请救助家庭经济状况核对服务规范", standard, StringComparison.Ordinal);
        Assert.Contains("地方标准 · 现行 · 2017-12-30 实施", standard, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("content/TrainingMaterial")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("content/TrainingMaterial/training-deadlines")).StatusCode);

        // Re-running the recipe makes no new type or item versions.
        var before = await CountsAsync(tenant);
        await host.Setup.RunRecipeAsync(tenant.Name, host.Services.GetRequiredService<RecipeCatalog>().Get("changzhou"));
        Assert.Equal(before, await CountsAsync(tenant));

        var exported = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<RecipeExporter>().ExportAsync(default));
        var steps = exported["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("content-definitions", steps);
        Assert.Contains("content", steps);
    }

    [Fact]
    [Trait("Req", "R-1.2")]
    [Trait("Req", "R-18.5")]
    public async Task AnEditorDraftsPublishesEditsRestoresAndUnpublishesWhileThePublicSeesOnlyThePublishedVersion()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        using var visitor = host.ClientFor(tenant);

        var saved = await admin.PostMultipartAsync("admin/content/new/PolicyNotice", "admin/content/save",
        [
            new("type", "PolicyNotice"), new("action", "save"), new("title", "<script>alert(1)</script>低保标准调整公告"),
            new("documentNumber", "常民发〔2026〕8号"), new("body", "<p onclick=\"alert(2)\">自2026年7月1日起，城乡低保标准调整为每人每月1180元。</p><script>alert(3)</script><img src=x onerror=alert(4)>"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"content/PolicyNotice/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"admin/content/{id}", $"admin/content/{id}/publish", [])).StatusCode);
        var page = await visitor.GetPageAsync($"content/PolicyNotice/{id}");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;低保标准调整公告", page, StringComparison.Ordinal);
        Assert.Contains("城乡低保标准调整为每人每月1180元", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("onclick", page, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", page, StringComparison.Ordinal);

        // An edit after publishing is a new draft version; the public keeps seeing version 1.
        saved = await admin.PostMultipartAsync($"admin/content/{id}", "admin/content/save",
            [new("type", "PolicyNotice"), new("id", id), new("action", "save"), new("title", "低保标准调整公告（修订）"), new("body", "<p>调整为每人每月1200元。</p>")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        page = await visitor.GetPageAsync($"content/PolicyNotice/{id}");
        Assert.Contains("1180元", page, StringComparison.Ordinal);
        Assert.DoesNotContain("1200元", page, StringComparison.Ordinal);
        var history = await admin.GetPageAsync($"admin/content/{id}/versions");
        Assert.Contains("v2", history, StringComparison.Ordinal);
        var v2 = await admin.GetPageAsync($"admin/content/{id}/versions/2");
        Assert.Contains("1200元", v2, StringComparison.Ordinal);

        // Restoring version 1 replaces the unpublished draft (version 2) with version 1's data; publishing it shows it.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"admin/content/{id}/versions", $"admin/content/{id}/restore/1", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"admin/content/{id}", $"admin/content/{id}/publish", [])).StatusCode);
        var (latest, published) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var item = await sp.GetRequiredService<TenantDbContext>().Set<ContentItemRecord>().SingleAsync(i => i.Id == id);
            return (item.LatestVersion, item.PublishedVersion);
        });
        Assert.Equal((2, 2), (latest, published));
        Assert.Contains("1180元", await visitor.GetPageAsync($"content/PolicyNotice/{id}"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"admin/content/{id}", $"admin/content/{id}/unpublish", [])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"content/PolicyNotice/{id}")).StatusCode);

        var actions = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.Where(a => a.SubjectType == "content" && a.SubjectId == id).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync());
        Assert.Equal(["content.saved", "content.published", "content.saved", "content.saved", "content.published", "content.unpublished"], actions);
        Assert.Contains("1180元", await admin.GetPageAsync($"admin/content/{id}/versions/1"), StringComparison.Ordinal);

        // Another tenant does not know the item.
        var other = await host.CreateTenantAsync("wuhan-jiangan");
        using var otherAdmin = host.ClientFor(other);
        await otherAdmin.SignInOrFailAsync("whj.admin");
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.GetAsync($"admin/content/{id}")).StatusCode);
    }

    [Fact]
    [Trait("Req", "R-1.2")]
    public async Task ANewRequiredFieldAppliesToNewSavesWhileOldVersionsKeepTheirTypeVersion()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var typeVersion = await TypeVersionAsync(tenant, "TrainingMaterial");

        var fields = """
            { "name": "content-trainingmaterial", "title": "培训资料", "pages": [ { "title": "字段", "fields": [
              { "key": "trainingKind", "type": "choice", "label": "培训类别", "required": true, "options": [ { "value": "induction", "label": "岗前培训" } ] },
              { "key": "examPassMark", "type": "number", "label": "考试合格分数", "required": true, "min": 0, "max": 100 } ] } ] }
            """;
        var response = await PostJsonAsync(admin, "admin/content-types/TrainingMaterial", "admin/content-types/TrainingMaterial/fields", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(typeVersion + 1, await TypeVersionAsync(tenant, "TrainingMaterial"));

        // A definition with a broken rule is refused with its place named, and nothing changes.
        var broken = fields.Replace("\"min\": 0", "\"visibleIf\": \"nosuchfield == 1\"", StringComparison.Ordinal);
        response = await PostJsonAsync(admin, "admin/content-types/TrainingMaterial", "admin/content-types/TrainingMaterial/fields", broken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nosuchfield", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(typeVersion + 1, await TypeVersionAsync(tenant, "TrainingMaterial"));

        var refused = await admin.PostMultipartAsync("admin/content/training-deadlines", "admin/content/save",
            [new("type", "TrainingMaterial"), new("id", "training-deadlines"), new("action", "save"), new("title", "核对时限"), new("trainingKind", "induction")]);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("考试合格分数为必填项", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Version 1 was made with the earlier type version and still shows its fields.
        var v1 = await admin.GetPageAsync("admin/content/training-deadlines/versions/1");
        Assert.Contains($"类型版本 {typeVersion}", v1.Replace("按类型版本 ", "类型版本 ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("核对工作应在受理之日起 15 个工作日内完成", v1, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-1.2")]
    public async Task TypeSettingsDecideDraftsAndVersionsAndEachTenantHasItsOwnDisplayTemplate()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var other = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");

        // Not draftable, not versionable: every save publishes and edits the one version in place.
        var settings = await admin.PostFormAsync("admin/content-types/PolicyNotice", "admin/content-types/PolicyNotice",
        [
            new("displayName", "通知公告"), new("partNames", "TitlePart"), new("partNames", "BodyPart"),
            new("settings.creatable", "true"), new("settings.listable", "true"), new("settings.draftable", "false"), new("settings.versionable", "false"), new("settings.public", "true"),
            new("displayTemplate", "<h1 class=\"cz-notice\">{{ item.title }}</h1><div>{{ item.body | raw }}</div>"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
        var saved = await admin.PostMultipartAsync("admin/content/new/PolicyNotice", "admin/content/save", [new("type", "PolicyNotice"), new("action", "save"), new("title", "办公地点变更"), new("body", "<p>迁至新址。</p>")]);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];
        await admin.PostMultipartAsync($"admin/content/{id}", "admin/content/save", [new("type", "PolicyNotice"), new("id", id), new("action", "save"), new("title", "办公地点变更（更正）"), new("body", "<p>迁至新址。</p>")]);
        var versions = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ContentItemVersionRecord>().CountAsync(v => v.ItemId == id));
        Assert.Equal(1, versions);

        using var visitor = host.ClientFor(tenant);
        Assert.Contains("<h1 class=\"cz-notice\">办公地点变更（更正）</h1>", await visitor.GetPageAsync($"content/PolicyNotice/{id}"), StringComparison.Ordinal);
        using var otherVisitor = host.ClientFor(other);
        Assert.DoesNotContain("cz-notice", await otherVisitor.GetPageAsync("content/PolicyNotice/notice-2026-annual-check"), StringComparison.Ordinal);

        // A template that does not parse is refused and the type keeps its last good version.
        var broken = await admin.PostFormAsync("admin/content-types/PolicyNotice", "admin/content-types/PolicyNotice",
            [new("displayName", "通知公告"), new("partNames", "TitlePart"), new("displayTemplate", "{% for x in %}")]);
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.Contains("Liquid", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A front-desk clerk may not edit content.
        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        Assert.Contains("access-denied", (await clerk.GetAsync("admin/content")).Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-1.2")]
    public async Task ALookupFieldOffersThePublishedItemsOfItsTypeAndRefusesOthers()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse("""
            { "name": "lookup-test", "steps": [ { "name": "forms", "forms": [ { "publish": true, "definition":
              { "name": "training-record", "title": "培训记录", "pages": [ { "title": "培训", "fields": [
                { "key": "material", "type": "lookup", "lookup": "TrainingMaterial", "label": "学习资料", "required": true } ] } ] } } ] } ] }
            """));
        using var clerk = host.ClientFor(tenant);
        await clerk.SignInOrFailAsync("cz.qiantai1");
        var page = await clerk.GetPageAsync("forms/training-record/new");
        Assert.Contains("<option value=\"training-deadlines\">核对时限与工作日计算</option>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("notice-2026-annual-check", page, StringComparison.Ordinal);

        var refused = await clerk.PostFormAsync("forms/training-record/new", "forms/training-record/save", [new("page", "0"), new("action", "submit"), new("material", "notice-2026-annual-check")]);
        Assert.Contains("学习资料：请从选项中选择一项。", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var accepted = await clerk.PostFormAsync("forms/training-record/new", "forms/training-record/save", [new("page", "0"), new("action", "submit"), new("material", "training-deadlines")]);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("核对时限与工作日计算", await clerk.GetPageAsync(accepted.Headers.Location!.OriginalString[tenant.PathBase.Length..]), StringComparison.Ordinal);
    }

    private Task<(int Types, int Versions, int Items)> CountsAsync(TestTenant tenant) => host.InTenantAsync(tenant.Name, async sp =>
    {
        var db = sp.GetRequiredService<TenantDbContext>();
        return (await db.Set<ContentTypeVersionRecord>().CountAsync(), await db.Set<ContentItemVersionRecord>().CountAsync(), await db.Set<ContentItemRecord>().CountAsync());
    });

    private Task<int> TypeVersionAsync(TestTenant tenant, string type) =>
        host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ContentTypeRecord>().Where(t => t.Name == type).Select(t => t.Version).SingleAsync());

    private static async Task<HttpResponseMessage> PostJsonAsync(TenantClient client, string pagePath, string actionPath, string json)
    {
        var request = client.WithHost(new HttpRequestMessage(HttpMethod.Post, client.Url(actionPath)) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") });
        request.Headers.Add("RequestVerificationToken", await client.TokenAsync(pagePath));
        return await client.Http.SendAsync(request);
    }
}

public sealed class ContentOnSqlite(SqliteHostFixture host) : ContentTests<SqliteHostFixture>(host);

public sealed class ContentOnPostgres(PostgresHostFixture host) : ContentTests<PostgresHostFixture>(host);
