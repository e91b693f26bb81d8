using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Recipes;
using Verification.Cms.Tenants;
using Verification.Cms.Tests.Infrastructure;
using Verification.OrgUnits.Models;

namespace Verification.Cms.Tests.Integration;

/// <summary>Schema changes never lose data: a database made by an earlier schema version is upgraded in place.</summary>
public abstract class SchemaUpgradeTests<TFixture>(TFixture host) : IClassFixture<TFixture>
    where TFixture : CmsHostFixture
{
    [Fact]
    public async Task ADatabaseOfAnEarlierSchemaVersionIsUpgradedWithItsDataKept()
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..10];
        var settings = await host.Setup.RegisterAsync(new NewTenant(name, null, name, null, "changzhou"));
        var container = host.Services.GetRequiredService<ShellContainerFactory>().CreateValidationContainer(settings, ["Verification.OrgUnits"]);
        var database = container.GetRequiredService<TenantDatabase>();
        await database.EnsureExistsAsync(default);

        // Build the schema as the first release had it: OrgUnits v1 (no level, no division code), core without RequestPath.
        await using (var scope = container.CreateAsyncScope())
        {
            var migrator = scope.ServiceProvider.GetRequiredService<SchemaMigrator>();
            await migrator.MigrateAsync(default, new Dictionary<string, int> { ["Verification.OrgUnits"] = 1, ["Verification.Cms.Core"] = 2 });
            var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "OrgUnits" ("Code", "Name", "ParentCode", "Path", "SortOrder", "ConcurrencyStamp") VALUES ('320400', '常州市核对中心', NULL, '/320400/', 0, 'v1')""");
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "OrgUnits" ("Code", "Name", "ParentCode", "Path", "SortOrder", "ConcurrencyStamp") VALUES ('320402', '天宁区核对中心', '320400', '/320400/320402/', 1, 'v1')""");
            var versions = await migrator.ReadVersionsAsync(default);
            Assert.Equal(1, versions["Verification.OrgUnits"]);
        }

        await container.DisposeAsync();

        // The current release opens it: setting up the tenant upgrades the schema first, then the recipe upserts by code.
        await host.Setup.SetupAsync(name, "changzhou");
        var (units, versionsAfter, auditPathColumnWorks) = await host.InTenantAsync(name, async sp =>
        {
            var db = sp.GetRequiredService<TenantDbContext>();
            var list = await db.Set<OrgUnit>().OrderBy(u => u.Path).ToListAsync();
            var v = await sp.GetRequiredService<SchemaMigrator>().ReadVersionsAsync(default);
            var withPath = await db.AuditEvents.AnyAsync(a => a.RequestPath == null);
            return (list, v, withPath);
        });

        Assert.Equal(2, versionsAfter["Verification.OrgUnits"]);
        Assert.Equal(3, versionsAfter["Verification.Cms.Core"]);
        var tianning = Assert.Single(units, u => u.Code == "320402");
        Assert.Equal("district", tianning.Level);
        Assert.Equal("320402", tianning.DivisionCode);
        Assert.Equal(7, units.Count);
        Assert.True(auditPathColumnWorks);
    }

    [Fact]
    public async Task MigratingTwiceAppliesNothingTheSecondTime()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        var applied = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<SchemaMigrator>().MigrateAsync(default));
        Assert.Equal(0, applied);
    }
}

public sealed class SchemaUpgradeOnSqlite(SqliteHostFixture host) : SchemaUpgradeTests<SqliteHostFixture>(host);

public sealed class SchemaUpgradeOnPostgres(PostgresHostFixture host) : SchemaUpgradeTests<PostgresHostFixture>(host);
