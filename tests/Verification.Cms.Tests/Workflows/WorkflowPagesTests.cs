using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Infrastructure;
using Verification.Workflows.Models;
using Verification.Workflows.Services;
using static Verification.Cms.Tests.Workflows.WorkflowDriver;

namespace Verification.Cms.Tests.Workflows;

/// <summary>The inbox and the workflow pages over HTTP, as staff use them: who sees what, claim, complete; designer errors in Chinese; permissions.</summary>
public sealed class WorkflowPagesTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    [Trait("Req", "R-1.4")]
    [Trait("Req", "R-2.1")]
    public async Task StaffClaimAndCompleteTasksInTheInboxAndOnlyAdministratorsReachTheDesigner()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await PublishAsync(host, tenant.Name, "check", """
        {
          "activities": [
            { "id": "accepted", "type": "CaseStateChanged", "props": { "to": "Accepted" } },
            { "id": "check", "type": "HumanTask", "props": { "title": "复核材料：{{ caseInfo.number }}", "assignRole": "后台", "orgUnit": "case", "dueWorkingDays": 2, "outcomes": ["材料齐全", "需补正"], "form": "home-visit" } },
            { "id": "tell", "type": "Notify", "props": { "toUser": "cz.qiantai1", "title": "{{ variables.event.outcome }}：{{ caseInfo.number }}" } }
          ],
          "transitions": [ { "from": "accepted", "outcome": "Done", "to": "check" }, { "from": "check", "outcome": "材料齐全", "to": "tell" } ]
        }
        """);
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", PipelineDriver.ChangzhouHousehold("冯刚", 995));
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.Accept));
        var instance = Assert.Single(await InstancesAsync(host, tenant.Name, "check"));
        var task = Assert.Single(await TasksAsync(host, tenant.Name), t => t.InstanceId == instance.Id);

        // The front desk has no inbox permission and no designer; the back office at the city centre sees the district's task.
        using (var front = host.ClientFor(tenant))
        {
            await front.SignInOrFailAsync("cz.qiantai1");
            foreach (var path in new[] { "tasks", "admin/workflows", "tasks/" + task.Id })
            {
                var refused = await front.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
                Assert.Contains("/access-denied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
            }
        }

        using var back = host.ClientFor(tenant);
        await back.SignInOrFailAsync("cz.houtai1");
        var inbox = await back.GetPageAsync("tasks");
        Assert.Contains($"复核材料：{c.Number}", inbox, StringComparison.Ordinal);
        // The case page lists what runs for the case.
        var casePage = await back.GetPageAsync("cases/" + c.Id);
        Assert.Contains($"复核材料：{c.Number}", casePage, StringComparison.Ordinal);
        Assert.Contains("admin/workflows/instances/" + instance.Id, casePage, StringComparison.Ordinal);
        var page = await back.GetPageAsync("tasks/" + task.Id);
        Assert.Contains("forms/home-visit/new", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await back.PostFormAsync("tasks/" + task.Id, $"tasks/{task.Id}/claim", [])).StatusCode);

        // The back office of another district neither sees the task nor can complete it.
        using (var other = host.ClientFor(tenant))
        {
            await other.SignInOrFailAsync("cz.houtai2");
            Assert.DoesNotContain($"复核材料：{c.Number}", await other.GetPageAsync("tasks"), StringComparison.Ordinal);
            Assert.DoesNotContain($"复核材料：{c.Number}", await other.GetPageAsync("tasks?view=unit"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("tasks/" + task.Id)).StatusCode);
            await other.PostFormAsync("tasks", $"tasks/{task.Id}/complete", [new("outcome", "材料齐全")]);
            Assert.Equal(Verification.Workflows.Models.TaskStatus.Open, (await TasksAsync(host, tenant.Name)).Single(t => t.Id == task.Id).Status);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await back.PostFormAsync("tasks/" + task.Id, $"tasks/{task.Id}/complete", [new("outcome", "材料齐全"), new("comment", "已核")])).StatusCode);
        var done = (await TasksAsync(host, tenant.Name)).Single(t => t.Id == task.Id);
        Assert.Equal(("材料齐全", "cz.houtai1", "已核"), (done.Outcome, done.CompletedBy, done.Comment));
        Assert.Equal(InstanceStatus.Finished, Assert.Single(await InstancesAsync(host, tenant.Name, "check")).Status);
        Assert.Contains(await NotificationsAsync(host, tenant.Name), n => n.UserName == "cz.qiantai1" && n.Title == $"材料齐全：{c.Number}");

        // The administrator's designer: publishing a broken graph is refused with the problems in Chinese, nothing published.
        using var admin = host.ClientFor(tenant);
        await admin.SignInOrFailAsync("cz.admin");
        var stamp = System.Text.RegularExpressions.Regex.Match(await admin.GetPageAsync("admin/workflows/check"), "name=\"stamp\" value=\"([0-9a-f]+)\"").Groups[1].Value;
        var response = await admin.PostFormAsync("admin/workflows/check", "admin/workflows/check",
        [
            new("title", "复核"), new("stamp", stamp), new("next", "publish"),
            new("graph", """{ "activities": [ { "id": "x", "type": "Notify", "props": {} } ], "transitions": [] }"""),
        ]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("通知需要接收用户或角色", body, StringComparison.Ordinal);
        Assert.Contains("只能从事件或 cron 定时开始", body, StringComparison.Ordinal);
        Assert.Equal(1, await host.InTenantAsync(tenant.Name, async sp => (await sp.GetRequiredService<WorkflowDefinitions>().FindAsync("check", default))!.PublishedVersion));
        Assert.Contains("材料齐全", await admin.GetPageAsync($"admin/workflows/instances/{done.InstanceId}"), StringComparison.Ordinal);
    }
}
