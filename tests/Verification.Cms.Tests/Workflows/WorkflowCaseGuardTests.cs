using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Models;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Cms.Tests.Workflows;

/// <summary>
/// From the attacker's side: a tenant administrator builds workflows that try to
/// issue a report, confirm a case past the authorization gate and segregation of duties, return it, or
/// terminate it early. None is published; a version stored before the check existed is refused when it
/// runs, and the case, its queries and its reports stay as they were.
/// </summary>
public abstract class WorkflowCaseGuardTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    private const string Graph = """
        { "activities": [ { "id": "start", "type": "ManualStart" }, { "id": "move", "type": "MoveCase", "props": { "trigger": "TRIGGER" } } ],
          "transitions": [ { "from": "start", "outcome": "Done", "to": "move" } ] }
        """;

    [Theory]
    [Trait("Req", "R-2.3")]
    [Trait("Req", "R-3.2")]
    [InlineData("IssueReport")]
    [InlineData("Confirm")]
    [InlineData("Approve")]
    [InlineData("ReturnForSupplement")]
    [InlineData("Terminate")]
    public async Task AWorkflowThatWouldTakeAPersonsStepIsNotPublished(string trigger)
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var (version, errors) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var definitions = sp.GetRequiredService<WorkflowDefinitions>();
            await definitions.SaveDraftAsync("takeover", "越权", null, WorkflowGraph.Parse(Graph.Replace("TRIGGER", trigger, StringComparison.Ordinal)), null, "cz.admin", default);
            return await definitions.PublishAsync("takeover", null, "cz.admin", default);
        });
        Assert.Null(version);
        Assert.Contains(errors, e => e.Contains($"「{trigger}」须由有相应岗位权限的工作人员办理", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Req", "R-2.3")]
    [Trait("Req", "R-3.2")]
    [Trait("Req", "R-7.2")]
    public async Task AStoredVersionThatTakesAPersonsStepIsRefusedWhenItRunsAndTheCaseStaysAsItWas()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var approved = (await PipelineDriver.ApprovedCasesAsync(host, tenant.Name, 1))[0];
        var accepted = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", PipelineDriver.ChangzhouHousehold("吴刚", 41));
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, accepted.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", accepted.Id, CaseTrigger.Accept));

        foreach (var (name, trigger, caseId) in new[] { ("issue", "IssueReport", approved), ("confirm", "Confirm", accepted.Id) })
        {
            // Published as an allowed step, then rewritten in the database: the runtime checks again.
            await WorkflowDriver.PublishAsync(host, tenant.Name, name, Graph.Replace("TRIGGER", "Archive", StringComparison.Ordinal));
            await host.InTenantAsync(tenant.Name, async sp =>
            {
                var db = sp.GetRequiredService<TenantDbContext>();
                var stored = await db.Set<WorkflowVersion>().SingleAsync(v => v.DefinitionName == name);
                stored.GraphJson = stored.GraphJson.Replace("\"Archive\"", $"\"{trigger}\"", StringComparison.Ordinal);
                await db.SaveChangesAsync();
            });
            var instance = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync(name, caseId, "cz.admin", default));
            var steps = await WorkflowDriver.StepsAsync(host, tenant.Name, instance);
            var move = Assert.Single(steps, s => s.ActivityId == "move");
            Assert.True(move.Outcome == "Refused", string.Join("\n", steps.Select(s => $"{s.ActivityId} {s.Outcome} {s.Error} {s.OutputJson}")));
            Assert.Contains("须由有相应岗位权限的工作人员", System.Text.Json.Nodes.JsonNode.Parse(move.OutputJson!)!["refusal"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (states, reports, queries, refusals) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            return (
                await db.Set<VerificationCase>().AsNoTracking().Where(c => c.Id == approved || c.Id == accepted.Id).ToDictionaryAsync(c => c.Id, c => c.State),
                await db.Set<VerificationReport>().CountAsync(),
                await db.Set<ProviderQuery>().CountAsync(),
                await db.AuditEvents.CountAsync(a => a.Action == "case.step.refused"));
        });
        Assert.Equal(CaseState.Approved, states[approved]);
        Assert.Equal(CaseState.Accepted, states[accepted.Id]);
        Assert.Equal((0, 0, 2), (reports, queries, refusals));
    }

    [Fact]
    [Trait("Req", "R-8.1")]
    public async Task AWorkflowCannotTerminateACaseBeforeItsSupplementPeriodRunsOut()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", PipelineDriver.ChangzhouHousehold("郑红", 42));
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.ReturnForSupplement, "缺少收入证明"));
        await WorkflowDriver.PublishAsync(host, tenant.Name, "early", Graph.Replace("TRIGGER", "SupplementOverdue", StringComparison.Ordinal));
        var instance = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("early", c.Id, "cz.admin", default));
        var steps = await WorkflowDriver.StepsAsync(host, tenant.Name, instance);
        // Refused once and done: a refused step once ran again 250 times (the instance lost its progress).
        Assert.Equal("Refused", Assert.Single(steps, s => s.ActivityId == "move").Outcome);
        Assert.Equal(InstanceStatus.Finished, (await WorkflowDriver.InstancesAsync(host, tenant.Name, "early")).Single().Status);
        Assert.Equal(CaseState.ReturnedForSupplement, (await PipelineDriver.CaseAsync(host, tenant.Name, c.Id)).State);
    }
}

public sealed class WorkflowCaseGuardOnSqlite(SqliteHostFixture host) : WorkflowCaseGuardTests<SqliteHostFixture>(host);

public sealed class WorkflowCaseGuardOnPostgres(PostgresHostFixture host) : WorkflowCaseGuardTests<PostgresHostFixture>(host);
