using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cases.Reports;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Tests.Cases;
using Verification.Cms.Tests.Infrastructure;
using Verification.Workflows.Models;
using Verification.Workflows.Services;
using static Verification.Cms.Tests.Workflows.WorkflowDriver;

namespace Verification.Cms.Tests.Workflows;

/// <summary>
/// The shipped workflows and working-day timers with the clock under the test's control, across
/// the 2026 Spring Festival (days off 15–23 February, adjusted working Saturdays 14 and 28 February).
/// </summary>
public sealed class WorkflowTimerTests(ClockHostFixture host) : IClassFixture<ClockHostFixture>
{
    private static Verification.Cases.Intake.HouseholdDraft Household(int n) => PipelineDriver.ChangzhouHousehold("林芳", n);

    [Fact]
    [Trait("Req", "R-21.2")]
    [Trait("Req", "R-1.4")]
    public async Task TheDeadlineReminderFollowsTheWorkingDayCalendarAndTheExtensionThenEscalatesToTheSupervisor()
    {
        host.Clock.Set(Beijing(2026, 2, 12, 10, 0));
        var tenant = await host.CreateTenantAsync("changzhou");
        // The yearly check would start on 1 March in between; this test counts only the deadline's timers.
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().SetEnabledAsync("yearly-check", false, "cz.admin", default));
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", Household(960));
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.Accept));
        var accepted = await PipelineDriver.CaseAsync(host, tenant.Name, c.Id);
        // 15 working days from Thursday 12 February: Friday 13, Saturday 14 (adjusted), then from 24 February on.
        Assert.Equal(new DateOnly(2026, 3, 11), accepted.DueOn);
        var instance = Assert.Single(await InstancesAsync(host, tenant.Name, "deadline-reminder"));
        Assert.Equal(InstanceStatus.Halted, instance.Status);
        var timer = await TimerAsync(tenant.Name, instance.Id);
        Assert.Equal(Beijing(2026, 3, 6, 9, 0).UtcDateTime, timer.DueUtc);

        // Extended by 5 working days: the case's new due date moves the waiting timer with it.
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<CaseActions>().ExtendAsync(c.Id, 5, "信息提供单位延迟反馈", "cz.houtai1", default));
        Assert.Equal(new DateOnly(2026, 3, 18), (await PipelineDriver.CaseAsync(host, tenant.Name, c.Id)).DueOn);
        Assert.Equal(Beijing(2026, 3, 13, 9, 0).UtcDateTime, (await TimerAsync(tenant.Name, instance.Id)).DueUtc);

        host.Clock.Set(Beijing(2026, 3, 6, 9, 30));
        Assert.Equal(0, (await SweepAsync(host, tenant.Name)).TimersFired);
        host.Clock.Set(Beijing(2026, 3, 13, 8, 59));
        Assert.Equal(0, (await SweepAsync(host, tenant.Name)).TimersFired);
        Assert.DoesNotContain(await NotificationsAsync(host, tenant.Name), n => n.Title.Contains("到期", StringComparison.Ordinal));
        host.Clock.Set(Beijing(2026, 3, 13, 9, 1));
        Assert.Equal(1, (await SweepAsync(host, tenant.Name)).TimersFired);
        var reminder = Assert.Single(await NotificationsAsync(host, tenant.Name), n => n.Title == $"案件 {c.Number} 还有 3 个工作日到期");
        Assert.Equal("后台", reminder.Role);
        Assert.Equal(accepted.OrgUnit, reminder.OrgUnit);
        // A sweep later fires nothing again.
        Assert.Equal(0, (await SweepAsync(host, tenant.Name)).TimersFired);

        // At the deadline the supervisor gets a task; the back office at the city centre sees the reminder for its district.
        host.Clock.Set(Beijing(2026, 3, 18, 17, 31));
        Assert.Equal(1, (await SweepAsync(host, tenant.Name)).TimersFired);
        var task = Assert.Single(await TasksAsync(host, tenant.Name));
        Assert.Equal($"督办：案件 {c.Number} 已到核对期限", task.Title);
        Assert.Equal("督查主任", task.AssignedRole);
        var (mine, others, backOffice) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var inbox = sp.GetRequiredService<TaskInbox>();
            var notifications = sp.GetRequiredService<NotificationService>();
            var houtai = await PrincipalAsync(sp, "cz.houtai1");
            var scope = await sp.GetRequiredService<Verification.Cms.Organisation.IOrgScope>().ForUserAsync(houtai);
            return (await inbox.ListAsync(await PrincipalAsync(sp, "cz.ducha1"), new TaskFilter(), default),
                await inbox.ListAsync(houtai, new TaskFilter(), default),
                await notifications.For("cz.houtai1", (await inbox.RolesAsync(houtai)).Roles, scope).CountAsync());
        });
        Assert.Equal(task.Id, Assert.Single(mine).Id);
        Assert.Empty(others);
        Assert.Equal(1, backOffice);
        Assert.Null(await host.InTenantAsync(tenant.Name, async sp => await sp.GetRequiredService<TaskInbox>().CompleteAsync(task.Id, "已督办", "已电话督促", await PrincipalAsync(sp, "cz.ducha1"), default)));
        Assert.Equal(InstanceStatus.Finished, Assert.Single(await InstancesAsync(host, tenant.Name, "deadline-reminder")).Status);
    }

    [Fact]
    [Trait("Req", "R-21.2")]
    public async Task ACaseIssuedBeforeItsDeadlineEndsTheReminderWithoutAnyNotification()
    {
        host.Clock.Set(Beijing(2026, 11, 2, 10, 0));
        var tenant = await host.CreateTenantAsync("changzhou");
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", Household(961));
        await PipelineDriver.AuthorizeAllAsync(host, tenant.Name, c.Id, "cz.qiantai1");
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.qiantai1", c.Id, CaseTrigger.Accept));
        Assert.Null(await PipelineDriver.StepAsync(host, tenant.Name, "cz.houtai1", c.Id, CaseTrigger.Withdraw));
        var instance = Assert.Single(await InstancesAsync(host, tenant.Name, "deadline-reminder"));
        Assert.Equal(InstanceStatus.Finished, instance.Status);
        host.Clock.Set(Beijing(2026, 12, 31, 10, 0));
        Assert.Equal(0, (await SweepAsync(host, tenant.Name)).TimersFired);
        Assert.Empty(await NotificationsAsync(host, tenant.Name));
    }

    [Fact]
    [Trait("Req", "R-9.1")]
    [Trait("Req", "R-12.1")]
    public async Task TheRecheckWindowClosesAfterThirtyWorkingDaysAndTheYearlyCheckStartsEachFirstOfMarch()
    {
        host.Clock.Set(Beijing(2026, 11, 20, 10, 0));
        var tenant = await host.CreateTenantAsync("changzhou");
        var id = Assert.Single(await PipelineDriver.ApprovedCasesAsync(host, tenant.Name, 1));
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ReportIssuer>().IssueAsync(id, "cz.qiantai1", default));
        // Issuing moves the case inside its numbering transaction: the event waits in the outbox for the background round.
        Assert.Empty(await InstancesAsync(host, tenant.Name, "recheck-window"));
        Assert.Equal(1, (await SweepAsync(host, tenant.Name)).Events);
        var window = Assert.Single(await InstancesAsync(host, tenant.Name, "recheck-window"));
        // 30 working days after the report, as the tenant's calendar counts them, at the end of that day.
        var due = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Cms.Calendar.IWorkingDayCalendar>().AddWorkingDaysAsync(new DateOnly(2026, 11, 20), 30));
        Assert.Equal(WorkflowTimers.AtChinaTime(due, new TimeOnly(17, 30)), (await TimerAsync(tenant.Name, window.Id)).DueUtc);
        host.Clock.Set(new DateTimeOffset(WorkflowTimers.AtChinaTime(due, new TimeOnly(17, 29)), TimeSpan.Zero));
        await SweepAsync(host, tenant.Name);
        Assert.Equal(CaseState.ReportIssued, (await PipelineDriver.CaseAsync(host, tenant.Name, id)).State);
        host.Clock.Set(new DateTimeOffset(WorkflowTimers.AtChinaTime(due, new TimeOnly(17, 31)), TimeSpan.Zero));
        await SweepAsync(host, tenant.Name);
        Assert.Equal(CaseState.Archived, (await PipelineDriver.CaseAsync(host, tenant.Name, id)).State);
        window = Assert.Single(await InstancesAsync(host, tenant.Name, "recheck-window"));
        Assert.Equal(InstanceStatus.Finished, window.Status);
        Assert.Contains("\"recheckWindowClosed\":true", window.VariablesJson, StringComparison.Ordinal);

        // The yearly centralized check: nothing before 1 March 2027 09:00, one instance at it (even when the sweep runs late), the next on 1 March 2028.
        host.Clock.Set(Beijing(2027, 3, 1, 8, 59));
        await SweepAsync(host, tenant.Name);
        Assert.Empty(await InstancesAsync(host, tenant.Name, "yearly-check"));
        host.Clock.Set(Beijing(2027, 3, 2, 14, 0));
        await SweepAsync(host, tenant.Name);
        await SweepAsync(host, tenant.Name);
        Assert.Single(await InstancesAsync(host, tenant.Name, "yearly-check"));
        Assert.Contains(await TasksAsync(host, tenant.Name), t => t.Title == "导入年度集中核对名册（2027-03-02）" && t.AssignedRole == "后台");
        var schedule = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowBookmark>().AsNoTracking().SingleAsync(b => b.Kind == BookmarkKinds.StartTimer));
        Assert.Equal(Beijing(2028, 3, 1, 9, 0).UtcDateTime, schedule.DueUtc);
        // The supervisor's notice also went out by e-mail (the pickup folder of the tenant).
        var mail = Directory.GetFiles(Path.Combine(host.AppData, "Sites", tenant.Name, "mail-pickup"), "*.eml");
        Assert.Contains(mail, f => File.ReadAllText(f).Contains("To: cz.ducha1@example.invalid", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Req", "R-21.2")]
    [Trait("Req", "R-1.4")]
    public async Task AHumanTaskIsRemindedBeforeItsDueDateAndEscalatedAfterItAcrossTheSpringFestival()
    {
        host.Clock.Set(Beijing(2026, 2, 12, 10, 0));
        var tenant = await host.CreateTenantAsync("changzhou");
        var c = await PipelineDriver.ReceiveAtCounterAsync(host, tenant.Name, "cz.qiantai1", "tn-mzj", "ah", Household(962));
        await PublishAsync(host, tenant.Name, "visit", """
        {
          "activities": [
            { "id": "start", "type": "ManualStart" },
            { "id": "visit", "type": "HumanTask", "props": { "title": "入户调查：{{ caseInfo.number }}", "assignRole": "后台", "orgUnit": "case", "dueWorkingDays": 3, "remindWorkingDaysBefore": 1, "escalateToRole": "督查主任", "outcomes": ["已完成", "无法入户"] } },
            { "id": "done", "type": "Notify", "props": { "toUser": "cz.admin", "title": "入户调查{{ variables.event.outcome }}：{{ variables.event.comment }}" } }
          ],
          "transitions": [ { "from": "start", "outcome": "Done", "to": "visit" }, { "from": "visit", "outcome": "已完成", "to": "done" } ]
        }
        """);
        await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("visit", c.Id, "cz.admin", default));
        var task = Assert.Single(await TasksAsync(host, tenant.Name));
        // Three working days after Thursday 12 February: 13, 14 (adjusted Saturday), 24 February; reminded one working day before.
        Assert.Equal(new DateOnly(2026, 2, 24), task.DueOn);
        Assert.Equal(new DateOnly(2026, 2, 14), task.RemindOn);

        host.Clock.Set(Beijing(2026, 2, 14, 9, 0));
        Assert.Equal(1, (await SweepAsync(host, tenant.Name)).Reminded);
        Assert.Equal(0, (await SweepAsync(host, tenant.Name)).Reminded);
        host.Clock.Set(Beijing(2026, 2, 24, 18, 0));
        Assert.Equal(0, (await SweepAsync(host, tenant.Name)).Escalated);
        host.Clock.Set(Beijing(2026, 2, 25, 9, 0));
        Assert.Equal(1, (await SweepAsync(host, tenant.Name)).Escalated);
        task = Assert.Single(await TasksAsync(host, tenant.Name));
        Assert.True(task.Escalated);
        Assert.Equal("督查主任", task.AssignedRole);
        Assert.Contains(await NotificationsAsync(host, tenant.Name), n => n.Role == "督查主任" && n.Title.StartsWith("任务已逾期", StringComparison.Ordinal));

        // The back office can no longer act; the supervisor claims, another supervisor cannot complete it, then it is reassigned and done.
        var refusal = await host.InTenantAsync(tenant.Name, async sp => await sp.GetRequiredService<TaskInbox>().CompleteAsync(task.Id, "已完成", null, await PrincipalAsync(sp, "cz.houtai1"), default));
        Assert.NotNull(refusal);
        Assert.True(await host.InTenantAsync(tenant.Name, async sp => await sp.GetRequiredService<TaskInbox>().ClaimAsync(task.Id, await PrincipalAsync(sp, "cz.ducha1"), default)));
        Assert.True(await host.InTenantAsync(tenant.Name, async sp => await sp.GetRequiredService<TaskInbox>().ReassignAsync(task.Id, "cz.houtai2", null, await PrincipalAsync(sp, "cz.ducha1"), default)));
        Assert.EndsWith("不是这个任务的结果。", await host.InTenantAsync(tenant.Name, async sp => await sp.GetRequiredService<TaskInbox>().CompleteAsync(task.Id, "随便", null, await PrincipalAsync(sp, "cz.houtai2"), default)), StringComparison.Ordinal);
        Assert.Null(await host.InTenantAsync(tenant.Name, async sp => await sp.GetRequiredService<TaskInbox>().CompleteAsync(task.Id, "已完成", "户主在家", await PrincipalAsync(sp, "cz.houtai2"), default)));
        Assert.Contains(await NotificationsAsync(host, tenant.Name), n => n.UserName == "cz.admin" && n.Title == "入户调查已完成：户主在家");
        Assert.Equal(InstanceStatus.Finished, Assert.Single(await InstancesAsync(host, tenant.Name, "visit")).Status);
    }

    private Task<WorkflowBookmark> TimerAsync(string tenant, string instanceId) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Set<WorkflowBookmark>().AsNoTracking().SingleAsync(b => b.InstanceId == instanceId && b.Kind == BookmarkKinds.Timer));
}
