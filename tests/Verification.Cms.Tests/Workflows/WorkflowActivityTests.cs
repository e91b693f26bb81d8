using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Infrastructure;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Cms.Tests.Workflows;

/// <summary>Every activity in one workflow run on a real case, with a real HTTP target and a signal over HTTP (R-1.4).</summary>
public abstract class WorkflowActivityTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    private const string Graph = """
    {
      "activities": [
        { "id": "start", "type": "ManualStart" },
        { "id": "set", "type": "SetVariable", "props": { "name": "x", "value": "2" } },
        { "id": "if", "type": "IfElse", "props": { "condition": "variables.x > 1 && caseInfo.state === 'IntakeReview'" } },
        { "id": "small", "type": "Notify", "props": { "toUser": "cz.houtai1", "title": "走错分支" } },
        { "id": "script", "type": "Script", "props": { "script": "variables.y = variables.x * 10; return variables.y > 10 ? 'Big' : 'Small';", "outcomes": ["Big", "Small"] } },
        { "id": "fork", "type": "Fork", "props": { "branches": ["A", "B"] } },
        { "id": "notify", "type": "Notify", "props": { "toUser": "cz.houtai1", "title": "案件 {{ caseInfo.number }} 需要关注", "body": "y = {{ variables.y }}" } },
        { "id": "http", "type": "HttpRequest", "props": { "method": "POST", "url": "%URL%", "body": "{\"caseInfo\":\"{{ caseInfo.number }}\",\"y\":{{ variables.y }}}", "output": "response" } },
        { "id": "join", "type": "Join", "props": { "mode": "all" } },
        { "id": "table", "type": "DecisionTable", "props": { "hitPolicy": "collect", "inputs": [ { "label": "y", "expression": "variables.y" }, { "label": "事项", "expression": "caseInfo.serviceItem" } ],
            "rules": [ { "when": [">= 10", "-"], "result": "AtLeastTen" }, { "when": ["[0..5]", "-"], "result": "Small" }, { "when": ["-", "ah,aa"], "result": "Item" } ], "output": "hits" } },
        { "id": "signal", "type": "Signal", "props": { "signal": "visit-done" } },
        { "id": "letter", "type": "GenerateLetter", "props": { "title": "入户调查结果告知（{{ caseInfo.number }}）", "template": "<p>入户调查结果：{{ variables.event.result }}</p>" } },
        { "id": "move", "type": "MoveCase", "props": { "trigger": "SupplementOverdue", "note": "补正逾期" } }
      ],
      "transitions": [
        { "from": "start", "outcome": "Done", "to": "set" },
        { "from": "set", "outcome": "Done", "to": "if" },
        { "from": "if", "outcome": "False", "to": "small" },
        { "from": "if", "outcome": "True", "to": "script" },
        { "from": "script", "outcome": "Big", "to": "fork" },
        { "from": "fork", "outcome": "A", "to": "notify" },
        { "from": "fork", "outcome": "B", "to": "http" },
        { "from": "notify", "outcome": "Done", "to": "join" },
        { "from": "http", "outcome": "Success", "to": "join" },
        { "from": "join", "outcome": "Done", "to": "table" },
        { "from": "table", "outcome": "Matched", "to": "signal" },
        { "from": "signal", "outcome": "Done", "to": "letter" },
        { "from": "letter", "outcome": "Done", "to": "move" }
      ]
    }
    """;

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task EveryActivityRunsOnACaseAndTheTimelineRecordsTheBranchesTaken()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var target = new LoopbackListener("/hook/");
        await WorkflowDriver.PublishAsync(host, tenant.Name, "all-activities", Graph.Replace("%URL%", target.Url, StringComparison.Ordinal));
        var household = PipelineDriver.ChangzhouHousehold("周敏", 971);
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", household);

        var request = target.NextAsync(TimeSpan.FromSeconds(30));
        var instanceId = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("all-activities", c.Id, "cz.admin", default));
        Assert.True(request.IsCompleted, string.Join("\n", (await WorkflowDriver.StepsAsync(host, tenant.Name, instanceId)).Select(s => $"{s.ActivityId} {s.Outcome} {s.Error} {s.OutputJson}")));
        var (body, _) = await request;
        Assert.Equal($"{{\"caseInfo\":\"{c.Number}\",\"y\":20}}", body);

        var instance = (await WorkflowDriver.InstancesAsync(host, tenant.Name, "all-activities")).Single();
        Assert.Equal(InstanceStatus.Halted, instance.Status);
        var variables = JsonNode.Parse(instance.VariablesJson)!;
        Assert.Equal(2, variables["x"]!.GetValue<int>());
        Assert.Equal(20, variables["y"]!.GetValue<int>());
        Assert.Equal(200, variables["response"]!["status"]!.GetValue<int>());
        Assert.Equal(["AtLeastTen", "Item"], variables["hits"]!.AsArray().Select(h => h!.GetValue<string>()));
        var steps = await WorkflowDriver.StepsAsync(host, tenant.Name, instanceId);
        Assert.DoesNotContain(steps, s => s.ActivityId == "small");
        Assert.Equal("True", steps.Single(s => s.ActivityId == "if").Outcome);
        Assert.Equal("Big", steps.Single(s => s.ActivityId == "script").Outcome);
        Assert.Equal("A,B", steps.Single(s => s.ActivityId == "fork").Outcome);
        // The join waits for the first branch and goes on with the second.
        Assert.Equal(["", "Done"], steps.Where(s => s.ActivityId == "join").Select(s => s.Outcome));
        Assert.Equal("Matched", steps.Single(s => s.ActivityId == "table").Outcome);
        Assert.Contains(await WorkflowDriver.NotificationsAsync(host, tenant.Name), n => n.UserName == "cz.houtai1" && n.Title == $"案件 {c.Number} 需要关注" && n.Body == "y = 20");

        // The signal arrives over HTTP with the instance's token; a replay and a forged token change nothing.
        var token = await host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<SignalTokens>().ForInstance(instanceId, "visit-done")));
        using var client = host.ClientFor(tenant);
        using var forged = await client.Http.SendAsync(client.WithHost(new HttpRequestMessage(HttpMethod.Post, client.Url("api/workflows/signal/visit-done?token=" + Uri.EscapeDataString(token[..^4] + "AAAA"))) { Content = new StringContent("{}", Encoding.UTF8, "application/json") }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using var wrongSignal = await client.Http.SendAsync(client.WithHost(new HttpRequestMessage(HttpMethod.Post, client.Url("api/workflows/signal/other?token=" + Uri.EscapeDataString(token))) { Content = new StringContent("{}", Encoding.UTF8, "application/json") }));
        Assert.Equal(HttpStatusCode.Forbidden, wrongSignal.StatusCode);
        using var signalled = await client.Http.SendAsync(client.WithHost(new HttpRequestMessage(HttpMethod.Post, client.Url("api/workflows/signal/visit-done?token=" + Uri.EscapeDataString(token))) { Content = new StringContent("{\"result\":\"<b>属实</b>\"}", Encoding.UTF8, "application/json") }));
        Assert.Equal(HttpStatusCode.OK, signalled.StatusCode);
        using var replay = await client.Http.SendAsync(client.WithHost(new HttpRequestMessage(HttpMethod.Post, client.Url("api/workflows/signal/visit-done?token=" + Uri.EscapeDataString(token))) { Content = new StringContent("{\"result\":\"again\"}", Encoding.UTF8, "application/json") }));
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);

        instance = (await WorkflowDriver.InstancesAsync(host, tenant.Name, "all-activities")).Single();
        Assert.Equal(InstanceStatus.Finished, instance.Status);
        var (state, letters, events) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return ((await db.Set<VerificationCase>().SingleAsync(x => x.Id == c.Id)).State,
                await db.Set<CaseNotice>().Where(n => n.CaseId == c.Id && n.Kind == NoticeKinds.Letter).ToListAsync(),
                await db.Set<CaseEvent>().Where(e => e.CaseId == c.Id).OrderBy(e => e.Id).ToListAsync());
        });
        // The case was not waiting for a supplement: the lifecycle refuses the move, as it would a person's.
        Assert.Equal(CaseState.IntakeReview, state);
        Assert.Equal("Refused", (await WorkflowDriver.StepsAsync(host, tenant.Name, instanceId)).Last(s => s.ActivityId == "move").Outcome);
        var letter = Assert.Single(letters);
        Assert.Equal($"入户调查结果告知（{c.Number}）", letter.Reason);
        // Values from outside are encoded in the letter; the template's own markup is kept.
        Assert.Equal("<p>入户调查结果：&lt;b&gt;属实&lt;/b&gt;</p>", letter.Html);
        Assert.DoesNotContain(events, e => e.Actor == "workflow:all-activities");
        Assert.Equal(steps.Count + 3, (await WorkflowDriver.StepsAsync(host, tenant.Name, instanceId)).Count);
    }
}

public sealed class WorkflowActivitiesOnSqlite(SqliteHostFixture host) : WorkflowActivityTests<SqliteHostFixture>(host);

public sealed class WorkflowActivitiesOnPostgres(PostgresHostFixture host) : WorkflowActivityTests<PostgresHostFixture>(host);
