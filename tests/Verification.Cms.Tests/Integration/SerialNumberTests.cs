using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Numbering;
using Verification.Cms.Tests.Infrastructure;

namespace Verification.Cms.Tests.Integration;

/// <summary>Report and authorization serials are unique and gap-free within a tenant and period, even when issued concurrently .</summary>
public abstract class SerialNumberTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    [Trait("Req", "R-7.2")]
    public async Task FiftyParallelIssuesGetFiftyConsecutiveSerials()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var counter = DocumentNumbers.ReportCounter(2026, 2);
        var serials = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => IssueAsync(tenant.Name, counter, commit: true))));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), serials.Order());
    }

    [Fact]
    [Trait("Req", "R-7.2")]
    public async Task ARolledBackIssueGivesItsNumberBack()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var counter = DocumentNumbers.ReportCounter(2026, 3);
        Assert.Equal(1, await IssueAsync(tenant.Name, counter, commit: true));
        Assert.Equal(2, await IssueAsync(tenant.Name, counter, commit: false));
        Assert.Equal(2, await IssueAsync(tenant.Name, counter, commit: true));
    }

    [Fact]
    [Trait("Req", "R-3.3")]
    [Trait("Req", "R-7.2")]
    public async Task EachMonthAndYearAndTenantCountsFromOne()
    {
        var a = await host.CreateTenantAsync("changzhou");
        var b = await host.CreateTenantAsync("changzhou");
        Assert.Equal(1, await IssueAsync(a.Name, DocumentNumbers.ReportCounter(2026, 12), commit: true));
        Assert.Equal(2, await IssueAsync(a.Name, DocumentNumbers.ReportCounter(2026, 12), commit: true));
        Assert.Equal(1, await IssueAsync(a.Name, DocumentNumbers.ReportCounter(2027, 1), commit: true));
        Assert.Equal(1, await IssueAsync(a.Name, DocumentNumbers.AuthorizationCounter(2026), commit: true));
        Assert.Equal(1, await IssueAsync(a.Name, DocumentNumbers.AuthorizationCounter(2027), commit: true));
        Assert.Equal(1, await IssueAsync(b.Name, DocumentNumbers.ReportCounter(2026, 12), commit: true));
    }

    [Fact]
    [Trait("Req", "R-7.2")]
    public async Task ABatchTakesABlockOfConsecutiveSerialsBetweenSingleIssues()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var counter = DocumentNumbers.ReportCounter(2026, 4);
        Assert.Equal(1, await IssueAsync(tenant.Name, counter, commit: true));
        var first = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ISerialNumberAllocator>().NextRangeAsync(counter, 250));
        Assert.Equal(2, first);
        Assert.Equal(252, await IssueAsync(tenant.Name, counter, commit: true));
        Assert.Equal(1, await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ISerialNumberAllocator>().NextRangeAsync("case:2026", 3)));
    }

    private Task<long> IssueAsync(string tenant, string counter, bool commit) =>
        host.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var serial = await sp.GetRequiredService<ISerialNumberAllocator>().NextAsync(counter);
            if (commit)
            {
                await transaction.CommitAsync();
            }
            else
            {
                await transaction.RollbackAsync();
            }

            return serial;
        });
}

public sealed class SerialNumbersOnSqlite(SqliteHostFixture host) : SerialNumberTests<SqliteHostFixture>(host);

public sealed class SerialNumbersOnPostgres(PostgresHostFixture host) : SerialNumberTests<PostgresHostFixture>(host);
