using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Models;

namespace Verification.Cms.Tests.Cases;

/// <summary>"先授权、后核对，无委托、不核对": no provider query for a member without a valid authorization on a confirmed case.</summary>
public abstract class AuthorizationGateTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-3.2")]
    [Trait("Req", "R-3.3")]
    public async Task OnlyMembersWithAValidAuthorizationOnAConfirmedCaseAreEverQueried()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var (caseId, numbers, early, start) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var cases = sp.GetRequiredService<CaseService>();
            var created = await cases.CreateAsync(new Entrustment { Department = "天宁区民政局", ServiceItem = "aa", Channel = "counter" },
                [new("张建国", TestSubjects.IdNumber(1), "01"), new("李秀英", TestSubjects.IdNumber(2), "10"), new("张小明", TestSubjects.IdNumber(3), "20"), new("张小红", TestSubjects.IdNumber(4), "30")], "cz.qiantai1", default);
            var members = await sp.GetRequiredService<TenantDbContext>().Set<CaseMember>().Where(m => m.CaseId == created.Id).OrderBy(m => m.IdNumber).ToListAsync();
            var today = cases.Today();
            var a1 = await cases.RecordAuthorizationAsync(created.Id, members[0].Id, "self", "paper", today, null, null, "cz.qiantai1", default);
            var a2 = await cases.RecordAuthorizationAsync(created.Id, members[1].Id, "self", "electronic", today, today.AddYears(1), null, "cz.qiantai1", default);
            // A minor signed for by the guardian, since revoked; and one authorization that expired yesterday.
            var a3 = await cases.RecordAuthorizationAsync(created.Id, members[2].Id, "guardian", "paper", today, null, "张建国", "cz.qiantai1", default);
            await cases.RevokeAuthorizationAsync(a3.Number, "cz.qiantai1", default);
            // One valid when recorded, expired since (recording refuses expired ones; the gate checks again on the day).
            var a4 = await cases.RecordAuthorizationAsync(created.Id, members[3].Id, "self", "paper", today.AddYears(-1), today, null, "cz.qiantai1", default);
            await sp.GetRequiredService<TenantDbContext>().Set<MemberAuthorization>().Where(a => a.Number == a4.Number).ExecuteUpdateAsync(u => u.SetProperty(a => a.ValidUntil, today.AddDays(-1)));

            // Before the case is confirmed nothing at all may be queried.
            var early = await sp.GetRequiredService<CaseExchange>().StartAsync(created.Id, "cz.houtai1", default);
            await cases.FireAsync(created.Id, CaseTrigger.StartIntake, "cz.qiantai1", null, default);
            await cases.FireAsync(created.Id, CaseTrigger.Accept, "cz.qiantai1", null, default);
            await cases.FireAsync(created.Id, CaseTrigger.Confirm, "cz.houtai1", null, default);
            var start = await sp.GetRequiredService<CaseExchange>().StartAsync(created.Id, "cz.houtai1", default);
            return (created.Id, new[] { a1.Number, a2.Number, a3.Number }, early, start);
        });

        Assert.Equal(0, early.QueriesQueued);
        Assert.Equal(4, early.Refused.Count);
        Assert.All(early.Refused, r => Assert.StartsWith("The case is not confirmed", r.Reason, StringComparison.Ordinal));
        var year = DateTime.UtcNow.AddHours(8).Year;
        Assert.Equal([$"居经授第320400{year}00000001号", $"居经授第320400{year}00000002号", $"居经授第320400{year}00000003号"], numbers);

        Assert.Equal(["张小明", "张小红"], start.Refused.Select(r => r.Name).Order());
        var queries = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().AsNoTracking().ToListAsync());
        Assert.NotEmpty(queries);
        Assert.Equal([TestSubjects.IdNumber(1), TestSubjects.IdNumber(2)], queries.Select(q => q.SubjectIdNumber).Distinct().Order());
        Assert.All(queries, q => Assert.Contains(q.AuthorizationNumber, numbers[..2]));
        var state = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<VerificationCase>().Where(c => c.Id == caseId).Select(c => c.State).SingleAsync());
        Assert.Equal(CaseState.Exchanging, state);
        var timeline = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<CaseEvent>().Where(e => e.CaseId == caseId).OrderBy(e => e.Id).Select(e => e.Trigger).ToListAsync());
        Assert.Equal([CaseTrigger.StartIntake, CaseTrigger.Accept, CaseTrigger.Confirm, CaseTrigger.StartExchange], timeline);
    }

    [Fact]
    [Trait("Req", "R-3.3")]
    public async Task ANumberFromTheCentresOwnSpaceThatItNeverIssuedIsRefusedAndTheAllocatorSkipsTakenNumbers()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var year = await host.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<CaseService>().Today().Year));
        // A roster row carries a number of changzhou's own (320400) that changzhou has not issued yet.
        var ahead = Verification.Cms.Numbering.DocumentNumbers.Authorization("320400", year, 3);
        var household = PipelineDriver.ChangzhouHousehold("周敏", 31) with
        {
            Authorizations = [new(TestSubjects.IdNumber(31, "320402"), "self", "paper", new DateOnly(year, 1, 5), null, null, ahead)],
        };
        var refused = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Cases.Intake.IntakeService>()
            .ReceiveAsync(new Entrustment { Department = "tn-mzj", ServiceItem = "ah", Channel = "excel" }, [(7, household)], true, "cz.qiantai1", "320402", default));
        var problem = Assert.Single(refused.Problems);
        Assert.Equal((7, "authorization", "The authorization number {0} is in this centre's own numbering, but the centre never issued it."), (problem.Row, problem.Field, problem.Message));

        // A number of another centre is its business; it is recorded as given.
        var elsewhere = Verification.Cms.Numbering.DocumentNumbers.Authorization("440106", year, 3);
        var accepted = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<Verification.Cases.Intake.IntakeService>()
            .ReceiveAsync(new Entrustment { Department = "tn-mzj", ServiceItem = "ah", Channel = "excel" }, [(7, household with { Authorizations = [household.Authorizations![0] with { Number = elsewhere }] })], true, "cz.qiantai1", "320402", default));
        Assert.True(accepted.Accepted);

        // Numbers that got into the table ahead of the counter (as the old intake allowed) are skipped, not a failure.
        var numbers = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var caseId = accepted.Cases[0].Id;
            var member = await db.Set<CaseMember>().FirstAsync(m => m.CaseId == caseId);
            foreach (var serial in new[] { 1L, 2L })
            {
                db.Add(new MemberAuthorization { CaseId = caseId, MemberId = member.Id, Number = Verification.Cms.Numbering.DocumentNumbers.Authorization("320400", year, serial), SignedBy = "self", Kind = "paper", SignedOn = new DateOnly(year, 1, 5) });
            }

            await db.SaveChangesAsync();
            var cases = sp.GetRequiredService<CaseService>();
            var first = await cases.RecordAuthorizationAsync(caseId, member.Id, "self", "paper", cases.Today(), null, null, "cz.qiantai1", default);
            var second = await cases.RecordAuthorizationAsync(caseId, member.Id, "self", "paper", cases.Today(), null, null, "cz.qiantai1", default);
            return new[] { first.Number, second.Number };
        });
        Assert.Equal([Verification.Cms.Numbering.DocumentNumbers.Authorization("320400", year, 3), Verification.Cms.Numbering.DocumentNumbers.Authorization("320400", year, 4)], numbers);
    }
}

