using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Audit;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>Sign-in, permissions, org scoping and the two-person rule for security changes .</summary>
public abstract partial class SecurityTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-2.4")]
    [Trait("Req", "R-18.1")]
    public async Task ANewUserExistsOnlyAfterASecondAdministratorApproves()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var requester = host.ClientFor(tenant);
        await requester.SignInOrFailAsync("cz.admin");
        var filed = await requester.PostFormAsync("admin/users/new", "admin/users/new",
        [
            new("UserName", "cz.new1"), new("DisplayName", "王芳"), new("OrgUnit", "320402"), new("Roles", "前台"), new("Reason", "新入职"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        Assert.False((await requester.SignInAsync("cz.new1", "whatever-Pass1!")).StatusCode == HttpStatusCode.Redirect);

        var requestId = await PendingRequestIdAsync(tenant.Name, "cz.new1");
        var selfApproval = await requester.PostFormAsync("admin/approvals", $"admin/approvals/{requestId}/approve", []);
        Assert.Equal(HttpStatusCode.Redirect, selfApproval.StatusCode);
        Assert.False(await UserExistsAsync(tenant.Name, "cz.new1"), "the requester cannot approve their own request");

        using var approver = host.ClientFor(tenant);
        await approver.SignInOrFailAsync("cz.admin2");
        var approved = await approver.PostFormAsync("admin/approvals", $"admin/approvals/{requestId}/approve", [new("note", "同意")]);
        var page = await approved.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var password = WebUtility.HtmlDecode(PasswordPattern().Match(page).Groups[1].Value);
        Assert.True(password.Length >= 16);
        Assert.True(await UserExistsAsync(tenant.Name, "cz.new1"));

        using var newcomer = host.ClientFor(tenant);
        await newcomer.SignInOrFailAsync("cz.new1", password);
        var actions = await AuditActionsAsync(tenant.Name);
        Assert.Contains("security.change.requested", actions);
        Assert.Contains("security.change.approved", actions);
        Assert.Contains("user.created", actions);
    }

    [Fact]
    [Trait("Req", "R-2.4")]
    public async Task ARolePermissionChangeWaitsForApprovalAndThenApplies()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var qiantai = host.ClientFor(tenant);
        await qiantai.SignInOrFailAsync("cz.qiantai1");
        Assert.Equal(HttpStatusCode.Redirect, (await qiantai.GetAsync("admin/audit")).StatusCode);

        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var role = "前台";
        var current = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Users.Services.RoleService>().FindAsync(role, default));
        var fields = current!.Permissions.Append("ViewAuditTrail").Select(p => new KeyValuePair<string, string>("selected", p))
            .Append(new("name", role)).Append(new("description", current.Description));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("admin/roles/edit?name=" + Uri.EscapeDataString(role), "admin/roles/edit", fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await qiantai.GetAsync("admin/audit")).StatusCode);

        using var approver = host.ClientFor(tenant);
        await approver.SignInOrFailAsync("cz.admin2");
        var id = await PendingRequestIdAsync(tenant.Name, role);
        Assert.Equal(HttpStatusCode.Redirect, (await approver.PostFormAsync("admin/approvals", $"admin/approvals/{id}/approve", [])).StatusCode);

        // Permissions are read fresh on each request: no new sign-in needed.
        Assert.Equal(HttpStatusCode.OK, (await qiantai.GetAsync("admin/audit")).StatusCode);
    }

    [Fact]
    [Trait("Req", "R-2.1")]
    public async Task AUserSeesOnlyTheUsersOfTheirUnitAndBelow()
    {
        var tenant = await host.CreateTenantAsync("guangzhou");
        var password = await host.InTenantAsync(tenant.Name, async sp =>
        {
            // A district reviewer of 天河 (440106) with the right to view users.
            var accounts = sp.GetRequiredService<Verification.Users.Services.UserAccountService>();
            var roles = sp.GetRequiredService<Verification.Users.Services.RoleService>();
            await roles.UpsertAsync("区级查看", "test", ["AccessAdmin", "ViewUsers"], default);
            var password = await accounts.CreateAsync(new("th.viewer", "天河查看员", null, "440106", ["区级查看"]), isDemo: false, default);
            await accounts.CreateAsync(new("th.street1", "石牌街道员", null, "440106002", ["区级查看"]), isDemo: false, default);
            await accounts.CreateAsync(new("yx.street1", "北京街道员", null, "440104001", ["区级查看"]), isDemo: false, default);
            return password;
        });
        using var viewer = host.ClientFor(tenant);
        await viewer.SignInOrFailAsync("th.viewer", password);
        var list = await viewer.GetPageAsync("admin/users");
        Assert.Contains("th.street1", list, StringComparison.Ordinal);
        Assert.DoesNotContain("yx.street1", list, StringComparison.Ordinal);
        Assert.DoesNotContain("gz.admin", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("admin/users/yx.street1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("admin/users/th.street1")).StatusCode);
        Assert.Contains("user.viewed", await AuditActionsAsync(tenant.Name));
    }

    [Fact]
    [Trait("Req", "R-18.4")]
    public async Task FiveWrongPasswordsLockTheAccount()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var client = host.ClientFor(tenant);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync("cz.houtai1", "Wrong-password-1")).StatusCode);
        }

        var locked = await client.SignInAsync("cz.houtai1");
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("15", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("login.locked-out", await AuditActionsAsync(tenant.Name));
    }

    [Fact]
    [Trait("Req", "R-18.1")]
    public async Task FormPostsWithoutAnAntiforgeryTokenAreRefused()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var client = host.ClientFor(tenant);
        var response = await client.Http.PostAsync(client.Url("login"), new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "cz.admin", ["Password"] = tenant.Logins["cz.admin"] }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    [Trait("Req", "R-18.1")]
    public async Task TheAuditTrailRecordsWhoWhenWhatAndWhereAndVerifies()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var client = host.ClientFor(tenant);
        await client.SignInOrFailAsync("cz.admin");
        var events = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.OrderBy(a => a.Sequence).ToListAsync());
        var login = events.Last(e => e.Action == "login.succeeded");
        Assert.Equal("cz.admin", login.Actor);
        // The IP address needs a real socket; the browser test checks it over Kestrel.
        Assert.Equal($"/{tenant.Name}/login", login.RequestPath);
        Assert.Contains(events, e => e.Action == "recipe.run");
        Assert.Contains(events, e => e.Action == "role.created");

        var verified = await client.PostFormAsync("admin/audit", "admin/audit/verify", []);
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        var page = await client.GetPageAsync("admin/audit");
        Assert.Contains("alert success", page, StringComparison.Ordinal);
        var csv = await (await client.GetAsync("admin/audit/export?category=security")).Content.ReadAsStringAsync();
        Assert.Contains("login.succeeded", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("recipe.run", csv, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Req", "R-2.4")]
    [Trait("Req", "R-18.1")]
    public async Task ARecipeImportChangesNobodysAccessUntilASecondAdministratorApproves()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        // One administrator alone tries to make a second administrator, promote a clerk, move her to the city
        // centre and give the front desk the right to approve security changes.
        var recipe = """
            { "name": "takeover", "steps": [
              { "name": "roles", "roles": [ { "name": "前台", "permissions": ["AccessAdmin", "ApproveSecurityChanges", "ManageUsers"] } ] },
              { "name": "users", "users": [
                { "userName": "cz.shadow", "displayName": "影子管理员", "orgUnit": "320400", "roles": ["系统管理员"] },
                { "userName": "cz.qiantai1", "displayName": "前台一", "orgUnit": "320400", "roles": ["系统管理员"] } ] } ] }
            """;
        var imported = await admin.PostMultipartAsync("admin/recipes", "admin/recipes/import", [], ("file", "takeover.json", System.Text.Encoding.UTF8.GetBytes(recipe)));
        var page = WebUtility.HtmlDecode(await imported.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Contains("待另一名管理员批准", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cz.shadow\t", page, StringComparison.Ordinal);

        // Nothing took effect.
        Assert.False(await UserExistsAsync(tenant.Name, "cz.shadow"));
        var clerk = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Users.Services.UserAccountService>().FindAsync("cz.qiantai1", default));
        Assert.Equal(("320402", "前台"), (clerk!.OrgUnitCode, Assert.Single(clerk.Roles)));
        var frontDesk = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Users.Services.RoleService>().FindAsync("前台", default));
        Assert.DoesNotContain("ApproveSecurityChanges", frontDesk!.Permissions);
        var pending = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<Verification.Users.Models.SecurityChangeRequest>().AsNoTracking()
            .Where(r => r.Status == Verification.Users.Models.SecurityChangeStatus.Pending).ToListAsync());
        Assert.Equal(
            ["ChangeRolePermissions:前台", "ChangeUserOrgUnit:cz.qiantai1", "ChangeUserRoles:cz.qiantai1", "CreateUser:cz.shadow"],
            pending.Select(r => $"{r.Kind}:{r.Subject}").Order(StringComparer.Ordinal));
        Assert.All(pending, r => Assert.Equal("cz.admin", r.RequestedBy));

        // The importer cannot approve them; the second administrator can, and the new password goes to the approver only.
        var create = pending.Single(r => r.Subject == "cz.shadow").Id;
        await admin.PostFormAsync("admin/approvals", $"admin/approvals/{create}/approve", []);
        Assert.False(await UserExistsAsync(tenant.Name, "cz.shadow"));
        using var approver = host.ClientFor(tenant);
        await approver.SignInOrFailAsync("cz.admin2");
        var approved = await approver.PostFormAsync("admin/approvals", $"admin/approvals/{pending.Single(r => r.Kind == Verification.Users.Models.SecurityChangeKind.ChangeUserOrgUnit).Id}/approve", []);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        clerk = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Users.Services.UserAccountService>().FindAsync("cz.qiantai1", default));
        Assert.Equal("320400", clerk!.OrgUnitCode);
        Assert.Contains("user.orgunit.changed", await AuditActionsAsync(tenant.Name));
    }

    [Fact]
    [Trait("Req", "R-2.4")]
    public async Task NoApproverApprovesAChangeToTheirOwnAccount()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("admin/users/cz.admin2", "admin/users/cz.admin2/roles", [new("roles", "系统管理员"), new("roles", "督查主任"), new("reason", "兼任")])).StatusCode);
        var id = await PendingRequestIdAsync(tenant.Name, "cz.admin2");
        using var self = host.ClientFor(tenant);
        await self.SignInOrFailAsync("cz.admin2");
        var refused = await self.PostFormAsync("admin/approvals", $"admin/approvals/{id}/approve", []);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("不能批准涉及本人账号的变更", WebUtility.HtmlDecode(await self.GetPageAsync("admin/approvals")), StringComparison.Ordinal);
        var roles = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Users.Services.UserAccountService>().FindAsync("cz.admin2", default));
        Assert.Equal(["系统管理员"], roles!.Roles);
    }

    private Task<string> PendingRequestIdAsync(string tenant, string subject) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Set<Verification.Users.Models.SecurityChangeRequest>()
            .Where(r => r.Subject == subject && r.Status == Verification.Users.Models.SecurityChangeStatus.Pending).Select(r => r.Id).SingleAsync());

    private Task<bool> UserExistsAsync(string tenant, string userName) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Users.AnyAsync(u => u.UserName == userName));

    private Task<List<string>> AuditActionsAsync(string tenant) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().AuditEvents.Select(a => a.Action).ToListAsync());

    [GeneratedRegex("id=\"initial-password\">([^<]+)<")]
    private static partial Regex PasswordPattern();
}

public sealed class SecurityOnSqlite(SqliteHostFixture host) : SecurityTests<SqliteHostFixture>(host);

public sealed class SecurityOnPostgres(PostgresHostFixture host) : SecurityTests<PostgresHostFixture>(host);
