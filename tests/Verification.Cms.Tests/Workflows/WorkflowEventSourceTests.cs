using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Forms;
using Verification.Cms.Tests.Infrastructure;
using Verification.Contents.Models;
using Verification.Contents.Services;
using Verification.Exchange.Services;
using Verification.Exchange.Simulation;
using Verification.Forms.Services;
using static Verification.Cms.Tests.Workflows.WorkflowDriver;

namespace Verification.Cms.Tests.Workflows;

/// <summary>The other modules' events start workflows: entrustment received, form submitted, content published, provider query failed .</summary>
public sealed class WorkflowEventSourceTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private const string Graph = """
    {
      "activities": [
        { "id": "entrustment", "type": "EntrustmentReceived", "props": { "serviceItem": "ah" } },
        { "id": "form", "type": "FormSubmitted", "props": { "form": "declaration-test" } },
        { "id": "content", "type": "ContentPublished", "props": { "contentType": "" } },
        { "id": "failed", "type": "ProviderQueryFailed", "props": { "provider": "hpf" } },
        { "id": "e", "type": "Notify", "props": { "toUser": "cz.admin", "title": "委托 {{ input.serviceItem }} {{ input.households }} 户 {{ input.channel }}" } },
        { "id": "f", "type": "Notify", "props": { "toUser": "cz.admin", "title": "表单 {{ input.form }} v{{ input.version }}" } },
        { "id": "c", "type": "Notify", "props": { "toUser": "cz.admin", "title": "内容 {{ input.contentType }}" } },
        { "id": "q", "type": "Notify", "props": { "toUser": "cz.admin", "title": "查询失败 {{ input.provider }} {{ input.reason }}" } }
      ],
      "transitions": [
        { "from": "entrustment", "outcome": "Done", "to": "e" }, { "from": "form", "outcome": "Done", "to": "f" },
        { "from": "content", "outcome": "Done", "to": "c" }, { "from": "failed", "outcome": "Done", "to": "q" }
      ]
    }
    """;

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task EntrustmentsFormsContentAndFailedQueriesStartWorkflows()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse($$"""
            { "name": "forms-test", "steps": [ { "name": "forms", "forms": [ { "publish": true, "definition": {{TestForms.DeclarationJson}} } ] } ] }
            """));
        await PublishAsync(host, tenant.Name, "sources", Graph);

        var household = PipelineDriver.ChangzhouHousehold("郑华", 985);
        await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", household);
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var (submission, result) = await sp.GetRequiredService<FormService>().SaveSubmissionAsync("declaration-test", null, FormValidationTests.Valid(), submit: true, "cz.qiantai1", default);
            Assert.True(result.IsValid, string.Join("; ", result.Errors));
            // A draft is not a submission: it starts nothing.
            await sp.GetRequiredService<FormService>().SaveSubmissionAsync("declaration-test", null, FormValidationTests.Valid(), submit: false, "cz.qiantai1", default);
            var item = await sp.GetRequiredService<TenantDbContext>().Set<ContentItemRecord>().AsNoTracking().FirstAsync();
            await sp.GetRequiredService<ContentManager>().PublishAsync(item.Id, "cz.admin", default);
        });

        // A provider that never answers: its queries end unanswered after the timeout.
        var simulator = await SimulatorProcess.StartAsync();
        await host.Setup.RunRecipeAsync(tenant.Name, RecipeReader.Parse($$"""
            { "name": "silent", "steps": [ { "name": "providers", "providers": [ { "code": "hpf", "mode": "online", "baseUrl": "{{simulator.BaseUrl}}", "answerTimeoutSeconds": 1, "connect": true } ] } ] }
            """));
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ProviderExchange>().QueueAsync(TestSubjects.Members(2, ["hpf.balance.account"]), default));
        Assert.Equal(1, (await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default))).Sent);
        simulator.Dispose();
        await Task.Delay(1200);
        Assert.Equal(2, (await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default))).Unanswered);

        var titles = (await NotificationsAsync(host, tenant.Name)).Where(n => n.UserName == "cz.admin").Select(n => n.Title).ToList();
        Assert.Contains("委托 ah 1 户 counter", titles);
        Assert.Equal(1, titles.Count(t => t == "表单 declaration-test v1"));
        Assert.Contains(titles, t => t.StartsWith("内容 ", StringComparison.Ordinal));
        // The two members' queries belong to different references: one event each.
        Assert.Equal(2, titles.Count(t => t == "查询失败 hpf timeout.no-answer"));
        Assert.Equal(5, (await InstancesAsync(host, tenant.Name, "sources")).Count);
    }
}