public sealed class AuthorizationGateOnSqlite(SqliteHostFixture host) : AuthorizationGateTests<SqliteHostFixture>(host);

public sealed class AuthorizationGateOnPostgres(PostgresHostFixture host) : AuthorizationGateTests<PostgresHostFixture>(host);

/// <summary>Deadlines count the tenant's working days, here across the 2026 Spring Festival and its adjusted working Saturday.</summary>
public sealed class CaseDeadlineTests(ClockHostFixture host) : IClassFixture<ClockHostFixture>
{
    [Fact]
    [Trait("Req", "R-21.2")]
    public async Task ACaseReceivedBeforeTheSpringFestivalIsDueFifteenWorkingDaysLaterAndExtendsByAtMostTen()
    {
        host.Clock.Set(new DateTimeOffset(2026, 2, 12, 2, 0, 0, TimeSpan.Zero));
        var tenant = await host.CreateTenantAsync("changzhou");
        var (due, extended, refused) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var cases = sp.GetRequiredService<CaseService>();
            var created = await cases.CreateAsync(new Entrustment { Department = "钟楼区民政局", ServiceItem = "ah", Channel = "counter" }, [new("王芳", TestSubjects.IdNumber(5), "01")], "cz.qiantai1", default);
            var due = created.DueOn;
            var extended = await cases.ExtendAsync(created.Id, 10, "cz.ducha1", default);
            var refused = await Assert.ThrowsAsync<CaseTransitionException>(() => cases.ExtendAsync(created.Id, 1, "cz.ducha1", default));
            return (due, extended.DueOn, refused);
        });
        Assert.Equal(new DateOnly(2026, 3, 11), due);
        Assert.Equal(new DateOnly(2026, 3, 25), extended);
        Assert.Equal(10, refused.Arguments[0]);
    }
}
