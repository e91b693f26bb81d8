using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cases.Models;
using Verification.Cms.Data;
using Verification.Cms.Tests.Infrastructure;
using Verification.Exchange.Models;

namespace Verification.Cms.Tests.Integration;

/// <summary>
/// The bulk writes behind a yearly batch: rows written by <see cref="BulkInsert"/> read back exactly
/// through EF — nulls and values alternating, so a statement re-executed with new values must not keep an
/// earlier row's — and a failing row leaves nothing of the call behind.
/// </summary>
public abstract class BulkWriteTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-12.1")]
    public async Task RowsWrittenInBulkReadBackExactlyWithTheirNullsAndValues()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        // More rows than one multi-row statement holds on PostgreSQL, and not a multiple of it.
        var written = Enumerable.Range(0, 301).Select(i => new Finding
        {
            CaseId = "bulk-" + (i / 10), MemberId = i % 3 == 0 ? null : "member-" + i, Kind = FindingKinds.Record, Group = "property", Category = "property.vehicle",
            Department = "公安局", Item = "机动车登记信息", Result = "第" + i + "条；号牌：苏D" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture),
            Amount = i % 2 == 0 ? null : i * 1.25m, Declared = i % 5 == 0 ? 12345.67m : null, Annotation = i % 4 == 1 ? "说明" + i : null, Overridden = i % 7 == 0,
            AnnotatedUtc = i % 4 == 0 ? new DateTime(2026, 2, 17, 8, 30, i % 60, DateTimeKind.Utc) : null,
        }).ToList();

        await host.InTenantAsync(tenant.Name, sp => BulkInsert.InsertAsync(sp.GetRequiredService<TenantDbContext>(), written, default));

        var read = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<Finding>().AsNoTracking().Where(f => f.CaseId.StartsWith("bulk-")).OrderBy(f => f.Id).ToListAsync());
        Assert.Equal(written.Count, read.Count);
        for (var i = 0; i < written.Count; i++)
        {
            var (expected, actual) = (written[i], read[i]);
            Assert.Equal((expected.CaseId, expected.MemberId, expected.Result, expected.Amount, expected.Declared, expected.Annotation, expected.Overridden, expected.AnnotatedUtc),
                (actual.CaseId, actual.MemberId, actual.Result, actual.Amount, actual.Declared, actual.Annotation, actual.Overridden, actual.AnnotatedUtc));
        }
    }

    [Fact]
    [Trait("Req", "R-12.1")]
    public async Task ARowThatCannotBeWrittenLeavesNothingOfTheCallBehind()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var queries = Enumerable.Range(0, 250).Select(i => new ProviderQuery
        {
            CaseReference = "bulk-case/" + i, Provider = "mps", SubjectIdNumber = "110101199003074514", SubjectName = "张三", DataItemsJson = "[\"mps.hukou.registration\"]",
            AuthorizationNumber = "居经授第110101202600000001号", Purpose = "aa",
        }).ToList();
        // The last row repeats the first one's key: the database refuses it after 249 rows went in.
        queries[^1].Id = queries[0].Id;

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            host.InTenantAsync(tenant.Name, sp => BulkInsert.InsertAsync(sp.GetRequiredService<TenantDbContext>(), queries, default)));

        Assert.Equal(0, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<TenantDbContext>().Set<ProviderQuery>().CountAsync(q => q.CaseReference.StartsWith("bulk-case/"))));
    }
}

public sealed class BulkWritesOnSqlite(SqliteHostFixture host) : BulkWriteTests<SqliteHostFixture>(host);

public sealed class BulkWritesOnPostgres(PostgresHostFixture host) : BulkWriteTests<PostgresHostFixture>(host);
