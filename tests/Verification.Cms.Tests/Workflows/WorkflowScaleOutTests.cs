using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;
using Verification.Workflows.Models;
using Verification.Workflows.Services;
using static Verification.Cms.Tests.Workflows.WorkflowDriver;

namespace Verification.Cms.Tests.Workflows;

/// <summary>Two web nodes on one PostgreSQL database: each due timer fires once (R-1.4 durable timers, scale-out).</summary>
public sealed class WorkflowScaleOutTests(PostgresHostFixture host) : IClassFixture<PostgresHostFixture>
{
    private const int Instances = 60;

    [Fact]
    [Trait("Req", "R-1.4")]
    public async Task TwoNodesSweepingTogetherFireEachDueTimerExactlyOnce()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        await PublishAsync(host, tenant.Name, "tick", """
        {
          "activities": [
            { "id": "start", "type": "ManualStart" },
            { "id": "wait", "type": "Timer", "props": { "workingDays": 1 } },
            { "id": "tell", "type": "Notify", "props": { "toUser": "cz.admin", "title": "到时" } }
          ],
          "transitions": [ { "from": "start", "outcome": "Done", "to": "wait" }, { "from": "wait", "outcome": "Done", "to": "tell" } ]
        }
        """);
        for (var i = 0; i < Instances; i++)
        {
            await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("tick", null, "cz.admin", default));
        }

        // The timers fall due (the clock of both nodes has passed them).
        var due = DateTime.UtcNow.AddMinutes(-1);
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowBookmark>().Where(b => b.Kind == BookmarkKinds.Timer).ExecuteUpdateAsync(s => s.SetProperty(b => b.DueUtc, due)));

        await using var second = new SecondNode(host);
        var firstNode = host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<WorkflowNode>().Id));
        var secondNode = second.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<WorkflowNode>().Id));
        Assert.NotEqual(await firstNode, await secondNode);

        async Task<int> SweepsAsync(Func<Func<IServiceProvider, Task<SweepResult>>, Task<SweepResult>> node)
        {
            var fired = 0;
            for (var round = 0; round < 3; round++)
            {
                fired += (await node(sp => sp.GetRequiredService<WorkflowTimerWork>().RunOnceAsync(default))).TimersFired;
            }

            return fired;
        }

        var counts = await Task.WhenAll(
            Task.Run(() => SweepsAsync(work => host.InTenantAsync(tenant.Name, work))),
            Task.Run(() => SweepsAsync(work => second.InTenantAsync(tenant.Name, work))));
        Assert.Equal(Instances, counts.Sum());
        Assert.Equal(Instances, (await NotificationsAsync(host, tenant.Name)).Count(n => n.Title == "到时"));
        var instances = await InstancesAsync(host, tenant.Name, "tick");
        Assert.All(instances, i => Assert.Equal(InstanceStatus.Finished, i.Status));
        var resumed = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowStep>().Where(s => s.ActivityId == "wait" && s.Outcome == "Done").GroupBy(s => s.InstanceId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(Instances, resumed.Count);
        Assert.All(resumed, count => Assert.Equal(1, count));
    }
}
