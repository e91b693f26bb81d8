using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Batches;
using Verification.Cases.Intake;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Services;
using Verification.Cms.Tests.Exchange;

namespace Verification.Cms.Tests.Cases;

/// <summary>Drives the pipeline as the named staff would: each step checked by <see cref="CaseAccess"/> (post, level, unit) before <see cref="CaseActions"/> takes it.</summary>
public static class PipelineDriver
{
    public static async Task<ClaimsPrincipal> UserAsync(IServiceProvider sp, string userName)
    {
        var user = await sp.GetRequiredService<TenantDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, userName)], "test"));
    }

    public static async Task<CaseActor> ActorAsync(IServiceProvider sp, string userName) =>
        await sp.GetRequiredService<CaseAccess>().ActorAsync(await UserAsync(sp, userName), default);

    /// <summary>Null when the step was taken; otherwise the refusal (access or lifecycle) as its English key.</summary>
    public static async Task<string?> StepAsync(CmsHostFixture host, string tenant, string userName, string caseId, CaseTrigger trigger, string? text = null) =>
        await host.InTenantAsync(tenant, async sp =>
        {
            var actor = await ActorAsync(sp, userName);
            var @case = await sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().AsNoTracking().SingleAsync(c => c.Id == caseId);
            if (CaseAccess.Refusal(actor, @case, trigger, await sp.GetRequiredService<PipelineSettings>().GetAsync(default)) is { } refusal)
            {
                return refusal.Message;
            }

            var actions = sp.GetRequiredService<CaseActions>();
            try
            {
                switch (trigger)
                {
                    case CaseTrigger.Accept: await actions.AcceptAsync(caseId, userName, default); break;
                    case CaseTrigger.Confirm: await actions.ConfirmAsync(caseId, userName, default); break;
                    case CaseTrigger.Review or CaseTrigger.Approve: await actions.OpinionAsync(caseId, trigger, text ?? "经比对，情况如核对结果所列。", userName, default); break;
                    case CaseTrigger.IssueReport: await actions.IssueReportAsync(caseId, userName, default); break;
                    case CaseTrigger.ReturnForSupplement: await actions.ReturnForSupplementAsync(caseId, text ?? "缺少户口簿复印件", userName, default); break;
                    case CaseTrigger.Withdraw: await actions.WithdrawAsync(caseId, text ?? "委托单位撤销核对需求", userName, default); break;
                    case CaseTrigger.Suspend: await actions.SuspendAsync(caseId, text ?? "信息提供单位无法反馈", userName, default); break;
                    default: await sp.GetRequiredService<CaseService>().FireAsync(caseId, trigger, userName, text, default); break;
                }
            }
            catch (CaseTransitionException ex)
            {
                return ex.Message;
            }

            return null;
        });

    /// <summary>Records every member's authorization (paper, signed today by the member).</summary>
    public static Task AuthorizeAllAsync(CmsHostFixture host, string tenant, string caseId, string userName) =>
        host.InTenantAsync(tenant, async sp =>
        {
            var cases = sp.GetRequiredService<CaseService>();
            foreach (var member in await sp.GetRequiredService<TenantDbContext>().Set<CaseMember>().AsNoTracking().Where(m => m.CaseId == caseId).ToListAsync())
            {
                await cases.RecordAuthorizationAsync(caseId, member.Id, "self", "paper", cases.Today(), null, null, userName, default);
            }
        });

    /// <summary>Runs the exchange and the pipeline's background round until nothing is exchanging or waiting (or the rounds run out).</summary>
    public static async Task RunBackgroundAsync(CmsHostFixture host, string tenant, int rounds = 60)
    {
        for (var i = 0; i < rounds; i++)
        {
            var busy = await host.InTenantAsync(tenant, async sp =>
            {
                await sp.GetRequiredService<ExchangeDispatcher>().RunOnceAsync(default);
                await sp.GetRequiredService<CaseProgressWork>().RunOnceAsync(default);
                if (sp.GetService<Verification.Workflows.Services.WorkflowTimerWork>() is { } workflows)
                {
                    await workflows.RunOnceAsync(default);
                }

                var db = sp.GetRequiredService<TenantDbContext>();
                return await db.Set<VerificationCase>().AnyAsync(c => c.State == CaseState.Exchanging) || await db.Set<BatchJob>().AnyAsync(j => j.State == BatchStates.Running);
            });
            if (!busy)
            {
                return;
            }
        }
    }

    /// <summary>A one-person household of 天宁区, Changzhou (the changzhou recipe's counter unit), ID number number <paramref name="n"/>.</summary>
    public static HouseholdDraft ChangzhouHousehold(string name, int n) =>
        new(name, TestSubjects.IdNumber(n, "320402"), "常州市", "天宁区", "雕庄街道", [new(name, TestSubjects.IdNumber(n, "320402"), "01")], null);

    public static Task<VerificationCase> CaseAsync(CmsHostFixture host, string tenant, string caseId) =>
        host.InTenantAsync(tenant, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().AsNoTracking().SingleAsync(c => c.Id == caseId));

    /// <summary>A household received at the counter by <paramref name="userName"/> (the declaration's data, as the counter page passes it).</summary>
    public static Task<VerificationCase> ReceiveAtCounterAsync(CmsHostFixture host, string tenant, string userName, string department, string serviceItem, HouseholdDraft household) =>
        host.InTenantAsync(tenant, async sp =>
        {
            var actor = await ActorAsync(sp, userName);
            var result = await sp.GetRequiredService<IntakeService>().ReceiveAsync(new Entrustment { Department = department, ServiceItem = serviceItem, Channel = "counter" }, [(null, household)], false, userName, actor.OrgUnit, default);
            Assert.True(result.Accepted, string.Join("; ", result.Problems.Select(p => p.Message)));
            return result.Cases[0];
        });

    /// <summary>Approved cases, as they stand just before issuing (the steps before are tested elsewhere).</summary>
    public static Task<List<string>> ApprovedCasesAsync(CmsHostFixture host, string tenant, int count, string serviceItem = "ah") =>
        host.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var entrustment = new Entrustment { Department = "tn-mzj", ServiceItem = serviceItem, Channel = "excel" };
            db.Add(entrustment);
            var cases = Enumerable.Range(0, count).Select(i => new VerificationCase
            {
                EntrustmentId = entrustment.Id, ServiceItem = serviceItem, Number = $"T-{Guid.NewGuid():N}", State = CaseState.Approved, HeadName = "户主" + i,
                HeadIdNumber = TestSubjects.IdNumber(900 + i), OrgUnit = "320400", ReceivedOn = new DateOnly(2026, 11, 2), DueOn = new DateOnly(2026, 11, 23), ReviewedBy = "cz.houtai1", ApprovedBy = "cz.ducha1",
            }).ToList();
            db.AddRange(cases);
            db.AddRange(cases.Select(c => new CaseMember { CaseId = c.Id, Name = c.HeadName, IdNumber = c.HeadIdNumber, Relation = "01" }));
            await db.SaveChangesAsync();
            return cases.Select(c => c.Id).ToList();
        });
}
