using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Comparison;
using Verification.Cases.Models;
using Verification.Cases.Services;
using Verification.Cms.Data;
using Verification.Cms.Tests.Exchange;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Models;

namespace Verification.Cms.Tests.Cases;

/// <summary>
/// Comparison of a yearly batch: more cases than one chunk are compared — each chunk's
/// findings built while the previous chunk's are written — and every case gets exactly its own findings,
/// once, and moves on; a second round finds nothing left to do.
/// </summary>
public abstract class ComparisonBatchTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-12.1")]
    [Trait("Req", "R-6.1")]
    public async Task CasesOfSeveralChunksEachGetTheirOwnFindingsOnce()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var count = ComparisonService.Chunk * 2 + 7;
        var ids = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var entrustment = new Entrustment { Department = "tn-mzj", ServiceItem = "aa", Channel = "excel" };
            db.Add(entrustment);
            var cases = Enumerable.Range(0, count).Select(i => new VerificationCase
            {
                EntrustmentId = entrustment.Id, ServiceItem = "aa", Number = $"C-{i:D4}", State = CaseState.Exchanging, HeadName = "户主" + i,
                HeadIdNumber = TestSubjects.IdNumber(2000 + i), OrgUnit = "320400", ReceivedOn = new DateOnly(2026, 11, 2), DueOn = new DateOnly(2026, 11, 23),
            }).ToList();
            var members = cases.Select(c => new CaseMember { CaseId = c.Id, Name = c.HeadName, IdNumber = c.HeadIdNumber, Relation = "01" }).ToList();
            db.AddRange(cases);
            db.AddRange(members);
            // Every case's queries are answered: one vehicle record for every third case, nothing found for the rest.
            db.AddRange(members.Select((m, i) => new ProviderQuery
            {
                CaseReference = m.CaseId + "/" + m.Id, Provider = "mps", SubjectIdNumber = m.IdNumber, SubjectName = m.Name, DataItemsJson = "[\"mps.vehicle.registration\"]",
                AuthorizationNumber = "居经授第320400202600000001号", Purpose = "aa", State = QueryStates.Answered, MessageId = "m1",
                RecordsJson = i % 3 == 0 ? $$$"""[{"dataItem":"mps.vehicle.registration","fields":{"plateNumber":"苏D{{{i:D5}}}","vehicleType":"小型轿车"}}]""" : "[]",
            }));
            await db.SaveChangesAsync();
            return cases.Select(c => c.Id).ToList();
        });

        var (moved, expected) = await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var profile = await sp.GetRequiredService<PipelineSettings>().GetAsync(default);
            var expected = new Dictionary<string, List<string>>();
            foreach (var @case in await db.Set<VerificationCase>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync())
            {
                expected[@case.Id] = ComparisonService.Build(@case, await ComparisonService.QueriesOfAsync(db, [@case.Id], default), profile).Select(f => f.Kind + "|" + f.Result).Order(StringComparer.Ordinal).ToList();
            }

            return (await sp.GetRequiredService<ComparisonService>().CompleteReadyAsync(count, default), expected);
        });

        Assert.Equal(count, moved);
        await host.InTenantAsync(tenant.Name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            Assert.Equal(count, await db.Set<VerificationCase>().CountAsync(c => ids.Contains(c.Id) && c.State == CaseState.Comparing));
            var saved = (await db.Set<Finding>().AsNoTracking().Where(f => ids.Contains(f.CaseId)).ToListAsync()).ToLookup(f => f.CaseId);
            foreach (var id in ids)
            {
                Assert.Equal(expected[id], saved[id].Select(f => f.Kind + "|" + f.Result).Order(StringComparer.Ordinal).ToList());
            }

            Assert.Contains(saved.SelectMany(g => g), f => f.Kind == FindingKinds.Record && f.Result.Contains("苏D00003", StringComparison.Ordinal));
            Assert.Equal(0, await sp.GetRequiredService<ComparisonService>().CompleteReadyAsync(count, default));
            return true;
        });
    }
}

public sealed class ComparisonBatchOnSqlite(SqliteHostFixture host) : ComparisonBatchTests<SqliteHostFixture>(host);

public sealed class ComparisonBatchOnPostgres(PostgresHostFixture host) : ComparisonBatchTests<PostgresHostFixture>(host);
