using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;
using Verification.Cms.Users;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Cms.Tests.Workflows;

/// <summary>Publishes workflows, runs the background round and reads instances as the tests need.</summary>
public static class WorkflowDriver
{
    /// <summary>Saves the graph as the draft and publishes it; fails the test with the validation errors otherwise.</summary>
    public static Task<int> PublishAsync(CmsHostFixture host, string tenant, string name, string graphJson, string title = "测试流程") =>
        host.InTenantAsync(tenant, async sp =>
        {
            var definitions = sp.GetRequiredService<WorkflowDefinitions>();
            await definitions.SaveDraftAsync(name, title, null, WorkflowGraph.Parse(graphJson), null, "test", default);
            var (version, errors) = await definitions.PublishAsync(name, null, "test", default);
            Assert.True(version is not null, string.Join("; ", errors));
            return version!.Version;
        });

    public static Task<SweepResult> SweepAsync(CmsHostFixture host, string tenant) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<WorkflowTimerWork>().RunOnceAsync(default));

    public static Task<List<WorkflowInstance>> InstancesAsync(CmsHostFixture host, string tenant, string definition) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowInstance>().AsNoTracking().Where(i => i.DefinitionName == definition).OrderBy(i => i.CreatedUtc).ToListAsync());

    public static Task<List<WorkflowStep>> StepsAsync(CmsHostFixture host, string tenant, string instanceId) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowStep>().AsNoTracking().Where(s => s.InstanceId == instanceId).OrderBy(s => s.Id).ToListAsync());

    public static Task<List<Notification>> NotificationsAsync(CmsHostFixture host, string tenant) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Set<Notification>().AsNoTracking().OrderBy(n => n.Id).ToListAsync());

    public static Task<List<WorkflowTask>> TasksAsync(CmsHostFixture host, string tenant) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowTask>().AsNoTracking().OrderBy(t => t.CreatedUtc).ToListAsync());

    /// <summary>The user as the sign-in builds them (roles and org unit claims included).</summary>
    public static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider sp, string userName)
    {
        var user = await sp.GetRequiredService<UserManager<CmsUser>>().FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return await sp.GetRequiredService<IUserClaimsPrincipalFactory<CmsUser>>().CreateAsync(user);
    }

    /// <summary>A Beijing wall-clock time.</summary>
    public static DateTimeOffset Beijing(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
