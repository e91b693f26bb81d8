using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Settings;
using Verification.Cms.Tenants;
using Verification.Cms.Tests.Infrastructure;
using Verification.OrgUnits.Models;

namespace Verification.Cms.Tests.Integration;

/// <summary>Tenants are set up completely by recipes, re-runs change nothing, exports round-trip .</summary>
public abstract class TenantSetupTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-1.1")]
    [Trait("Req", "R-2.1")]
    [Trait("Req", "R-2.2")]
    public async Task TheGuangzhouRecipeSetsUpTheCityCentreItsDistrictsStreetsPostsAndUsers()
    {
        var tenant = await host.CreateTenantAsync("guangzhou");
        var (site, units, roles, users) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return (
                await sp.GetRequiredService<SiteSettingsService>().GetAsync(default),
                await db.Set<OrgUnit>().ToListAsync(),
                await db.Roles.Select(r => r.Name!).ToListAsync(),
                await db.Users.CountAsync());
        });
        Assert.Equal(("440100", "city", "Asia/Shanghai", "zh-CN"), (site.DivisionCode, site.Level, site.TimeZone, site.DefaultLocale));
        Assert.Equal(11, units.Count(u => u.Level == "district" && u.ParentCode == "440100"));
        Assert.True(units.Count(u => u.ParentCode == "440106") >= 2);
        Assert.True(units.Count(u => u.ParentCode == "440104") >= 2);
        Assert.All(units.Where(u => u.Level == "street"), u => Assert.StartsWith("/440100/", u.Path, StringComparison.Ordinal));
        Assert.Superset(new HashSet<string> { "信息审核员", "技术保障员", "培训督导员", "统计分析员", "信息核对员" }, roles.ToHashSet());
        Assert.Equal(users, tenant.Logins.Keys.Count(k => !k.StartsWith("api:", StringComparison.Ordinal)));
        Assert.All(tenant.Logins.Values, p => Assert.True(p.Length >= 16));
        // Each department of the pipeline step gets an API key, reported once like the passwords.
        Assert.Equal(["api:gz-mzj", "api:th-mzj", "api:th-wushan", "api:th-ylbzj"], tenant.Logins.Keys.Where(k => k.StartsWith("api:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task RerunningARecipeChangesNothing()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var before = await CountsAsync(tenant.Name);
        var output = await host.Setup.RunRecipeAsync(tenant.Name, await RecipeAsync("changzhou"));
        var after = await CountsAsync(tenant.Name);
        Assert.Empty(output.Logins);
        Assert.Equal(before.Units, after.Units);
        Assert.Equal(before.Roles, after.Roles);
        Assert.Equal(before.Users, after.Users);
        Assert.Equal(before.RoleClaims, after.RoleClaims);
        Assert.Equal(before.Features, after.Features);
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task AnExportedRecipeSetsUpAnEquivalentTenant()
    {
        var source = await host.CreateTenantAsync("wuhan-jiangan");
        var exported = await host.InTenantAsync(source.Name, sp => sp.GetRequiredService<RecipeExporter>().ExportAsync(default));
        var copyName = "c" + Guid.NewGuid().ToString("N")[..10];
        await host.Setup.RegisterAsync(new NewTenant(copyName, null, copyName, null, "wuhan-jiangan"));
        var output = await host.Setup.SetupAsync(copyName, RecipeReader.Parse(exported.ToJsonString()), "import", new RecipeRunOptions());
        var reexported = await host.InTenantAsync(copyName, sp => sp.GetRequiredService<RecipeExporter>().ExportAsync(default));

        Assert.Equal(source.Logins.Keys.Order(), output.Logins.Select(l => l.UserName).Order());
        Assert.Equal(exported["steps"]!.ToJsonString(), reexported["steps"]!.ToJsonString());
        Assert.Contains("\"江岸区", exported.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task ABadRecipeIsRefusedNamingStepAndFieldAndLeavesNothingBehind()
    {
        const string bad = """
            { "name": "bad", "steps": [
              { "name": "feature", "enable": ["Verification.PublicSite"] },
              { "name": "settings", "displayName": "坏配方", "divisionCode": "4401", "level": "city" },
              { "name": "org-units", "units": [
                  { "code": "440100", "name": "市中心", "level": "city", "divisionCode": "440100" },
                  { "code": "440100", "name": "重复", "level": "city", "divisionCode": "440100" },
                  { "code": "440106", "name": "天河", "level": "district", "divisionCode": "440106", "parent": "440999" } ] },
              { "name": "roles", "roles": [ { "name": "管理员", "permissions": "AccessAdmin" } ] },
              { "name": "users", "users": [ { "userName": "x.admin", "displayName": "X", "roles": ["不存在"], "password": "Secret123!" } ] },
              { "name": "launch-rockets" } ] }
            """;
        var name = "b" + Guid.NewGuid().ToString("N")[..10];
        await host.Setup.RegisterAsync(new NewTenant(name, null, name, null, "changzhou"));
        var errors = (await Assert.ThrowsAsync<RecipeValidationException>(() => host.Setup.SetupAsync(name, RecipeReader.Parse(bad), "bad", new RecipeRunOptions()))).Errors;

        Assert.Contains(errors, e => e is { Step: "settings", Field: "divisionCode" });
        Assert.Contains(errors, e => e is { Step: "org-units", Field: "units[1].code" } && e.Message.Contains("Duplicate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Step: "org-units", Field: "units[2].parent" });
        Assert.Contains(errors, e => e is { Step: "roles", Field: "roles[0].permissions" });
        Assert.Contains(errors, e => e is { Step: "users", Field: "users[0].password" });
        Assert.Contains(errors, e => e is { Step: "users", Field: "users[0].roles[0]" });
        Assert.Contains(errors, e => e is { Step: "launch-rockets", StepIndex: 5, Field: "name" });

        var settings = host.ShellHost.Find(name)!;
        Assert.Equal(TenantState.Uninitialized, settings.State);
        Assert.Contains("divisionCode", settings.SetupError, StringComparison.Ordinal);
        Assert.False(await HasTablesAsync(settings));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync($"/{name}/login")).StatusCode);

        // Fixed and retried: the same tenant sets up.
        await host.Setup.SetupAsync(name, "changzhou");
        Assert.Equal(TenantState.Running, host.ShellHost.Find(name)!.State);
        Assert.Null(host.ShellHost.Find(name)!.SetupError);
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task CollidingOrUnsafeTenantNamesAreRefused()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await Assert.ThrowsAsync<TenantRequestException>(() => host.Setup.RegisterAsync(new NewTenant(tenant.Name, null, "other", null, "changzhou")));
        await Assert.ThrowsAsync<TenantRequestException>(() => host.Setup.RegisterAsync(new NewTenant("other-" + tenant.Name[..5], null, tenant.Name, null, "changzhou")));
        await Assert.ThrowsAsync<TenantRequestException>(() => host.Setup.RegisterAsync(new NewTenant("../x", null, "x", null, "changzhou")));
        await Assert.ThrowsAsync<TenantRequestException>(() => host.Setup.RegisterAsync(new NewTenant("okname", null, "a/b", null, "changzhou")));
        await Assert.ThrowsAsync<TenantRequestException>(() => host.Setup.RegisterAsync(new NewTenant("okname", null, "okname", null, "../../etc/passwd")));
        Assert.Null(host.ShellHost.Find("okname"));
    }

    [Fact]
    [Trait("Req", "R-1.3")]
    public async Task EnablingAFeatureTakesEffectWithoutARestart()
    {
        const string minimal = """{ "name": "min", "steps": [ { "name": "settings", "displayName": "最小", "divisionCode": "320400", "level": "city" } ] }""";
        var name = "f" + Guid.NewGuid().ToString("N")[..10];
        await host.Setup.RegisterAsync(new NewTenant(name, null, name, null, "changzhou"));
        await host.Setup.SetupAsync(name, RecipeReader.Parse(minimal), "min", new RecipeRunOptions());
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/{name}/")).StatusCode);

        await host.InTenantAsync(name, sp => sp.GetRequiredService<Modules.FeatureManager>().EnableAsync(["Verification.PublicSite"], reloadShell: true, default));
        var page = await client.GetAsync($"/{name}/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("最小", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await host.InTenantAsync(name, sp => sp.GetRequiredService<Modules.FeatureManager>().DisableAsync("Verification.PublicSite", reloadShell: true, default));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/{name}/")).StatusCode);
        var actions = await host.InTenantAsync(name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.Where(a => a.Category == AuditCategories.Features).Select(a => a.Action).ToListAsync());
        Assert.Contains("feature.enabled", actions);
        Assert.Contains("feature.disabled", actions);
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task ADisabledTenantIsNotServedAndARemovedOneIsArchivedNotDestroyed()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var client = host.CreateClient();
        await host.Setup.DisableAsync(tenant.Name);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/{tenant.Name}/login")).StatusCode);
        await host.Setup.EnableAsync(tenant.Name);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/{tenant.Name}/login")).StatusCode);

        var settings = host.ShellHost.Find(tenant.Name)!;
        var archive = await host.Setup.ArchiveAsync(tenant.Name, default);
        Assert.Null(host.ShellHost.Find(tenant.Name));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/{tenant.Name}/login")).StatusCode);
        Assert.True(Directory.Exists(archive));
        if (settings.DatabaseProvider == DatabaseProvider.Sqlite)
        {
            Assert.True(File.Exists(Path.Combine(archive, "tenant.db")));
        }
        else
        {
            Assert.True(await HasTablesAsync(settings), "the archived schema keeps its tables");
        }

        await Assert.ThrowsAsync<TenantRequestException>(() => host.Setup.RegisterAsync(new NewTenant(tenant.Name, null, tenant.Name + "x", null, "changzhou")));
    }

    [Fact]
    [Trait("Req", "R-1.1")]
    public async Task SettingsEditsDetectAConcurrentChange()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var service = sp.GetRequiredService<SiteSettingsService>();
            var read = await service.GetAsync(default);
            var stale = read.ConcurrencyStamp;
            read.DisplayName = "第一次修改";
            Assert.True(await service.SaveAsync(read, stale, default));
            read.DisplayName = "第二次修改";
            Assert.False(await service.SaveAsync(read, stale, default));
            Assert.Equal("第一次修改", (await service.GetAsync(default)).DisplayName);
        });
    }

    private async Task<Recipe> RecipeAsync(string name) => await Task.FromResult(host.Services.GetRequiredService<RecipeCatalog>().Get(name));

    private Task<(int Units, int Roles, int Users, int RoleClaims, int Features)> CountsAsync(string tenant) =>
        host.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return (await db.Set<OrgUnit>().CountAsync(), await db.Roles.CountAsync(), await db.Users.CountAsync(), await db.RoleClaims.CountAsync(), await db.ShellFeatures.CountAsync());
        });

    private async Task<bool> HasTablesAsync(ShellSettings settings)
    {
        var database = new TenantDatabase(settings, Path.Combine(host.AppData, "Sites", settings.Name));
        if (database.FilePath is not null)
        {
            return File.Exists(database.FilePath);
        }

        await using var connection = new Npgsql.NpgsqlConnection(host.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = @s";
        command.Parameters.AddWithValue("s", settings.Schema!);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}

public sealed class TenantSetupOnSqlite(SqliteHostFixture host) : TenantSetupTests<SqliteHostFixture>(host);

public sealed class TenantSetupOnPostgres(PostgresHostFixture host) : TenantSetupTests<PostgresHostFixture>(host);
