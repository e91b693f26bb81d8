using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Verification.Cms.Data;
using Verification.Cms.Numbering;

namespace Verification.Cms.Numbering;

/// <summary>
/// One atomic upsert per number: <c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c> (PostgreSQL, and
/// SQLite ≥ 3.35). The updated row stays locked by the caller's transaction, so concurrent issuers
/// queue behind it and serials stay consecutive; without an ambient transaction each call commits alone.
/// </summary>
public sealed class SerialNumberAllocator(TenantDbContext db) : ISerialNumberAllocator
{
    public Task<long> NextAsync(string counter, CancellationToken cancellationToken = default) => NextRangeAsync(counter, 1, cancellationToken);

    public async Task<long> NextRangeAsync(string counter, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        // Table and column names are constants; the counter and count are parameters.
        var values = await db.Database.SqlQuery<long>(
                $"""INSERT INTO "SerialCounters" ("Counter", "Value") VALUES ({counter}, {(long)count}) ON CONFLICT ("Counter") DO UPDATE SET "Value" = "SerialCounters"."Value" + {(long)count} RETURNING "Value" AS "Value" """)
            .ToListAsync(cancellationToken);
        return values.Single() - count + 1;
    }
}

/// <summary>Version 1 of the numbering schema: one row per counter.</summary>
public sealed class NumberingMigration : IDataMigration
{
    public string Module => "Verification.Cms.Numbering";

    public IReadOnlyList<Action<MigrationBuilder>> Steps { get; } =
    [
        m => m.CreateTable("SerialCounters", c => new
        {
            Counter = c.Column<string>(maxLength: 64, nullable: false),
            Value = c.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_SerialCounters", x => x.Counter)),
    ];
}
