using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Infrastructure;
using Verification.Workflows.Models;
using Verification.Workflows.Services;
using static Verification.Cms.Tests.Workflows.WorkflowDriver;

namespace Verification.Cms.Tests.Workflows;

/// <summary>Versions, crashes, faults and bad scripts: running instances keep their version, nothing completed runs twice, faults are incidents.</summary>
public sealed class WorkflowRuntimeTests(ClockHostFixture host) : IClassFixture<ClockHostFixture>
{
    private static string TaskThenNotify(string title) => $$$"""
    {
      "activities": [
        { "id": "accepted", "type": "CaseStateChanged", "props": { "to": "Accepted" } },
        { "id": "check", "type": "HumanTask", "props": { "title": "复查", "assignRole": "后台", "outcomes": ["好"] } },
        { "id": "tell", "type": "Notify", "props": { "toUser": "cz.admin", "title": "{{{title}}} {{ caseInfo.number }}" } }
      ],
      "transitions": [ { "from": "accepted", "outcome": "Done", "to": "check" }, { "from": "check", "outcome": "好", "to": "tell" } ]
    }
    """;

    private async Task<VerificationCase> AcceptedCaseAsync(TestTenant tenant, int n)
    {
        var household = PipelineDriver.ChangzhouHousehold("吴静", n);
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", household);
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.Accept));
        return c;
    }

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task PublishingVersionTwoLeavesRunningInstancesOnVersionOne()
    {
        host.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await host.CreateTenantAsync("changzhou");
        Assert.Equal(1, await PublishAsync(host, tenant.Name, "versioned", TaskThenNotify("第一版")));
        var first = await AcceptedCaseAsync(tenant, 980);
        Assert.Equal(2, await PublishAsync(host, tenant.Name, "versioned", TaskThenNotify("第二版")));
        var second = await AcceptedCaseAsync(tenant, 981);

        var instances = await InstancesAsync(host, tenant.Name, "versioned");
        Assert.Equal([1, 2], instances.Select(i => i.Version));
        foreach (var task in await TasksAsync(host, tenant.Name))
        {
            Assert.Null(await host.InTenantAsync(tenant.Name, async sp => await sp.GetRequiredService<TaskInbox>().CompleteAsync(task.Id, "好", null, await PrincipalAsync(sp, "cz.houtai1"), default)));
        }

        var titles = (await NotificationsAsync(host, tenant.Name)).Where(n => n.UserName == "cz.admin").Select(n => n.Title).ToList();
        Assert.Contains($"第一版 {first.Number}", titles);
        Assert.Contains($"第二版 {second.Number}", titles);
        Assert.Equal(2, titles.Count);

        // Published versions are immutable and every change is on the audit trail; the diff shows what changed.
        var (versions, audit) = await host.InTenantAsync(tenant.Name, async sp => (
            await sp.GetRequiredService<WorkflowDefinitions>().VersionsAsync("versioned", default),
            await sp.GetRequiredService<TenantDbContext>().Set<Verification.Cms.Audit.AuditEvent>().Where(e => e.SubjectId == "versioned").Select(e => e.Action).ToListAsync()));
        Assert.Contains("第一版", versions.Single(v => v.Version == 1).GraphJson, StringComparison.Ordinal);
        Assert.Equal(2, audit.Count(a => a == "workflow.published"));
        Assert.Equal(2, audit.Count(a => a == "workflow.draftSaved"));
        var diff = WorkflowDefinitions.Diff(versions.Single(v => v.Version == 1).GraphJson, versions.Single(v => v.Version == 2).GraphJson);
        Assert.Contains(diff, d => d.Kind == '-' && d.Line.Contains("第一版", StringComparison.Ordinal));
        Assert.Contains(diff, d => d.Kind == '+' && d.Line.Contains("第二版", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task ACrashMidRunResumesAfterTheLastCompletedActivityWithoutRepeatingIt()
    {
        host.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await host.CreateTenantAsync("changzhou");
        using var target = new LoopbackListener("/slow/");
        await PublishAsync(host, tenant.Name, "crash", $$"""
        {
          "activities": [
            { "id": "start", "type": "ManualStart" },
            { "id": "before", "type": "Notify", "props": { "toUser": "cz.admin", "title": "之前" } },
            { "id": "call", "type": "HttpRequest", "props": { "method": "POST", "url": "{{target.Url}}", "body": "{}", "timeoutSeconds": 30 } },
            { "id": "after", "type": "Notify", "props": { "toUser": "cz.admin", "title": "之后" } }
          ],
          "transitions": [ { "from": "start", "outcome": "Done", "to": "before" }, { "from": "before", "outcome": "Done", "to": "call" }, { "from": "call", "outcome": "Success", "to": "after" } ]
        }
        """);

        // The process dies while the HTTP call is out: the node's work is cancelled mid-activity.
        using var crash = new CancellationTokenSource();
        var run = host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("crash", null, "cz.admin", crash.Token));
        var hung = await target.AcceptAsync(TimeSpan.FromSeconds(30));
        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        hung.Response.Abort();

        var instance = Assert.Single(await InstancesAsync(host, tenant.Name, "crash"));
        Assert.Equal(InstanceStatus.Running, instance.Status);
        Assert.Contains("\"call\"", instance.ReadyJson, StringComparison.Ordinal);
        Assert.Equal(["之前"], (await NotificationsAsync(host, tenant.Name)).Select(n => n.Title));

        // Another round (after a restart, or on another node once the lease ran out) continues from the HTTP call.
        host.Clock.Advance(WorkflowRuntime.Lease + TimeSpan.FromSeconds(1));
        var answer = target.NextAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await SweepAsync(host, tenant.Name)).InstancesResumed);
        await answer;
        Assert.Equal(["之前", "之后"], (await NotificationsAsync(host, tenant.Name)).Select(n => n.Title));
        instance = Assert.Single(await InstancesAsync(host, tenant.Name, "crash"));
        Assert.Equal(InstanceStatus.Finished, instance.Status);
        var steps = await StepsAsync(host, tenant.Name, instance.Id);
        Assert.Equal(["start", "before", "call", "after"], steps.Select(s => s.ActivityId));
    }

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task AFaultIsAnIncidentThatStaffRetryAfterTheCauseIsFixed()
    {
        host.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await host.CreateTenantAsync("changzhou");
        var household = PipelineDriver.ChangzhouHousehold("黄蕾", 982);
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", household);
        await PublishAsync(host, tenant.Name, "needs-accept", """
        {
          "activities": [
            { "id": "start", "type": "ManualStart" },
            { "id": "check", "type": "Script", "props": { "script": "if (caseInfo.state !== 'Accepted') { throw new Error('案件尚未受理'); }\nreturn 'Done';" } },
            { "id": "tell", "type": "Notify", "props": { "toUser": "cz.admin", "title": "已受理 {{ caseInfo.number }}" } }
          ],
          "transitions": [ { "from": "start", "outcome": "Done", "to": "check" }, { "from": "check", "outcome": "Done", "to": "tell" } ]
        }
        """);
        var id = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("needs-accept", c.Id, "cz.admin", default));
        var incident = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowIncident>().AsNoTracking().SingleAsync(i => i.InstanceId == id));
        Assert.Equal("check", incident.ActivityId);
        Assert.Contains("案件尚未受理", incident.Message, StringComparison.Ordinal);
        Assert.Equal(InstanceStatus.Faulted, Assert.Single(await InstancesAsync(host, tenant.Name, "needs-accept")).Status);
        // A faulted instance is not picked up by the sweep on its own.
        Assert.Equal(0, (await SweepAsync(host, tenant.Name)).InstancesResumed);

        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.Accept));
        Assert.True(await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowRuntime>().RetryAsync(id, "cz.admin", default)));
        Assert.Equal(InstanceStatus.Finished, Assert.Single(await InstancesAsync(host, tenant.Name, "needs-accept")).Status);
        incident = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowIncident>().AsNoTracking().SingleAsync(i => i.InstanceId == id));
        Assert.Equal("cz.admin", incident.ResolvedBy);
        Assert.Contains(await NotificationsAsync(host, tenant.Name), n => n.Title == $"已受理 {c.Number}");
    }

    [Theory]
    [Trait("Req", "R-1.4")]
    [InlineData("return System.IO.File.ReadAllText('/etc/passwd');", "脚本出错")]
    [InlineData("return importNamespace('System.IO');", "脚本出错")]
    [InlineData("return this.constructor.constructor('return 1')();", "脚本")]
    [InlineData("return eval('1 + 1');", "脚本")]
    [InlineData("while (true) { }", "死循环")]
    [InlineData("var s = 'x'; while (true) { s = s + s; }", "内存")]
    [InlineData("var a = []; while (true) { a.push({ k: new Array(1000).join('x') }); }", "已停止")]
    [InlineData("function f() { return f(); } return f();", "递归")]
    [InlineData("return new Array(1e9).length;", "脚本")]
    public async Task ASandboxEscapeStopsWithAnIncidentAndTheHostGoesOn(string script, string expected)
    {
        host.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await host.CreateTenantAsync("changzhou");
        var graph = new JsonObject
        {
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "ManualStart" },
                new JsonObject { ["id"] = "escape", ["type"] = "Script", ["props"] = new JsonObject { ["script"] = script } }),
            ["transitions"] = new JsonArray(new JsonObject { ["from"] = "start", ["outcome"] = "Done", ["to"] = "escape" }),
        };
        await PublishAsync(host, tenant.Name, "escape", graph.ToJsonString());
        var id = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("escape", null, "cz.admin", default));
        var incident = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowIncident>().AsNoTracking().SingleAsync(i => i.InstanceId == id));
        Assert.Contains(expected, incident.Message, StringComparison.Ordinal);
        Assert.Equal(InstanceStatus.Faulted, Assert.Single(await InstancesAsync(host, tenant.Name, "escape")).Status);
        // The host still serves the tenant.
        using var client = host.ClientFor(tenant);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("login")).StatusCode);
    }

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task ARecipeWithABrokenWorkflowIsRefusedBeforeAnythingIsWrittenAndTheDesignerValidationExplainsWhy()
    {
        host.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await host.CreateTenantAsync("changzhou");
        var errors = await host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<WorkflowDefinitions>().Validate(WorkflowGraph.Parse("""
        {
          "activities": [
            { "id": "orphan", "type": "Notify", "props": { "title": "x" } },
            { "id": "start", "type": "CaseStateChanged", "props": { "to": "Accepted" } },
            { "id": "table", "type": "DecisionTable", "props": { "hitPolicy": "most", "inputs": [ { "expression": "1" } ], "rules": [ { "when": ["> abc", "-"], "result": "" } ] } },
            { "id": "nope", "type": "Teleport" },
            { "id": "cron", "type": "Timer", "props": { "cron": "every day" } }
          ],
          "transitions": [ { "from": "start", "outcome": "Later", "to": "table" }, { "from": "start", "outcome": "Done", "to": "ghost" }, { "from": "start", "outcome": "Done", "to": "cron" } ]
        }
        """))));
        Assert.Contains(errors, e => e.Contains("「orphan」", StringComparison.Ordinal) && e.Contains("只能从事件", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("通知需要接收用户或角色", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("命中策略", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("第 1 条规则有 2 个条件，应为 1 个", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("「> abc」无法识别", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("没有活动类型「Teleport」", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("cron 表达式无效", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("没有结果「Later」", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ghost", StringComparison.Ordinal));

        var recipe = new JsonObject
        {
            ["name"] = "broken-workflows",
            ["steps"] = new JsonArray(new JsonObject
            {
                ["name"] = "workflows",
                ["workflows"] = new JsonArray(
                    new JsonObject { ["file"] = "workflows/deadline-reminder.workflow.json", ["parameters"] = new JsonObject { ["clerkRole"] = "后台" } },
                    new JsonObject { ["file"] = "../secrets.workflow.json" },
                    new JsonObject { ["name"] = "Bad Name", ["title"] = "x", ["graph"] = new JsonObject { ["activities"] = new JsonArray() } }),
            }),
        };
        var problems = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var executor = sp.GetRequiredService<RecipeExecutor>();
            return await executor.ValidateAsync(RecipeReader.Parse(recipe.ToJsonString()), new RecipeRunOptions(), seedFromDatabase: true, default);
        });
        Assert.Contains(problems, p => p.Message.Contains("needs the parameter supervisorRole", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("is not a workflow file", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field.EndsWith(".name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("流程没有开始活动", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task TheDryRunEvaluatesConditionsAndTablesOnSampleDataAndWritesNothing()
    {
        host.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await host.CreateTenantAsync("changzhou");
        var (steps, instances) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var definitions = sp.GetRequiredService<WorkflowDefinitions>();
            var graph = WorkflowGraph.Parse(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "recipes", "workflows", "home-visit-decision.workflow.json")))!["graph"]!.ToJsonString()
                .Replace("%vehicleThreshold%", "100000", StringComparison.Ordinal).Replace("%depositThreshold%", "50000", StringComparison.Ordinal)
                .Replace("%clerkRole%", "后台", StringComparison.Ordinal).Replace("%supervisorRole%", "督查主任", StringComparison.Ordinal));
            var sample = (JsonObject)JsonNode.Parse("""{ "caseInfo": { "number": "2026-000001", "found": { "property.vehicle": 20000, "property.deposit": 80000 } } }""")!;
            var run = await definitions.DryRunAsync(graph, sample, default);
            return (run, await sp.GetRequiredService<TenantDbContext>().Set<WorkflowInstance>().CountAsync());
        });
        Assert.Equal(["comparing", "decide", "letter", "visit"], steps.Select(s => s.ActivityId));
        Assert.Equal("HomeVisit", steps[1].Outcome);
        Assert.Contains("\"matchedRules\":[2]", steps[1].Note, StringComparison.Ordinal);
        Assert.Contains("将在此等待", steps[3].Note, StringComparison.Ordinal);
        Assert.Equal(0, instances);
    }
}
